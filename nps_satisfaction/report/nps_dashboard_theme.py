from odoo import fields, models


class NpsDashboardTheme(models.TransientModel):
    """A line of the dashboard's *What detractors talk about*: a theme and
    its figures over the dashboard's period (``nps.theme.report.
    _nps_theme_figures``), the themes costing the most NPS points first."""

    _name = "nps.dashboard.theme"
    _description = "Dashboard: a theme detractors talk about"
    _order = "sequence, id"

    # empty for the lines of a period chosen in the form, not saved yet
    dashboard_id = fields.Many2one(
        comodel_name="nps.dashboard", ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    theme_id = fields.Many2one(
        comodel_name="nps.theme", required=True, ondelete="cascade"
    )
    impact = fields.Float(
        string="Impact (NPS points)",
        digits=(16, 1),
        help="The points the period's NPS would gain if the detractors "
        "mentioning the theme had been passives.",
    )
    detractor_count = fields.Integer(string="Detractors")
    answer_count = fields.Integer(
        string="Answers", help="The answers of the period mentioning the theme."
    )
    nps = fields.Float(
        string="NPS", digits=(16, 1), help="The NPS of the answers mentioning it."
    )
    comment_share = fields.Float(
        string="Share of the comments (%)",
        digits=(16, 1),
        help="The share of the period's comments that mention the theme.",
    )
