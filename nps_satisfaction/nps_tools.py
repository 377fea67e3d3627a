"""Plain-Python helpers of the NPS suite: no ORM, tested directly.

Score classification, the NPS arithmetic, score parsing, the send window and
colour gradients live here so that models and controllers share one
definition of each.
"""

import base64
import hashlib
import hmac
import io
import ipaddress
import math
import re
import secrets
import unicodedata
from datetime import datetime, time, timedelta

import pytz
import qrcode
import qrcode.image.svg

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

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,128}")


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


def new_token():
    """An unguessable token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def is_token(text):
    """True when ``text`` has the shape of a token of this suite (URL-safe
    base64, at most 128 characters): anything else is not looked up at all
    (PostgreSQL refuses a NUL character in a query, for one)."""
    return isinstance(text, str) and bool(TOKEN_RE.fullmatch(text))


def plain_text(text):
    """Free text posted by a visitor, without the NUL characters that no
    text column can store."""
    return (text or "").replace("\x00", "")


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


WORD_SPLIT = re.compile(r"\W+")


def _fold(text):
    """Lower case without accents, whitespace collapsed: "Kündigen" and
    "kundigen", "RÉSILIER" and "resilier" fold alike."""
    normalized = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in normalized if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def find_keywords(text, keywords):
    """The keywords (words or phrases) found in ``text`` as whole words,
    without regard to case or accents, in the order given."""
    folded = " " + _words(text) + " "
    found = []
    for keyword in keywords:
        words = _words(keyword)
        if words and " " + words + " " in folded:
            found.append(keyword)
    return found


def _words(text):
    return " ".join(word for word in WORD_SPLIT.split(_fold(text)) if word)


def is_downgrade(previous_category, category):
    """Whether the category moved down (promoter > passive > detractor)."""
    rank = {DETRACTOR: 0, PASSIVE: 1, PROMOTER: 2}
    if not previous_category or not category:
        return False
    return rank[category] < rank[previous_category]


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


def qr_image(url, fmt="png"):
    """The QR code of ``url`` as (bytes, mimetype), PNG or SVG."""
    if fmt == "svg":
        image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
        mimetype = "image/svg+xml"
    else:
        image = qrcode.make(url, box_size=8, border=2)
        mimetype = "image/png"
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue(), mimetype


def qr_data_uri(url, fmt="png"):
    content, mimetype = qr_image(url, fmt)
    return f"data:{mimetype};base64,{base64.b64encode(content).decode()}"


def keyed_hash(secret, value):
    """A short one-way digest of ``value`` keyed with ``secret``."""
    digest = hmac.new((secret or "").encode(), (value or "").encode(), "sha256")
    return digest.hexdigest()[:24]


# --- Mail security scanners ---

#: What marks a request as made by a mail security scanner or an automated
#: browser rather than by a person: user-agent substrings (case-insensitive)
#: and, on lines of their own, IP networks (CIDR). One entry a line; lines
#: starting with ``#`` are comments. An empty user agent is always suspect.
DEFAULT_SCANNER_SIGNATURES = """# automated and headless browsers
HeadlessChrome
PhantomJS
Puppeteer
Playwright
Selenium
# HTTP libraries and command-line clients
python-requests
python-urllib
aiohttp
curl/
Wget/
Go-http-client
Java/
okhttp
libwww-perl
# link-checking mail security products
Barracuda
Mimecast
Proofpoint
Symantec
Trend Micro
Forcepoint
Sophos
ZScaler
bot
crawler
spider
"""


def parse_signatures(text):
    """(user-agent substrings lower-cased, IP networks) of a signature list;
    a line that reads as an IP network (``10.0.0.0/8``, ``192.0.2.7``) is one,
    any other line is a user-agent substring."""
    agents, networks = [], []
    for line in (text or "").splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            agents.append(entry.lower())
    return agents, networks


def scanner_signature(user_agent, remote_addr, signatures):
    """The signature entry that marks this visitor as a scanner, or None.
    ``signatures`` is the text of a signature list."""
    if not (user_agent or "").strip():
        return "empty user agent"
    agents, networks = parse_signatures(signatures)
    lowered = user_agent.lower()
    for agent in agents:
        if agent in lowered:
            return agent
    try:
        address = ipaddress.ip_address((remote_addr or "").strip())
    except ValueError:
        return None
    for network in networks:
        if address.version == network.version and address in network:
            return str(network)
    return None
