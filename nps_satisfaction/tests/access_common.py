from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .access_matrix import ROLES, expectations
from .common import NpsCase


class _Rollback(Exception):
    """Leaves a savepoint undone, carrying the operation's outcome."""

    def __init__(self, outcome):
        super().__init__(outcome)
        self.outcome = outcome


class AccessMatrixCase(NpsCase):
    """One user per role of the access-rights matrix, customer A's answered
    request (its ticket belongs to another agent) and B's, and
    ``check_matrix(rows)`` that runs each cell as the role's user."""

    def setUp(self):
        super().setUp()
        self._setup_matrix_users()
        self._setup_matrix_requests()
        self._setup_matrix_team_leader()
        self._setup_matrix_own_answer()
        self.campaign_main = self.campaign.copy(
            {"name": "Main company survey", "company_id": self.env.company.id}
        )

    # The helpers' names differ from NpsCase's class set-up helpers
    # (``_setup_users``...), which its setUpClass calls on this class too.

    def _setup_matrix_users(self):
        """A user per role of the matrix, ``role_users`` by role (the team
        leader comes with ``_setup_matrix_team_leader``)."""
        env = self.env
        self.other_company = env["res.company"].create({"name": "Other Telco"})
        self.portal_a = new_test_user(
            env,
            login="matrix_portal_a",
            groups="base.group_portal",
            partner_id=self.customer_a.id,
        )
        self.portal_b = new_test_user(
            env,
            login="matrix_portal_b",
            groups="base.group_portal",
            partner_id=self.customer_b.id,
        )
        self.agent_own = new_test_user(
            env,
            login="matrix_agent_own",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
            name="Olga Own",
        )
        self.sales_manager = new_test_user(
            env,
            login="matrix_account_manager",
            groups="base.group_user",
            name="Sam Sales",
        )
        # customer A's account manager: a salesperson with no satisfaction rights
        self.company_a.user_id = self.sales_manager
        self.other_manager = new_test_user(
            env,
            login="matrix_other_manager",
            groups="base.group_user,nps_satisfaction.group_nps_manager",
            company_id=self.other_company.id,
            company_ids=[(6, 0, self.other_company.ids)],
            name="Otto Other",
        )
        self.role_users = {
            "public": env.ref("base.public_user"),
            "portal_a": self.portal_a,
            "portal_b": self.portal_b,
            "agent_own": self.agent_own,
            "account_manager": self.sales_manager,
            "nps_user": self.nps_user,
            "nps_manager": self.manager,
            "other_company": self.other_manager,
        }

    def _setup_matrix_requests(self):
        """A's and B's answered requests, the own-ticket agent's closed one."""
        self.request_a = self.sent_request(self.customer_a)
        self.request_a._nps_record_answer(score=4, comment="Slow answers")
        self.theme = self.env.ref("nps_satisfaction.nps_theme_support_speed")
        self.request_b = self.sent_request(self.customer_b)
        # B has no account manager: the team leader follows B up
        self.request_b._nps_record_answer(score=3)
        own_ticket = self.make_tickets(
            self.make_customers(1, "own"), user_id=self.agent_own.id
        )
        self.request_own = self.close(own_ticket)

    def _setup_matrix_team_leader(self):
        # an agent of the team's tickets who leads the team of A's ticket and
        # of the own-ticket agent's (after the answers: B's case stays with
        # the helpdesk manager who led the team then)
        self.matrix_leader = new_test_user(
            self.env,
            login="matrix_team_leader",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_team",
            name="Tess Leader",
        )
        self.team.write(
            {
                "user_id": self.matrix_leader.id,
                "user_ids": [(4, self.matrix_leader.id)],
            }
        )
        self.role_users["team_leader"] = self.matrix_leader

    def _setup_matrix_own_answer(self):
        """A survey of the own-ticket agent's ticket, sent and answered."""
        answered_ticket = self.make_tickets(
            self.make_customers(1, "ownfig"), user_id=self.agent_own.id
        )
        self.request_own_answered = self.close(answered_ticket)
        self.env["nps.dispatch"]._nps_send(self.request_own_answered)
        self.request_own_answered._nps_record_answer(score=9)

    def role_env(self, role):
        user = self.role_users[role]
        return self.env(
            user=user,
            context=dict(self.env.context, allowed_company_ids=user.company_ids.ids),
        )

    def run_cell(self, method, role):
        """(True, "") when the operation succeeded as this role, (False,
        why) when it was refused or found nothing; its writes are undone
        either way."""
        env = self.role_env(role)
        try:
            with self.env.cr.savepoint():
                try:
                    outcome = (bool(method(env)), "found nothing")
                except AccessError as error:
                    outcome = (False, str(error).splitlines()[0])
                env.flush_all()
                raise _Rollback(outcome)
        except _Rollback as done:
            self.env.invalidate_all()
            return done.outcome

    def check_matrix(self, rows):
        """Run every cell of ``rows``; fail with the list of cells that
        differ from the table."""
        wrong = []
        for row in rows:
            method = getattr(self, f"op_{row[2]}")
            for role, allowed in expectations(row).items():
                got, why = self.run_cell(method, role)
                if got != allowed:
                    wrong.append(
                        f"{row[0]}: {row[1]} as {role}: "
                        f"{'allowed' if got else f'refused ({why})'}, the table "
                        f"says {'allowed' if allowed else 'refused'}"
                    )
        self.assertFalse(wrong, "access matrix:\n" + "\n".join(wrong))
        self.assertEqual(len(ROLES), len(self.role_users))

    @staticmethod
    def reach(env, record, fields):
        """Read ``fields`` of ``record`` as ``env``'s user: the record when
        visible, an empty recordset when a record rule hides it."""
        found = env[record._name].search([("id", "=", record.id)])
        if found:
            found.read(fields)
        return found
