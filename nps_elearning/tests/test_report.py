from datetime import timedelta

from odoo.tests import tagged

from .common import OnboardingCase


@tagged("post_install", "-at_install")
class TestReport(OnboardingCase):
    """A known data set: three customers onboarded 120 days ago. Acme
    completed its onboarding and opened 1 ticket in its first 90 days (and
    one later, not counted); Beta and Gamma did not complete and opened 3
    and 1 tickets in theirs."""

    def ticket(self, partner, days_after, start):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Question", "description": "How?", "partner_id": partner.id}
        )
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            (start + timedelta(days=days_after), ticket.id),
        )
        return ticket

    def test_tickets_in_first_90_days_by_completion(self):
        gamma = self.env["res.partner"].create(
            {"name": "Gamma", "is_company": True, "email": "g@gamma.example.com"}
        )
        self.company_a.nps_service_type_ids = self.pbx
        self.company_b.nps_service_type_ids = self.pbx
        gamma.nps_service_type_ids = self.sip
        start = self.past(120)
        self.members().write({"nps_enrolled_date": start})
        for member in self.members(partners=self.alice | self.arthur):
            self.complete(member)
        self.complete(self.members(self.course_pbx, self.bob), 1)
        self.ticket(self.alice, 10, start)
        self.ticket(self.alice, 100, start)
        for days in (1, 20, 89):
            self.ticket(self.bob, days, start)
        self.ticket(gamma, 30, start)
        self.ticket(gamma, -5, start)  # before onboarding: not counted
        self.env.flush_all()

        report = self.env["nps.onboarding.report"]
        customers = self.company_a | self.company_b | gamma
        rows = report.search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(rows), 3, "one row per onboarded customer")
        by_customer = {row.partner_id: row for row in rows}
        self.assertEqual(by_customer[self.company_a].onboarding_state, "completed")
        self.assertEqual(by_customer[self.company_a].ticket_count, 1)
        self.assertEqual(by_customer[self.company_a].learner_count, 2)
        self.assertEqual(by_customer[self.company_b].ticket_count, 3)
        self.assertTrue(all(rows.mapped("window_over")))

        groups = report.formatted_read_group(
            [("partner_id", "in", customers.ids)],
            ["onboarding_state"],
            ["customer_count:sum", "ticket_count:sum", "ticket_avg:avg"],
        )
        figures = {
            g["onboarding_state"]: (
                g["customer_count:sum"],
                g["ticket_count:sum"],
                g["ticket_avg:avg"],
            )
            for g in groups
        }
        self.assertEqual(
            figures,
            {"completed": (1, 1, 1.0), "not_completed": (2, 4, 2.0)},
            "counts and per-customer averages of tickets in the first 90 days",
        )

    def test_customer_onboarded_in_period_filter(self):
        self.company_a.nps_service_type_ids = self.pbx
        self.members().write({"nps_enrolled_date": self.past(400)})
        self.env.flush_all()
        report = self.env["nps.onboarding.report"]
        self.assertFalse(
            report.search(
                [
                    ("partner_id", "=", self.company_a.id),
                    ("onboarding_date", ">=", self.past(365)),
                ]
            ),
            "a customer onboarded before the period is not in it",
        )
        self.assertTrue(report.search([("partner_id", "=", self.company_a.id)]))
