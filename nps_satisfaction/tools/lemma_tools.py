"""Lemmas and German compound parts (PyPI ``simplemma``, dictionaries
shipped in its wheel, pure Python), for the word forms of ``stem_tools``.

- ``lemma(word, lang)``: the dictionary form of a word ("résilie" and
  "résilions" -> "résilier", "gekündigt" and "kündige" -> "kündigen"), or
  None for a language simplemma has no dictionary for.
- ``compound_parts(word, lang)``: the parts of a German compound
  ("Vertragskündigung" -> ("Vertrag", "Kündigung"),
  "Kündigungsschreiben" -> ("Kündigung", "Schreiben")); () for any other
  word or language.

A language is an Odoo code ("fr_FR", "de_CH", "sr@latin") or its first
part ("fr"). Each language's dictionary is loaded once per process, at
its first word (German: about a second and 100 MB; French, English: 0.2 s
and 20 MB; ``LOW_MEMORY`` takes a sixth of that memory for lookups ten
times slower)."""

import functools
import re

import simplemma

#: simplemma's memory-frugal dictionaries (see the module's docstring)
LOW_MEMORY = False

#: Odoo language code (its part before "_") -> simplemma's, where they differ
SIMPLEMMA_CODES = {"no": "nb", "sr": "hbs", "hr": "hbs", "bs": "hbs"}

#: the shortest known word read as the tail of a compound ("Frist")
MIN_TAIL = 4
#: the shortest known word read as its head ("Amt")
MIN_HEAD = 3
#: the letters that may link the head to the tail ("Vertrag-s-kündigung",
#: "Geschäft-s-führer", "Frau-en-arzt", "Kunde-n-dienst"); "n" only
#: after an "e"
LINKS = ("s", "es", "en", "n")
#: German prepositions and verb particles: heads that make a prefixed word,
#: not a compound ("Mitarbeiter" is no "mit" + "Arbeiter", "Ausfall" no
#: "aus" + "Fall", "einlenken" no "ein" + "lenken")
PREFIXES = frozenset(
    [
        "auf",
        "aus",
        "bei",
        "dar",
        "durch",
        "ein",
        "empor",
        "fort",
        "gegen",
        "her",
        "hin",
        "hinter",
        "los",
        "mit",
        "nach",
        "nieder",
        "über",
        "um",
        "unter",
        "vor",
        "voll",
        "weg",
        "weiter",
        "wider",
        "wieder",
        "zurück",
        "zusammen",
    ]
)
#: a part is a word: it has a vowel ("Schreiben" is no "Sch" + "Reiben")
_VOWEL = re.compile("[aeiouyäöü]", re.IGNORECASE)


@functools.cache
def simplemma_lang(lang):
    """simplemma's code of an Odoo language code, or None when simplemma
    has no dictionary for it."""
    if not lang:
        return None
    code = lang.split("_")[0].split("@")[0].lower()
    code = SIMPLEMMA_CODES.get(code, code)
    try:
        simplemma.is_known("a", code, low_memory=LOW_MEMORY)
    except ValueError:  # "Unsupported language"
        return None
    return code


def is_known(word, lang):
    """Whether simplemma's dictionary of ``lang`` holds the word, written as
    given, in lower case or capitalised (German nouns are capitalised, and
    a comment may not be)."""
    code = simplemma_lang(lang)
    if not code or not word:
        return False
    return any(
        simplemma.is_known(form, code, low_memory=LOW_MEMORY)
        for form in dict.fromkeys((word, word.lower(), word.capitalize()))
    )


def lemma(word, lang):
    """The lemma of a word in ``lang`` (simplemma's guess for a word its
    dictionary lacks, often the word itself), or None when simplemma does
    not know the language. A word in capitals or at the start of a
    sentence is looked up in lower case when it is not known as written."""
    code = simplemma_lang(lang)
    if not code or not word:
        return None
    lower = word.lower()
    if lower != word and not simplemma.is_known(word, code, low_memory=LOW_MEMORY):
        word = lower
    return simplemma.lemmatize(word, code, low_memory=LOW_MEMORY)


def compound_parts(word, lang):
    """The head and the tail of a German compound, or () for a word that is
    not one (or in another language).

    The longest tail (at least ``MIN_TAIL`` letters) that is a known word,
    whose head (at least ``MIN_HEAD`` letters) is a known word too, as
    written or without a linking "s", "es", "en" or "n" (``LINKS``; taken
    off first when the head as written is a form of another word:
    "Vertrags" -> "Vertrag", "Kunden" -> "Kunde"). A head that is a
    preposition or a verb particle (``PREFIXES``) makes no compound, nor a
    part without a vowel. One split: the parts are not split again.

    A heuristic: the dictionary holds short words that split a few simple
    words wrongly ("Verstand": "Vers" + "Tand"); such parts only add forms
    that an alert keyword rarely has. The tail is capitalised when the word is
    (a noun's last part is a noun)."""
    code = simplemma_lang(lang)
    if code != "de" or len(word) < MIN_HEAD + MIN_TAIL:
        return ()
    lower = word.lower()
    for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
        tail = lower[cut:]
        if not _VOWEL.search(tail) or not is_known(tail, code):
            continue
        head = word[:cut]
        unlinked = [
            head[: -len(link)]
            for link in LINKS
            if head.lower().endswith(link)
            and len(head) - len(link) >= MIN_HEAD
            and (link != "n" or head.lower().endswith("en"))
        ]
        # "Vertrags" is a known form of "Vertrag": its link taken off
        # first; "Haus" is a word of its own ("Haustür" is no "Hau" + "Tür")
        found = lemma(head, code)
        if found in unlinked:
            heads = [found, head]
        else:
            heads = [head, *unlinked]
        for part in heads:
            if (
                part.lower() not in PREFIXES
                and _VOWEL.search(part)
                and is_known(part, code)
            ):
                if word[:1].isupper():
                    tail = tail.capitalize()
                return (part, tail)
    return ()
