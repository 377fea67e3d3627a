from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class NpsCase(TransactionCase):
    """Shared set-up: the shipped post-ticket campaign, one user per role,
    customers of two companies and helpers to make and close tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.stage_new = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.campaign = env.ref("nps_satisfaction.campaign_post_ticket")
        cls.campaign_project = env.ref("nps_satisfaction.campaign_post_installation")
        cls.survey = cls.campaign.survey_id

        cls.manager = new_test_user(
            env,
            login="nps_manager",
            groups="base.group_user,nps_satisfaction.group_nps_manager",
            name="Nina Manager",
            email="nina@example.com",
        )
        cls.nps_user = new_test_user(
            env,
            login="nps_user",
            groups="base.group_user,nps_satisfaction.group_nps_user",
            name="Ulrich User",
            email="ulrich@example.com",
        )
        cls.account_manager = new_test_user(
            env,
            login="account_manager",
            groups="base.group_user,nps_satisfaction.group_nps_user",
            name="Anna Account",
            email="anna@example.com",
        )
        cls.team_leader = new_test_user(
            env,
            login="team_leader",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
            name="Theo Leader",
            email="theo@example.com",
        )
        cls.agent = new_test_user(
            env,
            login="agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            name="Agnes Agent",
            email="agnes@example.com",
        )
        cls.team = env["helpdesk.ticket.team"].create(
            {"name": "Voice support", "user_id": cls.team_leader.id}
        )
        cls.team_other = env["helpdesk.ticket.team"].create({"name": "Billing"})
        cls.company_a = env["res.partner"].create(
            {
                "name": "Acme Telecom Client",
                "is_company": True,
                "email": "office@acme.example.com",
                "user_id": cls.account_manager.id,
            }
        )
        cls.customer_a = env["res.partner"].create(
            {
                "name": "Alice Acme",
                "parent_id": cls.company_a.id,
                "email": "alice@acme.example.com",
            }
        )
        cls.customer_a2 = env["res.partner"].create(
            {
                "name": "Arthur Acme",
                "parent_id": cls.company_a.id,
                "email": "arthur@acme.example.com",
            }
        )
        cls.company_b = env["res.partner"].create(
            {
                "name": "Beta Networks",
                "is_company": True,
                "email": "hq@beta.example.com",
            }
        )
        cls.customer_b = env["res.partner"].create(
            {
                "name": "Bob Beta",
                "parent_id": cls.company_b.id,
                "email": "bob@beta.example.com",
            }
        )
        # An alias domain gives Odoo 19 a default sender
        env.company.email = "care@telco.example.com"

    def make_tickets(self, partners, **values):
        return self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Ticket {index}",
                    "description": "A problem",
                    "partner_id": partner.id,
                    "team_id": values.get("team_id", self.team.id),
                    "user_id": values.get("user_id", self.agent.id),
                    "stage_id": self.stage_new.id,
                    **{
                        k: v
                        for k, v in values.items()
                        if k not in ("team_id", "user_id")
                    },
                }
                for index, partner in enumerate(partners)
            ]
        )

    def close(self, tickets, stage=None):
        tickets.write({"stage_id": (stage or self.stage_done).id})
        return tickets.nps_request_ids

    def make_customers(self, count, prefix="cust"):
        return self.env["res.partner"].create(
            [
                {"name": f"{prefix} {index}", "email": f"{prefix}{index}@example.com"}
                for index in range(count)
            ]
        )

    def sent_request(self, partner=None):
        """A request closed, dispatched and waiting for its answer."""
        ticket = self.make_tickets(partner or self.customer_a)
        request = self.close(ticket)
        self.assertEqual(request.state, "scheduled", request.skip_reason)
        self.dispatch()
        self.assertEqual(request.state, "sent")
        return request

    def dispatch(self):
        return self.env["nps.request"]._nps_dispatch_due()

    def past(self, days):
        return fields.Datetime.now() - timedelta(days=days)
