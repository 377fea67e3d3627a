from odoo.tests import BaseCase, tagged

from ..tools import lang_tools

CANDIDATES = ["en_US", "fr_FR", "de_DE"]


@tagged("post_install", "-at_install")
class TestCommentLang(BaseCase):
    """The language of a comment: the customer's, unless the comment says
    plainly that it is another active language, pure function."""

    def test_table(self):
        cases = [
            # a plain sentence in another language
            ("The technician never came and nobody called us back.", "de_DE", "en_US"),
            ("Wir haben gekündigt", "en_US", "de_DE"),
            ("Si rien ne change, je résilie le contrat.", "en_US", "fr_FR"),
            ("Rien à signaler", "de_DE", "fr_FR"),
            # the customer's own language
            ("Der Techniker war super, top Service", "de_DE", "de_DE"),
            ("Nous avons résilié le contrat", "fr_FR", "fr_FR"),
            # too short to tell: one or two words
            ("ok", "de_DE", "de_DE"),
            ("Merci, parfait", "en_US", "en_US"),
            ("Sehr gut", "fr_FR", "fr_FR"),
            # three words, not plain enough (under 0.9)
            ("Danke, alles gut", "en_US", "en_US"),
            ("Good job guys", "fr_FR", "fr_FR"),
            # no words at all
            ("", "de_DE", "de_DE"),
            ("10/10 !!!", "de_DE", "de_DE"),
        ]
        for text, customer_lang, expected in cases:
            with self.subTest(text=text):
                self.assertEqual(
                    lang_tools.comment_lang(text, customer_lang, CANDIDATES),
                    expected,
                    f"{text!r} from a {customer_lang} customer",
                )

    def test_only_candidates(self):
        """A language that is not active is never chosen; nor is any when
        there is nothing to choose from."""
        text = "Wir haben den Vertrag gekündigt, der Techniker kam nie."
        self.assertEqual(
            lang_tools.comment_lang(text, "en_US", ["en_US", "fr_FR"]), "en_US"
        )
        self.assertEqual(lang_tools.comment_lang(text, "en_US", ["en_US"]), "en_US")
        self.assertEqual(lang_tools.comment_lang(text, "en_US", []), "en_US")

    def test_odoo_codes(self):
        """The customer's own variant is kept; another language gives the
        first active variant of it; a customer without a language gets the
        plainly detected one."""
        english = "The technician never came and nobody called us back."
        self.assertEqual(lang_tools.comment_lang(english, "en_GB", CANDIDATES), "en_GB")
        self.assertEqual(
            lang_tools.comment_lang(english, "de_CH", ["de_CH", "en_GB", "en_US"]),
            "en_GB",
        )
        self.assertEqual(lang_tools.comment_lang(english, False, CANDIDATES), "en_US")
        self.assertEqual(lang_tools.comment_lang("ok", False, CANDIDATES), False)
        self.assertEqual(lang_tools.iso_code("sr@latin"), "sr")
