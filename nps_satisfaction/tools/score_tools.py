"""Scores, categories and the NPS and CSAT arithmetic, shared by the
models, the pages and the reports."""

from odoo.tools import SQL

SCORE_MIN = 0
SCORE_MAX = 10
#: the two scales a campaign asks: the 0-10 recommendation score (NPS) and
#: the 1-5 satisfaction with the service (CSAT)
NPS = "nps"
CSAT = "csat"
CSAT_MIN = 1
CSAT_MAX = 5
#: a CSAT answer of 4 or 5 is satisfied: the CSAT is the share of them
CSAT_SATISFIED = 4
SCALES = {NPS: (SCORE_MIN, SCORE_MAX), CSAT: (CSAT_MIN, CSAT_MAX)}
#: the parameter that carries each scale's answer in the answer links and
#: forms (``/nps/<token>?score=9``, ``?csat=4``): a link says its own scale,
#: whatever the campaign asks when it is opened
SCALE_PARAMS = {NPS: "score", CSAT: "csat"}
#: the nps.request field that holds each scale's answer
SCALE_FIELDS = {NPS: "score", CSAT: "csat_score"}
#: how a CSAT answer reads: 1-2 dissatisfied, 3 neutral, 4-5 satisfied
DISSATISFIED = "dissatisfied"
NEUTRAL = "neutral"
SATISFIED = "satisfied"
PROMOTER = "promoter"
PASSIVE = "passive"
DETRACTOR = "detractor"
#: the selection of NPS categories, shared by every model that shows one
CATEGORY_SELECTION = [
    (PROMOTER, "Promoter"),
    (PASSIVE, "Passive"),
    (DETRACTOR, "Detractor"),
]
#: ``nps_value`` of each category: the mean over any set of answers is its NPS.
NPS_VALUES = {PROMOTER: 100, PASSIVE: 0, DETRACTOR: -100}


def classify(score):
    """Return the NPS category of a 0-10 score (9-10, 7-8, 0-6)."""
    if score is None or score is False:
        return False
    score = int(score)
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError(f"score {score} outside {SCORE_MIN}-{SCORE_MAX}")
    if score >= 9:
        return PROMOTER
    if score >= 7:
        return PASSIVE
    return DETRACTOR


def parse_score(raw, measure=NPS):
    """Parse a score given by a customer on the scale of ``measure`` (NPS
    0-10, CSAT 1-5); raise ValueError when it is not an integer within the
    scale. Accepts ints and decimal strings only."""
    low, high = SCALES[measure]
    if isinstance(raw, bool):
        raise ValueError("not a score")
    if isinstance(raw, int):
        score = raw
    else:
        text = str(raw or "").strip()
        if not text or len(text) > 2 or not text.isdigit() or not text.isascii():
            raise ValueError("not a score")
        score = int(text)
    if not low <= score <= high:
        raise ValueError(f"score {score} outside the scale {low}-{high}")
    return score


def nps(categories):
    """NPS of an iterable of categories: % promoters - % detractors.
    Returns None for no answer at all."""
    counts = {PROMOTER: 0, PASSIVE: 0, DETRACTOR: 0}
    total = 0
    for category in categories:
        counts[category] += 1
        total += 1
    if not total:
        return None
    return 100.0 * (counts[PROMOTER] - counts[DETRACTOR]) / total


def csat_level(score):
    """How a 1-5 CSAT answer reads: dissatisfied (1-2), neutral (3) or
    satisfied (4-5); False for no answer."""
    if not score:
        return False
    if score >= CSAT_SATISFIED:
        return SATISFIED
    return NEUTRAL if score == CSAT_SATISFIED - 1 else DISSATISFIED


def asks_reasons(category, csat_score):
    """Whether an answer is asked why (the reasons of a low score): a
    detractor or a passive; without a 0-10 score, a 1-5 CSAT of 1 to 3."""
    if category:
        return category in (DETRACTOR, PASSIVE)
    return csat_level(csat_score) in (DISSATISFIED, NEUTRAL)


def csat_value(score):
    """100 for a satisfied CSAT answer (4-5), 0 for another (1-3), None for
    no answer: the mean over any set of answers is its CSAT (%)."""
    if not score:
        return None
    return 100 if score >= CSAT_SATISFIED else 0


def csat(scores):
    """CSAT (%) of an iterable of 1-5 answers: the share of 4 and 5.
    Returns None for no answer at all."""
    values = [csat_value(score) for score in scores if score]
    return sum(values) / len(values) if values else None


def csat_value_sql(column):
    """``csat_value`` in SQL, of the 1-5 answer in ``column`` (an SQL
    expression): 100, 0, or NULL without an answer. Its AVG over any
    grouping is the CSAT (%) of the group."""
    return SQL(
        "(CASE WHEN %(col)s >= %(satisfied)s THEN 100 "
        "WHEN %(col)s >= %(min)s THEN 0 END)",
        col=column,
        satisfied=CSAT_SATISFIED,
        min=CSAT_MIN,
    )


def is_downgrade(previous_category, category):
    """Whether the category moved down (promoter > passive > detractor)."""
    rank = {DETRACTOR: 0, PASSIVE: 1, PROMOTER: 2}
    if not previous_category or not category:
        return False
    return rank[category] < rank[previous_category]


def gradient(color_from, color_to, steps):
    """``steps`` hex colours from ``color_from`` to ``color_to``."""

    def rgb(color):
        color = (color or "#000000").lstrip("#")
        if len(color) == 3:
            color = "".join(c * 2 for c in color)
        return [int(color[i : i + 2], 16) for i in (0, 2, 4)]

    start, end = rgb(color_from), rgb(color_to)
    colours = []
    for step in range(steps):
        ratio = step / (steps - 1) if steps > 1 else 0
        channels = [round(a + (b - a) * ratio) for a, b in zip(start, end, strict=True)]
        colours.append("#{:02x}{:02x}{:02x}".format(*channels))
    return colours
