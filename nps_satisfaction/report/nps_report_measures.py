from odoo import fields, models
from odoo.tools import SQL

from ..tools import score_tools


class NpsReportMeasures(models.AbstractModel):
    """The measures every satisfaction report averages or sums over its
    rows, one row per survey (``nps.report``, ``nps.agent.report``), and
    the SQL that gives them from a survey ``r``."""

    _name = "nps.report.measures"
    _description = "Satisfaction report measures"

    score = fields.Integer(readonly=True, aggregator="avg")
    nps_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION, string="Category", readonly=True
    )
    nps_value = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        help="+100 promoter, 0 passive, -100 detractor: the average is the NPS.",
    )
    csat = fields.Float(
        string="CSAT (%)",
        readonly=True,
        aggregator="avg",
        help="On CSAT answers (1-5): 100 for 4 or 5, else 0: the average is "
        "the CSAT, the share of satisfied answers.",
    )
    answer_count = fields.Integer(string="Answers", readonly=True, aggregator="sum")
    comment_count = fields.Integer(
        string="Comments",
        readonly=True,
        aggregator="sum",
        help="The answers with a comment.",
    )

    def _measures_sql(self, has_comment=None):
        """The columns of the measures above, from the survey ``r``;
        ``has_comment``: the SQL of whether it has a comment, where the
        report knows it without reading the text (by default, its text)."""
        return SQL(
            """
            CASE WHEN r.state = 'answered' THEN r.score END AS score,
            r.nps_category AS nps_category,
            CASE r.nps_category
                 WHEN 'promoter' THEN 100
                 WHEN 'passive' THEN 0
                 WHEN 'detractor' THEN -100
            END AS nps_value,
            CASE WHEN r.state = 'answered' THEN %s END AS csat,
            CASE WHEN r.state = 'answered' THEN 1 ELSE 0 END AS answer_count,
            CASE WHEN %s THEN 1 ELSE 0 END AS comment_count
            """,
            score_tools.csat_value_sql(SQL("r.csat_score")),
            has_comment or SQL("COALESCE(r.comment, '') <> ''"),
        )
