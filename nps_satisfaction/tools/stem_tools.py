"""Word forms: the Snowball stemmers (PyPI ``snowballstemmer``) bring
"résilié" and "résiliation" to the stem of "résilier", "cancellation" and
"cancelling" to that of "cancel", "Kündigung" to that of "kündigen".

Two words are forms of one another when they share a form
(``word_forms``): a word's Snowball stem, the stem of its lemma
(``lemma_tools``: "résilie" stems to "resil" and "résilier" to "resili",
and both have the lemma "résilier") and, in a comment, the forms of the
parts of a German compound ("Vertragskündigung": those of "Vertrag" and
"Kündigung"). A keyword's own word is not split (``keyword_forms``): the
keyword "Kündigungsschreiben" does not find any "Schreiben".

Stems are taken from the lower-case word with its accents (the stemmers
know them), then folded without accents, so "resilie" typed without
accents meets "résilier".

German participles: Snowball strips endings, not the ``ge-`` prefix, so
"gekündigt" stems to "gekundigt" and never meets "kündigen" ("kundig").
A German word also gets, as further forms, the stem of the infinitive its
shape points to: a weak participle ``ge-X-t`` / ``ge-X-et`` gives ``X-en``
("gekündigt" -> "kündigen"), a strong one ``ge-X-en`` gives ``X-en``
("gekommen" -> "kommen"), and a present form ``X-t`` gives ``X-en``
("kündigt" -> "kündigen"). Separable verbs ("abgesagt", "aufgekündigt")
and strong stems that change their vowel ("gebrochen" / "brechen") are not
brought together: list them as keywords of their own."""

import functools
import re
import threading

import snowballstemmer

from . import lemma_tools
from .text_tools import fold

WORD_SPLIT = re.compile(r"\W+")

#: Odoo language code (its part before "_") -> Snowball algorithm
ALGORITHMS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}

#: the shortest German word read as a ``ge-`` participle ("gesagt")
MIN_PARTICIPLE = 6

#: the (word, language) pairs whose forms are kept: a comment's words
#: repeat from one comment to the next
FORMS_CACHE_SIZE = 100_000


def algorithm(lang):
    """The Snowball algorithm of an Odoo language code ("fr_FR", "de",
    "en_US"), or None when there is none for it."""
    if not lang:
        return None
    return ALGORITHMS.get(lang.split("_")[0].split("@")[0].lower())


_local = threading.local()


def _stemmer(name):
    """A stemmer keeps the word it works on: one per thread and language
    (the threaded server answers requests in threads)."""
    cache = _local.__dict__.setdefault("stemmers", {})
    if name not in cache:
        cache[name] = snowballstemmer.stemmer(name)
    return cache[name]


def _german_infinitives(word):
    """The infinitives a German word form points to (see the module's
    docstring), lower case."""
    forms = []
    if word.startswith("ge") and len(word) >= MIN_PARTICIPLE:
        core = word[2:]
        if core.endswith("et"):
            forms.append(core[:-2] + "en")
        if core.endswith("t"):
            forms.append(core[:-1] + "en")
        elif core.endswith("en"):
            forms.append(core)
    if word.endswith("t") and len(word) > 4:
        forms.append(word[:-1] + "en")
    return forms


def stems(word, lang):
    """The folded stems of one word in a language: its own stem, and for
    German the stems of the infinitives its shape points to. Without a
    stemmer for the language, the folded word itself."""
    lower = word.casefold()
    name = algorithm(lang)
    if not name:
        return {fold(lower)}
    forms = [lower]
    if name == "german":
        forms += _german_infinitives(lower)
    return {_stem(name, form) for form in forms}


@functools.lru_cache(maxsize=FORMS_CACHE_SIZE)
def _stem(name, word):
    """The folded Snowball stem of a lower-case word (the pure-Python
    stemmers take some 50 to 100 µs a word: the lemmas and compound parts
    of many words are the same)."""
    return fold(_stemmer(name).stemWord(word))


@functools.lru_cache(maxsize=FORMS_CACHE_SIZE)
def keyword_forms(word, lang):
    """The forms of a keyword's word in a language (an Odoo code, "fr_FR",
    or its first part, "fr"), a frozenset of folded strings: the Snowball
    stems of ``stems`` and the stems of its lemma. In a language with no
    stemmer nor lemmas, the folded word itself."""
    forms = stems(word, lang)
    found = lemma_tools.lemma(word, lang)
    if found and found != word:
        forms |= stems(found, lang)
    return frozenset(forms)


@functools.lru_cache(maxsize=FORMS_CACHE_SIZE)
def word_forms(word, lang):
    """The forms of a comment's word in a language (a frozenset of folded
    strings): those of ``keyword_forms``, and for a German compound the
    forms of its head and tail ("Kündigungsschreiben": of "Kündigung" and
    "Schreiben"). A word of a comment and a keyword's word match when they
    share one form: ``word_forms(w, lang) & keyword_forms(k, lang)``."""
    forms = keyword_forms(word, lang)
    parts = lemma_tools.compound_parts(word, lang)
    if parts:
        forms = forms.union(*(keyword_forms(part, lang) for part in parts))
    return forms


def _tokens(text):
    return [word for word in WORD_SPLIT.split(text or "") if word]


@functools.lru_cache(maxsize=64)
def text_forms(text, lang):
    """The forms of each word of a text in a language (``word_forms``), a
    tuple of frozensets in the order of the words (split on anything but
    letters and digits). The last texts are kept: the keyword alert reads
    one comment for the keywords of several languages."""
    return tuple(word_forms(word, lang) for word in _tokens(text))


def _holds(in_text, wanted):
    """Whether the words' forms ``in_text`` hold the keyword's words'
    forms ``wanted`` one after the other."""
    if not all(any(forms & word for forms in in_text) for word in wanted):
        return False
    size = len(wanted)
    return any(
        all(in_text[start + i] & wanted[i] for i in range(size))
        for start in range(len(in_text) - size + 1)
    )


def find_keywords(text, keywords, langs):
    """The keywords (words or phrases) whose word forms are in ``text``, in
    the order given: each word of the keyword shares a form with a word of
    the text (``keyword_forms`` and ``word_forms``), the words of a phrase
    one after the other; forms in any of ``langs`` (the comment's language,
    the keyword's own)."""
    text = text or ""
    size = len(_tokens(text))
    in_text = {}  # lang -> (the words' forms, all of them)
    found = []
    for keyword in keywords:
        keyword_words = _tokens(keyword)
        if not keyword_words or len(keyword_words) > size:
            continue
        for lang in dict.fromkeys(langs):
            if lang not in in_text:
                forms = text_forms(text, lang)
                in_text[lang] = forms, frozenset().union(*forms)
            forms, every_form = in_text[lang]
            wanted = [keyword_forms(word, lang) for word in keyword_words]
            if len(wanted) == 1 and wanted[0] & every_form:
                found.append(keyword)
                break
            if len(wanted) > 1 and _holds(forms, wanted):
                found.append(keyword)
                break
    return found
