from datetime import timedelta
from unittest.mock import patch

from lxml import html

from odoo import fields
from odoo.tests import tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestDispatch(NpsCase):
    def test_dispatch_queues_mail_and_answer_comes_with_the_answer(self):
        request = self.close(self.make_tickets(self.customer_a))
        sent = self.dispatch()
        self.assertEqual(sent, request)
        self.assertEqual(request.state, "sent")
        self.assertTrue(request.sent_date)
        self.assertFalse(
            request.user_input_id, "no survey answer until the customer answers"
        )
        request._nps_record_answer(score=9)
        answer = request.user_input_id
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.partner_id, self.customer_a)
        self.assertEqual(answer.nps_request_id, request)
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.nps_score, 9)
        mail = request.mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.email_to, self.customer_a.email_formatted)
        self.assertTrue(mail.email_from, "a survey mail always has a sender")

    def test_mail_body_has_scale_optout_and_privacy(self):
        self.campaign.privacy_url = "https://telco.example.com/privacy"
        request = self.sent_request()
        body = html.fromstring(request.mail_id.body_html)
        links = [a.get("href") for a in body.iter("a")]
        base = request._nps_base_url()
        token = request.sudo().access_token
        for score in range(11):
            self.assertIn(
                f"{base}/nps/{token}?score={score}", links, f"score {score} button"
            )
        self.assertIn(f"{base}/nps/{token}/optout", links, "opt-out link")
        self.assertIn("https://telco.example.com/privacy", links, "privacy policy link")
        self.assertIn(self.campaign.privacy_notice_display, body.text_content())
        self.assertIn(request.ticket_id.display_name, body.text_content())

    def test_display_styles_in_mail(self):
        self.campaign.write(
            {
                "display_style": "gradient",
                "color_low": "#ff0000",
                "color_high": "#00ff00",
            }
        )
        request = self.sent_request()
        self.assertIn("background-color: #ff0000", request.mail_id.body_html)
        self.assertIn("background-color: #00ff00", request.mail_id.body_html)
        self.campaign.display_style = "stars"
        request = self.sent_request(self.customer_b)
        self.assertIn("\u2605", request.mail_id.body_html)

    def test_dispatch_sends_each_request_once(self):
        self.close(self.make_tickets(self.make_customers(5)))
        first = self.dispatch()
        self.assertEqual(len(first), 5)
        self.assertFalse(self.dispatch(), "a second run finds nothing to send")
        self.assertEqual(len(first.mail_id), 5)

    def test_dispatch_batches(self):
        self.close(self.make_tickets(self.make_customers(7)))
        first = self.env["nps.dispatch"]._nps_dispatch_due(batch_size=3)
        self.assertEqual(len(first), 3)
        rest = self.env["nps.dispatch"]._nps_dispatch_due(batch_size=10)
        self.assertEqual(len(rest), 4)
        self.assertFalse(first & rest)

    def test_cron_dispatch_commits_between_batches(self):
        self.close(self.make_tickets(self.make_customers(4)))
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", return_value=100.0
        ) as progress:
            self.env["nps.dispatch"]._cron_dispatch(batch_size=3)
        self.assertEqual(
            [call.args[0] for call in progress.call_args_list],
            [3, 1],
            "one commit per batch",
        )
        self.assertFalse(self.env["nps.request"].search([("state", "=", "scheduled")]))

    def fail_connection(self, mails):
        """What Odoo's mail.mail.send does when the mail server refuses the
        connection (tests never connect)."""
        mails.write({"state": "exception", "failure_reason": "Connection refused"})
        mails._postprocess_sent_message(
            success_pids=[], success_emails=[], failure_type="mail_smtp"
        )

    def test_mail_not_delivered_for_a_failed_connection_is_queued_again(self):
        """Regression: a survey mail that met a mail server down stayed
        'exception' for ever; Odoo never retries such mails."""
        request = self.sent_request()
        self.fail_connection(request.mail_id)
        # Odoo records the cause on the mail, and no failure of the mail
        self.assertEqual(request.mail_id.failure_reason, "Connection refused")
        self.assertFalse(request.mail_id.failure_type)
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", return_value=100.0
        ):
            self.env["nps.dispatch"]._cron_dispatch()
        self.assertEqual(
            request.mail_id.state, "outgoing", "the dispatch cron queues it again"
        )
        self.assertFalse(request.mail_id.failure_type)

    def test_mail_refused_for_its_address_is_not_queued_again(self):
        request = self.sent_request()
        request.mail_id.write(
            {"state": "exception", "failure_type": "mail_email_invalid"}
        )
        self.env["nps.dispatch"]._nps_requeue_failed_mails()
        self.assertEqual(request.mail_id.state, "exception")

    def test_mail_of_a_closed_survey_is_not_queued_again(self):
        request = self.sent_request()
        self.fail_connection(request.mail_id)
        request.state = "expired"
        self.env["nps.dispatch"]._nps_requeue_failed_mails()
        self.assertEqual(
            request.mail_id.state, "exception", "an expired survey is not mailed"
        )

    def test_opt_out_after_scheduling_is_honoured(self):
        request = self.close(self.make_tickets(self.customer_a))
        self.customer_a.nps_opt_out = True
        self.dispatch()
        self.assertEqual(
            (request.state, request.skip_reason), ("skipped", "customer_opt_out")
        )
        self.assertFalse(request.mail_id)

    def test_blacklist_after_scheduling_is_honoured(self):
        request = self.close(self.make_tickets(self.customer_a))
        self.env["mail.blacklist"].sudo()._add(self.customer_a.email)
        self.dispatch()
        self.assertEqual(request.skip_reason, "blacklisted")

    def test_hold_while_another_ticket_is_open(self):
        open_ticket = self.make_tickets(self.customer_a2)
        request = self.close(self.make_tickets(self.customer_a))
        self.assertFalse(self.dispatch(), "the company has another open ticket")
        self.assertEqual(request.state, "scheduled")
        self.assertGreater(request.scheduled_date, fields.Datetime.now())
        open_ticket.stage_id = self.stage_cancelled
        request.scheduled_date = self.past(1)
        self.assertEqual(
            self.dispatch(), request, "sent once the other ticket is settled"
        )

    def test_hold_while_a_detractor_follow_up_is_open(self):
        first = self.sent_request(self.customer_a)
        first._nps_record_answer(score=2)
        first.sent_date = self.past(60)
        self.assertTrue(self.activity_of(first))
        request = self.close(self.make_tickets(self.customer_a2))
        self.assertFalse(
            self.dispatch(), "the follow-up of the last answer is still open"
        )
        self.close_case(first, "Called, fixed the trunk")
        self.assertFalse(
            self.activity_of(first).active, "a done activity closes the follow-up"
        )
        request.scheduled_date = self.past(1)
        self.assertEqual(self.dispatch(), request)

    def test_hold_is_configurable(self):
        self.campaign.hold_if_open_ticket = False
        self.make_tickets(self.customer_a2)
        request = self.close(self.make_tickets(self.customer_a))
        self.assertEqual(self.dispatch(), request)

    def test_send_window_postpones(self):
        self.campaign.write(
            {
                "use_send_window": True,
                "window_hour_from": 9,
                "window_hour_to": 18,
                "window_weekdays_only": True,
            }
        )
        self.customer_a.tz = "Europe/Paris"
        request = self.close(self.make_tickets(self.customer_a))
        saturday_night = fields.Datetime.to_datetime("2026-05-09 22:00:00")
        request.scheduled_date = saturday_night - timedelta(hours=1)
        with patch.object(fields.Datetime, "now", return_value=saturday_night):
            self.assertFalse(self.dispatch())
        self.assertEqual(
            request.scheduled_date, fields.Datetime.to_datetime("2026-05-11 07:00:00")
        )

    def test_daily_cap(self):
        self.campaign.daily_cap = 2
        requests = self.close(self.make_tickets(self.make_customers(3)))
        sent = self.dispatch()
        self.assertEqual(len(sent), 2)
        held = requests - sent
        self.assertEqual(held.state, "scheduled")
        self.assertEqual(
            held.scheduled_date.date(), fields.Date.today() + timedelta(days=1)
        )

    def test_mail_in_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        self.customer_a.lang = "fr_FR"
        self.customer_b.lang = "en_US"
        requests = self.close(self.make_tickets(self.customer_a | self.customer_b))
        self.dispatch()
        french = requests.filtered(lambda r: r.partner_id == self.customer_a).mail_id
        english = requests.filtered(lambda r: r.partner_id == self.customer_b).mail_id
        self.assertIn("recommandiez", french.body_html, "the French question")
        self.assertIn("Se désabonner", french.body_html)
        self.assertIn("recommend us", english.body_html)

    def test_batch_of_three_languages_each_email_in_its_own(self):
        """One dispatch of French, German and English customers: every part
        of each email (subject, question, privacy notice, opt-out) reads in
        its customer's language, whatever the order of the batch."""
        for code in ("fr_FR", "de_DE"):
            self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"]._load_module_terms(
            ["nps_satisfaction"], ["fr_FR", "de_DE"]
        )
        customers = self.make_customers(3, prefix="lang")
        for customer, code in zip(customers, ("fr_FR", "de_DE", "en_US"), strict=True):
            customer.lang = code
        requests = self.close(self.make_tickets(customers))
        self.dispatch()
        expected = {
            "fr_FR": ("Votre réponse sert uniquement", "recommandiez"),
            "de_DE": ("Ihre Antwort dient ausschließlich", "empfehlen"),
            "en_US": ("Your answer is used only", "recommend us"),
        }
        for request in requests:
            body = str(request.mail_id.body_html)
            notice, question = expected[request.partner_id.lang]
            self.assertIn(notice, body, f"the notice in {request.partner_id.lang}")
            self.assertIn(question, body, f"the question in {request.partner_id.lang}")
            for other, (other_notice, _question) in expected.items():
                if other != request.partner_id.lang:
                    self.assertNotIn(other_notice, body, f"no {other} notice")

    def test_custom_template_relative_links_and_language_expression(self):
        """Regression of the batch rendering: a custom template's relative
        links are made absolute, and another language expression is
        rendered, as Odoo's own mail templates do."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company_a.lang = "fr_FR"
        self.customer_a.lang = "en_US"
        template = self.campaign.mail_template_id.copy(
            {
                "body_html": '<p>Hello <a href="/my/satisfaction">your surveys</a>'
                '<img src="/web/image/res.company/1/logo"/>'
                '<a t-att-href="object._nps_answer_url()">answer</a></p>',
                "lang": "{{ object.partner_id.commercial_partner_id.lang }}",
                "subject": "{{ object.partner_id.name }}",
            }
        )
        self.campaign.mail_template_id = template
        request = self.sent_request(self.customer_a)
        mail = request.mail_id
        base = request.get_base_url()
        self.assertIn(f'href="{base}/my/satisfaction"', mail.body_html)
        self.assertIn(f'src="{base}/web/image/res.company/1/logo"', mail.body_html)
        self.assertEqual(mail.subject, "Alice Acme")
        rendered = self.env["nps.mail.render"]._nps_render_template(
            request, template.sudo()
        )
        self.assertEqual(
            template._render_lang(request.ids)[request.id],
            "fr_FR",
            "the company's language, not the contact's",
        )
        self.assertEqual(rendered[request.id]["subject"], "Alice Acme")
