"""Text posted by customers: plain text, and alarming words found whatever
their case and accents."""

import re
import unicodedata


def plain_text(text):
    """Free text posted by a visitor, without the NUL characters that no
    text column can store."""
    return (text or "").replace("\x00", "")


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
