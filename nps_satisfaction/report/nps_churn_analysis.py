"""The churn analysis: for a period, the churn rate of customers by what the
suite knew of them a lead time before, each rate with its 95% interval, the
lift of detractors over promoters, and the early warning measured; its
customers open in a pivot and a graph (``nps.churn.line``).

*Compute* stores one row per customer (``nps.churn.row``): ids, not
many2ones, so that PostgreSQL checks no foreign key per row (seven checks a
row cost more than the figures over 100,000 customers, ``./run-benchmark
--churn``). The lines are those rows as the pivot reads them, joined to
their analysis and customer: a deleted customer's row is not shown, and the
rows go with their analysis."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import TableKind, table_kind

from ..models.nps_churn import DIMENSIONS, NEVER
from ..tools import churn_tools, health_tools, score_tools

YES_NO = [("yes", "Yes"), ("no", "No")]
CATEGORY_SELECTION = score_tools.CATEGORY_SELECTION + [(NEVER, "Never answered")]
HEALTH_SELECTION = health_tools.HEALTH_SELECTION + [(NEVER, "Unknown")]
DIMENSION_SELECTION = [
    ("category", "Account category"),
    ("health", "Health"),
    ("followed_up", "Detractors followed up"),
    ("recovered", "Followed up customers recovered"),
]


class NpsChurnAnalysis(models.TransientModel):
    _name = "nps.churn.analysis"
    _description = "Churn by prior satisfaction"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(years=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    lead_days = fields.Integer(
        string="Lead time (days)",
        required=True,
        default=lambda self: self.env.company.nps_churn_lead_days,
        help="Each customer is sorted by what the suite knew of him this many "
        "days before his notice (before the period's end for the customers "
        "who stayed).",
    )
    computed = fields.Boolean(readonly=True)
    customer_count = fields.Integer(
        string="Customers at the reference date",
        readonly=True,
        help="The customers counted: those the suite knew by their reference "
        "date and those who gave notice in the period, less those gone before it.",
    )
    churned_count = fields.Integer(
        string="Lost",
        readonly=True,
        help="Customers who gave notice in the period and did not withdraw "
        "it: gone, or leaving at the end of their notice.",
    )
    saved_count = fields.Integer(
        string="Saved", readonly=True, help="Notices withdrawn: the customer stayed."
    )
    summary = fields.Char(readonly=True)
    lift = fields.Float(
        string="Lift (detractors / promoters)",
        digits=(16, 1),
        readonly=True,
        help="How many times the detractors' churn rate is the promoters'.",
    )
    segment_ids = fields.One2many(
        comodel_name="nps.churn.segment", inverse_name="analysis_id", readonly=True
    )
    # the early warning
    notice_count = fields.Integer(
        string="Gave notice",
        readonly=True,
        help="The customers who gave notice in the period, withdrawn notices included.",
    )
    warned_count = fields.Integer(string="Warned", readonly=True)
    warned_rate = fields.Float(
        string="Notices warned of (%)",
        digits=(16, 1),
        readonly=True,
        help="The notices of the period whose customer was at risk or to "
        "watch at least the lead time before his notice.",
    )
    warned_low = fields.Float(digits=(16, 1), readonly=True)
    warned_high = fields.Float(digits=(16, 1), readonly=True)
    warning_median_days = fields.Float(
        string="Median warning (days)",
        digits=(16, 0),
        readonly=True,
        help="Of the notices warned of: the median number of days from the "
        "start of the customer's warning to his notice.",
    )
    flagged_count = fields.Integer(
        string="At risk or to watch at the start", readonly=True
    )
    flagged_left_count = fields.Integer(string="Then gave notice", readonly=True)
    flagged_rate = fields.Float(
        string="Of them, gave notice (%)", digits=(16, 1), readonly=True
    )
    auc = fields.Float(
        string="Risk score's AUC",
        digits=(16, 2),
        readonly=True,
        help="How well the risk score known at each customer's reference date "
        "ranked those who left above those who stayed: the chance that a "
        "customer who left had the higher score (1: perfect, 0.5: no better "
        "than chance). Empty unless some customers left and some stayed.",
    )

    def _compute_display_name(self):
        for analysis in self:
            analysis.display_name = self.env._("Churn by prior satisfaction")

    @api.constrains("date_from", "date_to", "lead_days")
    def _check_period(self):
        for analysis in self:
            if analysis.date_to < analysis.date_from:
                raise ValidationError(self.env._("The period ends before it starts."))
            self.env["nps.churn"]._nps_check_lead_days(analysis.lead_days)

    def action_compute(self):
        """Count the period's customers by what the suite knew of them, and
        keep them as the analysis's lines for the pivot and the graph."""
        self.ensure_one()
        Churn = self.env["nps.churn"]
        period = (self.date_from, self.date_to, self.lead_days)
        self._nps_store_lines()
        segments = Churn._nps_segments(
            *period,
            rows=SQL("SELECT * FROM nps_churn_row WHERE analysis_ref = %s", self.id),
        )
        warning = Churn._nps_early_warning(*period)
        self.segment_ids.unlink()
        summary, lift = Churn._nps_summary(segments)
        totals, auc = self._nps_totals_and_auc()
        self.write(
            {
                "computed": True,
                **totals,
                "lift": lift or 0.0,
                "summary": summary,
                "segment_ids": self._nps_segment_commands(segments),
                "notice_count": warning.warned.total,
                "warned_count": warning.warned.left,
                "warned_rate": warning.warned.rate or 0.0,
                "warned_low": warning.warned.low or 0.0,
                "warned_high": warning.warned.high or 0.0,
                "warning_median_days": warning.median_days or 0.0,
                "flagged_count": warning.flagged.total,
                "flagged_left_count": warning.flagged.left,
                "flagged_rate": warning.flagged.rate or 0.0,
                "auc": auc if auc is not None else False,
            }
        )
        return True

    def _nps_store_lines(self):
        """The analysis's customers, inserted in one query (its rows of a
        previous Compute deleted)."""
        self._nps_delete_rows()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO nps_churn_row
                       (analysis_ref, partner_ref, termination_ref, notice_date,
                        ref_date, category, account_nps, health, risk_score,
                        followed_up, recovered, churned, saved)
                SELECT %(analysis)s, partner_id, termination_id, notice_date,
                       ref_date, category, account_nps, health, risk_score,
                       followed_up, recovered, churned, saved
                  FROM (%(rows)s) rows
                """,
                analysis=self.id,
                rows=self.env["nps.churn"]._nps_rows_sql(
                    self.date_from, self.date_to, self.lead_days
                ),
            )
        )
        self.env["nps.churn.line"].invalidate_model()

    def _nps_delete_rows(self):
        self.env.cr.execute(
            SQL("DELETE FROM nps_churn_row WHERE analysis_ref = ANY(%s)", self.ids)
        )

    def unlink(self):
        """The analyses' rows go with them (the rows hold no foreign key)."""
        analyses = self.browse(self.ids)
        result = super().unlink()
        analyses._nps_delete_rows()
        return result

    def _nps_totals_and_auc(self):
        """The analysis's counts of customers, of those who left and of
        those saved, and the AUC of the risk score against who left: each
        customer's score as known at his reference date, kept on his row
        (``nps.churn._nps_rows_sql``); None unless both groups have a
        customer. One pass over the rows."""
        self.env.cr.execute(
            SQL(
                """
                SELECT risk_score, churned, count(*), count(*) FILTER (WHERE saved)
                  FROM nps_churn_row WHERE analysis_ref = %s
                 GROUP BY risk_score, churned
                """,
                self.id,
            )
        )
        counted = self.env.cr.fetchall()
        totals = {
            "customer_count": sum(count for _score, _left, count, _saved in counted),
            "churned_count": sum(
                count for _score, left, count, _saved in counted if left
            ),
            "saved_count": sum(saved for *_row, saved in counted),
        }
        auc = churn_tools.auc_counted(
            (score, left, count) for score, left, count, _saved in counted
        )
        return totals, auc

    def _nps_segment_commands(self, segments):
        commands = []
        for sequence, (dimension, value) in enumerate(
            (name, value) for name, values in DIMENSIONS.items() for value in values
        ):
            rate = dict(segments[dimension])[value]
            commands.append(
                fields.Command.create(
                    {
                        "sequence": sequence,
                        "dimension": dimension,
                        "value": value,
                        "customer_count": rate.total,
                        "churned_count": rate.left,
                        "rate": rate.rate or 0.0,
                        "low": rate.low or 0.0,
                        "high": rate.high or 0.0,
                    }
                )
            )
        return commands

    def _nps_open_lines(self, view_mode):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_churn_line"
        )
        action["domain"] = [("analysis_id", "=", self.id)]
        action["view_mode"] = view_mode
        action["views"] = [(False, mode) for mode in view_mode.split(",")]
        return action

    def action_open_pivot(self):
        return self._nps_open_lines("pivot,graph,list")

    def action_open_graph(self):
        return self._nps_open_lines("graph,pivot,list")


class NpsChurnSegment(models.TransientModel):
    _name = "nps.churn.segment"
    _description = "Churn rate of a group of customers"
    _order = "sequence, id"

    analysis_id = fields.Many2one(
        comodel_name="nps.churn.analysis", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    dimension = fields.Selection(selection=DIMENSION_SELECTION, required=True)
    value = fields.Char(required=True)
    label = fields.Char(string="Group", compute="_compute_label")
    customer_count = fields.Integer(string="Customers")
    churned_count = fields.Integer(
        string="Lost",
        help="Customers who gave notice in the period and did not withdraw it.",
    )
    rate = fields.Float(string="Churn rate (%)", digits=(16, 1))
    low = fields.Float(string="From (%)", digits=(16, 1), help="95% Wilson interval")
    high = fields.Float(string="To (%)", digits=(16, 1), help="95% Wilson interval")

    @api.depends("dimension", "value")
    @api.depends_context("lang")
    def _compute_label(self):
        """The group's value as its customers' field reads it, in the
        reader's language."""
        Line = self.env["nps.churn.line"]
        labels = {
            name: dict(Line._fields[name]._description_selection(self.env))
            for name in DIMENSIONS
        }
        for segment in self:
            segment.label = labels.get(segment.dimension, {}).get(
                segment.value, segment.value
            )


class NpsChurnRow(models.Model):
    """A customer of a churn analysis as *Compute* stores him: ids, not
    many2ones, so that storing 100,000 rows checks no foreign key. Read
    through ``nps.churn.line``; written and deleted by SQL only."""

    _name = "nps.churn.row"
    _description = "Stored customer of a churn analysis"
    _log_access = False

    def init(self):
        """Unlogged: the rows are derived data that *Compute* makes again,
        so storing them writes no WAL (a crash empties the table, and an
        analysis then shows its figures without its customers until it is
        computed again)."""
        self.env.cr.execute(
            "SELECT relpersistence FROM pg_class WHERE oid = 'nps_churn_row'::regclass"
        )
        if self.env.cr.fetchone()[0] != "u":
            self.env.cr.execute("ALTER TABLE nps_churn_row SET UNLOGGED")

    analysis_ref = fields.Integer(string="Analysis", required=True, index=True)
    partner_ref = fields.Integer(string="Customer", required=True)
    termination_ref = fields.Integer(string="Termination")
    notice_date = fields.Date()
    ref_date = fields.Date(string="Known as of")
    category = fields.Char()
    account_nps = fields.Float(string="Account NPS")
    health = fields.Char()
    followed_up = fields.Char(string="Detractor followed up")
    recovered = fields.Char()
    risk_score = fields.Integer()
    churned = fields.Boolean(string="Left")
    saved = fields.Boolean()


class NpsChurnLine(models.Model):
    """A customer of a churn analysis, with what the suite knew of him at
    his reference date: the analysis's stored rows joined to it and to the
    customer (his account manager and company as they are), only those of
    customers and analyses that still exist."""

    _name = "nps.churn.line"
    _description = "Customer of a churn analysis"
    _auto = False
    _order = "churned desc, account_nps, id"
    # what the view reads through the ORM's cache, flushed before it is read
    # (the rows are written by SQL)
    _depends = {
        "nps.churn.analysis": ["create_uid"],
        "res.partner": ["company_id", "user_id"],
    }

    analysis_id = fields.Many2one(comodel_name="nps.churn.analysis", readonly=True)
    # the analysis's: its creator's lines (nps_churn_line_rule_own)
    create_uid = fields.Many2one(
        comodel_name="res.users", string="Created by", readonly=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    termination_id = fields.Many2one(comodel_name="nps.termination", readonly=True)
    notice_date = fields.Date(readonly=True)
    ref_date = fields.Date(
        string="Known as of",
        readonly=True,
        help="The lead time before the notice (before the period's end for a "
        "customer who stayed).",
    )
    category = fields.Selection(
        selection=CATEGORY_SELECTION, string="Account category", readonly=True
    )
    account_nps = fields.Float(string="Account NPS", readonly=True, aggregator="avg")
    health = fields.Selection(selection=HEALTH_SELECTION, readonly=True)
    followed_up = fields.Selection(
        selection=YES_NO, string="Detractor followed up", readonly=True
    )
    recovered = fields.Selection(selection=YES_NO, readonly=True)
    risk_score = fields.Integer(
        string="Risk score then",
        readonly=True,
        aggregator="avg",
        help="The customer's risk score known at his reference date (0 when none was).",
    )
    churned = fields.Boolean(string="Left", readonly=True)
    saved = fields.Boolean(readonly=True)
    churn_value = fields.Integer(
        string="Churn rate (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a customer who left, 0 for one who stayed: its average "
        "over a group is the group's churn rate.",
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Account manager", readonly=True
    )

    def init(self):
        cr = self.env.cr
        # an earlier version stored the lines in a table of this name:
        # derived data, which Compute rebuilds
        if table_kind(cr, self._table) == TableKind.Regular:
            cr.execute(SQL("DROP TABLE %s CASCADE", SQL.identifier(self._table)))
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT r.id, r.analysis_ref AS analysis_id, a.create_uid,
                           r.partner_ref AS partner_id, t.id AS termination_id,
                           r.notice_date, r.ref_date, r.category, r.account_nps,
                           r.health, r.followed_up, r.recovered, r.risk_score,
                           r.churned, r.saved,
                           CASE WHEN r.churned THEN 100 ELSE 0 END AS churn_value,
                           p.company_id, p.user_id
                      FROM nps_churn_row r
                      JOIN nps_churn_analysis a ON a.id = r.analysis_ref
                      JOIN res_partner p ON p.id = r.partner_ref
                 LEFT JOIN nps_termination t ON t.id = r.termination_ref
                )
                """,
                SQL.identifier(self._table),
            )
        )
