from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import Form, HttpCase, new_test_user, tagged

from ..tools import account_tools
from .common import NpsCase


@tagged("post_install", "-at_install")
class TestAccountTools(NpsCase):
    """The account arithmetic, as pure functions."""

    def test_account_category_thresholds(self):
        cases = [
            (None, False),
            (100, "promoter"),
            (33.3, "promoter"),
            (30, "promoter"),
            (29.9, "passive"),
            (0, "passive"),
            (-29.9, "passive"),
            (-30, "detractor"),
            (-100, "detractor"),
        ]
        for value, expected in cases:
            self.assertEqual(
                account_tools.account_category(value), expected, f"NPS {value}"
            )

    def test_figures_of_the_latest_scores(self):
        figures = account_tools.account_figures([10, 9, 3])
        self.assertAlmostEqual(figures["nps"], 100 / 3, msg="2 promoters, 1 detractor")
        self.assertAlmostEqual(figures["score"], 22 / 3)
        self.assertEqual((figures["category"], figures["respondents"]), ("promoter", 3))
        self.assertEqual(
            account_tools.account_figures([]),
            {"nps": 0.0, "score": 0.0, "category": False, "respondents": 0},
        )

    def test_before_the_last_answer(self):
        # contact 1 answered 9 then 4 (latest of all), contact 2 answered 10
        now, before = account_tools.account_now_and_before(
            [(1, 1, 4), (2, 1, 10), (1, 2, 9)]
        )
        self.assertEqual((now["score"], now["respondents"]), (7, 2))
        self.assertEqual(
            (before["score"], before["respondents"]),
            (9.5, 2),
            "before, contact 1 counted with his previous answer",
        )
        now, before = account_tools.account_now_and_before([(3, 1, 2), (2, 1, 10)])
        self.assertEqual(
            (before["score"], before["respondents"]),
            (10, 1),
            "a contact's first answer: the account before did not count him",
        )


class AccountCase(NpsCase):
    """Company A with three contacts of different roles, and helpers that
    record answers without the quiet period in the way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a.nps_contact_role = "decision_maker"
        cls.customer_a2.nps_contact_role = "user"
        cls.customer_a3 = cls.env["res.partner"].create(
            {
                "name": "Ada Acme",
                "parent_id": cls.company_a.id,
                "email": "ada@acme.example.com",
                "nps_contact_role": "technical",
            }
        )

    def answer(self, partner, score, campaign=None):
        """An answer of ``partner``, given now, through a survey opened
        without email (the quiet period plays no part here)."""
        request = self.env["nps.request"].create(
            {
                "campaign_id": (campaign or self.campaign).id,
                "partner_id": partner.id,
                "state": "scheduled",
            }
        )
        request._nps_open_without_email("email")
        request._nps_record_answer(score=score)
        return request

    def alerts(self, partner):
        return self.env["nps.followup"].search(
            [
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("kind", "!=", "detractor"),
            ]
        )


@tagged("post_install", "-at_install")
class TestAccountNps(AccountCase):
    def test_each_contact_counts_once_with_his_latest_answer(self):
        self.answer(self.customer_a, 2)
        self.answer(self.customer_a2, 9)
        self.answer(self.customer_a, 10)
        company = self.company_a
        self.assertEqual(company.nps_answer_count, 3)
        self.assertEqual(company.nps_account_respondents, 2, "two contacts answered")
        self.assertAlmostEqual(
            company.nps_account_nps,
            100.0,
            msg="Alice's latest (10) and Arthur's (9): the earlier 2 does not count",
        )
        self.assertEqual(company.nps_account_category, "promoter")
        self.assertAlmostEqual(company.nps_account_score, 9.5)
        self.assertEqual(
            (company.nps_health, company.nps_health_reason),
            ("watch", "open_followup"),
            "Alice's first answer's case is still open",
        )
        first = self.env["nps.followup"].search(
            [("commercial_partner_id", "=", company.id)]
        )
        first.action_cancel()
        self.assertEqual(company.nps_health, "healthy")
        self.assertEqual(
            (self.customer_a.nps_account_nps, self.customer_a.nps_account_respondents),
            (100.0, 1),
            "a contact's own account is his latest answer",
        )

    def test_one_detractor_among_promoters_does_not_flip_the_account(self):
        self.answer(self.customer_a, 10)
        self.answer(self.customer_a2, 9)
        detractor = self.answer(self.customer_a3, 3)
        company = self.company_a
        self.assertAlmostEqual(company.nps_account_nps, 100 / 3)
        self.assertEqual(company.nps_account_category, "promoter")
        self.assertEqual(
            (company.nps_health, company.nps_health_reason),
            ("watch", "open_followup"),
            "one contact's detractor answer puts the account under watch, not at risk",
        )
        case = detractor.sudo().followup_ids
        self.assertEqual(case.kind, "detractor", "the detractor still gets his case")
        self.assertEqual(self.activity_of(detractor).user_id, self.account_manager)
        self.assertFalse(self.alerts(company), "no account alert on top of it")
        self.close_case(detractor, "Called Ada")
        self.assertEqual(case.state, "done")
        self.assertEqual(
            (company.nps_health, company.nps_health_reason), ("healthy", "promoter")
        )
        drop = self.answer(self.customer_a2, 7)
        self.assertEqual(
            company.nps_account_category,
            "passive",
            "a promoter, a passive and a detractor: a passive account (NPS 0)",
        )
        self.assertEqual(drop.sudo().followup_ids.kind, "downgrade")

    def test_detractors_outweighing_put_the_account_at_risk(self):
        self.answer(self.customer_a, 10)
        self.answer(self.customer_a2, 4)
        self.assertEqual(self.company_a.nps_account_category, "passive")
        self.answer(self.customer_a3, 3)
        self.assertAlmostEqual(self.company_a.nps_account_nps, -100 / 3)
        self.assertEqual(self.company_a.nps_account_category, "detractor")
        self.assertEqual(self.company_a.nps_health, "at_risk")

    def test_downgrade_alert_reads_the_account(self):
        self.answer(self.customer_a, 10)
        self.answer(self.customer_a2, 10)
        lower = self.answer(self.customer_a, 8)
        self.assertEqual(self.company_a.nps_account_category, "promoter")
        self.assertFalse(
            lower.sudo().followup_ids,
            "Alice's passive answer beside Arthur's 10 leaves a promoter account",
        )
        second = self.answer(self.customer_a2, 7)
        self.assertEqual(self.company_a.nps_account_category, "passive")
        self.assertEqual(second.sudo().followup_ids.kind, "downgrade")
        self.assertEqual(len(self.alerts(self.company_a)), 1)

    def test_drop_alert_reads_the_account_average(self):
        self.env.company.nps_health_drop_points = 3
        for contact in (self.customer_a, self.customer_a2, self.customer_a3):
            self.answer(contact, 10)
        lower = self.answer(self.customer_a, 7)
        self.assertAlmostEqual(self.company_a.nps_account_trend, -1.0)
        self.assertFalse(
            lower.sudo().followup_ids, "one contact 3 points lower: the account -1"
        )
        self.assertNotEqual(self.company_a.nps_health_reason, "drop")

    def test_single_contact_customer_keeps_the_per_answer_alerts(self):
        self.env.company.nps_health_drop_points = 3
        self.answer(self.customer_b, 10)
        drop = self.answer(self.customer_b, 9)
        self.assertFalse(drop.sudo().followup_ids)
        third = self.answer(self.customer_b, 7)
        self.assertEqual(third.sudo().followup_ids.kind, "downgrade")
        self.assertEqual(self.company_b.nps_health_reason, "open_followup")
        self.assertEqual(self.company_b.nps_health, "watch")


@tagged("post_install", "-at_install")
class TestContactRoleReport(AccountCase):
    """The answers by the role of the contact who gave them."""

    def test_filter_and_group_by_role(self):
        requests = (
            self.answer(self.customer_a, 10)
            | self.answer(self.customer_a2, 3)
            | self.answer(self.customer_a3, 8)
            | self.answer(self.customer_b, 9)
        )
        requests.sent_date = fields.Datetime.now()
        self.env.flush_all()
        Report = self.env["nps.report"]
        domain = [("request_id", "in", requests.ids)]
        rows = dict(Report._read_group(domain, ["contact_role"], ["nps_value:avg"]))
        self.assertEqual(
            rows,
            {"decision_maker": 100.0, "user": -100.0, "technical": 0.0, False: 100.0},
        )
        makers = Report.search(domain + [("contact_role", "=", "decision_maker")])
        self.assertEqual(makers.request_id, requests[0])
        search_view = self.env.ref("nps_satisfaction.nps_report_view_search")
        arch = etree.fromstring(search_view.arch)
        self.assertTrue(arch.xpath("//filter[@name='filter_role_decision_maker']"))
        self.assertTrue(arch.xpath("//filter[@name='groupby_contact_role']"))

    def test_agent_figures_by_role(self):
        request = self.sent_request(self.customer_a)
        request._nps_record_answer(score=9)
        self.env.flush_all()
        rows = self.env["nps.agent.report"]._read_group(
            [("request_id", "=", request.id)], ["contact_role"], ["__count"]
        )
        self.assertEqual(rows, [("decision_maker", 1)])


@tagged("post_install", "-at_install")
class TestPeriodicByRole(AccountCase):
    """A periodic relationship survey goes to the contacts of the roles the
    campaign chooses, each personally; a customer without such a contact
    gets it at the company's address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a4 = cls.env["res.partner"].create(
            {
                "name": "Adam Acme",
                "parent_id": cls.company_a.id,
                "email": "adam@acme.example.com",
                "nps_contact_role": "decision_maker",
            }
        )
        cls.relationship = cls.campaign.copy(
            {
                "name": "Relationship NPS",
                "trigger": "periodic",
                "period_months": 1,
                "partner_domain": str(
                    [("id", "in", (cls.company_a | cls.company_b).ids)]
                ),
                "min_days_between": 30,
                "ticket_stage_ids": [(5, 0, 0)],
                "contact_role_ids": [
                    (
                        6,
                        0,
                        cls.env.ref("nps_satisfaction.contact_role_decision_maker").ids,
                    )
                ],
            }
        )

    def schedule_period(self):
        """Every customer of the campaign once (two a day over two days)."""
        requests = self.env["nps.request"]
        for _day in range(2):
            requests |= self.env["nps.schedule"]._nps_schedule_periodic(
                self.relationship
            )
        return requests

    def test_decision_makers_each_and_the_company_address_without_one(self):
        requests = self.schedule_period()
        by_partner = {r.partner_id: r for r in requests}
        self.assertEqual(
            set(by_partner),
            {self.customer_a, self.customer_a4, self.company_b},
            "Acme's two decision makers, and Beta's address (Bob has no role)",
        )
        self.assertEqual(
            set(requests.mapped("state")),
            {"scheduled"},
            "Acme's second decision maker is not throttled by the first",
        )
        self.assertNotIn(self.customer_a2, requests.partner_id, "a user: not asked")
        self.dispatch()
        self.assertEqual(set(requests.mapped("state")), {"sent"})
        again = self.env["nps.schedule"]._nps_schedule_periodic(self.relationship)
        self.assertFalse(again, "each customer once in the period")

    def test_quiet_period_is_each_contacts_own(self):
        ticket_survey = self.sent_request(self.customer_a)
        self.assertEqual(ticket_survey.state, "sent")
        requests = self.schedule_period()
        state = {r.partner_id: (r.state, r.skip_reason) for r in requests}
        self.assertEqual(state[self.customer_a], ("skipped", "throttled"))
        self.assertEqual(
            state[self.customer_a4][0],
            "scheduled",
            "Alice's ticket survey does not silence Adam",
        )

    def test_company_throttled_by_a_survey_of_a_contact_in_the_batch(self):
        """The campaign's contacts go out in the same batch; another
        campaign's survey of the same customer waits its quiet period."""
        requests = self.schedule_period()
        self.dispatch()
        self.assertEqual(set(requests.mapped("state")), {"sent"})
        ticket = self.close(self.make_tickets(self.customer_a2))
        self.assertEqual(
            (ticket.state, ticket.skip_reason),
            ("skipped", "throttled"),
            "the account was surveyed: its other surveys wait",
        )

    def test_without_roles_the_company_address(self):
        self.relationship.contact_role_ids = False
        requests = self.schedule_period()
        self.assertEqual(requests.partner_id, self.company_a | self.company_b)

    def test_send_wizard_follows_the_roles(self):
        wizard = self.env["nps.campaign.send"].create(
            {
                "campaign_id": self.relationship.id,
                "partner_ids": [(6, 0, (self.company_a | self.customer_b).ids)],
            }
        )
        action = wizard.action_send()
        requests = self.env["nps.request"].search(action["domain"])
        self.assertEqual(
            requests.partner_id,
            self.customer_a | self.customer_a4 | self.customer_b,
            "a company's decision makers; a contact chosen by name himself",
        )

    def test_roles_field_on_periodic_campaign_form(self):
        self.assertEqual(
            self.relationship.contact_role_ids.mapped("code"), ["decision_maker"]
        )
        arch = etree.fromstring(
            self.relationship.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [node] = arch.xpath("//field[@name='contact_role_ids']")
        self.assertEqual(node.get("invisible"), "trigger not in ('periodic', 'date')")


@tagged("post_install", "-at_install")
class TestCustomerForm(AccountCase):
    """The customer's health, last score, account NPS and scores over time on
    its form, and the way to its figures, as its account manager (a
    salesperson with the Internal User rights only) sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="form_sales", groups="base.group_user", name="Sid Sales"
        )
        cls.company_a.user_id = cls.salesman

    def test_form_shows_health_score_and_account(self):
        for score, contact in ((9, self.customer_a), (3, self.customer_a2)):
            self.answer(contact, score)
        company = self.company_a.with_user(self.salesman)
        form = Form(company)
        self.assertEqual(form.nps_health_shown, "watch")
        self.assertEqual(form.nps_last_score_shown, 3)
        self.assertEqual(form.nps_account_respondents_shown, 2)
        self.assertAlmostEqual(form.nps_account_nps_shown, 0.0)
        arch = etree.fromstring(
            company.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [box] = arch.xpath("//div[@name='button_box']")
        health = box.xpath(".//button[@name='action_view_nps_report']")
        self.assertTrue(health, "the health and last score in the button box")
        self.assertTrue(health[0].xpath(".//field[@name='nps_health_shown']"))
        self.assertTrue(health[0].xpath(".//field[@name='nps_last_score_shown']"))
        self.assertTrue(box.xpath(".//field[@name='nps_account_nps_shown']"))
        self.assertTrue(arch.xpath("//field[@name='nps_score_sparkline']"))
        self.assertTrue(arch.xpath("//field[@name='nps_contact_role']"))

    def test_scores_over_time_graph(self):
        scores = [9, 3, 10, 7]
        for index, score in enumerate(scores):
            request = self.answer((self.customer_a, self.customer_a2)[index % 2], score)
            request.answer_date = fields.Datetime.now() - timedelta(days=40 - index)
        svg = str(self.company_a.with_user(self.salesman).nps_score_sparkline)
        self.assertTrue(svg.startswith("<svg"), svg[:80])
        self.assertEqual(svg.count("<circle"), 4, "one point an answer")
        titles = [part.split("</title>")[0] for part in svg.split("<title>")[1:]]
        self.assertEqual(
            [title.rsplit(": ", 1)[1] for title in titles],
            [str(s) for s in scores],
            "oldest first",
        )
        self.assertEqual(svg.count('fill="#d9534f"'), 1, "the detractor's point red")
        # Alice's own form: her answers only
        self.assertEqual(
            str(self.customer_a.with_user(self.salesman).nps_score_sparkline).count(
                "<circle"
            ),
            2,
        )

    def test_report_button_filters_on_the_customer(self):
        mine = self.answer(self.customer_a, 9) | self.answer(self.customer_a2, 4)
        other = self.answer(self.customer_b, 2)
        (mine | other).sent_date = fields.Datetime.now()
        self.env.flush_all()
        company = self.company_a.with_user(self.salesman)
        action = company.action_view_nps_report()
        self.assertEqual(action["res_model"], "nps.report")
        self.assertEqual(action["domain"], [("partner_id", "=", self.company_a.id)])
        Report = self.env["nps.report"].with_user(self.salesman)
        rows = Report.search(action["domain"])
        self.assertEqual(rows.request_id, mine, "his customer's answers")
        [(nps,)] = Report._read_group(action["domain"], [], ["nps_value:avg"])
        self.assertAlmostEqual(nps, 0.0)
        contact_action = self.customer_a.with_user(
            self.salesman
        ).action_view_nps_report()
        self.assertEqual(
            Report.search(contact_action["domain"]).request_id,
            mine[0],
            "a contact's own answers",
        )

    def test_account_manager_does_not_see_another_customer(self):
        self.answer(self.customer_a, 9)
        other = self.answer(self.customer_b, 2)
        other.sent_date = fields.Datetime.now()
        self.env.flush_all()
        action = self.company_b.with_user(self.salesman).action_view_nps_report()
        Report = self.env["nps.report"].with_user(self.salesman)
        self.assertFalse(Report.search(action["domain"]), "Beta is not his customer")
        self.assertFalse(Report.search([("request_id", "=", other.id)]))
        self.assertNotIn(
            "<svg",
            str(self.company_b.with_user(self.salesman).nps_score_sparkline),
            "nor its answers over time",
        )
        self.assertTrue(
            self.env["nps.report"].with_user(self.nps_user).search(action["domain"]),
            "a satisfaction user sees every customer",
        )

    def test_contacts_behind_the_account_nps(self):
        self.answer(self.customer_a, 9)
        self.answer(self.customer_a2, 3)
        action = self.company_a.with_user(self.salesman).action_view_nps_contacts()
        contacts = (
            self.env["res.partner"].with_user(self.salesman).search(action["domain"])
        )
        self.assertEqual(contacts, self.customer_a | self.customer_a2)
        self.assertEqual(
            contacts.mapped("nps_contact_role"), ["decision_maker", "user"]
        )


@tagged("post_install", "-at_install")
class TestCustomerFormTour(AccountCase, HttpCase):
    def test_account_manager_sees_the_evolution_on_the_form(self):
        """The form as the browser draws it: the health, last score and
        account NPS in the button box, the graph of scores in the tab, the
        button to the customer's analysis."""
        salesman = new_test_user(
            self.env, login="tour_sales", groups="base.group_user", name="Tim Sales"
        )
        self.company_a.user_id = salesman
        for index, (contact, score) in enumerate(
            ((self.customer_a, 8), (self.customer_a, 9), (self.customer_a2, 3))
        ):
            request = self.answer(contact, score)
            request.answer_date = fields.Datetime.now() - timedelta(days=30 - index)
        self.assertEqual(self.company_a.nps_health, "watch")
        self.start_tour(
            f"/odoo/res.partner/{self.company_a.id}",
            "nps_customer_evolution",
            login=salesman.login,
        )
