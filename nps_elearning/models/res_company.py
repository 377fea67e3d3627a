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

    @api.constrains("nps_onboarding_link_days")
    def _check_nps_onboarding_link_days(self):
        if any(company.nps_onboarding_link_days < 1 for company in self):
            raise ValidationError(
                self.env._("A personal onboarding link is valid one day at least.")
            )
