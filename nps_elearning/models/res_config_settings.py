from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    nps_onboarding_link_days = fields.Integer(
        related="company_id.nps_onboarding_link_days", readonly=False
    )
    nps_risk_onboarding_points = fields.Integer(
        related="company_id.nps_risk_onboarding_points", readonly=False
    )
