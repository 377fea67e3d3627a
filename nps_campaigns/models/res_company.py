from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    nps_risk_renewal_points = fields.Integer(
        string="Contract renewal within 90 days",
        default=10,
        help="Risk points of a customer whose contract comes up for renewal "
        "within 90 days.",
    )

    @api.constrains("nps_risk_renewal_points")
    def _check_nps_risk_renewal_points(self):
        if any(not 0 <= c.nps_risk_renewal_points <= 100 for c in self):
            raise ValidationError(
                self.env._("A risk driver's points go from 0 to 100.")
            )
