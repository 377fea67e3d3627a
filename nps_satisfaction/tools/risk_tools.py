"""A customer's risk score: the sum of its drivers' points, capped at 100,
and its band (the health levels)."""

import json

from .health_tools import AT_RISK, HEALTHY, WATCH

#: the score's range
SCORE_MAX = 100
#: the bands' lower bounds: 0-29 healthy, 30-59 to watch, 60-100 at risk
WATCH_MIN = 30
AT_RISK_MIN = 60

#: the windows the time-based drivers look back over (days)
TICKET_DAYS = 90
SILENCE_DAYS = 180
#: more tickets than this in ``TICKET_DAYS`` make a driver
TICKET_COUNT_MAX = 2


def score(drivers):
    """The score of ``drivers`` (``(code, points, label_args)`` triples):
    their points summed, from 0 to ``SCORE_MAX``."""
    return max(0, min(SCORE_MAX, sum(points for _code, points, _args in drivers)))


def band(value):
    """The band of a score: ``healthy`` under ``WATCH_MIN``, ``watch`` under
    ``AT_RISK_MIN``, ``at_risk`` from it."""
    if value >= AT_RISK_MIN:
        return AT_RISK
    if value >= WATCH_MIN:
        return WATCH
    return HEALTHY


def dumps(drivers):
    """The drivers as stored: JSON, the heaviest first (then by code, so that
    the same drivers always store the same text); those without points are
    left out."""
    kept = sorted(
        ([code, points, args or {}] for code, points, args in drivers if points),
        key=lambda driver: (-driver[1], driver[0]),
    )
    return json.dumps(kept, sort_keys=True) if kept else False


def loads(text):
    """The stored drivers as ``(code, points, label_args)`` triples (none
    for an empty or unreadable text)."""
    if not text:
        return []
    try:
        drivers = json.loads(text)
    except ValueError:
        return []
    return [
        (code, points, args or {})
        for code, points, args in drivers
        if isinstance(code, str) and isinstance(points, int)
    ]
