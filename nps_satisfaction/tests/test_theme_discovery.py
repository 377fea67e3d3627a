from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from ..models.nps_theme import RETAG_CURSOR
from ..tools import discovery_tools, lemma_tools
from ..wizards import nps_theme_discovery
from .common import NpsCase

#: detractors' comments (score 2), by language
COMMENTS = {
    "de_DE": [
        "Die Baustelle ist viel zu laut, drei Monate!",
        "Wegen der Baustellen kann ich nicht einfach wechseln.",
        "Niemand hat mir die Baustelle erklärt, und die Rechnung ist falsch.",
    ],
    "fr_FR": [
        "La carte SIM ne marche pas depuis une semaine.",
        "Carte SIM jamais reçue, facture envoyée quand même.",
        "Ma carte SIM est bloquée et la facture est fausse.",
    ],
    "en_US": [
        "Roaming in Spain did not work at all.",
        "No roaming for 10 days in Spain, terrible holiday.",
        "Roaming charges were crazy.",
        "Roaming charges again, every single month!",
    ],
}
STOP_WORDS = {"die", "der", "ist", "ich", "nicht", "und", "mir", "zu", "viel"}


class DiscoveryCase(NpsCase):
    """Detractors' comments in three languages, and one promoter's and one
    old detractor's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("fr_FR", "de_DE"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.billing = cls.env.ref("nps_satisfaction.nps_theme_billing")
        cls.contract = cls.env.ref("nps_satisfaction.nps_theme_contract")
        cls.requests = cls.env["nps.request"]
        for lang, comments in COMMENTS.items():
            for comment in comments:
                cls.requests |= cls._answer(lang, comment, 2)
        # a promoter, and a detractor of long ago, who say it too
        cls.promoter = cls._answer("de_DE", "Die Baustelle war kein Problem", 10)
        cls.old = cls._answer("de_DE", "Baustelle? Nie wieder.", 1)
        cls.old.answer_date = fields.Datetime.now() - timedelta(days=200)

    @classmethod
    def _answer(cls, lang, comment, score):
        customer = cls.env["res.partner"].create(
            {"name": f"Discovery {lang}", "email": "d@example.com", "lang": lang}
        )
        request = cls.env["nps.request"].create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": customer.id,
                "state": "sent",
                "sent_date": fields.Datetime.now(),
            }
        )
        request._nps_record_answer(score=score, comment=comment)
        return request

    def find(self, lang, user=None, **values):
        discovery = (
            self.env["nps.theme.discovery"]
            .with_user(user or self.manager)
            .create({"lang": lang, **values})
        )
        discovery.action_find()
        return discovery

    def line(self, discovery, name):
        lines = discovery.line_ids.filtered(lambda line: line.name == name)
        self.assertEqual(len(lines), 1, f"{name} is listed once")
        return lines


@tagged("post_install", "-at_install")
class TestThemeDiscovery(DiscoveryCase):
    """The words detractors use that no comment theme covers yet
    (``nps.theme.discovery``): counted over the period's comments in one
    language, each comment once, added by a satisfaction manager to a theme
    or to the alert keywords."""

    def test_requests_are_tagged_in_their_language(self):
        self.assertEqual(set(self.requests.mapped("comment_lang")), set(COMMENTS))
        self.assertEqual(set(self.requests.mapped("nps_category")), {"detractor"})

    def test_uncovered_word_counted_with_examples(self):
        discovery = self.find("de_DE")
        self.assertEqual(discovery.comment_count, 3, "the period's detractors")
        self.assertFalse(discovery.capped)
        line = self.line(discovery, "Baustelle")
        self.assertEqual(line.kind, "word")
        self.assertEqual(line.count, 3, "each detractor's comment once")
        for comment in COMMENTS["de_DE"]:
            self.assertIn(comment, line.examples)
        self.assertNotIn("Problem", line.examples, "not the promoter's")
        self.assertNotIn("Nie wieder", line.examples, "not before the period")
        self.assertIn("baustellen", line.forms)
        self.assertEqual(discovery.line_ids[0], line, "the most frequent first")
        names = {name.casefold() for name in discovery.line_ids.mapped("name")}
        self.assertFalse(names & STOP_WORDS, "no stop word")
        self.assertNotIn("rechnung", names, "a word of the billing theme")
        self.assertFalse(
            discovery.line_ids.filtered(lambda line: line.count < 2),
            "a word one comment uses is no theme",
        )

    def test_typed_words_are_cleaned_and_capped(self):
        """Regression: theme words and the discovery's lines took control
        characters, right-to-left overrides and 5000-character names, and a
        NUL failed with a raw ValueError: a word is one clean line of at
        most 64 characters."""
        discovery = self.env["nps.theme.discovery"].create({"lang": "en_US"})
        line = self.env["nps.theme.discovery.line"].create(
            {"discovery_id": discovery.id, "kind": "word", "name": "ro\x00am\u202eing"}
        )
        self.assertEqual(line.name, "roaming", "NUL and override removed")
        line.name = "roam\x07ing\u200f\n charges\ufeff"
        self.assertEqual(line.name, "roaming charges")
        word = self.env["nps.theme.word"].create(
            {
                "theme_id": self.billing.id,
                "name": "\u202etoll\x1b[31m\x00",
                "lang": "en",
            }
        )
        self.assertEqual(word.name, "toll[31m")
        word.name = "surcharge\r\nBcc: x"
        self.assertEqual(word.name, "surcharge Bcc: x", "one line")
        for Model, values in (
            (self.env["nps.theme.word"], {"theme_id": self.billing.id}),
            (
                self.env["nps.theme.discovery.line"],
                {"discovery_id": discovery.id, "kind": "word"},
            ),
        ):
            for name in ("x" * 5000, "\x00", "\u200f\x07 "):
                with (
                    self.subTest(model=Model._name, name=name[:5]),
                    self.assertRaises(ValidationError),
                    self.cr.savepoint(),
                ):
                    Model.create(dict(values, name=name))
        with self.assertRaises(ValidationError), self.cr.savepoint():
            word.name = "y" * 65
        word.name = "y" * 64

    def test_overlong_words_are_not_listed(self):
        """A "word" longer than a theme's word may be (a pasted token) is
        not listed: adding it could only fail."""
        for _index in range(2):
            self._answer("en_US", "Roaming " + "z" * 80 + " again", 2)
        discovery = self.find("en_US")
        self.assertTrue(discovery.line_ids)
        self.assertLessEqual(max(map(len, discovery.line_ids.mapped("name"))), 64)

    def test_identical_comments_are_one_example(self):
        """Regression: a comment sent twice was listed twice among a word's
        examples."""
        for _index in range(2):
            self._answer("en_US", "Roaming charges were crazy.", 2)
        lines = self.find("en_US").line_ids
        line = lines.filtered(lambda line: line.name.casefold().startswith("roam"))
        self.assertEqual(len(line), 1, lines.mapped("name"))
        examples = line.examples.split("\n")
        self.assertEqual(len(examples), len(set(examples)), examples)
        self.assertEqual(len(examples), 3, "three different comments")

    def test_opened_as_a_search_without_new(self):
        """Regression: the form offered a New button, and its "Comments"
        column was cut in French: the menu's action opens a fresh search of
        the user's, on a form without New; the column has the room of its
        title."""
        action = (
            self.env.ref("nps_satisfaction.action_nps_theme_discovery_open")
            .with_user(self.manager)
            .run()
        )
        discovery = self.env["nps.theme.discovery"].browse(action["res_id"])
        self.assertEqual(discovery.create_uid, self.manager)
        self.assertEqual(
            (action["res_model"], action["target"]), (discovery._name, "current")
        )
        arch = etree.fromstring(
            discovery.get_view(action["views"][0][0], "form")["arch"]
        )
        self.assertEqual(arch.get("create"), "0", "no New on the search's form")
        counts = arch.xpath(
            "//field[contains(@name, 'line_ids')]//field[@name='count']"
        )
        self.assertTrue(counts)
        for count in counts:
            self.assertTrue(count.get("width"), "the column fits Commentaires")

    def test_all_customers_and_longer_period(self):
        discovery = self.find(
            "de_DE",
            only_detractors=False,
            date_from=fields.Date.today() - timedelta(days=365),
        )
        self.assertEqual(discovery.comment_count, 5)
        self.assertEqual(self.line(discovery, "Baustelle").count, 5)

    def test_phrases(self):
        discovery = self.find("fr_FR")
        phrase = self.line(discovery, "carte SIM")
        self.assertEqual(phrase.kind, "phrase")
        self.assertEqual(phrase.count, 3)
        self.assertEqual(discovery.phrase_line_ids, phrase)
        self.assertIn(self.line(discovery, "carte"), discovery.word_line_ids)
        english = self.find("en_US")
        roaming = english.line_ids.filtered(lambda line: "roaming" in line.forms)
        self.assertEqual(roaming.mapped("count"), [4], "roaming, in each comment")
        self.assertEqual(self.line(english, "Spain").count, 2)
        self.assertNotIn("10", english.line_ids.mapped("name"), "no number")
        self.assertFalse(
            english.phrase_line_ids, "roaming charges: the billing theme covers it"
        )

    def test_word_of_an_archived_theme_is_uncovered(self):
        self.assertNotIn("facture", self.find("fr_FR").line_ids.mapped("name"))
        self.billing.active = False
        line = self.line(self.find("fr_FR"), "facture")
        self.assertEqual(line.count, 2)
        self.assertNotIn("La carte SIM ne marche pas", line.examples)
        phrase = self.line(self.find("en_US"), "roam charge")
        self.assertEqual((phrase.kind, phrase.count), ("phrase", 2))
        self.assertIn("roaming charges", phrase.forms)

    def test_add_to_a_theme(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(RETAG_CURSOR, 0)
        cron = self.env.ref("nps_satisfaction.ir_cron_nps_theme_retag")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        line = self.line(self.find("de_DE"), "Baustelle")
        with self.assertRaises(UserError):
            line.action_add_to_theme()
        line.theme_id = self.contract
        line.action_add_to_theme()
        word = line.theme_word_id
        self.assertEqual(
            (word.theme_id, word.name, word.lang),
            (self.contract, "Baustelle", "de"),
        )
        # covered now, and the comments are tagged again by the job
        self.assertNotIn("Baustelle", self.find("de_DE").line_ids.mapped("name"))
        self.assertGreater(int(params.get_param(RETAG_CURSOR)), 0)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers,
            "the re-tag job is woken up",
        )
        german = self.requests.filtered(lambda r: r.comment_lang == "de_DE")
        self.assertNotIn(self.contract, german[0].theme_ids)
        self.env["nps.theme"]._nps_retag_batch(
            int(params.get_param(RETAG_CURSOR)), 500, {}
        )
        self.assertEqual(
            german.mapped(lambda r: self.contract in r.theme_ids), [True] * 3
        )
        with self.assertRaises(UserError, msg="already a word of the theme"):
            line.action_add_to_theme()

    def test_add_to_alert_keywords(self):
        line = self.line(self.find("fr_FR"), "carte SIM")
        self.assertFalse(line.is_alert_keyword)
        line.action_add_to_alert_keywords()
        keyword = self.env["nps.alert.keyword"].search([("name", "=", "carte SIM")])
        self.assertEqual(keyword.lang, "fr")
        self.assertEqual(
            self.env["nps.alert.keyword"]._nps_match(
                "Ma nouvelle carte SIM est encore bloquée", lang="fr_FR"
            ),
            ["carte SIM"],
        )
        self.assertTrue(self.line(self.find("fr_FR"), "carte SIM").is_alert_keyword)
        with self.assertRaises(UserError):
            line.action_add_to_alert_keywords()

    def test_satisfaction_user_looks_but_does_not_add(self):
        discovery = self.find("de_DE", user=self.nps_user)
        line = self.line(discovery, "Baustelle")
        line.theme_id = self.contract
        words = self.contract.word_ids
        with self.assertRaises(AccessError):
            line.action_add_to_theme()
        with self.assertRaises(AccessError):
            line.action_add_to_alert_keywords()
        self.assertEqual(self.contract.word_ids, words)
        self.assertFalse(
            self.env["nps.alert.keyword"].search([("name", "=", "Baustelle")])
        )
        with self.assertRaises(AccessError):
            self.env["nps.theme.discovery"].with_user(self.agent).create({})

    def test_only_managers_see_the_add_buttons(self):
        for user, shown in ((self.nps_user, False), (self.manager, True)):
            arch = (
                self.env["nps.theme.discovery"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            for button in ("action_add_to_theme", "action_add_to_alert_keywords"):
                self.assertEqual(button in arch, shown, f"{button} for {user.login}")
            self.assertIn("action_find", arch)

    def test_comments_read_are_capped(self):
        with patch.object(nps_theme_discovery, "MAX_COMMENTS", 2):
            discovery = self.find("de_DE")
        self.assertEqual(discovery.comment_count, 2)
        self.assertTrue(discovery.capped)
        self.assertEqual(self.line(discovery, "Baustelle").count, 2)

    def test_words_and_phrases_of_a_comment(self):
        counter = discovery_tools.TermCounter("fr_FR")
        counter.add(0, "Appel coupé. Appel coupé; 3 appels, 2024: centre-ville")
        counter.add(1, "appels coupés au centre-ville")
        words = {term["name"]: term for term in counter.most_common("word")}
        phrases = {term["name"]: term for term in counter.most_common("phrase")}
        self.assertEqual(set(words), {"appel", "coupé", "centre", "ville"})
        self.assertEqual(words["appel"]["count"], 2)
        self.assertEqual(words["appel"]["examples"], [0, 1])
        self.assertEqual(set(phrases), {"appel coupé", "centre ville"})
        self.assertEqual(phrases["appel coupé"]["forms"][0], "appel coupé")
        self.assertFalse(
            [
                name
                for name in phrases
                if "ville appel" in name or "coupé appel" in name
            ],
            "punctuation ends a phrase",
        )

    def test_lemmas_as_the_themes_find_them(self):
        """The discovery's lemmas are lemma_tools' (the themes' and the
        alerts'): a word in capitals is looked up in lower case when its
        dictionary does not know it as written, so "RECHNUNGEN" is the word
        "Rechnung" (the discovery's own simplemma call made it "RECHNUNG");
        a word the dictionary knows in no case stays as written."""
        counter = discovery_tools.TermCounter("de_DE")
        counter.add(0, "DIE RECHNUNGEN SIND FALSCH")
        counter.add(1, "Die Rechnungen sind falsch")
        [word] = [
            term
            for term in counter.most_common("word")
            if term["name"].casefold() == "rechnung"
        ]
        self.assertEqual(word["name"], "Rechnung", "the lemma of lemma_tools")
        self.assertEqual(word["count"], 2)
        for token, lang in (
            ("RECHNUNGEN", "de_DE"),
            ("résilions", "fr_FR"),
            ("Factures", "fr_FR"),
            ("cancelled", "en_US"),
            ("gekündigt", "de_DE"),
        ):
            self.assertEqual(
                discovery_tools.lemma(token, lang),
                lemma_tools.lemma(token, lang),
                f"{token} in {lang}",
            )
        self.assertEqual(discovery_tools.lemma("SIM", "fr_FR"), "SIM")
        self.assertEqual(discovery_tools.lemma("Rechnungen", "xx_YY"), "Rechnungen")


@tagged("post_install", "-at_install")
class TestThemeDiscoveryTour(DiscoveryCase, HttpCase):
    def test_manager_adds_a_word_to_a_theme_and_a_keyword(self):
        """A satisfaction manager opens *Words no theme covers* from the menu,
        finds the English detractors' words, adds "roaming" to the network
        theme and "Spain" to the alert keywords, in the browser."""
        network = self.env.ref("nps_satisfaction.nps_theme_network")
        self.manager.lang = "en_US"
        self.start_tour(
            "/odoo/action-nps_satisfaction.action_nps_theme_discovery_open",
            "nps_theme_discovery",
            login=self.manager.login,
        )
        word = network.word_ids.filtered(lambda w: "roam" in w.name.casefold())
        self.assertEqual(len(word), 1, "roaming is a word of the network theme")
        self.assertEqual(word.lang, "en")
        keyword = self.env["nps.alert.keyword"].search([("name", "=", "Spain")])
        self.assertEqual(keyword.lang, "en")
