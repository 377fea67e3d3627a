import random
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..tools import churn_tools, risk_tools
from .common import NpsCase
from .test_churn_report import ChurnCase


def churn_accounts(env, lead=0):
    """``{customer id: (category, account NPS)}`` as the churn figures sort
    the customers of the last 12 months, with ``lead`` days of lead time
    (none: what is known today)."""
    today = fields.Date.today()
    env.cr.execute(
        SQL(
            "SELECT partner_id, category, account_nps FROM (%s) rows",
            env["nps.churn"]._nps_rows_sql(today - timedelta(days=365), today, lead),
        )
    )
    return {partner: (category, nps) for partner, category, nps in env.cr.fetchall()}


class ChurnFiguresCase(NpsCase):
    @classmethod
    def answer(cls, contact, score, company=None, days=1):
        """``contact``'s answer ``score`` to a survey of ``company`` (the
        current one by default) sent ``days`` days ago, with its effects."""
        request = cls.env["nps.request"].create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": contact.id,
                "company_id": (company or cls.env.company).id,
                "state": "sent",
                "sent_date": fields.Datetime.now() - timedelta(days=days),
            }
        )
        request._nps_record_answer(score=score)
        return request

    def assertSameAccount(self, customer, category, nps):
        """The customer's stored account figures (his form, his health, his
        risk) and the churn figures' agree, and are these."""
        customer.invalidate_recordset()
        self.assertEqual(
            (customer.nps_account_category, round(customer.nps_account_nps, 6)),
            (category, nps),
            "the stored account",
        )
        # read from the current company alone, as its users read it
        env = self.env(
            context=dict(self.env.context, allowed_company_ids=self.env.company.ids)
        )
        found_category, found_nps = churn_accounts(env)[customer.id]
        self.assertEqual(
            (found_category, round(found_nps, 6)), (category, nps), "the churn's"
        )


@tagged("post_install", "-at_install")
class TestAccountRule(ChurnFiguresCase):
    """The account NPS of a customer counts the same answers on his form, in
    his health and risk score and in the churn figures: every 0-10 answer of
    his contacts (each one's latest), whatever company sent the survey."""

    def test_an_answer_to_another_companys_survey_counts(self):
        other = self.env["res.company"].create({"name": "Other Telco"})
        self.answer(self.customer_a, 10)
        self.answer(self.customer_a2, 2, company=other)
        # a promoter and a detractor: a passive account, everywhere
        self.assertSameAccount(self.company_a, "passive", 0.0)

    def test_the_contacts_of_an_individual_customer_count(self):
        """An individual customer (no company) with a contact under him (an
        office, a delivery address): his contact's answer is his."""
        Partner = self.env["res.partner"]
        ivy = Partner.create({"name": "Ivy Individual", "email": "ivy@example.com"})
        office = Partner.create(
            {
                "name": "Ivy's office",
                "parent_id": ivy.id,
                "type": "other",
                "email": "office@ivy.example.com",
            }
        )
        self.assertEqual(office.commercial_partner_id, ivy)
        self.answer(ivy, 10)
        self.answer(office, 2)
        self.assertSameAccount(ivy, "passive", 0.0)
        self.assertEqual(ivy.nps_account_respondents, 2)


@tagged("post_install", "-at_install")
class TestDemoTickets(NpsCase):
    """The demo's tickets carry the dates of their history: opened a little
    before they were closed, months ago, not all today."""

    def test_tickets_dated_as_the_story(self):
        company = self.env["res.partner"].create(
            {"name": "Story Co", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Sam Story", "parent_id": company.id, "email": "sam@story.example"}
        )
        now = fields.Datetime.now()
        Ticket = self.env["helpdesk.ticket"].with_context(
            tracking_disable=True, mail_create_nolog=True, nps_history=True
        )
        story = {
            "rng": random.Random(42),
            "csat_rng": random.Random(43),
            "ticket_rng": random.Random(44),
            "now": now,
            "managers": {"agent": self.agent},
            "teams": self.team | self.team_other,
            "done": self.stage_done,
            "campaign": self.campaign,
            "followup_campaign": self.env.ref("nps_satisfaction.campaign_followup"),
            "reasons": self.campaign.reason_ids,
            "History": self.env["nps.schedule"],
            "Followup": self.env["nps.followup"].with_context(tracking_disable=True),
            "Ticket": Ticket,
        }
        self.env["nps.demo"]._generate_tickets(story, company, contact, "happy")
        tickets = self.env["helpdesk.ticket"].search(
            [("commercial_partner_id", "=", company.id)]
        )
        self.assertGreater(len(tickets), 4)
        for ticket in tickets:
            self.assertLess(ticket.create_date, ticket.closed_date, ticket.name)
            self.assertGreater(
                ticket.create_date, ticket.closed_date - timedelta(days=6)
            )
            self.assertLessEqual(ticket.last_stage_update, ticket.closed_date)
        self.assertLess(min(tickets.mapped("create_date")), now - timedelta(days=300))
        # one ticket every month or three: no "tickets in the last 90 days"
        recent = tickets.filtered(
            lambda t: t.create_date >= now - timedelta(days=risk_tools.TICKET_DAYS)
        )
        self.assertLessEqual(len(recent), risk_tools.TICKET_COUNT_MAX)
        drivers = company._nps_risk_drivers()[company.id]
        self.assertNotIn("tickets", [code for code, _points, _args in drivers])


@tagged("post_install", "-at_install")
class TestLiftHonesty(NpsCase):
    """The lift of detractors over promoters is told only when it says
    something: both groups had departures (a ratio of a single departure to
    none said "0.0x"), split too unevenly to be chance; otherwise the
    counts, without a ratio."""

    def segments(self, detractors, promoters):
        return {
            "category": [
                ("promoter", churn_tools.wilson(*promoters)),
                ("passive", churn_tools.wilson(0, 0)),
                ("detractor", churn_tools.wilson(*detractors)),
            ]
        }

    def test_no_ratio_without_departures_on_both_sides(self):
        self.assertIsNone(
            churn_tools.lift(churn_tools.wilson(0, 3), churn_tools.wilson(1, 10))
        )
        Churn = self.env["nps.churn"]
        sentence, lift = Churn._nps_summary(self.segments((0, 3), (1, 10)))
        self.assertIsNone(lift)
        self.assertNotIn("0.0x", sentence)
        self.assertEqual(
            sentence,
            "Not enough departures to compare detractors with promoters "
            "(0 of 3 detractors and 1 of 10 promoters left).",
        )
        # 2 of 3 against 1 of 10: three departures, which chance splits so
        # one time in nine (Fisher: 31/286)
        sentence, lift = Churn._nps_summary(self.segments((2, 3), (1, 10)))
        self.assertIsNone(lift)
        self.assertEqual(
            sentence,
            "Not enough departures to compare detractors with promoters "
            "(2 of 3 detractors and 1 of 10 promoters left).",
        )
        sentence, lift = Churn._nps_summary(self.segments((12, 80), (4, 83)))
        self.assertAlmostEqual(lift, (12 / 80) / (4 / 83))
        self.assertEqual(
            sentence,
            "Here, detractors left 3.1x as often as promoters (12 of 80 vs 4 of 83).",
        )

    def test_analysis_without_a_lift_stores_none(self):
        """An analysis whose lift cannot be told keeps none (the form hides
        it), not 0."""
        customer = self.env["res.partner"].create(
            {"name": "Lone promoter", "email": "lone@example.com"}
        )
        self.sent_request(customer)._nps_record_answer(score=10)
        self.env["nps.termination"].create(
            {"partner_id": customer.id, "notice_date": fields.Date.today()}
        )
        analysis = self.env["nps.churn.analysis"].create(
            {
                "date_from": fields.Date.today() - timedelta(days=30),
                "date_to": fields.Date.today(),
                "lead_days": 0,
            }
        )
        analysis.action_compute()
        self.assertFalse(analysis.lift)
        self.assertIn("Not enough departures", analysis.summary)


@tagged("post_install", "-at_install")
class TestWarningRounding(NpsCase):
    """The median days of warning read the same on the dashboard and in the
    analysis: 270.5 is 271 on both (the dashboard's format rounded half to
    even, 270)."""

    def test_median_rounded_alike(self):
        today = fields.Date.today()
        for name, days in (("W1", 300), ("W2", 301)):
            customer = self.env["res.partner"].create(
                {"name": f"Warned {name}", "email": f"{name.lower()}@example.com"}
            )
            self.env["nps.health.history"].create(
                {
                    "partner_id": customer.id,
                    "date": fields.Datetime.now() - timedelta(days=days),
                    "health": "at_risk",
                }
            )
            self.env["nps.termination"].create(
                {
                    "partner_id": customer.id,
                    "notice_date": today - timedelta(days=30),
                    "state": "done",
                }
            )
        self.env.company.nps_churn_lead_days = 30
        warning = self.env["nps.churn"]._nps_early_warning(
            today - timedelta(days=90), today, 30
        )
        # 270 and 271 days: 270.5, to the day
        self.assertEqual(warning.median_days, 271)
        dashboard = self.env["nps.dashboard"].create({"period": "90"})
        self.assertIn("a median of 271 days ahead", dashboard.churn_warning)
        analysis = self.env["nps.churn.analysis"].browse(
            dashboard.action_view_churn()["res_id"]
        )
        self.assertEqual(analysis.warning_median_days, 271)


@tagged("post_install", "-at_install")
class TestDashboardChurnPeriod(ChurnCase):
    """The dashboard's *Did they stay?* follows its period, as its other
    blocks do, and so does the analysis it opens."""

    def test_block_follows_the_period(self):
        dashboard = self.env["nps.dashboard"].create({"period": "365"})
        self.assertIn("4 of the 6 notices", dashboard.churn_warning)
        self.assertIn("2 of 3 detractors and 2 of 5 promoters", dashboard.churn_summary)
        # the last 30 days: X's and D3's notices; D3 was at risk 60 days
        # before his notice, X healthy
        dashboard.period = "30"
        self.assertIn("1 of the 2 notices", dashboard.churn_warning)
        self.assertIn("0 of 1 detractors and 1 of 4 promoters", dashboard.churn_summary)
        action = dashboard.action_view_churn()
        analysis = self.env["nps.churn.analysis"].browse(action["res_id"])
        today = fields.Date.context_today(dashboard)
        self.assertEqual(
            (analysis.date_from, analysis.date_to),
            (today - timedelta(days=30), today),
        )
        self.assertEqual(analysis.notice_count, 2)


@tagged("post_install", "-at_install")
class TestOwnCompany(ChurnFiguresCase):
    """The company's own partner and its people are no customer: not in the
    churn figures, nor in the lists of customers, whatever they answered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = new_test_user(
            cls.env, login="own_sales", groups="base.group_user", name="Olga Own"
        )
        cls.own = cls.env.company.partner_id
        cls.own.user_id = cls.sales
        cls.employee = cls.env["res.partner"].create(
            {
                "name": "Eve Employee",
                "parent_id": cls.own.id,
                "email": "eve@own.example.com",
            }
        )

    def action_domain(self, xmlid, user):
        action = self.env.ref(xmlid)
        return safe_eval(action.domain, {"uid": user.id})

    def test_not_in_the_churn_figures(self):
        self.answer(self.employee, 2)
        self.answer(self.customer_a, 10)
        self.env["nps.termination"].create(
            {"partner_id": self.own.id, "notice_date": fields.Date.today()}
        )
        accounts = churn_accounts(self.env)
        self.assertIn(self.company_a.id, accounts)
        self.assertNotIn(self.own.id, accounts)

    def test_not_in_the_customer_lists(self):
        self.answer(self.employee, 2)
        self.assertEqual(self.own.sudo().nps_health, "at_risk")
        Partner = self.env["res.partner"]
        mine = Partner.with_user(self.sales).search(
            self.action_domain(
                "nps_satisfaction.action_nps_my_customers_risk", self.sales
            )
        )
        self.assertNotIn(self.own, mine)
        health = Partner.search(
            self.action_domain(
                "nps_satisfaction.action_nps_customer_health", self.sales
            )
        )
        self.assertNotIn(self.own, health)
        dashboard = self.env["nps.dashboard"].create({})
        self.assertNotIn(self.own, dashboard.at_risk_ids)
        self.assertNotIn(
            self.own,
            Partner.search(Partner._nps_customer_domain()),
            "the daily risk job's customers",
        )
        periodic = self.campaign.copy({"trigger": "periodic"})
        targets = Partner.search(
            self.env["nps.schedule"]._nps_periodic_targets(periodic)
        )
        self.assertIn(self.company_a, targets)
        self.assertNotIn(self.own, targets)


class LeftCustomersCase(ChurnFiguresCase):
    """Two customers of an account manager: one left (his termination
    done), one stays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = new_test_user(
            cls.env, login="risk_left_sales", groups="base.group_user", name="Lea Left"
        )
        Partner = cls.env["res.partner"]
        cls.gone, cls.staying = Partner.create(
            [
                {"name": "Gone Telecom", "is_company": True, "user_id": cls.sales.id},
                {
                    "name": "Staying Telecom",
                    "is_company": True,
                    "user_id": cls.sales.id,
                },
            ]
        )
        for company, score in ((cls.gone, 2), (cls.staying, 7)):
            contact = Partner.create(
                {
                    "name": f"Contact of {company.name}",
                    "parent_id": company.id,
                    "email": f"{company.name.split()[0].lower()}@example.com",
                }
            )
            cls.answer(contact, score)
        cls.env["nps.termination"].create(
            {
                "partner_id": cls.gone.id,
                "notice_date": fields.Date.today() - timedelta(days=60),
                "state": "done",
            }
        )


@tagged("post_install", "-at_install")
class TestLeftCustomers(LeftCustomersCase):
    """A customer who left leaves *My customers by risk*; a filter finds
    him."""

    def test_left_is_searchable(self):
        Partner = self.env["res.partner"].with_user(self.sales)
        ids = (self.gone | self.staying).ids
        self.assertEqual(
            Partner.search([("id", "in", ids), ("nps_left", "=", True)]), self.gone
        )
        self.assertEqual(
            Partner.search([("id", "in", ids), ("nps_left", "=", False)]),
            self.staying,
        )

    def test_my_customers_by_risk_hides_them_by_default(self):
        action = self.env.ref("nps_satisfaction.action_nps_my_customers_risk")
        context = safe_eval(action.context or "{}", {"uid": self.sales.id})
        self.assertTrue(context.get("search_default_filter_nps_current"))


@tagged("post_install", "-at_install")
class TestLeftCustomersTour(LeftCustomersCase, HttpCase):
    def test_my_customers_by_risk_tour(self):
        """The account manager's list in the browser: the customer who left
        is not at its top, the *Left* filter finds him."""
        self.start_tour(
            "/odoo/action-nps_satisfaction.action_nps_my_customers_risk",
            "nps_my_customers_risk_left",
            login=self.sales.login,
        )


@tagged("post_install", "-at_install")
class TestChurnTour(ChurnCase, HttpCase):
    def test_did_they_stay_and_the_analysis(self):
        """The dashboard's *Did they stay?* follows the period; the analysis
        it opens shows no rate for a group without customers and no lift
        where none can be told; its pivot opens by account category with
        the churn rate."""
        self.start_tour(
            "/odoo/action-nps_satisfaction.action_nps_dashboard",
            "nps_churn_figures",
            login=self.nps_user.login,
        )
