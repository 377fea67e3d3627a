from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    nps_risk_renewal_points = fields.Integer(
        related="company_id.nps_risk_renewal_points", readonly=False
    )
