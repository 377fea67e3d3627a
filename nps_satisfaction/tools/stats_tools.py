"""The NPS's margin of error, and whether a change is larger than the noise.

Each answer counts +1 (promoter), 0 (passive) or -1 (detractor) and the NPS
is 100 times their mean. With ``n`` answers and ``p``, ``d`` the shares of
promoters and detractors, one answer's variance is ``(p + d) - (p - d)²``,
so the NPS's standard error is ``100·√(variance / n)`` points and its 95%
margin of error 1.96 times that: the normal approximation, as for a
proportion. The report computes the same in SQL (``nps.report``).

Small samples. Under ``MIN_ANSWERS`` answers the approximation says nothing
worth reading (1 promoter and 1 detractor would give ±139 points, and 3
promoters against 3 detractors would pass for a significant change where an
exact test gives p = 0.1): there is no margin and no verdict, only "not
enough answers". When every answer falls in one category the sample shows no
variance and the formula would claim ±0: there is no margin then either.

A change between two periods is significant when
``|NPS₂ − NPS₁| / (100·√(var₁/n₁ + var₂/n₂)) > 1.96``. A period whose
answers all fall in one category has no variance estimate of its own: the
variance of both periods taken together (what "no change" would give) stands
in for it, so 5 promoters out of 5 are not taken for certainty.
"""

import math
from datetime import timedelta
from typing import NamedTuple

from .score_tools import DETRACTOR, PASSIVE, PROMOTER

#: the normal quantile of a two-sided 95% interval
Z95 = 1.96
#: fewer answers than this give no margin and no verdict on a change
MIN_ANSWERS = 5

SIGNIFICANT = "significant"
NOISE = "noise"
NOT_ENOUGH = "not_enough"
#: the verdict on a change between two periods
VERDICT_SELECTION = [
    (SIGNIFICANT, "Significant change"),
    (NOISE, "Within the noise"),
    (NOT_ENOUGH, "Not enough answers"),
]


class Counts(NamedTuple):
    """The answers of a period or a group, by NPS category."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @classmethod
    def of(cls, categories):
        """The counts of an iterable of categories (falsy ones skipped)."""
        counts = dict.fromkeys((PROMOTER, PASSIVE, DETRACTOR), 0)
        for category in categories:
            if category:
                counts[category] += 1
        return cls(counts[PROMOTER], counts[PASSIVE], counts[DETRACTOR])

    def __add__(self, other):
        return Counts(*(a + b for a, b in zip(self, other, strict=True)))

    @property
    def total(self):
        return self.promoters + self.passives + self.detractors


def nps(counts):
    """The NPS of ``counts``, in points; None without answers."""
    if not counts.total:
        return None
    return 100.0 * (counts.promoters - counts.detractors) / counts.total


def variance(counts):
    """The variance of one answer (+1/0/-1): ``(p + d) - (p - d)²``; None
    without answers."""
    n = counts.total
    if not n:
        return None
    p, d = counts.promoters / n, counts.detractors / n
    # max(): rounding must not give a tiny negative
    return max((p + d) - (p - d) ** 2, 0.0)


def margin(counts):
    """The 95% margin of error of the NPS of ``counts``, in NPS points:
    ``1.96·100·√(variance / n)``. None under ``MIN_ANSWERS`` answers or when
    every answer falls in one category (see the module's docstring)."""
    n = counts.total
    if n < MIN_ANSWERS:
        return None
    var = variance(counts)
    if not var:
        return None
    return Z95 * 100.0 * math.sqrt(var / n)


class Comparison(NamedTuple):
    """The change from one period to the next and the verdict on it."""

    #: NPS after minus NPS before, in points (None without answers)
    delta: float | None
    #: the smallest change, in points, that is larger than the noise
    threshold: float | None
    #: |delta| in standard errors
    z: float | None
    #: SIGNIFICANT, NOISE or NOT_ENOUGH
    verdict: str

    @property
    def is_drop(self):
        """A significant fall of the NPS."""
        return self.verdict == SIGNIFICANT and self.delta < 0


def compare(before, after):
    """Whether the NPS moved beyond the noise from ``before`` to ``after``
    (two Counts): |NPS₂ − NPS₁| over the standard error of the difference
    larger than 1.96."""
    if before.total < MIN_ANSWERS or after.total < MIN_ANSWERS:
        delta = None
        if before.total and after.total:
            delta = nps(after) - nps(before)
        return Comparison(delta, None, None, NOT_ENOUGH)
    delta = nps(after) - nps(before)
    pooled = variance(before + after)
    var_before = variance(before) or pooled
    var_after = variance(after) or pooled
    error = 100.0 * math.sqrt(var_before / before.total + var_after / after.total)
    if not error:
        # every answer of both periods in one and the same category
        return Comparison(delta, 0.0, 0.0, NOISE)
    z = abs(delta) / error
    return Comparison(delta, Z95 * error, z, SIGNIFICANT if z > Z95 else NOISE)


def period_bounds(today, days):
    """``(before, start, end)``: the current period runs from ``start`` to
    ``end`` (today) included, the previous one over the ``days`` days before
    ``start``, from ``before`` included. The dashboard and the drop alerts
    both take their periods from here."""
    start = today - timedelta(days=days)
    return start - timedelta(days=days), start, today
