from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import NpsCase


class TestAgentReport(NpsCase):
    """A helpdesk agent without satisfaction rights sees the figures of his
    own tickets only (answers, NPS and CSAT over time, his opt-out rate); a
    team leader those of the teams he leads."""

    def setUp(self):
        super().setUp()
        env = self.env
        self.agent_olga = new_test_user(
            env,
            login="olga",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
            name="Olga Own",
        )
        self.agent_paul = new_test_user(
            env,
            login="paul",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
            name="Paul Other",
        )
        self.leader = new_test_user(
            env,
            login="leader",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_team",
            name="Lea Leader",
        )
        self.team.user_id = self.leader
        # Olga: a promoter (10, "Quick fix", CSAT 5), a detractor (4, CSAT 2),
        # one opt-out
        self.olga_requests = self.env["nps.request"]
        for score, comment, csat in ((10, "Quick fix", 5), (4, "Too slow", 2)):
            ticket = self.make_tickets(
                self.make_customers(1, f"olga{score}"), user_id=self.agent_olga.id
            )
            request = self.close(ticket)
            self.env["nps.dispatch"]._nps_send(request)
            request._nps_record_answer(score=score, comment=comment, csat_score=csat)
            self.olga_requests |= request
        skipped = self.make_tickets(
            self.make_customers(1, "olgaskip"),
            user_id=self.agent_olga.id,
            nps_skip_survey=True,
            nps_skip_reason="Customer asked for no survey",
        )
        self.close(skipped)
        # Paul, in another team: a passive
        ticket = self.make_tickets(
            self.make_customers(1, "paul"),
            user_id=self.agent_paul.id,
            team_id=self.team_other.id,
        )
        self.paul_request = self.close(ticket)
        self.env["nps.dispatch"]._nps_send(self.paul_request)
        self.paul_request._nps_record_answer(score=7, comment="Paul's customer")
        self.env.flush_all()

    def figures(self, user):
        Report = self.env["nps.agent.report"].with_user(user)
        [(nps, csat, answered, opt_out, count)] = Report._read_group(
            [],
            [],
            [
                "nps_value:avg",
                "csat:avg",
                "answered:avg",
                "agent_opt_out:avg",
                "__count",
            ],
        )
        return {
            "nps": nps,
            "csat": csat,
            "answered": answered,
            "opt_out": opt_out,
            "count": count,
        }

    def test_agent_sees_his_own_answers_only(self):
        rows = self.env["nps.agent.report"].with_user(self.agent_olga).search([])
        self.assertEqual(set(rows.mapped("agent_id")), {self.agent_olga})
        self.assertIn("Quick fix", rows.mapped("comment"))
        self.assertNotIn("Paul's customer", rows.mapped("comment"), "not Paul's")
        self.assertFalse(
            self.env["nps.agent.report"]
            .with_user(self.agent_olga)
            .search([("request_id", "=", self.paul_request.id)])
        )

    def test_a_reassigned_ticket_keeps_its_answer_with_its_agent(self):
        """An answered survey counts for the agent who held the ticket:
        Olga handing her closed ticket to Paul (her own rights allow it)
        does not move her detractor into Paul's figures."""
        detractor = self.olga_requests[1]
        ticket = detractor.ticket_id.with_user(self.agent_olga)
        ticket.write({"user_id": self.agent_paul.id})
        self.env.flush_all()
        self.assertEqual(detractor.agent_id, self.agent_olga)
        self.assertFalse(
            self.env["nps.agent.report"]
            .with_user(self.agent_paul)
            .search([("request_id", "=", detractor.id)]),
            "not in Paul's figures",
        )
        self.assertEqual(self.figures(self.agent_olga)["nps"], 0.0)
        # a survey not answered yet follows the ticket to its new agent
        ticket = self.make_tickets(
            self.make_customers(1, "olgasent"), user_id=self.agent_olga.id
        )
        pending = self.close(ticket)
        ticket.write({"user_id": self.agent_paul.id})
        self.assertEqual(pending.agent_id, self.agent_paul)

    def test_agent_figures(self):
        figures = self.figures(self.agent_olga)
        self.assertEqual(figures["count"], 3, "two answers and one opt-out")
        self.assertEqual(figures["nps"], 0.0, "one promoter, one detractor")
        self.assertEqual(figures["csat"], 50.0, "one CSAT answer of two is 4 or 5")
        self.assertEqual(figures["answered"], 100.0, "on the surveys sent")
        self.assertAlmostEqual(figures["opt_out"], 100 / 3, 2)

    def test_nps_over_time(self):
        rows = (
            self.env["nps.agent.report"]
            .with_user(self.agent_olga)
            ._read_group([], ["date:month"], ["nps_value:avg"])
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1], 0.0)

    def test_team_leader_sees_his_team(self):
        rows = self.env["nps.agent.report"].with_user(self.leader).search([])
        self.assertEqual(set(rows.mapped("team_id")), {self.team})
        self.assertEqual(self.figures(self.leader)["count"], 3)
        self.assertNotIn(self.paul_request, rows.request_id, "not another team's")

    def test_satisfaction_user_sees_every_agent(self):
        rows = self.env["nps.agent.report"].with_user(self.nps_user).search([])
        self.assertLessEqual(
            self.agent_olga | self.agent_paul, rows.agent_id, "every agent"
        )

    def test_no_figures_without_helpdesk_or_satisfaction_rights(self):
        salesman = new_test_user(self.env, login="sam", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["nps.agent.report"].with_user(salesman).search([])

    def test_menu_for_agents(self):
        menu = self.env.ref("nps_satisfaction.menu_nps_agent_report")
        visible = self.env["ir.ui.menu"].with_user(self.agent_olga)._visible_menu_ids()
        self.assertIn(menu.id, visible)
