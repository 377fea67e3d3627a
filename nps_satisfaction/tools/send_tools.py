"""When to send: the quiet period, the send window, the pilot sample, the
daily quota of periodic campaigns and the days of date-triggered ones."""

import hashlib
import math
from datetime import datetime, time, timedelta

import pytz


def within_quiet_period(last_sent, now, days):
    """True when a survey sent at ``last_sent`` still holds ``now`` inside a
    quiet period of ``days`` days."""
    if not last_sent or not days:
        return False
    return now < last_sent + timedelta(days=days)


def next_send_slot(now_utc, tz_name, hour_from, hour_to, weekdays_only):
    """First moment at or after ``now_utc`` (naive UTC) inside the send
    window, local hours ``hour_from``-``hour_to`` (floats, 9.5 = 9:30) in
    time zone ``tz_name``, optionally Monday to Friday only. Returns naive
    UTC. With ``hour_from >= hour_to`` the window is the whole day."""
    try:
        tz = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        tz = pytz.utc
    local = pytz.utc.localize(now_utc).astimezone(tz)
    whole_day = hour_from >= hour_to

    def at(day, hours):
        minutes = round(hours * 60)
        naive = datetime.combine(day, time(minutes // 60 % 24, minutes % 60))
        return tz.localize(naive)

    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if weekdays_only and day.weekday() >= 5:
            continue
        start = at(day, 0 if whole_day else hour_from)
        end = at(day, 24 - 1 / 60) if whole_day else at(day, hour_to)
        if offset == 0 and local >= end:
            continue
        slot = max(start, local) if offset == 0 else start
        return slot.astimezone(pytz.utc).replace(tzinfo=None)
    return now_utc  # unreachable with a sane window


def in_sample(campaign_id, partner_id, percent):
    """Whether a customer belongs to a campaign's pilot sample of
    ``percent`` % (0-100). Reproducible: the same customer and campaign give
    the same answer on every run and every machine."""
    if percent >= 100:
        return True
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"{campaign_id}:{partner_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def daily_quota(eligible, period_days):
    """How many customers to survey today so that ``eligible`` customers are
    all surveyed once, evenly, over ``period_days`` days."""
    if eligible <= 0 or period_days <= 0:
        return 0
    return math.ceil(eligible / period_days)


def date_trigger_due(today, offset_days, catch_up_days):
    """The customers' dates a date-triggered campaign surveys on ``today``:
    ``(first, last)``, the dates whose survey day (the date plus
    ``offset_days``, negative before it) fell within the last
    ``catch_up_days`` days or falls today. A day the job did not run is
    caught up the next days; an older date never floods."""
    last = today - timedelta(days=offset_days)
    return last - timedelta(days=max(catch_up_days, 0)), last
