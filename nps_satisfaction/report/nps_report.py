from odoo import fields, models, tools
from odoo.tools import SQL

from ..tools import account_tools, score_tools


class NpsReport(models.Model):
    """One row per survey sent (sent, answered or expired), for graphs and
    pivots. ``nps_value`` is +100 for a promoter, 0 for a passive and -100
    for a detractor, so its average over any grouping is that group's NPS;
    ``answered`` is 100 or 0, so its average is the response rate."""

    _name = "nps.report"
    _description = "Satisfaction analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "partner_id"

    request_id = fields.Many2one(comodel_name="nps.request", readonly=True)
    date = fields.Date(string="Sent on", readonly=True)
    answer_date = fields.Datetime(string="Answered on", readonly=True)
    campaign_id = fields.Many2one(comodel_name="nps.campaign", readonly=True)
    trigger = fields.Selection(
        selection=lambda self: self.env["nps.campaign"]
        ._fields["trigger"]
        ._description_selection(self.env),
        readonly=True,
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    contact_id = fields.Many2one(comodel_name="res.partner", readonly=True)
    contact_role = fields.Selection(
        selection=account_tools.CONTACT_ROLE_SELECTION,
        string="Contact role",
        readonly=True,
        help="The role of the contact who answered, at the customer.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Account manager", readonly=True
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", string="Helpdesk team", readonly=True
    )
    agent_id = fields.Many2one(comodel_name="res.users", readonly=True)
    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", readonly=True)
    category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category",
        string="Ticket category",
        readonly=True,
    )
    project_id = fields.Many2one(comodel_name="project.project", readonly=True)
    service_type_id = fields.Many2one(
        comodel_name="nps.service.type",
        string="Service type",
        readonly=True,
        help="The customer's main service.",
    )
    country_id = fields.Many2one(comodel_name="res.country", readonly=True)
    state_id = fields.Many2one(
        comodel_name="res.country.state", string="Region", readonly=True
    )
    channel = fields.Selection(
        selection=lambda self: self.env["nps.request"]
        ._fields["channel"]
        ._description_selection(self.env),
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("sent", "Waiting"),
            ("answered", "Answered"),
            ("expired", "Expired"),
        ],
        readonly=True,
    )
    score = fields.Integer(readonly=True, aggregator="avg")
    pilot = fields.Boolean(readonly=True, help="Sent while the campaign was a pilot.")
    nps_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION, string="Category", readonly=True
    )
    nps_value = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        help="+100 promoter, 0 passive, -100 detractor: the average is the NPS.",
    )
    answered = fields.Float(
        string="Response rate (%)",
        readonly=True,
        aggregator="avg",
        help="100 when answered, else 0: the average is the response rate.",
    )
    csat = fields.Float(
        string="CSAT",
        readonly=True,
        aggregator="avg",
        help="The post-ticket satisfaction score (0-10) of CSAT campaigns.",
    )
    followup_closed = fields.Float(
        string="Follow-up closure rate (%)",
        readonly=True,
        aggregator="avg",
        help="On detractors: 100 when the follow-up is done, else 0.",
    )
    recovery = fields.Float(
        string="Recovery rate (%)",
        readonly=True,
        aggregator="avg",
        help="On followed-up detractors: 100 when the follow-up survey was "
        "answered passive or promoter, else 0.",
    )
    recovered_count = fields.Integer(
        string="Recovered detractors", readonly=True, aggregator="sum"
    )
    answer_count = fields.Integer(string="Answers", readonly=True, aggregator="sum")

    def _query(self):
        # LEFT JOINs on unique keys: PostgreSQL drops the ones a grouping
        # does not use, so the NPS by month reads nps_request alone.
        return SQL(
            """
            SELECT r.id AS id,
                   r.id AS request_id,
                   r.report_date AS date,
                   r.answer_date AS answer_date,
                   r.campaign_id AS campaign_id,
                   r.trigger AS trigger,
                   r.company_id AS company_id,
                   r.commercial_partner_id AS partner_id,
                   r.partner_id AS contact_id,
                   ct.nps_contact_role AS contact_role,
                   r.user_id AS user_id,
                   r.team_id AS team_id,
                   r.agent_id AS agent_id,
                   r.ticket_id AS ticket_id,
                   t.category_id AS category_id,
                   r.project_id AS project_id,
                   p.nps_main_service_type_id AS service_type_id,
                   p.country_id AS country_id,
                   p.state_id AS state_id,
                   r.channel AS channel,
                   r.state AS state,
                   COALESCE(r.pilot, FALSE) AS pilot,
                   CASE WHEN r.state = 'answered' THEN r.score END AS score,
                   r.nps_category AS nps_category,
                   CASE r.nps_category
                        WHEN 'promoter' THEN 100
                        WHEN 'passive' THEN 0
                        WHEN 'detractor' THEN -100
                   END AS nps_value,
                   CASE WHEN r.state = 'answered' THEN 100 ELSE 0 END AS answered,
                   CASE WHEN r.state = 'answered' AND c.measures_csat
                        THEN r.score END AS csat,
                   CASE WHEN r.nps_category = 'detractor'
                        THEN CASE WHEN f.state = 'done' THEN 100 ELSE 0 END
                   END AS followup_closed,
                   CASE WHEN r.nps_category = 'detractor' AND f.state = 'done'
                        THEN CASE WHEN f.recovered THEN 100 ELSE 0 END
                   END AS recovery,
                   CASE WHEN f.recovered THEN 1 ELSE 0 END AS recovered_count,
                   CASE WHEN r.state = 'answered' THEN 1 ELSE 0 END AS answer_count
              FROM nps_request r
         LEFT JOIN nps_campaign c ON c.id = r.campaign_id
         LEFT JOIN res_partner p ON p.id = r.commercial_partner_id
         LEFT JOIN res_partner ct ON ct.id = r.partner_id
         LEFT JOIN helpdesk_ticket t ON t.id = r.ticket_id
         LEFT JOIN nps_followup f ON f.request_id = r.id
             WHERE r.state IN ('sent', 'answered', 'expired')
            """
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
