from odoo.tests import tagged

from odoo.addons.nps_satisfaction.tests.access_common import AccessMatrixCase

from .access_rows import ROWS


@tagged("post_install", "-at_install")
class TestCampaignsAccessMatrix(AccessMatrixCase):
    """nps_campaigns' rows of the access-rights matrix."""

    def setUp(self):
        super().setUp()
        self.segment = self.env["nps.segment"].create(
            {"name": "Main company customers", "company_id": self.env.company.id}
        )
        # a newsletter carrying a survey to a colleague of customer A (A's
        # company got a survey lately: this one skips the quiet period)
        self.colleague_a = self.env["res.partner"].create(
            {
                "name": "Carl Acme",
                "parent_id": self.company_a.id,
                "email": "carl@acme.example.com",
            }
        )
        newsletter = self.env.ref("nps_campaigns.campaign_newsletter")
        newsletter.ignore_quiet_period = True
        self.newsletter = self.env["mailing.mailing"].create(
            {
                "subject": "Platform upgrade",
                "mailing_model_id": self.env["ir.model"]._get("res.partner").id,
                "mailing_domain": repr([("id", "=", self.colleague_a.id)]),
                "nps_campaign_id": newsletter.id,
                "body_html": '<div><t t-out="object.nps_survey_html"/>'
                '<t t-out="object.nps_survey_url"/></div>',
            }
        )
        self.newsletter.action_send_mail()
        colleague_request = self.newsletter.nps_request_ids
        self.assertEqual(colleague_request.state, "sent", "the colleague's survey")
        self.colleague_token = colleague_request.sudo().access_token

    def test_access_matrix(self):
        self.check_matrix(ROWS)

    def op_read_segment(self, env):
        return self.reach(
            env, self.segment, ["name", "company_id", "partner_count", "mailing_count"]
        )

    def op_write_segment(self, env):
        env["nps.segment"].browse(self.segment.id).write({"name": "Renamed"})
        return True

    def op_create_segment(self, env):
        return env["nps.segment"].create({"name": "New segment"})

    def op_unlink_segment(self, env):
        env["nps.segment"].browse(self.segment.id).unlink()
        return True

    def op_read_colleague_survey_link(self, env):
        """Whether any way of reading the colleague's contact, with the
        context the newsletter's sending uses, gives his survey link."""
        partners = env["res.partner"].with_context(nps_mailing_id=self.newsletter.id)
        fields = ["nps_survey_url", "nps_survey_html"]
        found = partners.search([("id", "=", self.colleague_a.id)])
        results = [
            found.read(fields),
            found.web_read(dict.fromkeys(fields, {})),
            partners.search_read([("id", "=", self.colleague_a.id)], fields),
        ]
        return any(self.colleague_token in repr(result) for result in results)
