from odoo.tests import tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestSms(NpsCase):
    """A customer with a phone number and no email gets the link by SMS
    through Odoo's sms addon, with the same rules."""

    def setUp(self):
        super().setUp()
        self.texter = self.env["res.partner"].create(
            {"name": "Tom Texter", "phone": "+32 470 12 34 56", "lang": "en_US"}
        )

    def test_sms_when_no_email(self):
        request = self.close(self.make_tickets(self.texter))
        self.assertEqual((request.state, request.channel), ("scheduled", "sms"))
        self.dispatch()
        self.assertEqual(request.state, "sent")
        self.assertFalse(request.mail_id, "no email")
        sms = request.sms_id
        self.assertEqual(sms.number, "+32470123456")
        self.assertIn(f"/nps/{request.sudo().access_token}", sms.body)
        self.assertEqual(sms.state, "outgoing", "queued for Odoo's SMS gateway")

    def test_no_phone_no_email_is_skipped(self):
        nobody = self.env["res.partner"].create({"name": "Nobody"})
        request = self.close(self.make_tickets(nobody))
        self.assertEqual(request.skip_reason, "no_email")

    def test_campaign_without_sms_template_skips(self):
        self.campaign.sms_template_id = False
        request = self.close(self.make_tickets(self.texter))
        self.assertEqual(request.skip_reason, "no_email")

    def test_blacklisted_phone(self):
        self.env["phone.blacklist"].sudo().add("+32470123456")
        request = self.close(self.make_tickets(self.texter))
        self.assertEqual(request.skip_reason, "blacklisted")

    def test_sms_reminder(self):
        request = self.close(self.make_tickets(self.texter))
        self.dispatch()
        first = request.sms_id
        request.sent_date = self.past(self.campaign.reminder_delay_days + 1)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 1)
        self.assertNotEqual(request.sms_id, first, "a second SMS")
        self.assertEqual(
            self.env["sms.sms"].search_count([("partner_id", "=", self.texter.id)]), 2
        )
