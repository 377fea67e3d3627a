from odoo.tests import HttpCase, tagged

from .common import OnboardingCase


@tagged("post_install", "-at_install")
class TestOnboardingTour(OnboardingCase, HttpCase):
    def test_customer_opens_the_link_and_completes_the_course(self):
        self.company_a.nps_service_type_ids = self.pbx
        member = self.members(self.course_pbx, self.alice)
        self.start_tour(
            f"/onboarding/{self.course_pbx.id}/{member.nps_access_token}",
            "nps_elearning_onboarding_course",
        )
        member.invalidate_recordset()
        self.assertEqual(member.completion, 100)
        self.assertEqual(member.member_status, "completed")
        request = self.env["nps.request"].search(
            [("slide_channel_id", "=", self.course_pbx.id)]
        )
        self.assertEqual(request.partner_id, self.alice, "the course survey follows")
