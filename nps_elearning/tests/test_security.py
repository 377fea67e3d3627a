from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OnboardingCase


@tagged("post_install", "-at_install")
class TestSecurity(OnboardingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx
        cls.company_a.action_nps_onboarding_link()
        cls.other_course = cls.env["slide.channel"].create(
            {"name": "Internal training", "channel_type": "training"}
        )
        cls.other_member = cls.other_course._action_add_members(cls.bob)
        cls.officer = new_test_user(
            cls.env,
            login="onb_officer",
            groups="base.group_user,website_slides.group_website_slides_officer,"
            "nps_satisfaction.group_nps_user",
        )

    def test_account_manager_reads_onboarding_enrolments_only(self):
        members = self.env["slide.channel.partner"].with_user(self.account_manager)
        self.assertEqual(
            members.search([("partner_id", "in", (self.alice | self.bob).ids)]),
            self.members(self.course_pbx, self.alice),
            "onboarding enrolments only, not the other courses'",
        )
        self.assertEqual(
            self.alice.with_user(self.account_manager).nps_onboarding_ids.channel_id,
            self.course_pbx,
        )

    def test_elearning_officer_still_reads_every_enrolment(self):
        members = self.env["slide.channel.partner"].with_user(self.officer)
        self.assertIn(
            self.other_member,
            members.search([("partner_id", "=", self.bob.id)]),
            "the onboarding rules do not narrow the officers' reading",
        )

    def test_learner_cannot_read_tokens(self):
        portal_user = new_test_user(
            self.env,
            login="onb_alice",
            groups="base.group_portal",
            partner_id=self.alice.id,
        )
        with self.assertRaises(AccessError):
            self.company_a.with_user(portal_user).read(["nps_onboarding_token"])
        with self.assertRaises(AccessError):
            self.members(self.course_pbx, self.alice).with_user(portal_user).read(
                ["nps_access_token"]
            )

    def test_report_is_for_satisfaction_and_elearning_users(self):
        self.env.flush_all()
        report = self.env["nps.onboarding.report"]
        self.assertTrue(report.with_user(self.account_manager).search([]))
        self.assertTrue(report.with_user(self.officer).search([]))
        portal_user = new_test_user(
            self.env,
            login="onb_alice",
            groups="base.group_portal",
            partner_id=self.alice.id,
        )
        with self.assertRaises(AccessError):
            report.with_user(portal_user).search([])
