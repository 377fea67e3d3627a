from odoo.tests import tagged

from .common import OnboardingCase


@tagged("post_install", "-at_install")
class TestOnboardingRisk(OnboardingCase):
    """The onboarding's risk driver, added to the customers' risk score
    through the core's hook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx | cls.sip

    def drivers(self, partner):
        self.env.invalidate_all()
        found = partner._nps_risk_drivers()[partner.id]
        return {code: (points, args) for code, points, args in found}

    def test_onboarding_not_completed_is_a_driver(self):
        self.assertEqual(
            self.drivers(self.company_a),
            {"onboarding": (15, {"rate": 0, "enrolled": 2})},
            "two learners enrolled, none completed",
        )
        self.assertEqual(self.drivers(self.company_b), {}, "not enrolled")
        self.company_a._nps_refresh_risk()
        self.assertEqual(self.company_a.nps_risk_score, 15)
        self.assertEqual(
            self.company_a.nps_risk_drivers_shown,
            "+15 onboarding completed by 0% of 2 learners",
        )
        for course in (self.course_pbx, self.course_sip):
            self.complete(self.members(course, self.alice))
        self.assertEqual(
            self.drivers(self.company_a), {}, "half the learners completed: 50%"
        )
        self.company_a._nps_refresh_risk()
        self.assertEqual(self.company_a.nps_risk_score, 0)

    def test_weight_is_a_setting(self):
        self.company_a.company_id = self.env.company
        self.env.company.nps_risk_onboarding_points = 35
        self.assertEqual(self.drivers(self.company_a)["onboarding"][0], 35)
