"""A customer's health from its answers."""

from .score_tools import DETRACTOR, PASSIVE

#: health states of a customer, from its answers
HEALTHY = "healthy"
WATCH = "watch"
AT_RISK = "at_risk"
HEALTH_SELECTION = [
    (HEALTHY, "Healthy"),
    (WATCH, "Watch"),
    (AT_RISK, "At risk"),
]


def health(category, trend, csat_avg, open_followup, drop_points=3, csat_min=6.0):
    """Health state of a customer and the code of its reason.

    ``category`` is the NPS category of the last answer (False: never
    answered), ``trend`` the last score minus the previous one, ``csat_avg``
    the average post-ticket score (0 or None: none), ``open_followup``
    whether a detractor follow-up is still open. Returns ``(state, reason)``
    with reason one of ``open_followup``, ``detractor``, ``low_csat``,
    ``drop``, ``passive``, ``promoter``; ``(False, False)`` without answers.
    """
    if not category:
        return False, False
    if open_followup:
        return AT_RISK, "open_followup"
    if category == DETRACTOR:
        return AT_RISK, "detractor"
    if csat_avg and csat_avg < csat_min:
        return AT_RISK, "low_csat"
    if drop_points and trend is not None and trend <= -drop_points:
        return WATCH, "drop"
    if category == PASSIVE:
        return WATCH, "passive"
    return HEALTHY, "promoter"
