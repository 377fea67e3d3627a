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

    ``category`` is the category of the customer's account (its account NPS
    over the latest 0-10 answer of each contact; for a single contact, his
    last answer's; False: none), ``trend`` how the account's average score
    moved with the last answer, ``csat`` the customer's CSAT: the share (%)
    of its 1-5 satisfaction answers that are 4 or 5 (None: no such answer),
    ``open_followup`` whether a follow-up of one of its answers is still
    open. Returns ``(state, reason)`` with reason one of ``detractor``,
    ``low_csat``, ``drop``, ``open_followup``, ``passive``, ``promoter``,
    ``satisfied`` (CSAT answers only, at or over ``csat_min``);
    ``(False, False)`` without answers.

    At risk: a detractor account, a CSAT under ``csat_min``; to watch: a
    drop of the account's average score by ``drop_points``, an open
    follow-up, a passive account; healthy otherwise. The reason is the
    cause that decided the state, the most severe first: a detractor
    account with its case open is at risk for its NPS, not for the case. An
    open follow-up alone puts the customer under watch, not at risk: one
    contact's detractor answer among promoters opens its case without
    flipping the account.
    """
    if not category and csat is None:
        return False, False
    if category == DETRACTOR:
        return AT_RISK, "detractor"
    if csat is not None and csat < csat_min:
        return AT_RISK, "low_csat"
    if drop_points and trend is not None and round(trend, 6) <= -drop_points:
        return WATCH, "drop"
    if open_followup:
        return WATCH, "open_followup"
    if not category:
        return HEALTHY, "satisfied"
    if category == PASSIVE:
        return WATCH, "passive"
    return HEALTHY, "promoter"
