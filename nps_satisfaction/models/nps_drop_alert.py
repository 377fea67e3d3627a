from odoo import api, fields, models

from ..tools import stats_tools


class NpsDropAlert(models.AbstractModel):
    """Significant drops of the NPS of a helpdesk team or a campaign: every
    day, the NPS of each over the company's last period (30 days by default)
    against the period before, as the dashboard compares them; a drop larger
    than the noise (``stats_tools.compare``), and only such a drop, notifies
    the team leader or the campaign's responsible, once a period."""

    _name = "nps.drop.alert"
    _description = "Satisfaction drop alerts on teams and campaigns"

    #: the nps.report fields whose groups are watched
    _nps_watched_fields = ("team_id", "campaign_id")

    @api.model
    def _cron_check_drops(self):
        companies = (
            self.env["res.company"].sudo().search([("nps_drop_alert_days", ">", 0)])
        )
        alerted = []
        for company in companies:
            alerted += self._nps_check_drops(company)
        return alerted

    @api.model
    def _nps_check_drops(self, company, today=None):
        """Alert on the teams and campaigns of ``company`` whose NPS dropped
        significantly; returns the records alerted. One aggregate query per
        watched field, whatever the number of answers."""
        days = company.nps_drop_alert_days
        if days <= 0:
            return []
        today = today or fields.Date.context_today(self)
        periods = stats_tools.period_bounds(today, days)
        start = periods[1]
        report_sudo = self.env["nps.report"].sudo()
        alerted = []
        for field in self._nps_watched_fields:
            previous, current = report_sudo._nps_counts_by_period(
                [("company_id", "=", company.id)], periods, (field,)
            )
            for (record_sudo,), counts in current.items():
                if not record_sudo or not record_sudo.active:
                    continue
                before_counts = previous.get((record_sudo,), stats_tools.Counts())
                comparison = stats_tools.compare(before_counts, counts)
                if comparison.is_drop and record_sudo._nps_claim_drop_alert(
                    start, today
                ):
                    record_sudo._nps_post_drop_alert(
                        before_counts, counts, comparison, days
                    )
                    alerted.append(record_sudo)
        return alerted
