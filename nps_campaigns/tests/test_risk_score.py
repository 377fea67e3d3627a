from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.nps_satisfaction.tests.common import NpsCase


@tagged("post_install", "-at_install")
class TestRenewalRisk(NpsCase):
    """The contract renewal's risk driver, added to the customers' risk
    score through the core's hook."""

    def drivers(self, partner):
        self.env.invalidate_all()
        found = partner._nps_risk_drivers()[partner.id]
        return {code: (points, args) for code, points, args in found}

    def test_renewal_within_90_days_is_a_driver(self):
        today = fields.Date.context_today(self.company_a)
        self.company_a.nps_contract_renewal_date = today + timedelta(days=40)
        self.company_b.nps_contract_renewal_date = today + timedelta(days=91)
        self.assertEqual(self.drivers(self.company_a), {"renewal": (10, {"days": 40})})
        self.assertEqual(self.drivers(self.company_b), {}, "not within 90 days")
        self.company_b.nps_contract_renewal_date = today - timedelta(days=1)
        self.assertEqual(self.drivers(self.company_b), {}, "already past")
        (self.company_a | self.company_b)._nps_refresh_risk()
        self.assertEqual(self.company_a.nps_risk_score, 10)
        self.assertEqual(self.company_a.nps_risk_band, "healthy")
        self.assertEqual(
            self.company_a.nps_risk_drivers_shown, "+10 contract renewal in 40 days"
        )

    def test_weight_is_a_setting(self):
        self.company_a.company_id = self.env.company
        self.env.company.nps_risk_renewal_points = 30
        self.company_a.nps_contract_renewal_date = fields.Date.context_today(
            self.company_a
        ) + timedelta(days=10)
        self.company_a._nps_refresh_risk()
        self.assertEqual(self.company_a.nps_risk_score, 30)
        self.assertEqual(self.company_a.nps_risk_band, "watch")
