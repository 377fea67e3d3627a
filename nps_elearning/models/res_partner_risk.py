from odoo import models
from odoo.tools import SQL

#: an onboarding completed by fewer of the enrolled learners than this (%)
#: is a risk driver
ONBOARDING_MIN = 50


class ResPartner(models.Model):
    """The onboarding's risk driver: a customer whose enrolled learners
    mostly did not complete their onboarding."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _nps_risk_drivers(self):
        drivers = super()._nps_risk_drivers()
        if not self:
            return drivers
        self.env["slide.channel.partner"].flush_model(
            [
                "partner_id",
                "nps_commercial_partner_id",
                "nps_onboarding",
                "nps_source",
                "member_status",
                "active",
            ]
        )
        # each learner counts once: done when every onboarding course he
        # follows is completed (the partner's onboarding completion rate)
        self.env.cr.execute(
            SQL(
                """
                SELECT customer_id, count(*), count(*) FILTER (WHERE done)
                  FROM (
                    SELECT COALESCE(m.nps_commercial_partner_id, m.partner_id)
                               AS customer_id, m.partner_id,
                           bool_and(m.member_status = 'completed') AS done
                      FROM slide_channel_partner m
                     WHERE m.nps_onboarding AND m.nps_source IS NOT NULL
                       AND m.active
                       AND COALESCE(m.nps_commercial_partner_id, m.partner_id)
                           = ANY(%(ids)s)
                     GROUP BY 1, 2
                  ) learners
                 GROUP BY customer_id
                """,
                ids=self.ids,
            )
        )
        for partner_id, enrolled, done in self.env.cr.fetchall():
            rate = 100.0 * done / enrolled
            if rate < ONBOARDING_MIN:
                company = self.browse(partner_id)._nps_risk_company()
                drivers[partner_id].append(
                    (
                        "onboarding",
                        company.nps_risk_onboarding_points,
                        {"rate": round(rate), "enrolled": enrolled},
                    )
                )
        return drivers

    def _nps_risk_driver_label(self, code, args):
        if code == "onboarding":
            return self.env._(
                "onboarding completed by %(rate)s%% of %(enrolled)s learners",
                rate=args.get("rate"),
                enrolled=args.get("enrolled"),
            )
        return super()._nps_risk_driver_label(code, args)
