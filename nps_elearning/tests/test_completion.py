from odoo.tests import tagged

from .common import OnboardingCase


@tagged("post_install", "-at_install")
class TestCompletion(OnboardingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx | cls.sip

    def member(self, course, partner):
        return self.members(course, partner)

    def test_progress_per_contact(self):
        member = self.member(self.course_pbx, self.alice)
        self.complete(member, 1)
        self.assertEqual(member.completion, 50)
        self.assertEqual(member.member_status, "ongoing")
        self.alice.invalidate_recordset()
        progress = {m.channel_id: m.completion for m in self.alice.nps_onboarding_ids}
        self.assertEqual(
            progress,
            {self.course_pbx: 50, self.course_sip: 0},
            "the contact shows each course's progress",
        )
        self.assertEqual(self.alice.nps_onboarding_enrolled_count, 1)
        self.assertEqual(self.alice.nps_onboarding_completed_count, 0)

    def test_company_share_of_learners_who_completed(self):
        self.assertEqual(self.company_a.nps_onboarding_enrolled_count, 2)
        self.assertEqual(self.company_a.nps_onboarding_completion_rate, 0)
        for course in (self.course_pbx, self.course_sip):
            self.complete(self.member(course, self.alice))
        self.complete(self.member(self.course_pbx, self.arthur))
        self.company_a.invalidate_recordset()
        self.assertEqual(
            self.company_a.nps_onboarding_completed_count,
            1,
            "Arthur has one course left: only Alice completed",
        )
        self.assertEqual(self.company_a.nps_onboarding_completion_rate, 50.0)
        self.assertEqual(len(self.company_a.nps_onboarding_all_ids), 4)
        self.complete(self.member(self.course_sip, self.arthur))
        self.company_a.invalidate_recordset()
        self.assertEqual(self.company_a.nps_onboarding_completion_rate, 100.0)
        self.assertEqual(self.company_b.nps_onboarding_enrolled_count, 0)

    def test_completion_dates(self):
        member = self.member(self.course_pbx, self.alice)
        member.nps_last_progress_date = self.past(30)
        self.complete(member, 1)
        self.assertGreater(member.nps_last_progress_date, self.past(1))
        self.assertFalse(member.nps_completed_date)
        self.env["slide.slide.partner"].sudo().create(
            {
                "slide_id": member.channel_id.slide_ids.sorted("sequence")[1].id,
                "partner_id": self.alice.id,
                "completed": True,
            }
        )
        member.invalidate_recordset()
        self.assertEqual(member.member_status, "completed")
        self.assertTrue(member.nps_completed_date)


@tagged("post_install", "-at_install")
class TestCourseSurvey(OnboardingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx

    def requests(self):
        return self.env["nps.request"].search([("trigger", "=", "course_completed")])

    def test_completing_schedules_one_survey(self):
        member = self.members(self.course_pbx, self.alice)
        self.complete(member, 1)
        self.assertFalse(self.requests(), "no survey before the end")
        self.env["slide.slide.partner"].sudo().create(
            {
                "slide_id": self.course_pbx.slide_ids.sorted("sequence")[1].id,
                "partner_id": self.alice.id,
                "completed": True,
            }
        )
        request = self.requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(request.partner_id, self.alice)
        self.assertEqual(request.campaign_id, self.campaign)
        self.assertEqual(request.slide_channel_id, self.course_pbx)
        self.assertEqual(request.state, "scheduled", request.skip_reason)
        # set as not done then done again: still one survey
        slide_partner = (
            self.env["slide.slide.partner"]
            .sudo()
            .search([("partner_id", "=", self.alice.id)], limit=1)
        )
        member.member_status = "ongoing"
        slide_partner.completed = False
        slide_partner.completed = True
        self.assertEqual(len(self.requests()), 1, "one survey per learner and course")

    def test_survey_is_sent_by_the_core_dispatch(self):
        self.complete(self.members(self.course_pbx, self.alice))
        sent = self.env["nps.dispatch"]._nps_dispatch_due()
        self.assertEqual(sent.partner_id, self.alice)
        self.assertEqual(sent.state, "sent")

    def test_survey_email_names_the_course(self):
        """The customer learns which course he is asked about: the subject
        names it (a course has no ticket or project for the body to name)."""
        self.complete(self.members(self.course_pbx, self.alice))
        sent = self.env["nps.dispatch"]._nps_dispatch_due()
        mail = self.env["mail.mail"].search(
            [("model", "=", "nps.request"), ("res_id", "=", sent.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.course_pbx.name, mail.subject)
        self.assertIn(
            self.course_pbx.name,
            self.env["nps.mail.render"]._nps_mail_subject(sent, reminder=True),
        )

    def test_course_without_campaign_sends_no_survey(self):
        self.course_pbx.nps_campaign_id = False
        self.complete(self.members(self.course_pbx, self.alice))
        self.assertFalse(self.requests())
