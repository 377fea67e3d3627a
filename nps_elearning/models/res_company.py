from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    nps_onboarding_link_days = fields.Integer(
        string="Personal onboarding links valid for (days)",
        default=14,
        help="A learner's personal course link stops working this many days "
        "after it was last emailed (an invitation or a reminder renews it).",
    )

    nps_risk_onboarding_points = fields.Integer(
        string="Onboarding not completed",
        default=15,
        help="Risk points of a customer whose enrolled learners completed "
        "their onboarding fewer than half of them.",
    )

    @api.constrains("nps_risk_onboarding_points")
    def _check_nps_risk_onboarding_points(self):
        if any(not 0 <= c.nps_risk_onboarding_points <= 100 for c in self):
            raise ValidationError(
                self.env._("A risk driver's points go from 0 to 100.")
            )

    @api.constrains("nps_onboarding_link_days")
    def _check_nps_onboarding_link_days(self):
        if any(company.nps_onboarding_link_days < 1 for company in self):
            raise ValidationError(
                self.env._("A personal onboarding link is valid one day at least.")
            )
