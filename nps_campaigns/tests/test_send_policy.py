from odoo.tests import tagged

from odoo.addons.nps_satisfaction.tests.test_send_policy import (
    SITUATIONS,
    SendPolicyCase,
)


@tagged("post_install", "-at_install")
class TestNewsletterSendPolicy(SendPolicyCase):
    """The survey a newsletter carries asks the same send policy as every
    other path (see nps_satisfaction's TestSendPolicy), plus the mailing's
    own opt-out."""

    def setUp(self):
        super().setUp()
        self.cell = 0
        self.newsletter_campaign = self.env.ref("nps_campaigns.campaign_newsletter")

    def path_newsletter(self, name):
        contact = self.fresh_contact()
        self.situation(name, contact)
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": f"News {self.cell}",
                "body_html": "<p>News</p>",
                "nps_campaign_id": self.newsletter_campaign.id,
            }
        )
        request = self.env["nps.schedule"]._nps_schedule_mailing(mailing, contact.ids)
        self.assertEqual(len(request), 1)
        return request.skip_reason or False

    def test_newsletter_against_every_reason(self):
        wrong = []
        for name, expected in {**SITUATIONS, None: False}.items():
            with self.env.cr.savepoint(flush=False) as savepoint:
                got = self.path_newsletter(name)
                savepoint.rollback()
            self.env.invalidate_all()
            if got != expected:
                wrong.append(f"newsletter / {name}: {got!r}, expected {expected!r}")
        self.assertFalse(wrong, "the send policy differs:\n" + "\n".join(wrong))

    def test_newsletter_opt_out(self):
        contact = self.fresh_contact()
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "News",
                "body_html": "<p>News</p>",
                "nps_campaign_id": self.newsletter_campaign.id,
            }
        )
        contact.nps_newsletter_opt_out = True
        request = self.env["nps.schedule"]._nps_schedule_mailing(mailing, contact.ids)
        self.assertEqual(request.skip_reason, "newsletter_opt_out")
