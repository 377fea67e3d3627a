from odoo.tests import tagged

from odoo.addons.nps_satisfaction.tests.access_common import AccessMatrixCase

from .access_rows import ROWS


@tagged("post_install", "-at_install")
class TestOnboardingAccessMatrix(AccessMatrixCase):
    """nps_elearning's rows of the access-rights matrix."""

    def setUp(self):
        super().setUp()
        pbx = self.env.ref("nps_satisfaction.service_type_hosted_pbx")
        self.course = self.env["slide.channel"].create(
            {
                "name": "Hosted PBX basics",
                "channel_type": "training",
                "enroll": "invite",
                "visibility": "members",
                "is_published": True,
                "nps_onboarding": True,
                "nps_service_type_ids": [(6, 0, pbx.ids)],
                "nps_campaign_id": self.env.ref(
                    "nps_elearning.campaign_course_completed"
                ).id,
            }
        )
        self.company_a.nps_service_type_ids = pbx
        self.company_a.action_nps_onboarding_link()
        self.member = (
            self.env["slide.channel.partner"]
            .sudo()
            .search(
                [
                    ("channel_id", "=", self.course.id),
                    ("partner_id", "=", self.customer_a.id),
                ]
            )
        )
        self.assertTrue(self.member.nps_access_token, "A is enrolled, with a link")
        self.join = self.env["nps.onboarding.join"]._nps_join(
            self.company_a, "Eve Stranger", "eve@elsewhere.example.net"
        )
        self.assertEqual(self.join.state, "pending")

    def test_access_matrix(self):
        self.check_matrix(ROWS)

    def op_read_enrolment(self, env):
        return self.reach(env, self.member, ["channel_id", "completion"])

    def op_read_link_token(self, env):
        return self.reach(env, self.member, ["nps_access_token", "nps_access_url"])

    def op_revoke_link(self, env):
        env["slide.channel.partner"].browse(self.member.id).action_nps_revoke_link()
        return self.member.sudo().nps_access_revoked

    def op_read_join(self, env):
        return self.reach(env, self.join, ["name", "email", "state"])

    def op_approve_join(self, env):
        env["nps.onboarding.join"].browse(self.join.id).action_approve()
        return self.join.sudo().state == "approved"

    def op_write_enrolment(self, env):
        env["slide.channel.partner"].browse(self.member.id).write({"completion": 100})
        return True

    def op_create_enrolment(self, env):
        return env["slide.channel.partner"].create(
            {"channel_id": self.course.id, "partner_id": self.customer_b.id}
        )

    def op_read_company_token(self, env):
        return self.reach(env, self.company_a, ["nps_onboarding_token"])

    def op_reset_company_link(self, env):
        return (
            env["res.partner"]
            .browse(self.company_a.id)
            .action_nps_onboarding_link_reset()
        )

    def op_enrol_company(self, env):
        return (
            env["res.partner"].browse(self.company_a.id).action_nps_onboarding_enrol()
        )

    def op_read_onboarding_report(self, env):
        rows = env["nps.onboarding.report"].search(
            [("partner_id", "=", self.company_a.id)]
        )
        rows.read(["partner_id"])
        return rows
