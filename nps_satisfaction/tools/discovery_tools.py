"""The words and two-word phrases customers use in their comments, counted,
for the theme discovery (``nps.theme.discovery``: the words no theme covers
yet). Words are brought to their lemma ("Kündigungsfristen" ->
"Kündigungsfrist", "factures" -> "facture") by ``lemma_tools`` (PyPI
``simplemma``), in the comments' language; stop words (PyPI
``stopwordsiso``, that language's), numbers, words under 3 letters and
punctuation are left out. A phrase is two such words one after the other,
nothing between them but spaces.

Words are split as ``stem_tools`` splits them (at every character that is
not a letter or a digit), so a word or a phrase listed here, once a theme's
word, is found in the comments it was counted in."""

import functools
import re
from collections import Counter, defaultdict

import stopwordsiso

from . import lemma_tools
from .text_tools import fold
from .theme_tools import MAX_WORD

#: a word, or what stands between two words of a comment
_TOKEN = re.compile(r"\w+|[^\w\s]+")
#: what may join the two words of a phrase besides spaces ("centre-ville",
#: "l'appel"): no clause boundary
_JOINERS = frozenset("-'’")
MIN_LETTERS = 3


def lang_prefix(lang):
    """ "fr" of "fr_FR"; "" for no language."""
    return (lang or "").split("_")[0].split("@")[0].lower()


@functools.cache
def stop_words(lang):
    """The stop words of a language (folded and as written), empty for a
    language stopwordsiso does not know."""
    words = stopwordsiso.stopwords(lang_prefix(lang)) if lang else set()
    return frozenset(words) | frozenset(fold(word) for word in words)


def lemma(word, lang):
    """The lemma of a word in a language, as the themes and the alerts find
    their word forms (``lemma_tools``); the word itself where simplemma has
    no dictionary for the language, or where it knows the word in no case
    and would only lower it ("SIM", "TV" stay as customers write them)."""
    found = lemma_tools.lemma(word, lang)
    if not found or (found == word.lower() and not lemma_tools.is_known(word, lang)):
        return word
    return found


class TermCounter:
    """Counts, over comments in one language, in how many comments each
    word (by its lemma) and each two-word phrase occurs, with the words as
    written and the first comments it was found in."""

    def __init__(self, lang, examples=3):
        self.lang = lang
        self.examples = examples
        self.stops = stop_words(lang)
        self.counts = Counter()
        self.lemmas = defaultdict(Counter)
        self.forms = defaultdict(Counter)
        self.found_in = defaultdict(list)
        # the texts of the examples kept: a comment sent twice shows once
        self.example_texts = defaultdict(set)
        self._memo = {}

    def _word(self, token):
        """(key, lemma) of a word of a comment, None for a word left out."""
        if token in self._memo:
            return self._memo[token]
        result = None
        lower = token.casefold()
        if MIN_LETTERS <= len(token) <= MAX_WORD and not any(
            c.isdigit() for c in token
        ):
            word_lemma = lemma(token, self.lang)
            if not (
                lower in self.stops
                or word_lemma.casefold() in self.stops
                or len(word_lemma) < MIN_LETTERS
            ):
                result = (fold(word_lemma), word_lemma)
        self._memo[token] = result
        return result

    def _terms(self, text):
        """{key: (lemma, as written)} of the words and phrases of a text."""
        terms = {}
        previous = None
        for match in _TOKEN.finditer(text or ""):
            token = match.group()
            if not (token[0].isalnum() or token[0] == "_"):
                if not set(token) <= _JOINERS:
                    previous = None
                continue
            word = self._word(token)
            if word is None:
                previous = None
                continue
            key, word_lemma = word
            terms.setdefault(("word", key), (word_lemma, token.casefold()))
            phrase = previous and previous[1] + " " + word_lemma
            if phrase and previous[0] != key and len(phrase) <= MAX_WORD:
                terms.setdefault(
                    ("phrase", previous[0] + " " + key),
                    (phrase, previous[2] + " " + token),
                )
            previous = (key, word_lemma, token)
        return terms

    def add(self, index, text):
        """Count comment number ``index``: each of its words and phrases
        once; the comment is one of their examples unless one of the same
        text is already."""
        for key, (term_lemma, written) in self._terms(text).items():
            self.counts[key] += 1
            self.lemmas[key][term_lemma] += 1
            self.forms[key][written.casefold()] += 1
            shown = self.example_texts[key]
            if len(shown) < self.examples and text.strip() not in shown:
                shown.add(text.strip())
                self.found_in[key].append(index)

    def most_common(self, kind, min_count=2):
        """The ``kind`` ("word", "phrase") terms found in ``min_count``
        comments or more, the most frequent first: dicts with the term (its
        most frequent lemma), its forms as written (most frequent first),
        its count of comments and the indexes of the first comments."""
        terms = [
            (count, key)
            for key, count in self.counts.items()
            if key[0] == kind and count >= min_count
        ]
        terms.sort(key=lambda term: (-term[0], term[1][1]))
        for count, key in terms:
            yield {
                "name": self.lemmas[key].most_common(1)[0][0],
                "forms": [form for form, _n in self.forms[key].most_common()],
                "count": count,
                "examples": self.found_in[key],
            }
