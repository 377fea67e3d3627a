from odoo.tests import Form, tagged

from .common import NpsCase


class GermanCustomerCase(NpsCase):
    """An English-speaking administrator and a German customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["de_DE"])
        cls.manager.lang = "en_US"
        cls.customer_de = cls.env["res.partner"].create(
            {
                "name": "Dieter Deutsch",
                "email": "dieter@example.com",
                "lang": "de_DE",
            }
        )

    def last_test_request(self):
        """The newest test request of the campaign, whoever it is for."""
        return self.env["nps.request"].search(
            [("state", "=", "test"), ("campaign_id", "=", self.campaign.id)],
            order="id desc",
            limit=1,
        )


@tagged("post_install", "-at_install")
class TestPreviewTestEmail(GermanCustomerCase):
    """Regression: *Preview and test* previewed the chosen customer's email
    (German for a German contact) but sent the administrator his own English
    one, and the wizard went back to the administrator. The test is the email
    the chosen customer would get, sent to the user who asked for it."""

    def setUp(self):
        super().setUp()
        self.wizard = (
            self.env["nps.campaign.preview"]
            .with_user(self.manager)
            .with_context(default_campaign_id=self.campaign.id)
            .create({"partner_id": self.customer_de.id})
        )
        self.action = self.wizard.action_send_test()
        self.test_request = self.last_test_request()
        self.mail = self.test_request.mail_id
        self.assertEqual(len(self.mail), 1, "one test email queued")

    def test_sent_to_the_user(self):
        self.assertIn("nina@example.com", self.mail.email_to, "to the user")
        self.assertNotIn(
            "dieter@example.com",
            self.mail.email_to,
            "a test never reaches the customer",
        )

    def test_in_the_customers_language(self):
        body = str(self.mail.body_html)
        self.assertIn("empfehlen", body, "the question in German")
        self.assertIn("Ihre Antwort dient ausschließlich", body, "the German notice")
        self.assertNotIn("recommend us", body, "no English question")
        self.assertIn("Ihre Erfahrung mit", self.mail.subject, "the German subject")
        self.assertTrue(self.mail.subject.startswith("[Test] "), self.mail.subject)

    def test_with_the_customers_name(self):
        self.assertIn("Dieter Deutsch", str(self.mail.body_html), "his name")
        self.assertNotIn("Nina Manager", str(self.mail.body_html), "not the user's")

    def test_as_the_preview_shows_it(self):
        """The test is the email the preview shows: same subject, same scale;
        only its banner, for the user, is in the user's language."""
        body = str(self.mail.body_html)
        self.assertEqual(self.mail.subject, f"[Test] {self.wizard.subject}")
        self.assertEqual(body.count("?score="), 11, "the campaign's 0-10 scale")
        self.assertIn(f"/nps/{self.test_request.access_token}?score=", body)
        self.assertIn("record nothing", body, "the banner in the user's English")

    def test_wizard_stays_on_the_customer(self):
        self.assertNotIn(
            "next", self.action["params"], "the wizard stays open after the test"
        )
        self.wizard.invalidate_recordset()
        self.assertEqual(self.wizard.partner_id, self.customer_de, "his customer")
        self.assertEqual(self.wizard.lang, "German / Deutsch")

    def test_counted_nowhere(self):
        self.assertEqual(self.test_request.partner_id, self.customer_de)
        self.assertFalse(self.test_request.sent_date, "it throttles no one")
        self.env.flush_all()
        self.assertFalse(
            self.env["nps.report"].search([("request_id", "=", self.test_request.id)]),
            "not in the analysis",
        )


@tagged("post_install", "-at_install")
class TestPreviewCustomerInTheDialog(GermanCustomerCase):
    """Regression: in the dialog, choosing another customer switched the
    preview to his language but put the field back to the default customer
    (the administrator), and *Send a test to me* then saved the dialog with
    the administrator: the test came in English, to "Dear Mitchell Admin".
    The form does what the web client does: the dialog opens on its default
    customer, the user picks another one (an onchange), the button saves the
    dialog and sends."""

    def open_dialog(self):
        action = self.campaign.with_user(self.manager).action_preview()
        wizards = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        return Form(wizards)

    def test_the_field_keeps_the_chosen_customer(self):
        form = self.open_dialog()
        self.assertEqual(form.partner_id, self.manager.partner_id, "the default")
        self.assertEqual(form.lang, "English (US)")
        form.partner_id = self.customer_de
        self.assertEqual(form.partner_id, self.customer_de, "the chosen customer")
        self.assertEqual(form.lang, "German / Deutsch", "his language")
        self.assertIn("Ihre Erfahrung mit", form.subject)
        self.assertIn("Dieter Deutsch", str(form.body_html), "his name")
        # and again, once the dialog is saved (a test was sent)
        wizard = form.save()
        self.assertEqual(wizard.partner_id, self.customer_de)
        form.partner_id = self.manager.partner_id
        self.assertEqual(form.partner_id, self.manager.partner_id)
        self.assertEqual(form.lang, "English (US)")
        form.partner_id = self.customer_de
        self.assertEqual(form.partner_id, self.customer_de)
        self.assertEqual(form.lang, "German / Deutsch")

    def test_the_test_is_the_chosen_customers_email(self):
        form = self.open_dialog()
        form.partner_id = self.customer_de
        wizard = form.save()
        wizard.action_send_test()
        request = self.last_test_request()
        self.assertEqual(request.partner_id, self.customer_de, "his email")
        mail = request.mail_id
        self.assertIn("nina@example.com", mail.email_to, "sent to the user")
        self.assertNotIn("dieter@example.com", mail.email_to)
        self.assertTrue(mail.subject.startswith("[Test] Ihre Erfahrung mit"))
        body = str(mail.body_html)
        self.assertIn("Dieter Deutsch", body, "his name")
        self.assertIn("empfehlen", body, "his language")
        self.assertNotIn("Nina Manager", body, "not the user's name")
        self.assertEqual(body.count("?score="), 11, "the campaign's 0-10 scale")
