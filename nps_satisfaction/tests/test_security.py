from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestSecurity(NpsCase):
    def setUp(self):
        super().setUp()
        self.request = self.sent_request()
        self.portal = new_test_user(
            self.env,
            login="portal_alice",
            groups="base.group_portal",
            name="Portal Alice",
        )

    def test_portal_and_public_cannot_read_requests_or_campaigns(self):
        public = self.env.ref("base.public_user")
        for user in (self.portal, public):
            with self.assertRaises(AccessError, msg=user.login):
                self.request.with_user(user).check_access("read")
            with self.assertRaises(AccessError, msg=user.login):
                self.campaign.with_user(user).check_access("read")

    def test_user_reads_but_does_not_configure(self):
        request = self.request.with_user(self.nps_user)
        request.check_access("read")
        with self.assertRaises(AccessError, msg="the link's key is the customer's"):
            request.sudo(False).read(["access_token"])
        self.assertTrue(
            self.request.with_user(self.manager).access_token,
            "managers see the survey link",
        )
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.nps_user).write({"min_days_between": 1})
        with self.assertRaises(AccessError):
            self.env["nps.campaign"].with_user(self.nps_user).create(
                {"name": "x", "survey_id": self.survey.id}
            )

    def test_manager_configures(self):
        self.campaign.with_user(self.manager).write({"min_days_between": 10})
        self.assertEqual(self.campaign.min_days_between, 10)

    def test_agent_reads_request_without_token(self):
        request = self.request.with_user(self.agent)
        request.check_access("read")
        self.assertEqual(request.score, 0)
        with self.assertRaises(AccessError):
            request.write({"state": "answered"})
        with self.assertRaises(AccessError):
            request.read(["access_token"])

    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Other Telco"})
        self.request.company_id = other_company
        user = new_test_user(
            self.env,
            login="nps_user_main",
            groups="base.group_user,nps_satisfaction.group_nps_user",
            company_id=self.env.company.id,
            company_ids=[(6, 0, self.env.company.ids)],
        )
        found = (
            self.env["nps.request"]
            .with_user(user)
            .search([("id", "=", self.request.id)])
        )
        self.assertFalse(found, "a request of another company is invisible")

    def test_portal_customer_reads_only_what_his_page_shows(self):
        """Over RPC, a portal customer reads his own answered survey: what the
        portal page shows (campaign, dates, score, comment), nothing of the
        team's work on it (agent, team, skip note, browser, opt-out rate,
        the link's token, the follow-up) nor his company's health."""
        customer = self.env["res.partner"].create(
            {"name": "Portal Carl", "email": "carl@example.com"}
        )
        portal = new_test_user(
            self.env, login="portal_carl", groups="base.group_portal"
        )
        portal.partner_id = customer
        request = self.sent_request(customer)
        request._nps_record_answer(score=2, comment="Slow")
        request.sudo().skip_note = "internal remark"
        as_portal = request.with_user(portal)
        as_portal.check_access("read")
        shown = as_portal.read(["state", "sent_date", "score", "comment"])[0]
        self.assertEqual((shown["score"], shown["comment"]), (2, "Slow"))
        for field in (
            "agent_id",
            "team_id",
            "user_id",
            "skip_note",
            "skip_reason",
            "agent_opt_out_rate",
            "provisional_user_agent",
            "provisional_reason",
            "access_token",
            "followup_ids",
            "attempt_ids",
            "answer_recorded_by_id",
        ):
            with self.assertRaises(AccessError, msg=field):
                as_portal.read([field])
        visible = set(request.with_user(portal).fields_get())
        self.assertFalse(
            visible & {"skip_note", "agent_id", "team_id", "provisional_user_agent"},
            "internal fields are not even listed to a portal user",
        )
        for field in ("nps_health", "nps_last_score", "csat_avg", "nps_health_reason"):
            with self.assertRaises(AccessError, msg=field):
                portal.partner_id.with_user(portal).read([field])
