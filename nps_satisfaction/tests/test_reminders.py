from odoo.tests import tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestReminders(NpsCase):
    def test_reminders_then_expiry(self):
        self.campaign.write(
            {"reminder_delay_days": 3, "max_reminders": 2, "expiry_days": 20}
        )
        request = self.sent_request()
        first_mail = request.mail_id
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 0, "too early for a reminder")

        request.sent_date = self.past(4)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 1)
        self.assertNotEqual(request.mail_id, first_mail)
        self.assertIn("Reminder", request.mail_id.subject)

        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 1, "wait the delay again")
        request.last_reminder_date = self.past(4)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 2)
        request.last_reminder_date = self.past(4)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 2, "at most max_reminders")
        self.assertEqual(request.state, "sent")

        request.sent_date = self.past(21)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.state, "expired")

    def test_answered_gets_no_reminder(self):
        request = self.sent_request()
        request._nps_record_answer(score=8)
        request.sent_date = self.past(10)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 0)
        self.assertEqual(request.state, "answered")

    def test_reminder_falls_back_to_the_survey_template(self):
        self.campaign.reminder_template_id = False
        request = self.sent_request()
        request.sent_date = self.past(4)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 1)
        self.assertNotIn("Reminder", request.mail_id.subject)
