import importlib.util
import pathlib

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..tools import stem_tools, text_tools
from .common import NpsCase

#: comments and their languages: forms, phrases, accents left out, words of
#: another language, a language without theme words or without stemmer
COMMENTS = [
    ("fr_FR", "Les FACTURES sont fausses et l'appel a été coupé deux fois"),
    ("fr_FR", "appel coupé, ligne coupee, resilier mon abonnement"),
    ("fr_BE", "Le technicien est venu, l'intervention était rapide"),
    ("fr_FR", "Mr Rechnung and the invoice"),
    ("de_DE", "Die Rechnungen stimmen nicht, der Vertrag wurde gekündigt"),
    ("de_DE", "Schon wieder eine Störung; keine Antwort vom Support"),
    ("de_DE", "nicht gelöst, nicht geloest, kundigen"),
    ("en_US", "Outages all week, nobody told us, they were calling back never"),
    ("en_US", "The dropped calls and the call quality were awful"),
    ("en_US", "dropped... call; the price was fine"),
    ("en", "I cancelled because of the overcharged bills"),
    ("nl_NL", "De factuur klopt niet"),
    ("ru_RU", "Счёт неправильный"),
    (False, "facture invoice Rechnung, awful"),
    ("en_US", ""),
]


def find_word_by_word(text, lang, matchers):
    """The themes' words looked for theme by theme with text_tools and
    stem_tools, as the tagging did before its words were prepared once per
    batch: what the prepared way must find."""
    prefix = (lang or "").split("_")[0]
    found = []
    if not text:
        return found
    for theme, words in matchers:
        names = [
            name for name, word_lang in words if not word_lang or word_lang == prefix
        ]
        if names and (
            text_tools.find_keywords(text, names)
            or stem_tools.find_keywords(text, names, [lang] if lang else [])
        ):
            found.append(theme.id)
    return found


@tagged("post_install", "-at_install")
class TestThemes(NpsCase):
    """Each comment gets its themes (``nps.theme``) when its answer's
    effects are applied, in the comment's language; a satisfaction user's
    own choice of themes is kept when the comments are tagged again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("fr_FR", "de_DE"):
            cls.env["res.lang"]._activate_lang(lang)
        ref = cls.env.ref
        cls.network = ref("nps_satisfaction.nps_theme_network")
        cls.billing = ref("nps_satisfaction.nps_theme_billing")
        cls.support_speed = ref("nps_satisfaction.nps_theme_support_speed")
        cls.support_quality = ref("nps_satisfaction.nps_theme_support_quality")
        cls.installation = ref("nps_satisfaction.nps_theme_installation")
        cls.onboarding = ref("nps_satisfaction.nps_theme_onboarding")
        cls.contract = ref("nps_satisfaction.nps_theme_contract")
        cls.communication = ref("nps_satisfaction.nps_theme_communication")

    def answer(self, lang, comment, score=3):
        customer = self.make_customers(1, f"theme-{lang}")
        customer.lang = lang
        request = self.sent_request(customer)
        request._nps_record_answer(score=score, comment=comment)
        return request

    def test_shipped_themes(self):
        themes = self.env["nps.theme"].search([])
        for theme in (
            self.network,
            self.billing,
            self.support_speed,
            self.support_quality,
            self.installation,
            self.onboarding,
            self.contract,
            self.communication,
        ):
            self.assertIn(theme, themes)
            self.assertEqual(
                set(theme.word_ids.mapped("lang")),
                {"en", "fr", "de"},
                f"{theme.name} has words in English, French and German",
            )

    def test_comment_gets_its_themes_in_its_language(self):
        cases = [
            (
                "en_US",
                "The invoice was wrong and the outage lasted two days",
                self.billing | self.network,
            ),
            (
                "fr_FR",
                "Une panne de trois jours et la facture n'a pas bougé",
                self.network | self.billing,
            ),
            (
                "de_DE",
                "Der Techniker kam zu spät, die Rechnung war falsch",
                self.installation | self.billing,
            ),
        ]
        for lang, comment, themes in cases:
            with self.subTest(comment=comment):
                request = self.answer(lang, comment)
                self.assertEqual(request.theme_ids, themes, comment)
                self.assertEqual(request.comment_lang, lang)

    def test_word_forms_find_the_theme(self):
        """Lemmas and German compounds: "résilions" is a form of "résilier",
        "Vertragskündigung" holds "kündigen", "cancelling" is "cancel"."""
        cases = [
            ("fr_FR", "Si rien ne change, nous résilions.", self.contract),
            ("fr_FR", "Je résilie dès demain", self.contract),
            ("de_DE", "Die Vertragskündigung ist unterwegs", self.contract),
            ("de_DE", "Unser Kündigungsschreiben kommt morgen", self.contract),
            ("en_US", "We are cancelling everything", self.contract),
        ]
        for lang, comment, theme in cases:
            with self.subTest(comment=comment):
                self.assertIn(theme, self.answer(lang, comment).theme_ids, comment)

    def test_english_comment_of_a_german_customer(self):
        request = self.answer(
            "de_DE", "The invoice is wrong and the technician never came back"
        )
        self.assertEqual(request.comment_lang, "en_US", "the comment's own language")
        self.assertEqual(request.theme_ids, self.billing | self.installation)

    def test_words_of_another_language_are_not_looked_for(self):
        """ "Rechnung" is a German word of the billing theme: an English
        comment naming a person Rechnung is not about billing."""
        request = self.answer("en_US", "Mr Rechnung was very friendly", score=9)
        self.assertNotIn(self.billing, request.theme_ids)
        self.assertIn(self.support_quality, request.theme_ids)

    def test_no_comment_no_theme(self):
        request = self.answer("en_US", "")
        self.assertFalse(request.theme_ids)
        self.assertFalse(request.comment_lang)

    def test_languages_read_by_name(self):
        """A comment's and a word's language read as the language's name in
        the reader's language, never as a raw code (en_US, fr, de)."""
        request = self.answer("en_US", "The invoice was wrong and late again")
        self.assertEqual(request.comment_lang, "en_US")
        for model in ("nps.request", "nps.theme.report"):
            labels = dict(
                self.env[model].fields_get(["comment_lang"], ["selection"])[
                    "comment_lang"
                ]["selection"]
            )
            self.assertEqual(labels.get("en_US"), "English (US)", model)
        self.env["res.lang"]._activate_lang("fr_FR")
        for model in ("nps.theme.word", "nps.alert.keyword"):
            for lang, names in (
                ("en_US", {"en": "English", "fr": "French", "de": "German"}),
                ("fr_FR", {"en": "Anglais", "de": "Allemand"}),
            ):
                labels = dict(
                    self.env[model]
                    .with_context(lang=lang)
                    .fields_get(["lang"], ["selection"])["lang"]["selection"]
                )
                for code, name in names.items():
                    self.assertEqual(labels.get(code), name, (model, lang, code))

    def test_users_choice_is_kept_across_tagging(self):
        request = self.answer("en_US", "The invoice was wrong")
        self.assertEqual(request.theme_ids, self.billing)
        # a satisfaction user: billing was a wrong guess, it is the contract
        request.with_user(self.nps_user).theme_ids = self.contract
        self.assertEqual(request.theme_ids, self.contract)
        self.assertEqual(request.theme_added_ids, self.contract)
        self.assertEqual(request.theme_removed_ids, self.billing)
        # the themes' words change: the comments are tagged again
        self.network.word_ids = [(0, 0, {"name": "wrong", "lang": "en"})]
        request._nps_tag_themes()
        self.assertEqual(
            request.theme_ids,
            self.contract | self.network,
            "the user's choice stays, the new match is added",
        )
        self.assertEqual(request.theme_found_ids, self.billing | self.network)
        # the user takes back his removal
        request.with_user(self.nps_user).theme_ids = (
            self.contract | self.network | self.billing
        )
        request._nps_tag_themes()
        self.assertEqual(request.theme_ids, self.contract | self.network | self.billing)
        self.assertFalse(request.theme_removed_ids)

    def test_found_themes_and_language_are_the_systems(self):
        """Regression: a satisfaction user wrote, over RPC, the comment's
        language and the themes found, added and removed, and a case's
        themes alerted: only the answer's themes are his to choose."""
        request = self.answer("en_US", "The invoice was wrong")
        case = self.answer("en_US", "The invoice was wrong", score=1).followup_ids
        mine = request.with_user(self.nps_user)
        for field, value in (
            ("comment_lang", "fr_FR"),
            ("theme_found_ids", [(6, 0, self.network.ids)]),
            ("theme_added_ids", [(6, 0, self.network.ids)]),
            ("theme_removed_ids", [(6, 0, self.billing.ids)]),
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                mine.write({field: value})
        with self.assertRaises(AccessError, msg="a case's themes alerted"):
            case.with_user(self.nps_user).write(
                {"theme_alerted_ids": [(6, 0, self.network.ids)]}
            )
        self.assertEqual(request.comment_lang, "en_US")
        self.assertEqual(request.theme_found_ids, self.billing)
        # choosing the themes still keeps what was added by hand
        mine.write({"theme_ids": [(6, 0, self.network.ids)]})
        self.assertEqual(request.theme_added_ids, self.network)
        self.assertEqual(request.theme_removed_ids, self.billing)

    def test_prepared_words_find_what_each_word_finds(self):
        """The themes' words are prepared once per batch
        (``tools/theme_tools.py``) for speed: each comment gets the themes
        that looking for each theme's words in turn finds, and no other."""
        Theme = self.env["nps.theme"]
        self.support_quality.word_ids = [(0, 0, {"name": "awful"})]
        matchers = Theme._nps_matchers()
        for lang, comment in COMMENTS:
            with self.subTest(lang=lang, comment=comment):
                self.assertEqual(
                    Theme._nps_find(comment, lang, matchers).ids,
                    find_word_by_word(comment, lang, matchers),
                )
        billing = [
            (lang, comment)
            for lang, comment in COMMENTS
            if self.billing in Theme._nps_find(comment, lang, matchers)
        ]
        self.assertEqual(
            [comment for _lang, comment in billing],
            [COMMENTS[index][1] for index in (0, 4, 9, 10)],
            "the billing theme found in French, German and English forms",
        )

    def test_words_changed_are_read_again(self):
        """The themes' words are kept in memory between answers: a word
        added, a theme archived, are seen by the next tagging."""
        Theme = self.env["nps.theme"]
        comment = "Roaming abroad cost me a fortune"
        themes = Theme._nps_find(comment, "en_US", Theme._nps_matchers())
        self.assertEqual(themes, self.billing)
        self.network.word_ids = [(0, 0, {"name": "roaming", "lang": "en"})]
        themes = Theme._nps_find(comment, "en_US", Theme._nps_matchers())
        self.assertEqual(themes, self.network | self.billing)
        self.billing.active = False
        themes = Theme._nps_find(comment, "en_US", Theme._nps_matchers())
        self.assertEqual(themes, self.network)

    def test_tagging_again_writes_only_what_changed(self):
        requests = self.env["nps.request"]
        for comment in ("The invoice was wrong", "Outage again", "Fine"):
            requests |= self.answer("en_US", comment) | self.answer("fr_FR", comment)
        requests.invalidate_recordset()
        with self.assertQueryCount(4):
            requests._nps_tag_themes()
        self.assertEqual(requests[0].theme_ids, self.billing)
        # the whole batch in a constant number of queries, whatever changed
        self.network.word_ids = [(0, 0, {"name": "wrong", "lang": "en"})]
        requests.invalidate_recordset()
        with self.assertQueryCount(9):
            requests._nps_tag_themes()
        self.assertEqual(requests[0].theme_ids, self.billing | self.network)
        self.assertEqual(requests[0].theme_found_ids, self.billing | self.network)

    def test_archived_theme_is_not_found(self):
        self.billing.active = False
        request = self.answer("en_US", "The invoice was wrong")
        self.assertNotIn(self.billing, request.theme_ids)

    def test_anonymised_comment_loses_its_themes(self):
        request = self.answer("en_US", "The invoice was wrong")
        request.with_user(self.nps_user).theme_ids |= self.contract
        customer = request.partner_id
        action = customer.with_user(self.manager).action_nps_anonymize_data()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.with_user(self.manager).action_anonymize()
        request.invalidate_recordset()
        self.assertFalse(request.comment)
        self.assertFalse(request.theme_ids, "no theme of a comment gone")
        self.assertFalse(request.theme_added_ids | request.theme_found_ids)
        self.assertFalse(request.comment_lang)


@tagged("post_install", "-at_install")
class TestThemeAlerts(NpsCase):
    """A theme's responsible, with only the Internal User rights, gets an
    activity on the follow-up case of a detractor mentioning the theme, in
    his language, and may open the case and its answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        cls.billing = cls.env.ref("nps_satisfaction.nps_theme_billing")
        cls.billing_lead = new_test_user(
            cls.env,
            login="billing_lead",
            name="Bea Billing",
            email="bea@example.com",
            groups="base.group_user",
            lang="fr_FR",
        )
        cls.billing.user_id = cls.billing_lead

    def answer(self, comment, score):
        request = self.sent_request(self.make_customers(1, "alert")[0])
        request._nps_record_answer(score=score, comment=comment)
        return request

    def test_detractor_mentioning_the_theme_alerts_its_responsible(self):
        request = self.answer("The invoice was wrong twice", 2)
        case = request.followup_ids
        self.assertEqual(case.kind, "detractor")
        lead_activity = case.activity_ids.filtered(
            lambda a: a.user_id == self.billing_lead
        )
        self.assertEqual(len(lead_activity), 1, "the theme's responsible is alerted")
        self.assertIn("Facturation et prix", lead_activity.summary, "in his language")
        self.assertIn(
            case.user_id, case.activity_ids.user_id, "besides the account manager's"
        )
        # he opens the case and its answer with the Internal User rights only
        env = self.env(user=self.billing_lead)
        self.assertTrue(env["nps.followup"].search([("id", "=", case.id)]))
        env["nps.followup"].browse(case.id).read(["theme_ids", "comment"])
        self.assertTrue(env["nps.request"].search([("id", "=", request.id)]))
        # a second change of the answer alerts him no more
        request._nps_record_answer(comment="Still the invoice")
        self.assertEqual(
            len(case.activity_ids.filtered(lambda a: a.user_id == self.billing_lead)),
            1,
        )

    def test_responsible_reads_only_the_cases_he_was_alerted_on(self):
        """Regression: a theme's responsible with the Internal User rights
        read every case mentioning his theme, old closed cases of other
        customers included: he reads the cases he was alerted on (he
        follows them), nothing else."""
        self.billing.user_id = False
        old = self.answer("The invoice was wrong", 1)
        old_case = old.followup_ids
        old_case.sudo().write({"state": "done"})
        self.billing.user_id = self.billing_lead
        alerted = self.answer("The invoice was wrong again", 2)
        case = alerted.followup_ids
        self.assertIn(self.billing_lead.partner_id, case.message_partner_ids)
        self.assertEqual(old.theme_ids, self.billing, "the old case mentions it")
        env = self.env(user=self.billing_lead)
        Case, Request = env["nps.followup"], env["nps.request"]
        self.assertEqual(Case.search([("id", "in", (old_case | case).ids)]), case)
        self.assertEqual(Request.search([("id", "in", (old | alerted).ids)]), alerted)
        Case.browse(case.id).read(["comment"])
        with self.assertRaises(AccessError, msg="the old case of another customer"):
            Case.browse(old_case.id).read(["comment"])

    def test_migration_makes_the_alerted_responsibles_followers(self):
        """migrations/19.0.6.0.0/post-theme-followers.py: a case alerted
        before the responsibles followed their cases gets them as
        followers, and stays readable by them."""
        case = self.answer("The invoice was wrong twice", 2).followup_ids
        case.message_unsubscribe(partner_ids=self.billing_lead.partner_id.ids)
        Case = self.env["nps.followup"].with_user(self.billing_lead)
        self.assertFalse(Case.search([("id", "=", case.id)]))
        path = (
            pathlib.Path(__file__).resolve().parents[1]
            / "migrations"
            / "19.0.6.0.0"
            / "post-theme-followers.py"
        )
        spec = importlib.util.spec_from_file_location("nps_followers_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.5.0.0")
        self.assertIn(self.billing_lead.partner_id, case.message_partner_ids)
        self.assertEqual(Case.search([("id", "=", case.id)]), case)

    def test_promoter_mentioning_the_theme_alerts_no_one(self):
        request = self.answer("The invoice was clear, thanks", 10)
        self.assertFalse(request.followup_ids)
        env = self.env(user=self.billing_lead)
        self.assertFalse(env["nps.request"].search([("id", "=", request.id)]))

    def test_refreshed_note_stays_in_the_assignees_language(self):
        """Found by the user trial: a note refreshed when the answer changed
        read its themes, reasons and campaign in English."""
        request = self.sent_request(self.make_customers(1, "alert")[0])
        request.campaign_id.sudo().allow_answer_change = True
        request._nps_record_answer(score=2, comment="The invoice was wrong")
        case = request.followup_ids
        lead_activity = case.activity_ids.filtered(
            lambda a: a.user_id == self.billing_lead
        )
        self.assertIn("Facturation et prix", str(lead_activity.note))
        request._nps_record_answer(comment="The invoice is still wrong")
        self.assertIn("Facturation et prix", str(lead_activity.note))
        self.assertIn("still wrong", str(lead_activity.note))
