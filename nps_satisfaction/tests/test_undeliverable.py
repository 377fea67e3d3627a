import email
import email.policy
import uuid
from types import SimpleNamespace
from unittest.mock import patch

from odoo.tests import BaseCase, tagged

from odoo.addons.base.tests.common import MockSmtplibCase

from ..tools import bounce_tools
from .common import NpsCase

NO_VALID_RECIPIENT = "At least one valid recipient address should be specified"


def delivery_status(mail, address, action="failed", status="5.1.1"):
    """A delivery status notification (RFC 3464), as the customer's mail
    server sends back a survey mail it could not deliver."""
    boundary = uuid.uuid4().hex
    return (
        "From: MAILER-DAEMON@mx.acme.example.com\r\n"
        "To: care@telco.example.com\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-Id: <{uuid.uuid4().hex}@mx.acme.example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status;\r\n"
        f' boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"The mail to {address} could not be delivered: no such mailbox.\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.acme.example.com\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {address}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        f"Message-Id: {mail.message_id}\r\n"
        f"From: {mail.email_from}\r\n"
        f"To: {address}\r\n"
        f"Subject: {mail.subject}\r\n"
        "\r\n"
        f"--{boundary}--\r\n"
    )


@tagged("post_install", "-at_install")
class TestUndeliverable(MockSmtplibCase, NpsCase):
    """Regression: a survey whose email could never reach its customer (no
    valid address at sending, a hard bounce) stayed 'sent', counted in the
    surveys sent and the response rate, and got reminders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign.write(
            {"reminder_delay_days": 3, "max_reminders": 2, "expiry_days": 30}
        )
        # an address Odoo stores normalised (so the send policy lets the
        # survey go) but refuses when it sends the mail: "At least one valid
        # recipient address should be specified"
        cls.customer_typo = cls.env["res.partner"].create(
            {
                "name": "Tina Typo",
                "parent_id": cls.company_b.id,
                "email": "tina@bëta.example.com",
            }
        )

    # --- Helpers ---

    def send_mails(self, requests):
        """Odoo's mail queue sends these requests' mails (no real server)."""
        with self.mock_smtplib_connection():
            requests.mail_id.send()

    def run_dispatch_cron(self):
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", return_value=100.0
        ):
            self.env["nps.dispatch"]._cron_dispatch()

    def bounce(self, mail, address, **dsn):
        """The bounce of ``mail`` through Odoo's mail gateway."""
        self.env["mail.thread"].message_process(
            False, delivery_status(mail, address, **dsn)
        )

    def report_rows(self, request, model="nps.report"):
        self.env.flush_all()
        return self.env[model].search_count([("request_id", "=", request.id)])

    def sent_figures(self):
        self.env.flush_all()
        self.campaign.invalidate_recordset(["sent_count", "response_rate"])
        return self.campaign.sent_count

    def assert_undeliverable(self, request, reason_part):
        self.assertEqual(
            (request.state, request.skip_reason),
            ("skipped", "undeliverable"),
            "a survey that never reached its customer is skipped as undeliverable",
        )
        self.assertIn(
            reason_part,
            request.delivery_failure or "",
            "the form says why the email could not be delivered",
        )
        self.assertFalse(self.report_rows(request), "not a row of the sent surveys")
        self.assertFalse(
            self.report_rows(request, "nps.agent.report"),
            "not in the agent's surveys sent either",
        )

    # --- No valid address at sending ---

    def test_invalid_address_at_sending_marks_the_survey_undeliverable(self):
        request = self.sent_request(self.customer_typo)
        self.assertTrue(self.report_rows(request), "counted as sent once queued")
        sent_before = self.sent_figures()
        self.send_mails(request)
        self.assertEqual(
            (request.mail_id.state, request.mail_id.failure_type),
            ("exception", "mail_email_invalid"),
            "Odoo refuses the address when it sends the mail",
        )
        self.run_dispatch_cron()
        self.assert_undeliverable(request, NO_VALID_RECIPIENT)
        self.assertIn("Invalid email address", request.delivery_failure)
        self.assertEqual(
            self.sent_figures(),
            sent_before - 1,
            "the campaign's surveys sent leave the undeliverable one out",
        )

    def test_missing_address_at_sending_marks_the_survey_undeliverable(self):
        request = self.sent_request(self.customer_b)
        # what the mail queue finds when the survey mail has no recipient
        request.mail_id.email_to = False
        self.send_mails(request)
        self.assertEqual(request.mail_id.failure_type, "mail_email_missing")
        self.run_dispatch_cron()
        self.assert_undeliverable(request, NO_VALID_RECIPIENT)
        self.assertIn("Missing email", request.delivery_failure)

    def test_response_rate_leaves_the_undeliverable_survey_out(self):
        answered = self.sent_request(self.customer_a)
        answered._nps_record_answer(score=9)
        failed = self.sent_request(self.customer_typo)
        both = [("request_id", "in", (answered | failed).ids)]
        self.env.flush_all()
        [(rate,)] = self.env["nps.report"]._read_group(both, [], ["answered:avg"])
        self.assertEqual(rate, 50.0, "before sending: 1 answer of 2 surveys")
        self.send_mails(failed)
        self.run_dispatch_cron()
        self.env.flush_all()
        [(rate, count)] = self.env["nps.report"]._read_group(
            both, [], ["answered:avg", "__count"]
        )
        self.assertEqual(
            (rate, count), (100.0, 1), "1 answer of the 1 survey that reached"
        )

    def test_undeliverable_survey_gets_no_reminder(self):
        request = self.sent_request(self.customer_typo)
        self.send_mails(request)
        failed_mail = request.mail_id
        request.sent_date = self.past(4)
        # the reminder cron runs before the dispatch cron has seen the failure
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 0, "no reminder to no address")
        self.assertEqual(request.mail_id, failed_mail, "no new mail queued")
        self.assertEqual(request.skip_reason, "undeliverable")

    def test_failed_reminder_only_stops_the_reminders(self):
        """The survey reached the customer; his address failed since: the
        survey stays open and counted, no more reminder goes."""
        request = self.sent_request(self.customer_b)
        self.send_mails(request)
        self.assertEqual(request.mail_id.state, "sent")
        request.sent_date = self.past(4)
        self.customer_b.email = "bob@bëta.example.com"
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 1)
        self.send_mails(request)
        self.assertEqual(request.mail_id.failure_type, "mail_email_invalid")
        request.last_reminder_date = self.past(4)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.state, "sent", "the first email reached him")
        self.assertEqual(request.reminder_stop_reason, "undeliverable")
        self.assertIn(NO_VALID_RECIPIENT, request.delivery_failure)
        self.assertEqual(request.reminder_count, 1, "no reminder after the failure")
        self.assertTrue(self.report_rows(request), "still a survey sent")

    # --- Bounces ---

    def test_hard_bounce_marks_the_survey_undeliverable(self):
        request = self.sent_request(self.customer_a)
        self.send_mails(request)
        self.assertEqual(request.mail_id.state, "sent")
        sent_before = self.sent_figures()
        bounces = self.customer_a.message_bounce
        self.bounce(request.mail_id, self.customer_a.email)
        self.assertEqual(
            self.customer_a.message_bounce, bounces + 1, "Odoo counts the bounce"
        )
        self.assertEqual(
            (request.mail_id.state, request.mail_id.failure_type),
            ("exception", "mail_bounce"),
        )
        self.run_dispatch_cron()
        self.assert_undeliverable(request, "no such mailbox")
        self.assertEqual(self.sent_figures(), sent_before - 1)
        request.sent_date = self.past(4)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 0, "no reminder after a bounce")

    def test_delayed_delivery_notice_leaves_the_survey_sent(self):
        request = self.sent_request(self.customer_a)
        self.send_mails(request)
        self.bounce(
            request.mail_id, self.customer_a.email, action="delayed", status="4.4.7"
        )
        self.run_dispatch_cron()
        self.assertEqual(request.mail_id.state, "sent", "the server still tries")
        self.assertEqual(request.state, "sent")
        self.assertTrue(self.report_rows(request))

    def test_bounce_of_another_mail_leaves_the_surveys_alone(self):
        request = self.sent_request(self.customer_a)
        self.send_mails(request)
        other = self.env["mail.mail"].create(
            {
                "subject": "Invoice",
                "body_html": "<p>Your invoice</p>",
                "email_to": self.customer_a.email,
            }
        )
        with self.mock_smtplib_connection():
            other.send()
        self.bounce(other, self.customer_a.email)
        self.run_dispatch_cron()
        self.assertEqual(request.mail_id.state, "sent")
        self.assertEqual(request.state, "sent")

    # --- Temporary failures ---

    def test_connection_failure_is_retried_and_still_counted(self):
        request = self.sent_request(self.customer_a)
        sent_before = self.sent_figures()
        IrMailServer = type(self.env["ir.mail_server"])
        with (
            self.mock_smtplib_connection(),
            patch.object(
                IrMailServer,
                "_connect__",
                side_effect=ConnectionRefusedError("Connection refused"),
            ),
        ):
            request.mail_id.send()
        self.assertEqual(
            (request.mail_id.state, request.mail_id.failure_type),
            ("exception", False),
            "Odoo's mark of a server that could not be reached",
        )
        self.run_dispatch_cron()
        self.assertEqual(request.state, "sent", "a server down is no bad address")
        self.assertFalse(request.skip_reason)
        self.assertEqual(request.mail_id.state, "outgoing", "queued again")
        self.assertTrue(self.report_rows(request))
        self.assertEqual(self.sent_figures(), sent_before)
        request.sent_date = self.past(4)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 1, "reminders go on")


@tagged("post_install", "-at_install")
class TestBounceTools(BaseCase):
    """Which bounces say that a mail failed for good."""

    def parse(self, raw):
        return email.message_from_string(raw, policy=email.policy.SMTP)

    def test_permanent_and_transient_notices(self):
        mail = SimpleNamespace(
            message_id="<survey@telco.example.com>",
            email_from="care@telco.example.com",
            subject="Survey",
        )
        table = [
            ("failed", "5.1.1", True),
            ("failed", "", True),
            ("", "5.2.1", True),
            ("delayed", "4.4.7", False),
            ("delivered", "2.0.0", False),
        ]
        for action, status, permanent in table:
            raw = delivery_status(mail, "alice@acme.example.com", action, status)
            self.assertEqual(
                bounce_tools.is_permanent_bounce(self.parse(raw)),
                permanent,
                f"Action {action!r}, Status {status!r}",
            )

    def test_bounce_without_delivery_status_counts(self):
        raw = (
            "From: MAILER-DAEMON@mx.example.com\r\nSubject: failure\r\n\r\n"
            "Your message could not be delivered.\r\n"
        )
        self.assertTrue(bounce_tools.is_permanent_bounce(self.parse(raw)))
