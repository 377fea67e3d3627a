from odoo import fields, models, tools
from odoo.tools import SQL

from ..tools import account_tools


class NpsAgentReport(models.Model):
    """A helpdesk agent's own satisfaction figures: one row per survey of a
    ticket, sent (sent, answered, expired) or left out by the agent's
    opt-out. Record rules give an agent the rows of his own tickets and a
    team leader those of the teams he leads; satisfaction users see all.
    ``nps_value`` averages to the NPS, ``answered`` (sent surveys only) to
    the response rate, ``agent_opt_out`` to the share of surveys the agent
    chose not to send."""

    _name = "nps.agent.report"
    _description = "Satisfaction figures of helpdesk agents"
    _inherit = ["nps.report.measures"]
    _auto = False
    _order = "date desc"
    _rec_name = "ticket_id"

    request_id = fields.Many2one(comodel_name="nps.request", readonly=True)
    date = fields.Date(readonly=True, help="The day the survey was sent or decided.")
    answer_date = fields.Datetime(string="Answered on", readonly=True)
    agent_id = fields.Many2one(comodel_name="res.users", readonly=True)
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", string="Helpdesk team", readonly=True
    )
    team_leader_id = fields.Many2one(
        comodel_name="res.users", string="Team leader", readonly=True
    )
    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    contact_role = fields.Selection(
        selection=account_tools.CONTACT_ROLE_SELECTION,
        string="Contact role",
        readonly=True,
        help="The role of the contact who answered, at the customer.",
    )
    campaign_id = fields.Many2one(comodel_name="nps.campaign", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    state = fields.Selection(
        selection=[
            ("sent", "Waiting"),
            ("answered", "Answered"),
            ("expired", "Expired"),
            ("skipped", "Not sent: agent opt-out"),
        ],
        readonly=True,
    )
    comment = fields.Text(readonly=True)
    answered = fields.Float(
        string="Response rate (%)",
        readonly=True,
        aggregator="avg",
        help="On sent surveys: 100 when answered, else 0.",
    )
    agent_opt_out = fields.Float(
        string="Agent opt-out (%)",
        readonly=True,
        aggregator="avg",
        help="100 when the agent chose not to survey the ticket, else 0: the "
        "average is the opt-out rate.",
    )

    def _query(self):
        return SQL(
            """
            SELECT r.id AS id,
                   r.id AS request_id,
                   COALESCE(r.report_date, r.create_date::date) AS date,
                   r.answer_date AS answer_date,
                   r.agent_id AS agent_id,
                   t.team_id AS team_id,
                   tm.user_id AS team_leader_id,
                   r.ticket_id AS ticket_id,
                   r.commercial_partner_id AS partner_id,
                   ct.nps_contact_role AS contact_role,
                   r.campaign_id AS campaign_id,
                   r.company_id AS company_id,
                   r.state AS state,
                   r.comment AS comment,
                   %(measures)s,
                   CASE WHEN r.state = 'skipped' THEN NULL
                        WHEN r.state = 'answered' THEN 100 ELSE 0 END AS answered,
                   CASE WHEN r.state = 'skipped' THEN 100 ELSE 0 END
                        AS agent_opt_out
              FROM nps_request r
              JOIN helpdesk_ticket t ON t.id = r.ticket_id
         LEFT JOIN helpdesk_ticket_team tm ON tm.id = t.team_id
         LEFT JOIN res_partner ct ON ct.id = r.partner_id
             WHERE (r.state IN ('sent', 'answered', 'expired')
                    OR (r.state = 'skipped' AND r.skip_reason = 'agent_opt_out'))
               -- an answer the ticket's agent recorded himself (by phone)
               -- never counts in his own figures
               AND r.answer_recorded_by_id IS DISTINCT FROM r.agent_id
            """,
            measures=self._measures_sql(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
