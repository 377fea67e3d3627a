"""Churn figures: a rate with its 95% interval, the lift of one group's
rate over another's, a median lead time and how well a score ranks the
customers who left (its AUC).

The interval is Wilson's score interval, which stays inside 0-100% and
keeps a meaning on small groups (3 of 10, 0 of 12) where the normal
approximation of ``stats_tools`` would give negative bounds::

    centre = (k + z²/2) / (n + z²)
    half   = z / (n + z²) · √(k·(n − k)/n + z²/4)

with ``k`` customers who left of ``n``, ``z`` = 1.96.

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
    """How many times ``rate`` is ``base`` (two Rates): None when either has
    no customer or the base rate is 0."""
    if rate.rate is None or not base.rate:
        return None
    return rate.rate / base.rate


def median_days(days):
    """The median of a list of day counts; None for an empty list."""
    days = list(days)
    return float(median(days)) if days else None


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
