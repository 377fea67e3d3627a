from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import account_tools, score_tools, stats_tools


class NpsReport(models.Model):
    """One row per survey sent (sent, answered or expired), for graphs and
    pivots. ``nps_value`` is +100 for a promoter, 0 for a passive and -100
    for a detractor, so its average over any grouping is that group's NPS;
    ``answered`` is 100 or 0, so its average is the response rate."""

    _name = "nps.report"
    _description = "Satisfaction analysis"
    _inherit = ["nps.report.measures"]
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
    pilot = fields.Boolean(readonly=True, help="Sent while the campaign was a pilot.")
    answered = fields.Float(
        string="Response rate (%)",
        readonly=True,
        aggregator="avg",
        help="100 when answered, else 0: the average is the response rate.",
    )
    csat_score = fields.Integer(
        string="CSAT answer",
        readonly=True,
        aggregator="avg",
        help="The answer to the 1-5 satisfaction question.",
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
    # NULL on each row (one answer has no margin); its aggregate over any
    # grouping is the margin of that group's NPS (_read_group_select)
    nps_margin = fields.Float(
        string="NPS margin (±)",
        readonly=True,
        aggregator="avg",
        help="The 95% margin of error of the NPS, in points, from the counts "
        "of promoters, passives and detractors: a group's NPS lies within "
        "this many points of its true value, 19 times out of 20. Empty under "
        "5 answers, or when every answer falls in one category.",
    )

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
                   %(measures)s,
                   CASE WHEN r.state = 'answered' THEN 100 ELSE 0 END AS answered,
                   CASE WHEN r.state = 'answered' THEN r.csat_score END AS csat_score,
                   CASE WHEN r.nps_category = 'detractor'
                        THEN CASE WHEN f.state = 'done' THEN 100 ELSE 0 END
                   END AS followup_closed,
                   CASE WHEN r.nps_category = 'detractor' AND f.state = 'done'
                        THEN CASE WHEN f.recovered THEN 100 ELSE 0 END
                   END AS recovery,
                   CASE WHEN f.recovered THEN 1 ELSE 0 END AS recovered_count,
                   NULL::double precision AS nps_margin
              FROM nps_request r
         LEFT JOIN res_partner p ON p.id = r.commercial_partner_id
         LEFT JOIN res_partner ct ON ct.id = r.partner_id
         LEFT JOIN helpdesk_ticket t ON t.id = r.ticket_id
         LEFT JOIN nps_followup f ON f.request_id = r.id
             WHERE r.state IN ('sent', 'answered', 'expired')
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

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        """From the figures by day (``nps.report.day``) when the domain,
        the groups, the measures and the record rules allow it: the same
        figures, a few per cent of the rows to read."""
        summary = self.env["nps.report.day"]
        having_specs = [c.field_expr for c in Domain(having).iter_conditions()]
        summary_domain = summary._nps_summary_domain(
            self, domain, groupby, [*aggregates, *having_specs], order
        )
        if summary_domain is None:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        self.browse().check_access("read")
        if groupby:
            # a key whose fresh rows sum to nothing is no group
            having = Domain(having) & Domain("__count", ">", 0)
        rows = summary.sudo()._read_group(
            summary_domain, groupby, aggregates, having, offset, limit, order
        )
        return [self._nps_from_summary(row) for row in rows]

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        """The pivot's groupings, from the figures by day as ``_read_group``."""
        summary = self.env["nps.report.day"]
        specs = {spec for groupby in grouping_sets for spec in groupby}
        summary_domain = summary._nps_summary_domain(
            self, domain, specs, aggregates, order
        )
        if summary_domain is None:
            return super()._read_grouping_sets(domain, grouping_sets, aggregates, order)
        self.browse().check_access("read")
        sets = summary.sudo()._read_grouping_sets(
            summary_domain, grouping_sets, [*aggregates, "__count"], order
        )
        return [
            [
                self._nps_from_summary(row[:-1])
                for row in rows
                # a key whose fresh rows sum to nothing is no group
                if row[-1] or not groupby
            ]
            for groupby, rows in zip(grouping_sets, sets, strict=True)
        ]

    def _nps_from_summary(self, row):
        """A row of ``nps.report.day``'s groups, its records in this
        environment (read as superuser)."""
        return tuple(
            value.with_env(self.env) if isinstance(value, models.BaseModel) else value
            for value in row
        )

    def _read_group_select(self, aggregate_spec, query):
        """Any aggregate of ``nps_margin`` is the 95% margin of error of the
        group's NPS: 1.96·√(var_pop(nps_value) / n) over its answers (the
        unanswered rows' NULL left out), as ``stats_tools.margin`` computes
        it from counts; NULL under its minimum of answers or without
        variance."""
        if aggregate_spec.partition(":")[0] != "nps_margin":
            return super()._read_group_select(aggregate_spec, query)
        value = SQL(
            "(%s)::double precision",
            self._field_to_sql(self._table, "nps_value", query),
        )
        return SQL(
            """CASE WHEN COUNT(%(value)s) >= %(min_answers)s
                         AND VAR_POP(%(value)s) > 0
                    THEN %(z)s * SQRT(VAR_POP(%(value)s) / COUNT(%(value)s))
               END""",
            value=value,
            min_answers=stats_tools.MIN_ANSWERS,
            z=stats_tools.Z95,
        )

    @api.model
    def _nps_counts(self, domain, groupby=()):
        """The answers of ``domain`` by NPS category, per group of
        ``groupby`` (field names, as ``_read_group`` takes them): a dict of
        ``stats_tools.Counts`` keyed by the tuple of the group's values
        (``()`` without grouping). One aggregate query."""
        summary = self.env["nps.report.day"]
        summary_domain = summary._nps_summary_domain(
            self, domain, groupby, ["nps_value:count"]
        )
        if summary_domain is not None:
            self.browse().check_access("read")
            rows = summary.sudo()._read_group(
                summary_domain,
                groupby,
                ["promoter_count:sum", "passive_count:sum", "detractor_count:sum"],
            )
            counts = {}
            for row in rows:
                values = [int(value) for value in row[len(groupby) :]]
                if any(values):
                    key = self._nps_from_summary(row[: len(groupby)])
                    counts[key] = stats_tools.Counts(*values)
            return counts
        fields_of = {
            score_tools.PROMOTER: 0,
            score_tools.PASSIVE: 1,
            score_tools.DETRACTOR: 2,
        }
        rows = self._read_group(
            Domain.AND([domain, [("nps_category", "!=", False)]]),
            [*groupby, "nps_category"],
            ["__count"],
        )
        counts = defaultdict(lambda: [0, 0, 0])
        for *key, category, count in rows:
            counts[tuple(key)][fields_of[category]] += count
        return {key: stats_tools.Counts(*values) for key, values in counts.items()}

    @api.model
    def _nps_counts_by_period(self, domain, periods, groupby=()):
        """The counts of ``_nps_counts`` for the two periods ``(before,
        start, end)`` of ``stats_tools.period_bounds``: ``(previous,
        current)``, two dicts of Counts by group. One query for both (the
        answers grouped by day, then summed per period)."""
        before, start, end = periods
        by_day = self._nps_counts(
            Domain.AND([domain, [("date", ">=", before), ("date", "<=", end)]]),
            (*groupby, "date:day"),
        )
        previous = defaultdict(stats_tools.Counts)
        current = defaultdict(stats_tools.Counts)
        for (*key, day), counts in by_day.items():
            period = current if day >= start else previous
            period[tuple(key)] += counts
        return dict(previous), dict(current)
