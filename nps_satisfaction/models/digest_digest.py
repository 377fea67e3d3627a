from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools.float_utils import float_round

from .nps_followup import OPEN_STATES

#: how the digest shows the change of a figure where Odoo's way (its ratio to
#: the previous period's, green when it rises) misleads: an NPS (-100 to +100)
#: moves in points, the ratio of two scores of opposite signs meaning nothing;
#: fewer detractors awaiting their follow-up is the good news. The others (the
#: CSAT and the response rate, shares where more is better) keep Odoo's way.
KPI_MARGINS = {
    "kpi_nps_score": {"points": True, "lower_is_better": False},
    "kpi_nps_detractors_waiting": {"points": False, "lower_is_better": True},
}


class DigestDigest(models.Model):
    """Satisfaction figures in Odoo's periodic KPI digest: NPS, CSAT and
    response rate of the period, and the detractors of the period still
    awaiting their follow-up. The digest shows each against the previous
    period (the NPS in points; a rise of the detractors awaiting follow-up in
    red: ``KPI_MARGINS``); users without satisfaction rights get none of
    them."""

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

    def _compute_kpis(self, company, user):
        """Odoo's KPIs, with how each satisfaction figure's change reads
        (``nps_margin``, for the ``digest_tool_kpi`` template) and, for the
        figures that move in points, the change as this period's figure less
        the previous period's, where Odoo gives their ratio."""
        kpis = super()._compute_kpis(company, user)
        for kpi in kpis:
            margin = KPI_MARGINS.get(kpi["kpi_name"])
            if not margin:
                continue
            kpi["nps_margin"] = margin
            if margin["points"]:
                self._nps_points_margins(kpi, company, user)
        return kpis

    def _nps_points_margins(self, kpi, company, user):
        """Set each column of ``kpi`` to its figure and its change in points
        from the previous period, both read over the periods and as the user
        ``_compute_kpis`` reads them."""
        field_name = f"{kpi['kpi_name']}_value"
        for index, (__, periods) in enumerate(
            self._compute_timeframes(company), start=1
        ):
            column = kpi.get(f"kpi_col{index}")
            if not column:
                continue
            value, previous_value = (
                self._nps_kpi_value(field_name, period, company, user)
                for period in periods
            )
            # formatted as Odoo formats a float figure
            column["value"] = f"{value:.2f}"
            column["margin"] = self._nps_points_margin(value, previous_value)

    def _nps_kpi_value(self, field_name, period, company, user):
        digest = (
            self.with_context(start_datetime=period[0], end_datetime=period[1])
            .with_user(user)
            .with_company(company)
        )
        value = digest[field_name]
        # the period is in the context, which the cache does not tell apart
        digest.invalidate_model([field_name])
        return value

    def _nps_points_margin(self, value, previous_value):
        """The change from ``previous_value`` to ``value`` in whole points;
        none when either period reads 0, which is also what a period without
        answers reads (as Odoo's ``_get_margin_value`` has it)."""
        if not value or not previous_value:
            return 0.0
        return float_round(value - previous_value, precision_digits=0)

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
