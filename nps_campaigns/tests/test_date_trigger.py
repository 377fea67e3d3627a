from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged

from odoo.addons.nps_satisfaction.tests.common import NpsCase


@tagged("post_install", "-at_install")
class TestRenewalTrigger(NpsCase):
    """The contract renewal date the segments use is a date a campaign can
    survey around: a month before each renewal, once per renewal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["nps.campaign"])
        cls.renewal = cls.env["res.partner"].create(
            {
                "name": "Renewing Ltd",
                "is_company": True,
                "email": "office@renewing.example.com",
                "nps_contract_renewal_date": cls.today + timedelta(days=30),
            }
        )
        cls.env["res.partner"].create(
            {
                "name": "Renewing later Ltd",
                "is_company": True,
                "email": "office@later.example.com",
                "nps_contract_renewal_date": cls.today + timedelta(days=60),
            }
        )

    def test_manager_picks_the_renewal(self):
        form = Form(self.env["nps.campaign"].with_user(self.manager))
        form.name = "A month before renewal"
        form.trigger = "date"
        form.survey_id = self.env.ref("nps_campaigns.survey_newsletter")
        form.date_field = "nps_contract_renewal_date"
        form.date_offset_days = 30
        form.date_offset_direction = "before"
        form.partner_domain = "[('name', '=like', 'Renewing%')]"
        campaign = form.save()
        self.assertFalse(campaign._nps_readiness_problems())

        requests = self.env["nps.campaign"]._cron_date_trigger()
        self.assertEqual(requests.partner_id, self.renewal, "30 days before renewal")
        self.assertEqual(requests.trigger_date, self.renewal.nps_contract_renewal_date)
        self.assertFalse(self.env["nps.campaign"]._cron_date_trigger(), "once")

        # renewed: next year's renewal is surveyed a month before it, again
        self.renewal.nps_contract_renewal_date += timedelta(days=365)
        later = self.env["nps.schedule"]._nps_schedule_dated(
            campaign, today=self.today + timedelta(days=365)
        )
        self.assertEqual(later.partner_id, self.renewal)
        self.assertEqual(len(campaign.request_ids), 2)

    def test_preview_names_the_renewal(self):
        campaign = self.env.ref("nps_satisfaction.campaign_post_ticket").copy(
            {
                "name": "Renewal",
                "trigger": "date",
                "date_field": "nps_contract_renewal_date",
                "date_offset_days": 30,
                "date_offset_direction": "before",
            }
        )
        self.assertIn(
            "Contract renewal of Renewing Ltd", campaign._nps_date_note(self.renewal)
        )
