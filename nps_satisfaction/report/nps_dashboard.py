from odoo import api, fields, models

from ..tools import stats_tools

#: the themes *What detractors talk about* shows, the costliest first
TOP_THEMES = 5


class NpsDashboard(models.TransientModel):
    """The "Customer satisfaction" overview: current NPS and its trend,
    response rate, CSAT, the detractors awaiting a follow-up, the customers
    at risk and what detractors talk about. Every figure is one aggregate
    query on ``nps.report`` (``nps.theme.report`` for the themes) or an
    indexed count, whatever the number of answers."""

    _name = "nps.dashboard"
    _description = "Customer satisfaction dashboard"

    period = fields.Selection(
        selection=[
            ("30", "Last 30 days"),
            ("90", "Last 90 days"),
            ("365", "Last 12 months"),
        ],
        default="90",
        required=True,
    )
    nps = fields.Float(string="NPS", compute="_compute_figures", digits=(16, 1))
    nps_previous = fields.Float(
        string="NPS of the period before", compute="_compute_figures", digits=(16, 1)
    )
    nps_trend = fields.Float(string="Trend", compute="_compute_figures", digits=(16, 1))
    nps_margin = fields.Float(
        string="Margin of error (95%)",
        compute="_compute_noise",
        digits=(16, 1),
        help="The NPS of the period lies within this many points of the "
        "customers' true NPS, 19 times out of 20 (0: no margin, see the note).",
    )
    nps_margin_note = fields.Char(
        string="Why no margin",
        compute="_compute_noise",
    )
    nps_change_verdict = fields.Selection(
        selection=stats_tools.VERDICT_SELECTION,
        string="Change against the period before",
        compute="_compute_noise",
        help="Significant: the change of the NPS is larger than the noise of "
        "two samples of this size (95%). Within the noise: it may be chance.",
    )
    nps_change_threshold = fields.Float(
        string="Smallest significant change",
        compute="_compute_noise",
        digits=(16, 1),
        help="With these numbers of answers, a change of the NPS under this "
        "many points is within the noise.",
    )
    response_rate = fields.Float(
        string="Response rate (%)", compute="_compute_figures", digits=(16, 1)
    )
    csat = fields.Float(
        string="CSAT (%)",
        compute="_compute_figures",
        digits=(16, 1),
        help="Share of the CSAT answers (1-5) of the period that are 4 or 5.",
    )
    sent_count = fields.Integer(string="Surveys sent", compute="_compute_figures")
    answer_count = fields.Integer(string="Answers", compute="_compute_figures")
    followup_count = fields.Integer(
        string="Detractors awaiting follow-up", compute="_compute_lists"
    )
    overdue_count = fields.Integer(
        string="Overdue follow-ups", compute="_compute_lists"
    )
    at_risk_count = fields.Integer(string="Customers at risk", compute="_compute_lists")
    followup_ids = fields.Many2many(
        comodel_name="nps.followup",
        string="Awaiting follow-up",
        compute="_compute_lists",
    )
    at_risk_ids = fields.Many2many(
        comodel_name="res.partner",
        string="At risk",
        compute="_compute_lists",
    )
    # stored (on this transient record): each line's button opens its answers
    theme_line_ids = fields.One2many(
        comodel_name="nps.dashboard.theme",
        inverse_name="dashboard_id",
        string="What detractors talk about",
        compute="_compute_theme_lines",
        store=True,
    )

    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = self.env._("Customer satisfaction")

    def _period_bounds(self):
        return stats_tools.period_bounds(
            fields.Date.context_today(self), int(self.period)
        )

    @api.depends("period")
    def _compute_figures(self):
        report = self.env["nps.report"]
        for dashboard in self:
            before, start, end = dashboard._period_bounds()
            [(nps, rate, csat, sent, answers)] = report._read_group(
                [("date", ">=", start), ("date", "<=", end)],
                [],
                [
                    "nps_value:avg",
                    "answered:avg",
                    "csat:avg",
                    "__count",
                    "answer_count:sum",
                ],
            )
            [(previous,)] = report._read_group(
                [("date", ">=", before), ("date", "<", start)],
                [],
                ["nps_value:avg"],
            )
            dashboard.nps = nps or 0.0
            dashboard.nps_previous = previous or 0.0
            dashboard.nps_trend = (
                (nps or 0.0) - previous if previous is not None else 0.0
            )
            dashboard.response_rate = rate or 0.0
            dashboard.csat = csat or 0.0
            dashboard.sent_count = sent
            dashboard.answer_count = answers or 0

    @api.depends("period")
    def _compute_noise(self):
        """The margin of the period's NPS and the verdict on its change:
        the answers of both periods counted by category (one query), the
        arithmetic of ``stats_tools``."""
        report = self.env["nps.report"]
        for dashboard in self:
            previous, current = report._nps_counts_by_period(
                [], dashboard._period_bounds()
            )
            previous = previous.get((), stats_tools.Counts())
            current = current.get((), stats_tools.Counts())
            margin = stats_tools.margin(current)
            comparison = stats_tools.compare(previous, current)
            dashboard.nps_margin = margin or 0.0
            dashboard.nps_margin_note = dashboard._nps_margin_note(current, margin)
            dashboard.nps_change_verdict = comparison.verdict
            dashboard.nps_change_threshold = comparison.threshold or 0.0

    def _nps_margin_note(self, counts, margin):
        if margin is not None:
            return False
        if counts.total < stats_tools.MIN_ANSWERS:
            return self.env._(
                "Not enough answers (%(count)s; a margin needs %(minimum)s).",
                count=counts.total,
                minimum=stats_tools.MIN_ANSWERS,
            )
        return self.env._("No estimate: every answer of the period is in one category.")

    @api.depends("period")
    def _compute_lists(self):
        cases = self.env["nps.followup"]
        partners = self.env["res.partner"]
        followup_domain = [("state", "in", ("open", "in_progress"))]
        followups = cases.search(followup_domain, limit=20, order="date_deadline, id")
        followup_count = cases.search_count(followup_domain)
        overdue_count = cases.search_count(
            followup_domain + [("date_deadline", "<", fields.Date.context_today(self))]
        )
        # the customers still with us: not the database's own company, not
        # those who left
        at_risk_domain = [
            ("is_company", "=", True),
            ("nps_health", "=", "at_risk"),
            ("nps_own_company", "=", False),
            ("nps_left", "=", False),
        ]
        at_risk = partners.search(
            at_risk_domain, limit=20, order="nps_last_survey_date desc"
        )
        at_risk_count = partners.search_count(at_risk_domain)
        for dashboard in self:
            dashboard.followup_ids = followups
            dashboard.followup_count = followup_count
            dashboard.overdue_count = overdue_count
            dashboard.at_risk_ids = at_risk
            dashboard.at_risk_count = at_risk_count

    @api.depends("period")
    def _compute_theme_lines(self):
        """The themes of the period's detractors that cost the NPS the most
        points (``nps.theme.report._nps_theme_figures``), at most
        ``TOP_THEMES``. A saved dashboard's lines are made anew; when the
        form's period changes (not saved yet), the lines are saved at once,
        of no dashboard, so that each one's button works before the
        dashboard is saved (the web client's buttons refuse new lines)."""
        for dashboard in self:
            values = dashboard._theme_line_values()
            if dashboard.id:
                dashboard.theme_line_ids = [fields.Command.clear()] + [
                    fields.Command.create(line) for line in values
                ]
            else:
                dashboard.theme_line_ids = self.env["nps.dashboard.theme"].create(
                    values
                )

    def _theme_line_values(self):
        """The values of the lines of *What detractors talk about*, the
        costliest theme first (then in the themes' order)."""
        self.ensure_one()
        _before, start, end = self._period_bounds()
        figures = self.env["nps.theme.report"]._nps_theme_figures(start, end)
        top = sorted(
            (
                (theme, theme_figures)
                for theme, theme_figures in figures.items()
                if theme_figures.detractor_count
            ),
            key=lambda item: (-item[1].impact, item[0].sequence, item[0].id),
        )[:TOP_THEMES]
        return [
            {
                "sequence": sequence,
                "theme_id": theme.id,
                "impact": theme_figures.impact,
                "detractor_count": theme_figures.detractor_count,
                "answer_count": theme_figures.answer_count,
                "nps": theme_figures.nps or 0.0,
                "comment_share": theme_figures.comment_share,
            }
            for sequence, (theme, theme_figures) in enumerate(top)
        ]

    @api.model
    def action_open(self):
        """Open a fresh dashboard (a transient record: nothing to keep)."""
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer satisfaction"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_followups(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_followup"
        )
        return action

    def action_view_at_risk(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_customer_health"
        )

    def action_view_nps(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_report_nps"
        )
