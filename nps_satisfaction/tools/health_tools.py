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


def health(category, trend, csat, open_followup, drop_points=3, csat_min=60.0):
    """Health state of a customer and the code of its reason.

    ``category`` is the NPS category of the last 0-10 answer (False: none),
    ``trend`` the last score minus the previous one, ``csat`` the customer's
    CSAT: the share (%) of its 1-5 satisfaction answers that are 4 or 5
    (None: no such answer), ``open_followup`` whether a follow-up is still
    open. Returns ``(state, reason)`` with reason one of ``open_followup``,
    ``detractor``, ``low_csat``, ``drop``, ``passive``, ``promoter``,
    ``satisfied`` (CSAT answers only, at or over ``csat_min``);
    ``(False, False)`` without answers.
    """
    if not category and csat is None:
        return False, False
    if open_followup:
        return AT_RISK, "open_followup"
    if category == DETRACTOR:
        return AT_RISK, "detractor"
    if csat is not None and csat < csat_min:
        return AT_RISK, "low_csat"
    if not category:
        return HEALTHY, "satisfied"
    if drop_points and trend is not None and trend <= -drop_points:
        return WATCH, "drop"
    if category == PASSIVE:
        return WATCH, "passive"
    return HEALTHY, "promoter"
