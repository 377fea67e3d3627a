"""Scores, categories and the NPS arithmetic, shared by the models, the
pages and the reports."""

SCORE_MIN = 0
SCORE_MAX = 10
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


def parse_score(raw):
    """Parse a score given by a customer; raise ValueError when it is not an
    integer within the scale. Accepts ints and decimal strings only."""
    if isinstance(raw, bool):
        raise ValueError("not a score")
    if isinstance(raw, int):
        score = raw
    else:
        text = str(raw or "").strip()
        if not text or len(text) > 2 or not text.isdigit() or not text.isascii():
            raise ValueError("not a score")
        score = int(text)
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError("score outside the scale")
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
