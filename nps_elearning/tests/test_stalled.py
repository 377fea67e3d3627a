from odoo.tests import tagged

from .common import OnboardingCase

REMINDER = "nps_elearning.mail_template_onboarding_reminder"


@tagged("post_install", "-at_install")
class TestStalled(OnboardingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx
        cls.activity_type = cls.env.ref(
            "nps_elearning.mail_activity_type_onboarding_stalled"
        )

    def run_cron(self):
        self.env["slide.channel.partner"]._cron_nps_onboarding_followup()

    def activities(self):
        return self.env["mail.activity"].search(
            [("activity_type_id", "=", self.activity_type.id)]
        )

    def test_learners_without_progress_stall(self):
        alice = self.members(self.course_pbx, self.alice)
        arthur = self.members(self.course_pbx, self.arthur)
        alice.nps_last_progress_date = self.past(8)
        arthur.nps_last_progress_date = self.past(6)
        self.run_cron()
        self.assertTrue(alice.nps_stalled, "8 days without progress (7 allowed)")
        self.assertFalse(arthur.nps_stalled, "6 days is not yet stalled")
        activity = self.activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertEqual(
            (activity.res_model, activity.res_id), ("res.partner", self.company_a.id)
        )
        self.assertIn("Alice Acme", str(activity.note))
        self.company_a.invalidate_recordset()
        self.assertEqual(self.company_a.nps_onboarding_stalled_count, 1)
        listed = self.env["slide.channel.partner"].search(
            [
                ("nps_stalled", "=", True),
                ("nps_account_manager_id", "=", self.account_manager.id),
            ]
        )
        self.assertEqual(listed, alice, "the account manager's stalled list")

        arthur.nps_last_progress_date = self.past(9)
        self.run_cron()
        self.assertTrue(arthur.nps_stalled)
        self.assertEqual(len(self.activities()), 1, "one open activity per customer")

    def test_account_manager_reads_the_stalled_list(self):
        self.members().nps_last_progress_date = self.past(10)
        self.run_cron()
        listed = (
            self.env["slide.channel.partner"]
            .with_user(self.account_manager)
            .search([("nps_stalled", "=", True)])
        )
        self.assertEqual(listed.partner_id, self.alice | self.arthur)

    def test_progress_clears_stalled(self):
        member = self.members(self.course_pbx, self.alice)
        member.nps_last_progress_date = self.past(10)
        self.run_cron()
        self.assertTrue(member.nps_stalled)
        self.complete(member, 1)
        self.assertFalse(member.nps_stalled, "progress ends the stall")

    def test_reminders_at_most_the_course_maximum(self):
        member = self.members(self.course_pbx, self.alice)
        member.nps_last_progress_date = self.past(10)
        self.run_cron()
        self.assertEqual(member.nps_reminder_count, 1)
        self.assertEqual(len(self.mails(REMINDER, self.alice)), 1)
        self.run_cron()
        self.assertEqual(member.nps_reminder_count, 1, "not again the same week")
        for _round in range(4):
            member.nps_last_reminder_date = self.past(8)
            self.run_cron()
        self.assertEqual(member.nps_reminder_count, 2, "at most 2 reminders")
        self.assertEqual(len(self.mails(REMINDER, self.alice)), 2)
        body = self.mails(REMINDER, self.alice)[:1].body_html
        self.assertIn(member.nps_access_url, body, "the reminder carries the link")

    def test_completed_learner_is_neither_stalled_nor_reminded(self):
        member = self.members(self.course_pbx, self.alice)
        self.complete(member)
        member.nps_last_progress_date = self.past(30)
        self.run_cron()
        self.assertFalse(member.nps_stalled)
        self.assertFalse(self.mails(REMINDER, self.alice))
