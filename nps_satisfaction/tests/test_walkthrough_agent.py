from odoo.tests import HttpCase, new_test_user, tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestAgentTicketTour(NpsCase, HttpCase):
    """*First steps in Odoo* and *How a survey travels*, as the helpdesk agent
    sees them: an agent with only his own tickets (no satisfaction rights)
    closes a ticket in the browser, with the survey and without it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent_own = new_test_user(
            cls.env,
            login="walk_agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
            name="Walter Walk",
            email="walter@example.com",
        )

    def test_agent_closes_a_ticket_its_survey_is_scheduled(self):
        ticket = self.make_tickets(
            self.customer_a,
            name="No dial tone on line 2",
            user_id=self.agent_own.id,
        )
        self.assertFalse(ticket.nps_request_ids)
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "nps_agent_ticket_surveyed",
            login=self.agent_own.login,
        )
        self.assertEqual(ticket.stage_id, self.stage_done)
        request = ticket.nps_request_ids
        self.assertEqual(len(request), 1, "one survey for the closed ticket")
        self.assertEqual(request.state, "scheduled", request.skip_reason)
        self.assertEqual(request.campaign_id, self.campaign)
        self.assertEqual(request.partner_id, self.customer_a)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "nps.request"), ("res_id", "=", request.id)]
            ),
            "closing sends nothing: the dispatch cron does",
        )

    def test_agent_turns_the_survey_off_then_closes(self):
        ticket = self.make_tickets(
            self.customer_a,
            name="Duplicate of the outage ticket",
            user_id=self.agent_own.id,
        )
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "nps_agent_ticket_opt_out",
            login=self.agent_own.login,
        )
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertTrue(ticket.nps_skip_survey)
        request = ticket.nps_request_ids
        self.assertEqual(len(request), 1, "the skip is recorded, with its reason")
        self.assertEqual(request.state, "skipped")
        self.assertEqual(request.skip_reason, "agent_opt_out")
        self.assertEqual(
            request.skip_note,
            "Duplicate: the customer is surveyed on the outage ticket",
        )
