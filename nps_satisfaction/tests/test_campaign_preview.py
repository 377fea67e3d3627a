from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import CUSTOMER_UA, NpsCase, NpsHttpMixin


class PreviewCase(NpsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        cls.customer_fr = cls.env["res.partner"].create(
            {
                "name": "Camille Client",
                "email": "camille@example.com",
                "lang": "fr_FR",
            }
        )

    def preview(self, partner=None, user=None):
        wizard = (
            self.env["nps.campaign.preview"]
            .with_user(user or self.manager)
            .with_context(default_campaign_id=self.campaign.id)
            .create({"partner_id": (partner or self.customer_fr).id})
        )
        return wizard


class TestCampaignReadiness(PreviewCase):
    def test_template_without_link_cannot_be_activated(self):
        template = self.campaign.mail_template_id.copy(
            {"body_html": "<p>Hello <t t-out='object.partner_id.name'/></p>"}
        )
        self.campaign.active = False
        self.campaign.mail_template_id = template
        with (
            self.assertRaisesRegex(ValidationError, "carries no survey link"),
            self.env.cr.savepoint(),
        ):
            self.campaign.action_unarchive()
        self.campaign.invalidate_recordset()
        self.assertFalse(self.campaign.active, "the campaign stays inactive")

    def test_active_campaign_refuses_a_template_without_link(self):
        template = self.campaign.mail_template_id.copy({"body_html": "<p>Hello</p>"})
        with self.assertRaisesRegex(ValidationError, "cannot be active"):
            self.campaign.mail_template_id = template

    def test_survey_without_score_question_cannot_be_activated(self):
        survey = self.survey.copy()
        campaign = self.campaign.copy({"survey_id": survey.id, "active": False})
        survey.question_ids.filtered(lambda q: q.question_type == "scale").unlink()
        self.assertFalse(campaign.score_question_id)
        with self.assertRaisesRegex(ValidationError, "no 0-10 score question"):
            campaign.action_unarchive()

    def test_shipped_campaigns_are_ready(self):
        for campaign in self.env["nps.campaign"].search([]):
            self.assertFalse(campaign._nps_readiness_problems(), campaign.name)

    def test_preview_lists_the_problems(self):
        self.campaign.active = False
        self.campaign.mail_template_id = self.campaign.mail_template_id.copy(
            {"body_html": "<p>No link</p>"}
        )
        self.assertIn("carries no survey link", self.preview().problems)


class TestCampaignPreview(PreviewCase):
    def test_email_as_the_customer_gets_it(self):
        """The email in the customer's language, with his name, the scale
        and the privacy notice."""
        wizard = self.preview()
        body = str(wizard.body_html)
        self.assertIn("Camille Client", body, "his name")
        self.assertIn("recommandiez", body, "his language")
        self.assertEqual(body.count("?score="), 11, "the 0-10 scale")
        privacy = self.campaign.with_context(lang="fr_FR").privacy_notice_display
        self.assertIn(privacy[:30], body, "the privacy notice")
        self.assertIn("avez-vous pensé", wizard.subject, "the French subject")
        self.assertEqual(wizard.lang, "French / Français")
        self.assertFalse(wizard.problems)

    def test_answer_page_behind_it(self):
        wizard = self.preview()
        page = str(wizard.page_html)
        question = self.campaign.score_question_id.with_context(lang="fr_FR").title
        self.assertIn(question, page, "the page asks the customer's question")
        self.assertEqual(page.count('name="score"'), 11)
        self.assertIn('lang="fr-FR"', page)

    def test_preview_leaves_no_request(self):
        before = self.env["nps.request"].sudo().search_count([])
        self.preview().body_html  # noqa: B018
        self.assertEqual(self.env["nps.request"].sudo().search_count([]), before)

    def test_only_managers_preview(self):
        with self.assertRaises(Exception):  # noqa: B017 AccessError
            self.preview(user=self.nps_user)

    def test_send_test_to_me(self):
        """The customer's email to the current user, through the mail queue,
        marked as a test; nothing counts it."""
        sent_before = self.campaign.sent_count
        self.preview().with_user(self.manager).action_send_test()
        request = self.env["nps.request"].search(
            [("state", "=", "test"), ("partner_id", "=", self.customer_fr.id)]
        )
        self.assertEqual(len(request), 1)
        mail = request.mail_id
        self.assertEqual(mail.state, "outgoing", "queued like every survey email")
        self.assertTrue(mail.subject.startswith("[Test] "), mail.subject)
        self.assertIn("nina@example.com", mail.email_to)
        self.assertIn("record nothing", str(mail.body_html))
        self.assertIn(f"/nps/{request.access_token}?score=", str(mail.body_html))
        self.assertFalse(request.sent_date, "it throttles no one")
        self.campaign.invalidate_recordset()
        self.assertEqual(self.campaign.sent_count, sent_before, "not in the figures")
        self.env.flush_all()
        self.assertFalse(
            self.env["nps.report"].search([("request_id", "=", request.id)]),
            "not in the analysis",
        )

    def test_send_test_needs_an_email(self):
        self.manager.email = False
        with self.assertRaisesRegex(UserError, "no email address"):
            self.preview().with_user(self.manager).action_send_test()


@tagged("post_install", "-at_install")
class TestCampaignTestLink(PreviewCase, NpsHttpMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.preview().with_user(self.manager).action_send_test()
        self.test_request = self.env["nps.request"].search(
            [("state", "=", "test"), ("partner_id", "=", self.customer_fr.id)]
        )
        self.url = f"/nps/{self.test_request.access_token}"

    def test_link_shows_the_page(self):
        self.use(self.customer_session())
        page = self.opener.get(self.base_url() + self.url + "?score=9", timeout=30)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_nps_test", page.text, "marked as a test")
        self.assertIn('name="score"', page.text)

    def test_click_records_nothing(self):
        session = self.customer_session()
        response = self.page_post(self.url, {"score": "3"}, session, auto=True)
        self.assertEqual(response.status_code, 200)
        # the page of the test, like its email, in the customer's French
        self.assertIn("a été enregistré", response.text)
        self.test_request.invalidate_recordset()
        self.assertEqual(self.test_request.state, "test")
        self.assertFalse(self.test_request.user_input_id, "no survey answer")
        self.assertFalse(self.test_request.sudo().attempt_ids, "no attempt")
        self.assertFalse(self.test_request.score)

    def test_opt_out_records_nothing(self):
        response = self.page_post(
            self.url + "/optout", {}, self.customer_session(CUSTOMER_UA)
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.customer_fr.nps_opt_out, "the customer stays")

    def test_manager_tries_his_own_test_signed_in(self):
        """The employee who sent himself the test may click in it, signed
        in: still nothing recorded (a customer's survey answers 403)."""
        self.authenticate(self.manager.login, self.manager.login)
        response = self.page_post(self.url, {"score": "10"})
        self.assertEqual(response.status_code, 200)
        # the page of the test, like its email, in the customer's French
        self.assertIn("a été enregistré", response.text)

    def test_preview_tour(self):
        """The administrator previews the campaign as a French customer,
        chooses a German one in the dialog and sends himself the test that
        customer would get, in the browser. (The field went back to the
        administrator once the preview had switched to German, and the test
        came in English, to the administrator's name.)"""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["de_DE"])
        self.manager.lang = "en_US"
        customer_de = self.env["res.partner"].create(
            {
                "name": "Lukas Weber",
                "parent_id": self.env["res.partner"]
                .create({"name": "Bergwerk Maschinenbau GmbH", "is_company": True})
                .id,
                "email": "lukas.weber@bergwerk.example.com",
                "lang": "de_DE",
            }
        )
        self.env["nps.request"].sudo().create(
            {
                "campaign_id": self.campaign.id,
                "partner_id": self.customer_fr.id,
                "state": "sent",
            }
        )
        before = self.env["nps.request"].search([("state", "=", "test")])
        self.start_tour(
            f"/odoo/action-nps_satisfaction.action_nps_campaign/{self.campaign.id}",
            "nps_campaign_preview",
            login=self.manager.login,
        )
        request = self.env["nps.request"].search([("state", "=", "test")]) - before
        self.assertEqual(len(request), 1, "the tour's test email")
        self.assertEqual(request.partner_id, customer_de, "the chosen customer's")
        mail = request.mail_id
        self.assertIn("nina@example.com", mail.email_to, "sent to the user")
        self.assertNotIn("lukas.weber", mail.email_to, "never to the customer")
        self.assertTrue(
            mail.subject.startswith("[Test] Ihre Erfahrung mit"), mail.subject
        )
        body = str(mail.body_html)
        self.assertIn("Lukas Weber", body, "his name")
        self.assertIn("empfehlen", body, "his language")
        self.assertNotIn("Nina Manager", body, "not the user's name")
        self.assertEqual(body.count("?score="), 11, "the campaign's 0-10 scale")
