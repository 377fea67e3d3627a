"""The comment themes' words found in comments, fast enough for every
answer: the words of a set of themes are prepared once per language (their
folded spelling, their forms), and each comment's words are read once for
all the themes (``stem_tools.text_forms``, whose forms of a word met again
in another comment are remembered).

What is found is what ``text_tools.find_keywords`` (as written, without
regard to case or accents) or ``stem_tools.find_keywords`` (in another form
of the same word, in the comment's language) find, theme by theme: the tests
compare both ways over the same comments."""

import functools

from . import stem_tools, text_tools

#: the longest word or phrase a theme holds (a phrase is a few words)
MAX_WORD = 64


def clean_word(text):
    """A theme's word or phrase as typed: control and invisible format
    characters (NUL, escapes, bidirectional overrides...) removed, then one
    line, spaces collapsed (``text_tools.plain_text`` and ``single_line``)."""
    return text_tools.single_line(text_tools.plain_text(text))


def lang_prefix(lang):
    """ "fr" of "fr_FR", "fr" or "fr_BE"; "" for no language."""
    return (lang or "").split("_")[0].split("@")[0].lower()


def _folded_words(text):
    """The text's words folded (lower case, no accents), one space apart, as
    ``text_tools.find_keywords`` compares them."""
    return " ".join(
        word for word in text_tools.WORD_SPLIT.split(text_tools.fold(text)) if word
    )


def _tokens(text):
    return [word for word in stem_tools.WORD_SPLIT.split(text or "") if word]


@functools.lru_cache(maxsize=64)
def prepare(themes, lang):
    """The words of ``themes`` ((theme id, ((word, word language), ...)),
    ...) ready to be looked for in comments in ``lang``: (theme id, their
    folded spellings, the forms of each of their words,
    ``stem_tools.keyword_forms``), for the themes that have words for that
    language (or words without language)."""
    prefix = lang_prefix(lang)
    prepared = []
    for theme_id, words in themes:
        names = [
            name
            for name, word_lang in words
            if not word_lang or lang_prefix(word_lang) == prefix
        ]
        if not names:
            continue
        spellings = tuple(
            folded for folded in (_folded_words(name) for name in names) if folded
        )
        forms = ()
        if lang:
            forms = tuple(
                tuple(stem_tools.keyword_forms(word, lang) for word in _tokens(name))
                for name in names
                if _tokens(name)
            )
        prepared.append((theme_id, spellings, forms))
    return tuple(prepared)


def _has_phrase(text_forms, all_forms, phrase):
    """Whether the words of ``phrase`` (their forms) follow each other in
    the text (the forms of its words, in order; ``all_forms``: all of
    them)."""
    if not all(word & all_forms for word in phrase):
        return False
    size = len(phrase)
    return size == 1 or any(
        all(text_forms[start + i] & phrase[i] for i in range(size))
        for start in range(len(text_forms) - size + 1)
    )


def find_themes(text, lang, prepared):
    """The ids of the themes of ``prepared`` (``prepare``) whose words are in
    ``text``, a comment in ``lang``, in their order."""
    if not text:
        return []
    folded = " " + _folded_words(text) + " "
    text_forms = all_forms = None
    found = []
    for theme_id, spellings, forms in prepared:
        if any(" " + spelling + " " in folded for spelling in spellings):
            found.append(theme_id)
            continue
        if not forms:
            continue
        if text_forms is None:
            text_forms = stem_tools.text_forms(text, lang)
            all_forms = frozenset().union(*text_forms)
        if any(_has_phrase(text_forms, all_forms, phrase) for phrase in forms):
            found.append(theme_id)
    return found
