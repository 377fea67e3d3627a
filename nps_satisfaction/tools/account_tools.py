"""A customer's account view: the contacts' roles and the account NPS over
the latest answer of each contact, so that one contact's answer does not
flip a whole account.

Which answers an account NPS counts is one rule (``account_answer_sql``,
``latest_first_sql``), read by the customer's stored figures (his form,
his health, his risk score: ``res.partner._nps_read_stats``) and by the
churn figures (``nps.churn._nps_account_cte``): every answered 0-10 survey
of the customer's people, whatever carried it (a ticket, a project, a
relationship survey, a newsletter) and whichever company sent it, each
person's latest."""

from odoo.tools import SQL

from . import score_tools

DECISION_MAKER = "decision_maker"
#: the role of a contact at its customer
CONTACT_ROLE_SELECTION = [
    (DECISION_MAKER, "Decision maker"),
    ("user", "User"),
    ("technical", "Technical"),
    ("other", "Other"),
]

#: an account NPS at or above this makes a promoter account, at or below
#: ``ACCOUNT_DETRACTOR_MAX`` a detractor account, a passive one in between:
#: one contact gives +100, 0 or -100 (his own category); two promoters and
#: a detractor (+33) stay a promoter account, a promoter and a detractor
#: (0) make a passive one, a promoter and two detractors (-33) or a passive
#: and a detractor (-50) a detractor one
ACCOUNT_PROMOTER_MIN = 30
ACCOUNT_DETRACTOR_MAX = -30


def account_answer_sql(request):
    """Whether the survey ``request`` (an SQL alias of ``nps_request``)
    counts in the account NPS of its customer, ``request.commercial_partner_id``
    (his own answers and his contacts'): an answered 0-10 survey."""
    return SQL(
        "(%(r)s.state = 'answered' AND %(r)s.nps_category IS NOT NULL"
        " AND %(r)s.commercial_partner_id IS NOT NULL)",
        r=SQL.identifier(request),
    )


def latest_first_sql(request):
    """The order of a contact's answers in his account, his latest first
    (``request``: an SQL alias of ``nps_request``)."""
    return SQL(
        "%(r)s.answer_date DESC, %(r)s.id DESC",
        r=SQL.identifier(request),
    )


def account_category(nps_value):
    """The category of an account from its NPS (None: no answer)."""
    if nps_value is None:
        return False
    if nps_value >= ACCOUNT_PROMOTER_MIN:
        return score_tools.PROMOTER
    if nps_value <= ACCOUNT_DETRACTOR_MAX:
        return score_tools.DETRACTOR
    return score_tools.PASSIVE


def account_figures(scores):
    """The account's figures from the latest score of each of its contacts
    (one score a contact): ``nps`` (-100 to 100), ``score`` (their average,
    0-10), ``category`` and ``respondents``. Without scores: no category,
    zeros."""
    scores = list(scores)
    if not scores:
        return {"nps": 0.0, "score": 0.0, "category": False, "respondents": 0}
    value = score_tools.nps(score_tools.classify(score) for score in scores)
    return {
        "nps": value,
        "score": sum(scores) / len(scores),
        "category": account_category(value),
        "respondents": len(scores),
    }


def account_now_and_before(rows):
    """The account's figures now and just before its last answer.

    ``rows`` are ``(contact, rank, score)``, latest answer first, with the
    rank of the answer among its contact's answers (1 his latest, 2 the one
    before; others are ignored). Before the last answer, its contact counts
    with his previous answer, or not at all when it was his first."""
    latest, previous = {}, {}
    for contact, rank, score in rows:
        if rank == 1:
            latest[contact] = score
        elif rank == 2:
            previous[contact] = score
    before_scores = dict(latest)
    if latest:
        last_contact = next(contact for contact, rank, _score in rows if rank == 1)
        if last_contact in previous:
            before_scores[last_contact] = previous[last_contact]
        else:
            del before_scores[last_contact]
    return account_figures(latest.values()), account_figures(before_scores.values())
