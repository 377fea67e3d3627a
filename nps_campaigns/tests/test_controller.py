import re

from werkzeug.urls import url_encode

from odoo.tests import HttpCase, tagged

from odoo.addons.nps_satisfaction.tests.common import CUSTOMER_UA

from .common import NpsCampaignsCase


@tagged("post_install", "-at_install")
class TestNewsletterPages(NpsCampaignsCase, HttpCase):
    def setUp(self):
        super().setUp()
        # a customer's browser: a library's user agent is a scanner's, whose
        # posts never confirm an answer
        self.opener.headers["User-Agent"] = CUSTOMER_UA
        segment = self.env["nps.segment"].create(
            {
                "name": "Paris",
                "zip_prefixes": "75",
                "service_type_ids": [(6, 0, self.sip.ids)],
            }
        )
        self.mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Platform upgrade",
                "nps_segment_id": segment.id,
                "body_html": '<div><t t-out="object.nps_survey_html"/></div>',
            }
        )
        self.mailing.action_send_mail()
        self.request = self.mailing.nps_request_ids.filtered(
            lambda r: r.partner_id == self.paris_anna
        )

    def test_answer_from_newsletter_link(self):
        """The customer answers with the link of the newsletter: the answer
        page of the core records it, attributed to the mailing."""
        url = f"/nps/{self.request.sudo().access_token}"
        page = self.url_open(f"{url}?score=8")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(url, data={"score": "8", "csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        # the one-click score is provisional until the customer's next step
        # (here the comment step) confirms it
        response = self.url_open(url, data={"step": "more", "csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual((self.request.state, self.request.score), ("answered", 8))
        self.assertEqual(self.request.channel, "campaign")
        self.mailing.invalidate_recordset()
        self.assertEqual(self.mailing.nps_answered_count, 1)
        self.assertEqual(self.mailing.nps_score, 0.0, "one passive: NPS 0")

    def test_unsubscribe_stops_newsletters_not_surveys(self):
        email = self.paris_anna.email
        params = url_encode(
            {
                "document_id": self.paris_anna.id,
                "email": email,
                "hash_token": self.mailing._generate_mailing_recipient_token(
                    self.paris_anna.id, email
                ),
            }
        )
        response = self.url_open(f"/mailing/{self.mailing.id}/unsubscribe?{params}")
        self.assertEqual(response.status_code, 200)
        self.paris_anna.invalidate_recordset()
        self.assertTrue(self.paris_anna.nps_newsletter_opt_out, "no more newsletters")
        self.assertFalse(self.paris_anna.nps_opt_out, "surveys still allowed")
        self.assertFalse(
            self.env["mail.blacklist"].search([("email", "=", email)]),
            "the address is not blacklisted",
        )
