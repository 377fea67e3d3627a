"""The language a comment is written in (PyPI ``py3langid``, its model
shipped in the wheel): a German customer may well answer in English.

``comment_lang(text, customer_lang, candidates)`` keeps the customer's
language unless the text says plainly that it is another of the
candidates (the languages active in the database): at least
``MIN_WORDS`` words, and that language's probability, among the
candidates only, at least ``MIN_PROBABILITY``. Short answers ("ok",
"Merci, parfait", "Danke, alles gut") keep the customer's language: two
or three words are too few to tell, and what they say is rarely an alert.

The model is loaded once per process, at the first comment (under a
second, some 70 MB); each set of candidates gets its own restricted copy
of it, made once, so that threads never change a model another reads."""

import copy
import functools
import re
import threading

import babel
from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: the fewest words a comment needs for its own language to be told
MIN_WORDS = 3
#: the probability (among the candidate languages) another language needs
MIN_PROBABILITY = 0.9

_WORD = re.compile(r"[^\W\d_]+")
_lock = threading.Lock()
_model = None
#: frozenset of ISO 639-1 codes -> the model restricted to them
_restricted = {}


def _load():
    """The language model over all its languages, loaded once per
    process."""
    global _model  # noqa: PLW0603 (loaded once per process)
    if _model is None:
        with _lock:
            if _model is None:
                _model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _model


def _identifier(codes):
    """The language model restricted to ``codes`` (a frozenset of its ISO
    639-1 codes), made once per process and set of codes."""
    identifier = _restricted.get(codes)
    if identifier is None:
        restricted = copy.copy(_load())
        restricted.set_languages(sorted(codes))
        identifier = _restricted.setdefault(codes, restricted)
    return identifier


@functools.lru_cache(maxsize=32)
def _language_names(reader_lang):
    """((ISO 639-1 code, its name in ``reader_lang``), ...), by name."""
    try:
        locale = babel.Locale.parse(reader_lang or "en_US")
    except (ValueError, babel.UnknownLocaleError):
        locale = babel.Locale.parse("en_US")
    english = babel.Locale.parse("en_US").languages
    names = {
        code: (locale.languages.get(code) or name)
        for code, name in english.items()
        if len(code) == 2 and code.isalpha()
    }
    return tuple(
        sorted(
            ((code, name[:1].upper() + name[1:]) for code, name in names.items()),
            key=lambda item: item[1].casefold(),
        )
    )


def language_selection(env):
    """The languages a theme word or an alert keyword may be in, as a
    selection: each ISO 639-1 code (what they store: "fr" covers fr_FR and
    fr_BE) with its name in the reader's language (Babel's CLDR data),
    never the raw code."""
    return list(_language_names(env.lang))


def iso_code(lang):
    """The ISO 639-1 part of an Odoo language code ("de_CH" -> "de",
    "sr@latin" -> "sr")."""
    return (lang or "").split("_")[0].split("@")[0].lower()


def comment_lang(text, customer_lang, candidates):
    """The Odoo language code of a comment: ``customer_lang`` (e.g.
    "de_DE"), unless the comment has at least ``MIN_WORDS`` words and the
    language model, choosing among the ``candidates`` (Odoo codes, e.g.
    ``["en_US", "fr_FR", "de_DE"]``) and the customer's language, gives
    another one a probability of at least ``MIN_PROBABILITY``: then that
    candidate (the first of the candidates sharing its ISO code). Without a
    customer's language, the plainly detected one or ``customer_lang``."""
    if len(_WORD.findall(text or "")) < MIN_WORDS:
        return customer_lang
    own = iso_code(customer_lang)
    by_code = {}
    for lang in [*candidates, customer_lang]:
        if lang:
            by_code.setdefault(iso_code(lang), lang)
    if own:
        by_code[own] = customer_lang
    codes = frozenset(by_code).intersection(_load().labels)
    if len(codes) < 2:
        return customer_lang
    found, probability = _identifier(codes).classify(text)
    if found == own or probability < MIN_PROBABILITY:
        return customer_lang
    return by_code[found]
