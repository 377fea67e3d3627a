"""What the comments say, in figures: each theme's answers, its NPS, its
share of the comments and its impact on the NPS (``nps.theme.report``)."""

from collections import namedtuple

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

#: the measures whose rows are weighted by their month's totals: exact
#: when summed by month (``date:month``), given only then
MONTH_MEASURES = frozenset({"comment_share", "impact"})

#: a theme's figures over a period (``NpsThemeReport._nps_theme_figures``)
ThemeFigures = namedtuple(
    "ThemeFigures",
    ["answer_count", "comment_share", "nps", "detractor_count", "impact"],
)


class NpsThemeReport(models.Model):
    """One row per answer and theme its comment mentions (an answer about
    billing and the network is a row of each). Grouped by theme: its
    answers, the NPS of those answers (the average of ``nps_value``, +100 /
    0 / -100), its share of the comments and its impact, the points the
    NPS would gain if the theme's detractors had been passives::

        impact = 100 × detractors mentioning the theme / NPS answers

    Each row carries its part of its month's share and impact (100 over the
    comments, or over the NPS answers, of its company's month), so that
    their sum by month is that month's figure: the month is their grain,
    and they are given only grouped by month (``date:month``). The exact
    figures of any period are ``_nps_theme_figures``'s."""

    _name = "nps.theme.report"
    _description = "Comment themes analysis"
    _inherit = ["nps.report.measures"]
    _auto = False
    _order = "date desc, request_id desc, theme_id"
    _rec_name = "theme_id"

    request_id = fields.Many2one(
        comodel_name="nps.request", string="Answer", readonly=True
    )
    theme_id = fields.Many2one(comodel_name="nps.theme", readonly=True)
    date = fields.Date(string="Sent on", readonly=True)
    answer_date = fields.Datetime(string="Answered on", readonly=True)
    campaign_id = fields.Many2one(comodel_name="nps.campaign", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Account manager", readonly=True
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", string="Helpdesk team", readonly=True
    )
    comment_lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Comment language",
        readonly=True,
    )
    comment = fields.Text(readonly=True)
    detractor_count = fields.Integer(
        string="Detractors", readonly=True, aggregator="sum"
    )
    comment_share = fields.Float(
        string="Share of the comments (%)",
        readonly=True,
        aggregator="sum",
        help="By month: the share of the month's comments that mention the "
        "theme (of its company's comments). Given only grouped by month.",
        # over the company's comments: not an account manager's to read
        groups="nps_satisfaction.group_nps_user",
    )
    impact = fields.Float(
        string="Impact (NPS points)",
        readonly=True,
        aggregator="sum",
        help="By month: the points the month's NPS (its company's) would gain "
        "if the detractors mentioning the theme had been passives: 100 × "
        "those detractors / the month's NPS answers. Given only grouped by "
        "month; the dashboard gives it over its period.",
        groups="nps_satisfaction.group_nps_user",
    )

    def _query(self):
        # The month's totals come by a LEFT JOIN on their unique key:
        # PostgreSQL leaves it out of the queries that use neither measure.
        return SQL(
            """
            SELECT (r.request_id::bigint << 20) | r.theme_id AS id,
                   r.request_id AS request_id,
                   r.theme_id AS theme_id,
                   r.report_date AS date,
                   r.answer_date AS answer_date,
                   r.campaign_id AS campaign_id,
                   r.company_id AS company_id,
                   r.commercial_partner_id AS partner_id,
                   r.user_id AS user_id,
                   r.team_id AS team_id,
                   r.comment_lang AS comment_lang,
                   r.comment AS comment,
                   %(measures)s,
                   CASE WHEN r.nps_category = 'detractor' THEN 1 ELSE 0 END
                        AS detractor_count,
                   CASE WHEN r.has_comment
                        THEN 100.0 / NULLIF(m.comments, 0) ELSE 0 END
                        AS comment_share,
                   CASE WHEN r.nps_category = 'detractor'
                        THEN 100.0 / NULLIF(m.nps_answers, 0) ELSE 0 END
                        AS impact
              FROM (%(answers)s) r
         LEFT JOIN (%(month_totals)s) m
                ON m.company_key = COALESCE(r.company_id, 0)
               AND m.day = r.report_date
            """,
            measures=self._measures_sql(has_comment=SQL("r.has_comment")),
            answers=self._answers_query(themes=True),
            month_totals=self._month_totals_query(),
        )

    def _answers_query(self, themes=False):
        """The answers, with whether each has a comment (``has_comment``),
        or with ``themes`` one row per answer and theme it mentions
        (``request_id``, ``theme_id``): those with a comment, then those
        without, each read from its own partial index on ``nps.request``
        (``_answered_commented_idx``, ``_answered_uncommented_idx``), so
        that the figures read those small indexes, not the table and its
        texts, and PostgreSQL estimates each part from that table's
        statistics."""
        columns = SQL(
            """
            r.id, r.report_date, r.answer_date, r.campaign_id, r.company_id,
            r.commercial_partner_id, r.user_id, r.team_id, r.comment_lang,
            r.comment, r.state, r.score, r.nps_category, r.csat_score
            """
        )
        if themes:
            columns = SQL("rel.request_id, rel.theme_id, %s", columns)
            source = SQL(
                "nps_request_theme_rel rel JOIN nps_request r ON r.id = rel.request_id"
            )
        else:
            source = SQL("nps_request r")
        return SQL(
            """
            SELECT %(columns)s, TRUE AS has_comment
              FROM %(source)s
             WHERE r.state = 'answered' AND r.comment <> ''
             UNION ALL
            SELECT %(columns)s, FALSE AS has_comment
              FROM %(source)s
             WHERE r.state = 'answered' AND (r.comment IS NULL OR r.comment = '')
            """,
            columns=columns,
            source=source,
        )

    def _month_totals_query(self):
        """Each company's day, with its month's NPS answers and comments:
        the answers counted by day (a plain column of the answers'
        indexes), each day given its month's sums, so that a row finds its
        month's totals by its own day. Grouped by its key at last, which
        tells PostgreSQL it is unique (a query that needs no totals leaves
        the join out)."""
        return SQL(
            """
            SELECT company_key, day,
                   MAX(month_nps_answers) AS nps_answers,
                   MAX(month_comments) AS comments
              FROM (SELECT company_key, day,
                           SUM(nps_answers) OVER month AS month_nps_answers,
                           SUM(comments) OVER month AS month_comments
                      FROM (SELECT COALESCE(company_id, 0) AS company_key,
                                   report_date AS day,
                                   COUNT(nps_category) AS nps_answers,
                                   COUNT(*) FILTER (WHERE has_comment) AS comments
                              FROM (%s) a
                             GROUP BY 1, 2) d
                    WINDOW month AS (PARTITION BY company_key,
                                     date_trunc('month', day::timestamp))) w
             GROUP BY 1, 2
            """,
            self._answers_query(),
        )

    def init(self):
        # the rows are read by id (the list, a record's form): an index on
        # the id's expression lets PostgreSQL find them without the view
        tools.create_index(
            self.env.cr,
            "nps_request_theme_rel_report_id_index",
            "nps_request_theme_rel",
            ["((request_id::bigint << 20) | theme_id)"],
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

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
        """The share of the comments and the impact are each month's: their
        sums are given grouped by month only (a total over several months
        would add up months' percentages; ``_nps_theme_figures`` gives a
        period's)."""
        rows = super()._read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )
        return self._nps_month_only(groupby, aggregates, rows)

    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        """The same for the pivot's grouping sets (its totals among them)."""
        results = super()._read_grouping_sets(domain, grouping_sets, aggregates, order)
        return [
            self._nps_month_only(groupby, aggregates, rows)
            for groupby, rows in zip(grouping_sets, results, strict=True)
        ]

    @api.model
    def _nps_month_only(self, groupby, aggregates, rows):
        """``rows`` with the month measures blanked unless grouped by
        month."""
        if "date:month" in groupby:
            return rows
        blank = {
            len(groupby) + index
            for index, spec in enumerate(aggregates)
            if spec.split(":")[0] in MONTH_MEASURES
        }
        if not blank:
            return rows
        return [
            tuple(None if index in blank else value for index, value in enumerate(row))
            for row in rows
        ]

    @api.model
    def _nps_theme_figures(self, date_from, date_to, domain=None):
        """Each theme's exact figures over the answers sent from
        ``date_from`` to ``date_to`` (included) and matching ``domain`` (on
        the fields this report shares with ``nps.report``: campaign, team,
        company, customer, account manager...): ``{theme: ThemeFigures}``,
        where ``answer_count`` is the answers mentioning the theme,
        ``comment_share`` the percentage of the comments that do, ``nps``
        their NPS (None without an NPS answer), ``detractor_count`` their
        detractors and ``impact`` 100 × those detractors / all the NPS
        answers. Two aggregate queries, under the reports' record rules."""
        answers = Domain.AND(
            [
                domain or [],
                [
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
            ]
        )
        summary_domain = self.env["nps.theme.day"]._nps_summary_domain(self, answers)
        if summary_domain is not None:
            return self._nps_theme_figures_summed(answers, summary_domain)
        [(nps_answers, comments)] = self.env["nps.report"]._read_group(
            Domain.AND([answers, [("state", "=", "answered")]]),
            [],
            ["nps_value:count", "comment_count:sum"],
        )
        rows = self._read_group(
            answers,
            ["theme_id"],
            ["__count", "comment_count:sum", "nps_value:avg", "detractor_count:sum"],
        )
        return {
            theme: ThemeFigures(
                answer_count=count,
                comment_share=100.0 * commented / comments if comments else 0.0,
                nps=nps,
                detractor_count=detractors,
                impact=100.0 * detractors / nps_answers if nps_answers else 0.0,
            )
            for theme, count, commented, nps, detractors in rows
        }

    @api.model
    def _nps_theme_figures_summed(self, answers, summary_domain):
        """``_nps_theme_figures`` from the summaries: the themes by day
        (``nps.theme.day``) and the figures by day (``nps.report.day``,
        through ``nps.report``), each a few rows a day. The period's NPS
        answers and comments are its surveys' categories and comments with
        no filter on the state: a survey has a category and a comment only
        once answered."""
        self.browse().check_access("read")
        [(nps_answers, comments)] = self.env["nps.report"]._read_group(
            answers, [], ["nps_value:count", "comment_count:sum"]
        )
        comments = comments or 0
        figures = {}
        by_theme = self.env["nps.theme.day"]._nps_by_theme(summary_domain)
        for theme, sums in by_theme.items():
            count, commented, promoters, passives, detractors = sums
            rated = promoters + passives + detractors
            figures[theme.with_env(self.env)] = ThemeFigures(
                answer_count=count,
                comment_share=100.0 * commented / comments if comments else 0.0,
                nps=100.0 * (promoters - detractors) / rated if rated else None,
                detractor_count=detractors,
                impact=100.0 * detractors / nps_answers if nps_answers else 0.0,
            )
        return figures
