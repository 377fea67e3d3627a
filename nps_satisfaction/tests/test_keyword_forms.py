from odoo.tests import BaseCase, tagged

from ..tools import lemma_tools, stem_tools
from .common import NpsCase


@tagged("post_install", "-at_install")
class TestKeywordForms(BaseCase):
    """Word forms of the alert keywords (Snowball stems, accents folded),
    pure functions."""

    def assertFinds(self, text, keyword, lang):
        self.assertEqual(
            stem_tools.find_keywords(text, [keyword], [lang]),
            [keyword],
            f"{text!r} should match {keyword!r} in {lang}",
        )

    def assertMisses(self, text, keyword, lang):
        self.assertEqual(
            stem_tools.find_keywords(text, [keyword], [lang]),
            [],
            f"{text!r} should not match {keyword!r} in {lang}",
        )

    def test_french_forms(self):
        for text in ("Nous avons résilié.", "La résiliation est partie", "RÉSILIÉ"):
            self.assertFinds(text, "résilier", "fr_FR")

    def test_german_forms(self):
        for text in ("Die Kündigung kommt", "Wir haben gekündigt", "er kündigt"):
            self.assertFinds(text, "kündigen", "de_DE")

    def test_german_participle_needs_its_prefix_removed(self):
        """Snowball alone keeps the ge- of a participle: "gekündigt" stems
        to "gekundigt", "kündigen" to "kundig"."""
        stemmer = stem_tools._stemmer("german")
        self.assertEqual(stemmer.stemWord("gekündigt"), "gekundigt")
        self.assertEqual(stemmer.stemWord("kündigen"), "kundig")
        self.assertIn("kundig", stem_tools.stems("gekündigt", "de"))
        self.assertIn("kundig", stem_tools.stems("Gekündigt", "de_CH"))

    def test_english_forms(self):
        for text in ("We are cancelling", "Cancellation of our plan", "cancelled!"):
            self.assertFinds(text, "cancel", "en_US")

    def test_french_verb_forms_meet_through_their_lemma(self):
        """Snowball stems "résilie" and "résilions" to "resil", "résilier"
        to "resili": their lemma, "résilier", brings them together."""
        for text in (
            "Si rien ne change, je résilie le contrat.",
            "Nous résilions le contrat",
            "Le contrat est résilié",
            "La résiliation est partie",
        ):
            self.assertFinds(text, "résilier", "fr_FR")

    def test_german_compounds_meet_through_their_parts(self):
        """Snowball stems "Vertragskündigung" to "vertragskund" and
        "Kündigungsschreiben" to "kundigungsschreib": their part
        "Kündigung" brings them to "kündigen"."""
        for text in (
            "Wir haben gekündigt",
            "Ich kündige den Vertrag",
            "Die Kündigung ist raus",
            "Die Vertragskündigung ist raus",
            "Das Kündigungsschreiben ist unterwegs",
        ):
            self.assertFinds(text, "kündigen", "de_DE")
        self.assertFinds("Die Vertragskündigung ist raus", "Vertrag", "de_DE")

    def test_english_forms_of_cancel(self):
        for text in ("cancelled", "We are cancelling", "the cancellation"):
            self.assertFinds(text, "cancel", "en_US")
        self.assertFinds("we are cancelling", "cancellation", "en_US")

    def test_compound_keyword_is_not_found_in_its_parts(self):
        """A comment's compound is split, a keyword is not: the keyword
        "Kündigungsschreiben" finds itself, not any "Schreiben"."""
        self.assertFinds("Das Kündigungsschreiben kam", "Kündigungsschreiben", "de")
        self.assertMisses("Ihr Schreiben kam gestern", "Kündigungsschreiben", "de")
        self.assertMisses("Der Vertrag wurde verlängert", "kündigen", "de_DE")

    def test_other_words_do_not_match(self):
        self.assertMisses("Kundendienst war super", "kündigen", "de_DE")
        self.assertMisses("Cancún was lovely", "cancel", "en_US")
        self.assertMisses("Résidence principale", "résilier", "fr_FR")

    def test_phrase_in_its_forms_and_order(self):
        self.assertFinds("We will switch providers", "switch provider", "en_US")
        self.assertMisses("provider switch", "switch provider", "en_US")

    def test_stems_of_the_given_language(self):
        """German forms are not brought together with an English stemmer."""
        self.assertMisses("Wir haben gekündigt", "kündigen", "en_US")
        self.assertEqual(stem_tools.algorithm("xx_YY"), None)
        self.assertMisses("gekündigt", "kündigen", "xx_YY")


@tagged("post_install", "-at_install")
class TestLemmaTools(BaseCase):
    """Lemmas and German compound parts (simplemma), and the word forms
    built on them, pure functions."""

    def test_lemma(self):
        cases = [
            ("résilie", "fr_FR", "résilier"),
            ("résilions", "fr", "résilier"),
            ("RÉSILIÉ", "fr_BE", "résilier"),
            ("gekündigt", "de_DE", "kündigen"),
            ("Kündige", "de_CH", "kündigen"),
            ("canceled", "en_US", "cancel"),
            # simplemma's English dictionary has "cancelled" -> "cancell":
            # the Snowball stem ("cancel") is what brings it to "cancel"
            ("cancelled", "en_US", "cancell"),
        ]
        for word, lang, expected in cases:
            with self.subTest(word=word):
                self.assertEqual(lemma_tools.lemma(word, lang), expected, word)

    def test_no_lemma_in_an_unknown_language(self):
        self.assertIsNone(lemma_tools.lemma("gekündigt", "xx_YY"))
        self.assertIsNone(lemma_tools.lemma("gekündigt", False))
        self.assertIsNone(lemma_tools.simplemma_lang("zh_CN"), "no Chinese lemmas")

    def test_compound_parts(self):
        cases = [
            ("Vertragskündigung", ("Vertrag", "Kündigung")),
            ("Kündigungsschreiben", ("Kündigung", "Schreiben")),
            ("Kundendienst", ("Kunde", "Dienst")),
            ("kündigungsfrist", ("kündigung", "frist")),
            # a head that is a particle makes a prefixed word, no compound
            ("Mitarbeiter", ()),
            ("Ausfall", ()),
            ("einlenken", ()),
            # no part without a vowel ("Sch" is in the dictionary)
            ("Schreiben", ()),
            ("Schrank", ()),
            # no part of 3 letters as a tail, no compound in a simple word
            ("Haustür", ()),
            ("Kündigung", ()),
        ]
        for word, expected in cases:
            with self.subTest(word=word):
                self.assertEqual(lemma_tools.compound_parts(word, "de_DE"), expected)
        self.assertEqual(
            lemma_tools.compound_parts("Vertragskündigung", "en_US"),
            (),
            "compounds are split in German only",
        )

    def test_word_forms(self):
        """A comment's word has its stem, its lemma's stem and, German, its
        parts' forms; a keyword's word is not split."""
        self.assertEqual(stem_tools.word_forms("résilie", "fr"), {"resil", "resili"})
        self.assertEqual(
            stem_tools.word_forms("Vertragskündigung", "de_DE"),
            {"vertragskund", "vertrag", "kundig"},
        )
        self.assertEqual(
            stem_tools.keyword_forms("Vertragskündigung", "de_DE"), {"vertragskund"}
        )
        self.assertEqual(stem_tools.word_forms("Kündigung", "xx"), {"kundigung"})

    def test_text_forms(self):
        """A text's words in order, each with its forms."""
        self.assertEqual(
            stem_tools.text_forms("Die Vertragskündigung!", "de_DE"),
            (
                stem_tools.word_forms("Die", "de_DE"),
                stem_tools.word_forms("Vertragskündigung", "de_DE"),
            ),
        )
        self.assertEqual(stem_tools.text_forms("", "de_DE"), ())


@tagged("post_install", "-at_install")
class TestKeywordAlertForms(NpsCase):
    """A comment with another form of a keyword raises the keyword alert,
    with the stems of the answer's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("fr_FR", "de_DE"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["nps.alert.keyword"].search([]).lang = False

    def answer(self, lang, comment, score=9):
        customer = self.make_customers(1, f"kw-{lang}")
        customer.lang = lang
        request = self.sent_request(customer)
        request._nps_record_answer(score=score, comment=comment)
        return request

    def test_forms_raise_the_keyword_alert(self):
        cases = [
            ("fr_FR", "Nous avons résilié le contrat", "résilier"),
            ("fr_FR", "La résiliation est envoyée", "résilier"),
            ("de_DE", "Wir haben gekündigt", "kündigen"),
            ("de_DE", "Unsere Kündigung ist unterwegs", "kündigen"),
            ("en_US", "We are cancelling", "cancel"),
            ("en_US", "Please process our cancellation", "cancel"),
        ]
        for lang, comment, keyword in cases:
            with self.subTest(comment=comment):
                case = self.answer(lang, comment).followup_ids
                self.assertEqual(case.kind, "keyword", comment)
                # the shipped list also holds "résiliation" and "Kündigung"
                self.assertIn(keyword, case.keywords.split(", "), comment)

    def test_more_forms_raise_the_keyword_alert(self):
        cases = [
            ("fr_FR", "Si rien ne change, je résilie le contrat.", "résilier"),
            ("fr_FR", "Nous résilions le contrat", "résilier"),
            ("de_DE", "Ich kündige den Vertrag", "kündigen"),
            ("de_DE", "Die Vertragskündigung ist raus", "kündigen"),
            ("de_DE", "Das Kündigungsschreiben ist unterwegs", "kündigen"),
            ("en_US", "The contract is cancelled", "cancel"),
        ]
        for lang, comment, keyword in cases:
            with self.subTest(comment=comment):
                case = self.answer(lang, comment).followup_ids
                self.assertEqual(case.kind, "keyword", comment)
                self.assertIn(keyword, case.keywords.split(", "), comment)

    def test_answers_language_decides(self):
        """Keywords without a language of their own are stemmed in the
        comment's language only, the answer's where the comment is too
        short to tell: a German participle in an English answer is not
        brought to "kündigen"."""
        request = self.answer("en_US", "gekündigt")
        self.assertFalse(request.followup_ids, "no German stems for an English answer")

    def test_comments_language_decides(self):
        """A German customer answering in English: the comment is read
        with the English forms ("cancelling" is no German form of
        "cancellation"), and a German comment of an English customer with
        the German ones."""
        self.env["nps.alert.keyword"].create({"name": "cancellation"})
        request = self.answer(
            "de_DE", "We are cancelling the contract if nothing changes"
        )
        found = (request.followup_ids.keywords or "").split(", ")
        self.assertIn("cancellation", found, "English forms for an English comment")
        request = self.answer("en_US", "Wir haben gekündigt")
        found = (request.followup_ids.keywords or "").split(", ")
        self.assertIn("kündigen", found, "German forms for a German comment")

    def test_keywords_own_language_also_counts(self):
        self.env.ref("nps_satisfaction.keyword_kundigen").lang = "de"
        request = self.answer("en_US", "Wir haben gekündigt")
        self.assertIn("kündigen", request.followup_ids.keywords.split(", "))
