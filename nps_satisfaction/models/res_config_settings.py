from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    nps_health_drop_points = fields.Integer(
        related="company_id.nps_health_drop_points", readonly=False
    )
    nps_health_csat_min = fields.Float(
        related="company_id.nps_health_csat_min", readonly=False
    )
    nps_comment_retention_months = fields.Integer(
        related="company_id.nps_comment_retention_months", readonly=False
    )
