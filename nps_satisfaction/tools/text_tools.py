"""Text posted by customers: plain text, and alarming words found whatever
their case and accents."""

import re
import unicodedata

#: control characters (C0, DEL, C1), Unicode line and paragraph separators
#: and the bidirectional overrides that can disguise a text
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_LINE_BREAKS = re.compile("\r\n?|\n")
#: the invisible format characters (Unicode category Cf) a text keeps: the
#: zero-width non-joiner and joiner, which some scripts (Persian, Indic
#: scripts, emoji sequences) need to be written right
_KEPT_FORMAT = frozenset("\u200c\u200d")


def _without_format(text):
    """``text`` without its invisible format characters (category Cf: the
    bidirectional marks and overrides, the byte order mark, soft hyphens,
    zero-width spaces...), but the joiners of ``_KEPT_FORMAT``."""
    if text.isascii():
        return text
    return "".join(
        char
        for char in text
        if char in _KEPT_FORMAT or unicodedata.category(char) != "Cf"
    )


#: the longest text a customer may give: a short text answer (one line) and
#: a comment or long text answer. The answer page's fields say the same
#: (``maxlength``); the server refuses a further answer above them
MAX_LINE = 500
MAX_TEXT = 5000


def answer_limit(question_type):
    """The longest answer to a survey question of ``question_type`` (a
    short text ``char_box``: one line; any other: a text)."""
    return MAX_LINE if question_type == "char_box" else MAX_TEXT


def plain_text(text, max_length=None):
    """Free text posted by a visitor (a comment): line breaks kept (as
    ``\\n``) and tabs, every other control character removed (NUL, which
    no text column stores, escapes, bidirectional overrides) and every
    invisible format character but the joiners (``_without_format``), cut
    at ``max_length`` characters."""
    text = _LINE_BREAKS.sub("\n", str(text or ""))
    text = _without_format(_CONTROL.sub("", text))
    return text[:max_length] if max_length else text


def single_line(text, max_length=None):
    """A name or an address posted by a visitor, as one line: every line
    break, tab and other control character becomes a space (so it can never
    end a mail header early), spaces collapsed, cut at ``max_length``
    characters."""
    text = _LINE_BREAKS.sub(" ", _without_format(str(text or ""))).replace("\t", " ")
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text[:max_length].strip() if max_length else text


WORD_SPLIT = re.compile(r"\W+")


def fold(text):
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
    return " ".join(word for word in WORD_SPLIT.split(fold(text)) if word)
