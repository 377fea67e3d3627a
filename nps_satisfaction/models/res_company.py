from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    nps_health_drop_points = fields.Integer(
        string="Score drop to watch",
        default=3,
        help="A customer whose last score is at least this many points below "
        "the previous one is to watch (0: ignore drops).",
    )
    nps_health_csat_min = fields.Float(
        string="Minimum CSAT average",
        default=6.0,
        help="A customer whose average post-ticket score is below this is at risk.",
    )
