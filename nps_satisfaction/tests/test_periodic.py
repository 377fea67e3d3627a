from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..tools import send_tools
from .common import NpsCase


@tagged("post_install", "-at_install")
class TestPeriodic(NpsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.periodic = cls.campaign.copy(
            {
                "name": "Relationship NPS",
                "trigger": "periodic",
                "period_months": 1,
                "partner_domain": "[('name', '=like', 'rel %')]",
                "min_days_between": 0,
                "ticket_stage_ids": [(5, 0, 0)],
            }
        )
        cls.targets = cls.make_customers(cls, 60, prefix="rel")

    def test_daily_share_spread_over_the_period(self):
        self.assertEqual(send_tools.daily_quota(60, 30), 2)
        first = self.env["nps.schedule"]._nps_schedule_periodic(self.periodic)
        self.assertEqual(len(first), 2, "60 customers over 30 days: 2 a day")
        self.assertTrue(set(first.partner_id.ids) <= set(self.targets.ids))
        second = self.env["nps.schedule"]._nps_schedule_periodic(self.periodic)
        self.assertEqual(len(second), 2)
        self.assertFalse(first.partner_id & second.partner_id, "others the next day")

    def test_everyone_once_per_period(self):
        surveyed = self.env["res.partner"]
        for _day in range(31):
            surveyed |= (
                self.env["nps.schedule"]
                ._nps_schedule_periodic(self.periodic)
                .partner_id
            )
        self.assertEqual(surveyed, self.targets, "all of them within the period")
        requests = self.env["nps.request"].search(
            [("campaign_id", "=", self.periodic.id)]
        )
        self.assertEqual(len(requests), 60, "each once")
        later = fields.Datetime.now() + timedelta(days=31)
        again = self.env["nps.schedule"]._nps_schedule_periodic(
            self.periodic, now=later
        )
        self.assertEqual(len(again), 2, "a new period starts over")

    def test_quiet_period_respected(self):
        self.periodic.min_days_between = 30
        target = self.targets[0]
        other = self.sent_request(target)
        self.assertEqual(other.state, "sent")
        requests = self.env["nps.request"]
        for _day in range(31):
            requests |= self.env["nps.schedule"]._nps_schedule_periodic(self.periodic)
        mine = requests.filtered(lambda r: r.partner_id == target)
        self.assertEqual(mine.skip_reason, "throttled")

    def test_cron_runs_periodic_campaigns(self):
        requests = self.env["nps.campaign"]._cron_periodic()
        self.assertEqual(requests.campaign_id, self.periodic)


@tagged("post_install", "-at_install")
class TestManualAndPilot(NpsCase):
    def test_manual_send_to_chosen_customers(self):
        manual = self.campaign.copy(
            {"name": "Price change", "trigger": "manual", "ticket_stage_ids": [(5,)]}
        )
        customers = self.make_customers(3, prefix="man")
        wizard = Form(
            self.env["nps.campaign.send"].with_context(
                active_model="res.partner", active_ids=customers.ids
            )
        )
        self.assertEqual(wizard.campaign_id, manual)
        self.assertEqual(wizard.recipient_count, 3)
        action = wizard.save().action_send()
        requests = self.env["nps.request"].search(action["domain"])
        self.assertEqual(requests.partner_id, customers)
        self.assertEqual(set(requests.mapped("state")), {"scheduled"})
        self.dispatch()
        self.assertEqual(set(requests.mapped("state")), {"sent"})

    def test_manual_send_by_domain_and_bad_domain(self):
        manual = self.campaign.copy({"trigger": "manual", "ticket_stage_ids": [(5,)]})
        self.make_customers(2, prefix="dom")
        wizard = self.env["nps.campaign.send"].create(
            {"campaign_id": manual.id, "partner_domain": "[('name', '=like', 'dom %')]"}
        )
        self.assertEqual(wizard.recipient_count, 2)
        wizard.partner_domain = "[('nope', '=', 1)]"
        with self.assertRaises(UserError):
            wizard.action_send()

    def test_pilot_sample_is_reproducible(self):
        picks = [send_tools.in_sample(7, pid, 30) for pid in range(1000)]
        self.assertEqual(picks, [send_tools.in_sample(7, p, 30) for p in range(1000)])
        self.assertTrue(250 < sum(picks) < 350, f"about 30%: {sum(picks)}")
        self.assertTrue(all(send_tools.in_sample(1, p, 100) for p in range(50)))

    def test_pilot_skips_customers_outside_the_sample(self):
        self.campaign.write({"pilot_mode": True, "pilot_percent": 50})
        customers = self.make_customers(40, prefix="pilot")
        requests = self.close(self.make_tickets(customers))
        skipped = requests.filtered(lambda r: r.skip_reason == "not_in_pilot")
        self.assertTrue(0 < len(skipped) < 40)
        self.assertTrue(all(requests.mapped("pilot")))
        expected = {
            c.id for c in customers if send_tools.in_sample(self.campaign.id, c.id, 50)
        }
        scheduled = requests.filtered(lambda r: r.state == "scheduled")
        self.assertEqual(set(scheduled.partner_id.ids), expected)

    def test_pilot_on_chosen_teams(self):
        self.campaign.write(
            {
                "pilot_mode": True,
                "pilot_percent": 100,
                "pilot_team_ids": self.team_other,
            }
        )
        out = self.close(self.make_tickets(self.customer_a))
        self.assertEqual(out.skip_reason, "not_in_pilot")
        inside = self.close(
            self.make_tickets(self.customer_b, team_id=self.team_other.id)
        )
        self.assertEqual(inside.state, "scheduled")


@tagged("post_install", "-at_install")
class TestSilence(NpsCase):
    def test_non_respondent_flagged_at_expiry(self):
        self.campaign.flag_non_respondents = True
        request = self.sent_request(self.customer_a)
        request.sent_date = self.past(self.campaign.expiry_days + 1)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.state, "expired")
        self.assertEqual(request.followup_ids.kind, "silence")
        self.assertEqual(self.activity_of(request).user_id, self.account_manager)

    def test_not_flagged_by_default(self):
        request = self.sent_request(self.customer_a)
        request.sent_date = self.past(self.campaign.expiry_days + 1)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.state, "expired")
        self.assertFalse(self.activity_of(request))
