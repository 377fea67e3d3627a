import re

from odoo.tests import HttpCase, tagged

from .common import NpsCampaignsCase

TOKEN_RE = re.compile(r"/nps/([\w-]+)\?score=")
LINE = "On Monday night your SIP trunk moves to our new platform."


@tagged("post_install", "-at_install")
class TestNewsletterAuthorTour(NpsCampaignsCase, HttpCase):
    """In Chromium, the README's walk-through of a newsletter: an email
    marketer with no satisfaction rights opens a segment, starts a mailing
    from it, inserts the contact's survey buttons with the editor's dynamic
    placeholder and sends it; each recipient gets his own survey."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the crafted SIP trunk customers only, whatever else the database holds
        cls.segment = cls.env["nps.segment"].create(
            {
                "name": "SIP trunk around Paris",
                "service_type_ids": [(6, 0, cls.sip.ids)],
                "zip_prefixes": "75,92",
            }
        )
        cls.recipients = (
            cls.paris
            | cls.paris_anna
            | cls.paris_paul
            | cls.nanterre
            | cls.nanterre_nora
        )

    def test_marketer_sends_a_newsletter_with_its_survey(self):
        author = self.marketer
        self.assertEqual(
            self.segment_recipients(self.segment),
            self.recipients,
            "the tour counts these recipients",
        )
        # the editor offers a plain author the allowed expressions alone
        self.assertFalse(author.has_group("mail.group_mail_template_editor"))
        self.assertFalse(author.has_group("nps_satisfaction.group_nps_user"))

        self.start_tour("/odoo", "nps_newsletter_author", login=author.login)

        mailing = self.env["mailing.mailing"].search(
            [("nps_segment_id", "=", self.segment.id)]
        )
        self.assertEqual(len(mailing), 1, "the mailing made from the segment")
        self.assertEqual(mailing.create_uid, author)
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        self.assertEqual(mailing.state, "in_queue", "sent, waiting for the queue")
        self.assertIn(LINE, mailing.body_html)
        self.assertIn('t-out="object.nps_survey_html"', mailing.body_html)
        self.assertNotRegex(mailing.body_html, r"/\s*<t ", "the typed / is gone")
        self.assertTrue(mailing.nps_uses_survey)

        # the scheduler sends the queued mailing
        self.env.ref(
            "mass_mailing.ir_cron_mass_mailing_queue"
        ).sudo().method_direct_trigger()

        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        mails_by_partner = {mail.res_id: mail for mail in mails}
        self.assertEqual(
            set(mails_by_partner), set(self.recipients.ids), "one email each"
        )
        requests = self.env["nps.request"].search([("mailing_id", "=", mailing.id)])
        requests_by_partner = {request.partner_id: request for request in requests}
        self.assertEqual(len(requests), len(self.recipients), "one survey each")
        self.assertEqual(set(requests_by_partner), set(self.recipients))
        tokens = set()
        for partner, request in requests_by_partner.items():
            self.assertEqual(request.state, "sent", request.skip_reason)
            self.assertEqual(request.campaign_id, self.newsletter_campaign)
            body = str(mails_by_partner[partner.id].body_html)
            self.assertIn(LINE, body)
            self.assertEqual(
                set(TOKEN_RE.findall(body)),
                {request.sudo().access_token},
                f"{partner.name}'s email links to his own survey only",
            )
            self.assertNotIn("nps-survey", body, "no slot left behind")
            tokens.add(request.sudo().access_token)
        self.assertEqual(len(tokens), len(self.recipients), "a link of his own each")
