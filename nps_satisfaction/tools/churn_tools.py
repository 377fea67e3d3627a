"""Churn figures: a rate with its 95% interval, the lift of one group's
rate over another's, a median lead time and how well a score ranks the
customers who left (its AUC).

The interval is Wilson's score interval, which stays inside 0-100% and
keeps a meaning on small groups (3 of 10, 0 of 12) where the normal
approximation of ``stats_tools`` would give negative bounds::

    centre = (k + z²/2) / (n + z²)
    half   = z / (n + z²) · √(k·(n − k)/n + z²/4)

with ``k`` customers who left of ``n``, ``z`` = 1.96.

The lift (one group's rate over another's) is told only when it says
something: both groups had departures (a ratio to or of 0 says nothing),
and their departures are split too unevenly to be chance, by Fisher's
exact test (two-sided, 5%) over the 2×2 table of who left and who stayed
in each group. A single departure, or 2 of 3 against 1 of 10, gives no
lift: the counts say it.

The AUC is the probability that a customer who left had a higher score than
one who stayed (a tie counts half): 0.5 is a coin, 1.0 a perfect ranking.
It is the Mann-Whitney statistic over the two groups, computed from the
ranks of the scores (ties get their average rank), in O(n log n).
"""

import math
from collections import Counter
from statistics import median
from typing import NamedTuple

from .stats_tools import Z95

#: the longest lead time (days) the churn figures look back before a notice
LEAD_DAYS_MAX = 3650
#: a lift is told when Fisher's test finds its groups' split this unlikely
LIFT_ALPHA = 0.05


class Rate(NamedTuple):
    """``left`` customers of ``total``, as a percentage with its 95% Wilson
    interval (None without customers)."""

    left: int
    total: int
    rate: float | None
    low: float | None
    high: float | None


def wilson(left, total, z=Z95):
    """The rate of ``left`` of ``total`` in percent, with its Wilson
    interval."""
    if not total:
        return Rate(left, total, None, None, None)
    z2 = z * z
    centre = (left + z2 / 2) / (total + z2)
    half = z / (total + z2) * math.sqrt(left * (total - left) / total + z2 / 4)
    return Rate(
        left,
        total,
        100.0 * left / total,
        100.0 * max(centre - half, 0.0),
        100.0 * min(centre + half, 1.0),
    )


def lift(rate, base):
    """How many times ``rate`` is ``base`` (two Rates): None when it says
    nothing, that is when either group had no departure (or no customer),
    or when its departures could be split so by chance
    (``fisher_p`` at ``LIFT_ALPHA`` or more)."""
    if not rate.rate or not base.rate:
        return None
    if fisher_p(rate, base) >= LIFT_ALPHA:
        return None
    return rate.rate / base.rate


def _log_comb(n, k):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_p(rate, base):
    """The two-sided p-value of Fisher's exact test of two Rates: were the
    customers of both groups alike, the chance that their departures split
    between the groups as unevenly as they did, or more. Summed over the
    possible splits (hypergeometric), in logarithms: any number of
    customers."""
    left = rate.left + base.left
    total = rate.total + base.total

    def log_chance(k):
        # k of the departures in ``rate``'s group
        return (
            _log_comb(rate.total, k)
            + _log_comb(base.total, left - k)
            - _log_comb(total, left)
        )

    observed = log_chance(rate.left)
    splits = range(max(0, left - base.total), min(left, rate.total) + 1)
    chance = sum(
        math.exp(log_chance(k))
        for k in splits
        # the splits as unlikely as the one seen (with rounding room)
        if log_chance(k) <= observed + 1e-9
    )
    return min(chance, 1.0)


def median_days(days):
    """The median of a list of day counts, in whole days (a half rounded up:
    the median of 270 and 271 days is 271), as the dashboard and the
    analysis both show it; None for an empty list."""
    days = list(days)
    return math.floor(median(days) + 0.5) if days else None


def auc(scored):
    """The AUC of a score against who left: ``scored`` is ``(score, left)``
    pairs. None unless both groups have a customer."""
    return auc_counted(
        (score, left, count) for (score, left), count in Counter(scored).items()
    )


def auc_counted(counted):
    """The AUC from ``(score, left, count)`` rows, ``count`` customers with
    that score who left (or stayed): what a GROUP BY over the customers
    gives. None unless both groups have a customer."""
    by_score = {}
    for score, left, count in counted:
        by_score.setdefault(score, [0, 0])[0 if left else 1] += count
    positives = sum(left for left, _stayed in by_score.values())
    negatives = sum(stayed for _left, stayed in by_score.values())
    if not positives or not negatives:
        return None
    rank_sum = 0.0
    index = 0
    for score in sorted(by_score):
        left, stayed = by_score[score]
        end = index + left + stayed - 1
        # ranks index+1 .. end+1 share their average
        rank_sum += (index + end + 2) / 2.0 * left
        index = end + 1
    u = rank_sum - positives * (positives + 1) / 2.0
    return u / (positives * negatives)
