from odoo import api, fields, models


class NpsDashboard(models.TransientModel):
    """The dashboard's *Did they stay?*: over the dashboard's period, as its
    other blocks, how often detractors left against promoters, and how many
    of the period's notices the health flag warned of (``nps.churn``)."""

    _inherit = "nps.dashboard"

    churn_summary = fields.Char(string="Churn", compute="_compute_churn")
    churn_warning = fields.Char(string="Early warning", compute="_compute_churn")

    def _nps_churn_period(self):
        """``(start, end, lead)``: the notices of the dashboard's period."""
        self.ensure_one()
        _before, start, end = self._period_bounds()
        return start, end, self.env.company.nps_churn_lead_days

    @api.depends("period")
    def _compute_churn(self):
        Churn = self.env["nps.churn"]
        for dashboard in self:
            period = dashboard._nps_churn_period()
            summary, _lift = Churn._nps_summary(Churn._nps_segments(*period))
            dashboard.churn_summary = summary
            dashboard.churn_warning = dashboard._nps_churn_warning(
                Churn._nps_early_warning(*period), period[2]
            )

    def _nps_churn_warning(self, warning, lead):
        """The sentence of the early warning of the period's notices."""
        if not warning.warned.total:
            return self.env._("No termination notice in the period.")
        return self.env._(
            "%(warned)s of the %(notices)s notices of the period were warned "
            "of: the customer was at risk or to watch %(lead)s days before his "
            "notice%(ahead)s.",
            warned=warning.warned.left,
            notices=warning.warned.total,
            lead=lead,
            ahead=self.env._(
                ", warned a median of %(days)s days ahead",
                days=warning.median_days,
            )
            if warning.median_days is not None
            else "",
        )

    def action_view_churn(self):
        """The churn analysis of the dashboard's period, computed."""
        date_from, date_to, lead = self._nps_churn_period()
        analysis = self.env["nps.churn.analysis"].create(
            {"date_from": date_from, "date_to": date_to, "lead_days": lead}
        )
        analysis.action_compute()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_churn_analysis"
        )
        action["res_id"] = analysis.id
        return action
