from odoo.tests import tagged

from .common import LinkCase


@tagged("post_install", "-at_install")
class TestOnboardingTour(LinkCase):
    """In Chromium: a learner joins by the company link (approved by the
    account manager or admitted by his domain), signs up on Odoo's own page,
    follows the course, and reads none of the customer's tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.open_company_link()

    def follow_the_course(self, learner):
        member = self.members(self.course_pbx, learner)
        self.start_tour(
            f"/onboarding/{self.course_pbx.id}/{member.nps_access_token}",
            "nps_elearning_onboarding_course",
        )
        member.invalidate_recordset()
        self.assertEqual(member.completion, 100)
        self.assertEqual(member.member_status, "completed")
        user = learner.user_ids
        self.assertTrue(user.share and user.login_date, "signed up, the Odoo way")
        env = self.env(user=user)
        self.assertFalse(env["helpdesk.ticket"].search([("id", "=", self.ticket.id)]))
        self.assertFalse(env["res.partner"].search([("id", "=", self.alice.id)]))
        return member

    def test_a_stranger_waits_is_approved_and_follows_the_course(self):
        self.start_tour(self.join_url, "nps_elearning_join_pending")
        request = self.env["nps.onboarding.join"].search(
            [("email", "=", "eve@elsewhere.example.net")]
        )
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.learner_id, "nothing until the approval")
        request.with_user(self.salesman).action_approve()
        self.follow_the_course(request.learner_id)
        survey = self.env["nps.request"].search(
            [("slide_channel_id", "=", self.course_pbx.id)]
        )
        self.assertEqual(survey.partner_id, request.learner_id, "the survey follows")

    def test_a_learner_of_a_known_domain_joins_at_once(self):
        self.start_tour(self.join_url, "nps_elearning_join_admitted")
        request = self.env["nps.onboarding.join"].search(
            [("email", "=", "zoe@acme.example.com")]
        )
        self.assertEqual((request.state, request.admitted_by), ("approved", "domain"))
        self.follow_the_course(request.learner_id)
