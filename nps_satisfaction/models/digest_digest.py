from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from .nps_followup import OPEN_STATES


class DigestDigest(models.Model):
    """Satisfaction figures in Odoo's periodic KPI digest: NPS, CSAT and
    response rate of the period, and the detractors of the period still
    awaiting their follow-up. The digest shows each against the previous
    period; users without satisfaction rights get none of them."""

    _inherit = "digest.digest"

    kpi_nps_score = fields.Boolean(string="NPS")
    kpi_nps_score_value = fields.Float(compute="_compute_kpi_nps_score_value")
    kpi_nps_csat = fields.Boolean(string="CSAT (%)")
    kpi_nps_csat_value = fields.Float(compute="_compute_kpi_nps_csat_value")
    kpi_nps_response_rate = fields.Boolean(string="Survey response rate (%)")
    kpi_nps_response_rate_value = fields.Float(
        compute="_compute_kpi_nps_response_rate_value"
    )
    kpi_nps_detractors_waiting = fields.Boolean(string="Detractors awaiting follow-up")
    kpi_nps_detractors_waiting_value = fields.Integer(
        compute="_compute_kpi_nps_detractors_waiting_value"
    )

    def _nps_kpi_domain(self, date_field):
        """The period's records of the digest's companies, for a user with
        satisfaction rights."""
        if not self.env.user.has_group("nps_satisfaction.group_nps_user"):
            raise AccessError(
                self.env._("No satisfaction figures in this user's digest.")
            )
        start, end, companies = self._get_kpi_compute_parameters()
        return Domain(
            [
                ("company_id", "in", companies.ids),
                (date_field, ">=", start),
                (date_field, "<", end),
            ]
        )

    def _nps_kpi_average(self, field_name, domain, measure):
        rows = self.env["nps.report"]._read_group(
            # AVG leaves out the rows without a value (unanswered, not CSAT)
            domain,
            ["company_id"],
            [f"{measure}:avg"],
        )
        values = {company.id: value or 0.0 for company, value in rows}
        for digest in self:
            company = digest.company_id or self.env.company
            digest[field_name] = values.get(company.id, 0.0)

    def _compute_kpi_nps_score_value(self):
        domain = self._nps_kpi_domain("answer_date")
        self._nps_kpi_average("kpi_nps_score_value", domain, "nps_value")

    def _compute_kpi_nps_csat_value(self):
        domain = self._nps_kpi_domain("answer_date")
        self._nps_kpi_average("kpi_nps_csat_value", domain, "csat")

    def _compute_kpi_nps_response_rate_value(self):
        domain = self._nps_kpi_domain("request_id.sent_date")
        self._nps_kpi_average("kpi_nps_response_rate_value", domain, "answered")

    def _compute_kpi_nps_detractors_waiting_value(self):
        self._nps_kpi_domain("answer_date")
        self._calculate_company_based_kpi(
            "nps.followup",
            "kpi_nps_detractors_waiting_value",
            date_field="answer_date",
            additional_domain=[
                ("kind", "=", "detractor"),
                ("state", "in", OPEN_STATES),
            ],
        )

    def _compute_kpis_actions(self, company, user):
        actions = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("nps_satisfaction.menu_nps_root").id
        for kpi, action in (
            ("kpi_nps_score", "nps_satisfaction.action_nps_report_nps"),
            ("kpi_nps_csat", "nps_satisfaction.action_nps_report_csat"),
            ("kpi_nps_response_rate", "nps_satisfaction.action_nps_report_response"),
            ("kpi_nps_detractors_waiting", "nps_satisfaction.action_nps_followup"),
        ):
            actions[kpi] = f"{action}?menu_id={menu}"
        return actions
