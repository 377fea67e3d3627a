from datetime import date, timedelta

from psycopg2.errors import UniqueViolation

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.nps_campaign_date import DATE_CATCH_UP_DAYS
from ..tools import send_tools
from . import test_send_policy
from .common import NpsCase


class DateTriggerCase(NpsCase):
    """A campaign three months (90 days) after the customer's go-live, on
    the companies named ``dated ...``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dated = cls.campaign.copy(
            {
                "name": "Three months after go-live",
                "trigger": "date",
                "date_field": "nps_go_live_date",
                "date_offset_days": 90,
                "date_offset_direction": "after",
                "partner_domain": "[('name', '=like', 'dated %')]",
                "ticket_stage_ids": [(5, 0, 0)],
            }
        )
        cls.today = fields.Date.context_today(cls.dated)

    def day(self, days):
        """The date ``days`` days from today (negative: in the past)."""
        return self.today + timedelta(days=days)

    def company(self, name, **values):
        return self.env["res.partner"].create(
            {
                "name": f"dated {name}",
                "is_company": True,
                "email": f"{name.replace(' ', '.')}@example.com",
                **values,
            }
        )

    def run_job(self, days=0, campaign=None):
        """The daily job's run ``days`` days from today, on one campaign."""
        return self.env["nps.schedule"]._nps_schedule_dated(
            campaign or self.dated, today=self.day(days)
        )

    def requests_of(self, partner, campaign=None):
        return self.env["nps.request"].search(
            [
                ("campaign_id", "=", (campaign or self.dated).id),
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ]
        )


@tagged("post_install", "-at_install")
class TestDateTrigger(DateTriggerCase):
    def test_due_dates_arithmetic(self):
        today = date(2031, 3, 15)
        self.assertEqual(
            send_tools.date_trigger_due(today, 90, 3),
            (date(2030, 12, 12), date(2030, 12, 15)),
            "90 days after: the dates 90 to 93 days ago",
        )
        self.assertEqual(
            send_tools.date_trigger_due(today, -30, 0),
            (date(2031, 4, 14), date(2031, 4, 14)),
            "30 days before, no catch-up: the date in 30 days only",
        )

    def test_fires_on_the_day_after_the_date(self):
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        requests = self.run_job()
        self.assertEqual(requests.partner_id, acme, "the company, 90 days after")
        self.assertEqual(requests.state, "scheduled", requests.skip_reason)
        self.assertEqual(requests.trigger_date, acme.nps_go_live_date)
        self.assertEqual(requests.trigger, "date")
        self.dispatch()
        self.assertEqual(requests.state, "sent", "it goes like any other survey")

    def test_roles_chosen_get_it_each_once_per_date(self):
        """A date campaign naming contact roles asks each contact of those
        roles personally, the company's address where it has none; once per
        date, however many contacts."""
        self.dated.contact_role_ids = self.env.ref(
            "nps_satisfaction.contact_role_decision_maker"
        )
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        partner = self.env["res.partner"]
        bosses = partner.create(
            [
                {
                    "name": name,
                    "parent_id": acme.id,
                    "email": f"{name}@acme.example.com",
                    "nps_contact_role": "decision_maker",
                }
                for name in ("ada", "bob")
            ]
        )
        partner.create(
            {
                "name": "tech",
                "parent_id": acme.id,
                "email": "tech@acme.example.com",
                "nps_contact_role": "technical",
            }
        )
        beta = self.company("beta", nps_go_live_date=self.day(-90))
        requests = self.run_job()
        self.assertEqual(requests.partner_id, bosses | beta)
        self.assertEqual(set(requests.mapped("state")), {"scheduled"})
        self.assertEqual(set(requests.mapped("trigger_date")), {self.day(-90)})
        self.assertFalse(self.run_job(), "the date was surveyed: nothing more")
        self.assertFalse(self.run_job(days=1), "nor the next day")

    def test_fires_on_the_day_before_the_date(self):
        self.dated.write({"date_offset_days": 30, "date_offset_direction": "before"})
        soon = self.company("soon", nps_go_live_date=self.day(30))
        self.company("later", nps_go_live_date=self.day(31))
        self.company("past", nps_go_live_date=self.day(-30))
        self.assertEqual(self.run_job().partner_id, soon, "30 days before, only")

    def test_on_the_day_itself(self):
        self.dated.date_offset_days = 0
        today = self.company("today", nps_go_live_date=self.today)
        self.company("tomorrow", nps_go_live_date=self.day(1))
        self.assertEqual(self.run_job().partner_id, today)

    def test_not_on_other_days(self):
        tomorrow = self.company("tomorrow", nps_go_live_date=self.day(-89))
        self.company(
            "long ago", nps_go_live_date=self.day(-90 - DATE_CATCH_UP_DAYS - 1)
        )
        self.assertFalse(self.run_job(), "neither a day early nor too late")
        self.assertEqual(self.run_job(days=1).partner_id, tomorrow, "on its day")

    def test_once_per_date_when_the_job_runs_again(self):
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        first = self.run_job()
        self.assertEqual(first.partner_id, acme)
        self.assertFalse(self.run_job(), "a second run the same day: nothing")
        beta = self.company("beta", nps_go_live_date=self.day(-90))
        self.assertEqual(self.run_job().partner_id, beta, "only the newcomer")
        for days in range(1, DATE_CATCH_UP_DAYS + 2):
            self.assertFalse(self.run_job(days=days), f"nor {days} days later")
        self.assertEqual(self.requests_of(acme), first, "one survey for the date")

    def test_once_per_date_when_two_runs_pick_the_same_customers(self):
        """Two runs at the same time: both picked the customer before either
        wrote its survey; the second schedules nothing, and fails nothing."""
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        Schedule = self.env["nps.schedule"]
        due_first = Schedule._nps_date_due(self.dated, self.today)
        due_second = Schedule._nps_date_due(self.dated, self.today)
        self.assertEqual(due_first, {acme.id: acme.nps_go_live_date})
        first = Schedule._nps_schedule_date_due(self.dated, due_first)
        self.assertEqual(first.partner_id, acme)
        second = Schedule._nps_schedule_date_due(self.dated, due_second)
        self.assertFalse(second, "the second run leaves it to the first")
        self.assertEqual(self.requests_of(acme), first)
        self.assertTrue(first.exists(), "the first run's survey stands")

    def test_again_when_the_date_changes(self):
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        first = self.run_job()
        acme.nps_go_live_date = self.day(-80)  # the go-live was postponed
        self.assertFalse(self.run_job(), "the new date's day has not come")
        second = self.run_job(days=10)
        self.assertEqual(second.partner_id, acme, "surveyed for the new date")
        self.assertEqual(second.trigger_date, self.day(-80))
        self.assertEqual(self.requests_of(acme), first | second)

    def test_missed_days_are_caught_up(self):
        missed = self.company("missed", nps_go_live_date=self.day(-90 - 2))
        edge = self.company("edge", nps_go_live_date=self.day(-90 - DATE_CATCH_UP_DAYS))
        self.company("lost", nps_go_live_date=self.day(-90 - DATE_CATCH_UP_DAYS - 1))
        requests = self.run_job()
        self.assertEqual(requests.partner_id, missed | edge)
        self.assertEqual(
            set(requests.mapped("trigger_date")),
            {missed.nps_go_live_date, edge.nps_go_live_date},
        )

    def test_past_dates_do_not_flood_a_new_campaign(self):
        companies = self.env["res.partner"]
        for days in range(0, 730, 7):
            companies |= self.company(
                f"old {days}", nps_go_live_date=self.day(-90 - days)
            )
        requests = self.run_job()
        expected = companies.filtered(
            lambda c: c.nps_go_live_date >= self.day(-90 - DATE_CATCH_UP_DAYS)
        )
        self.assertEqual(len(expected), 1)
        self.assertEqual(requests.partner_id, expected, "only within the catch-up")

    def test_customer_without_the_date_is_ignored(self):
        self.company("no date")
        self.company("other date", nps_contract_start_date=self.day(-90))
        self.assertFalse(self.run_job())

    def test_the_company_date_counts_not_a_contact(self):
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        self.env["res.partner"].create(
            {
                "name": "dated contact",
                "parent_id": acme.id,
                "email": "contact@acme.example.com",
                "nps_go_live_date": self.day(-90),
            }
        )
        self.assertEqual(self.run_job().partner_id, acme, "one survey, the company")

    def test_customer_filter_applies(self):
        self.company("acme", nps_go_live_date=self.day(-90))
        self.dated.partner_domain = "[('name', '=', 'nobody')]"
        self.assertFalse(self.run_job())

    def test_cron_runs_date_campaigns(self):
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        other = self.dated.copy(
            {"name": "Contract start", "date_field": "nps_contract_start_date"}
        )
        beta = self.company("beta", nps_contract_start_date=self.day(-90))
        self.env.ref(
            "nps_satisfaction.ir_cron_nps_date_trigger"
        ).ir_actions_server_id.run()
        self.assertEqual(self.requests_of(acme).campaign_id, self.dated)
        self.assertEqual(self.requests_of(beta, other).campaign_id, other)
        self.assertFalse(self.requests_of(beta), "each campaign its own date")


@tagged("post_install", "-at_install")
class TestDateTriggerPolicy(DateTriggerCase):
    """A date-triggered survey obeys the send policy; its decision is
    recorded for the date, not asked again the next days."""

    def test_opted_out_customer_is_skipped_once(self):
        acme = self.company("acme", nps_go_live_date=self.day(-90), nps_opt_out=True)
        request = self.run_job()
        self.assertEqual(
            (request.partner_id, request.state, request.skip_reason),
            (acme, "skipped", "customer_opt_out"),
        )
        self.assertFalse(self.run_job(days=1), "not asked again for the date")

    def test_quiet_period_applies(self):
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        self.env["nps.request"].create(
            {
                "campaign_id": self.campaign.id,
                "partner_id": acme.id,
                "state": "sent",
                "sent_date": self.past(5),
            }
        )
        request = self.run_job()
        self.assertEqual(request.skip_reason, "throttled")
        self.dated.ignore_quiet_period = True
        other = self.company("beta", nps_go_live_date=self.day(-90))
        self.env["nps.request"].create(
            {
                "campaign_id": self.campaign.id,
                "partner_id": other.id,
                "state": "sent",
                "sent_date": self.past(5),
            }
        )
        self.assertEqual(self.run_job().state, "scheduled", "unless it ignores it")


@tagged("post_install", "-at_install")
class TestDateTriggerEveryReason(test_send_policy.TestSendPolicy):
    """The send policy's table (every situation), on the date trigger."""

    PATHS = {"date on the customer": "path_date"}
    allow_inherited_tests_method = True

    def path_date(self, name):
        contact = self.fresh_contact(standalone=True)
        today = fields.Date.context_today(contact)
        contact.nps_go_live_date = today - timedelta(days=10)
        self.situation(name, contact)
        campaign = self.campaign.copy(
            {
                "name": f"Go-live {self.cell}",
                "trigger": "date",
                "date_field": "nps_go_live_date",
                "date_offset_days": 10,
                "partner_domain": f"[('id', '=', {contact.id})]",
                "ticket_stage_ids": [(5, 0, 0)],
            }
        )
        request = self.env["nps.schedule"]._nps_schedule_dated(campaign, today=today)
        self.assertEqual(len(request), 1)
        return request.skip_reason or False


@tagged("post_install", "-at_install")
class TestDateTriggerSetUp(DateTriggerCase):
    def test_campaign_without_date_is_not_ready(self):
        with self.assertRaisesRegex(ValidationError, "choose which date"):
            self.dated.date_field = False
        self.dated.active = False
        self.dated.date_field = False
        self.assertIn(
            "triggered by a date on the customer",
            "\n".join(self.dated._nps_readiness_problems()),
        )
        with self.assertRaisesRegex(ValidationError, "cannot be active"):
            self.dated.action_unarchive()
        self.assertFalse(
            self.env["nps.campaign"]._cron_date_trigger(), "nothing without a date"
        )

    def test_a_ticket_campaign_needs_no_date(self):
        self.assertFalse(self.campaign.date_field)
        self.assertFalse(self.campaign._nps_readiness_problems())

    def test_negative_days_refused(self):
        with self.assertRaisesRegex(ValidationError, "'before'"):
            self.dated.date_offset_days = -5

    def test_manager_configures_a_date_campaign(self):
        """A satisfaction manager, with no rights on Odoo's technical models,
        picks the customer's date on the campaign form."""
        form = Form(self.env["nps.campaign"].with_user(self.manager))
        form.name = "Contract anniversary"
        form.trigger = "date"
        form.survey_id = self.survey
        choices = dict(
            self.env["nps.campaign"]
            .with_user(self.manager)
            ._fields["date_field"]
            ._description_selection(self.env)
        )
        self.assertEqual(choices.get("nps_contract_start_date"), "Contract start")
        self.assertEqual(choices.get("nps_go_live_date"), "Go-live")
        form.date_field = "nps_contract_start_date"
        form.date_offset_days = 365
        campaign = form.save()
        self.assertEqual(campaign._nps_date_offset(), 365)
        campaign.date_offset_direction = "before"
        self.assertEqual(campaign._nps_date_offset(), -365)

    def test_contact_editor_sets_the_dates_on_the_company(self):
        """Whoever may edit the customer's contacts (no satisfaction rights)
        sets its dates on the company's form."""
        editor = new_test_user(
            self.env,
            login="contact_editor",
            groups="base.group_user,base.group_partner_manager",
        )
        company = self.company("acme")
        with Form(company.with_user(editor)) as form:
            form.nps_contract_start_date = self.day(-120)
            form.nps_go_live_date = self.day(-90)
        self.assertEqual(company.nps_go_live_date, self.day(-90))
        contact = self.env["res.partner"].create(
            {"name": "dated contact", "parent_id": company.id}
        )
        form = Form(contact.with_user(editor))
        with self.assertRaises(AssertionError, msg="a contact's are its company's"):
            form.nps_go_live_date = self.day(-5)

    def test_preview_tells_the_survey_day(self):
        acme = self.company("acme", nps_go_live_date=date(2031, 1, 10))
        preview = (
            self.env["nps.campaign.preview"]
            .with_user(self.manager)
            .create({"campaign_id": self.dated.id, "partner_id": acme.id})
        )
        self.assertIn("Go-live of dated acme: 01/10/2031", preview.date_note)
        self.assertIn("surveys it on 04/10/2031", preview.date_note)
        self.assertTrue(preview.body_html, "the email renders")
        nobody = self.company("nobody")
        preview.partner_id = nobody
        self.assertIn("has no Go-live", preview.date_note)
        preview.campaign_id = self.campaign
        self.assertFalse(preview.date_note, "nothing to tell for a ticket campaign")

    def test_request_key_is_one_per_date(self):
        acme = self.company("acme", nps_go_live_date=self.day(-90))
        request = self.run_job()
        values = {
            "campaign_id": self.dated.id,
            "partner_id": acme.id,
            "trigger_date": request.trigger_date,
        }
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env["nps.request"].create(values)
            self.env.flush_all()
        self.assertEqual(self.requests_of(acme), request)
        values["trigger_date"] = self.day(-1)
        self.assertTrue(self.env["nps.request"].create(values), "another date")
