from datetime import timedelta

from odoo import fields, models

#: a contract renewal within this many days is a risk driver
RENEWAL_DAYS = 90


class ResPartner(models.Model):
    """The renewal's risk driver: a customer whose contract comes up for
    renewal soon."""

    _inherit = "res.partner"

    def _nps_risk_drivers(self):
        drivers = super()._nps_risk_drivers()
        if not self:
            return drivers
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=RENEWAL_DAYS)
        for partner in self.sudo():
            renewal = partner.nps_contract_renewal_date
            if renewal and today <= renewal <= horizon:
                company = partner._nps_risk_company()
                drivers[partner.id].append(
                    (
                        "renewal",
                        company.nps_risk_renewal_points,
                        {"days": (renewal - today).days},
                    )
                )
        return drivers

    def _nps_risk_driver_label(self, code, args):
        if code == "renewal":
            return self.env._(
                "contract renewal in %(days)s days", days=args.get("days")
            )
        return super()._nps_risk_driver_label(code, args)
