import datetime

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import health_tools
from .res_partner import HEALTH_REASON_SELECTION


class NpsHealthHistory(models.Model):
    """A customer's health over time: one row each time his stored health,
    its reason or his risk score changes (written where the figures are written,
    ``res.partner._nps_refresh_stats``), with his account NPS then, so that
    "what did we know about him 30 days before his notice" has an answer
    (``_nps_health_at``). Customers only (companies and individual
    customers, the commercial partners): a contact's own health is not
    kept."""

    _name = "nps.health.history"
    _description = "Customer health over time"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now, readonly=True
    )
    health = fields.Selection(
        selection=health_tools.HEALTH_SELECTION, readonly=True, aggregator=False
    )
    reason = fields.Selection(
        selection=HEALTH_REASON_SELECTION, string="Health reason", readonly=True
    )
    account_nps = fields.Float(
        string="Account NPS",
        readonly=True,
        aggregator="avg",
        help="The customer's account NPS when his health changed.",
    )
    risk_score = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="The customer's risk score (0-100) from this date; empty on the "
        "rows from before the score existed.",
    )
    company_id = fields.Many2one(comodel_name="res.company", index=True, readonly=True)

    # each customer's last row by a date, with what the churn figures read
    # of it (health, risk score, company), without the table
    _partner_date_idx = models.Index(
        "(partner_id, date DESC, id DESC) INCLUDE (health, risk_score, company_id)"
    )

    @api.model
    def _record_changes(self, partners):
        """Write one row per customer among ``partners`` whose health or risk
        score just changed, in one create, with his figures as just stored
        (health, reason, account NPS, risk score). The system's record,
        whoever's action changed the figures."""
        if not partners:
            return self.browse()
        now = fields.Datetime.now()
        rows_sudo = self.sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "date": now,
                    "health": partner.nps_health or False,
                    "reason": partner.nps_health_reason or False,
                    "account_nps": partner.nps_account_nps or 0.0,
                    "risk_score": partner.nps_risk_score or 0,
                    "company_id": partner.company_id.id,
                }
                for partner in partners.sudo()
            ]
        )
        return self.browse(rows_sudo.ids)

    @api.model
    def _nps_health_at(self, partners, date):
        """What was known of these customers' health at ``date``:
        ``{partner id: (health, reason, account NPS)}`` from the last row
        on or before it (a date counts until its end, a datetime to the
        second); a customer without a row by then is not in it. One query,
        whatever the number of customers: the churn figures read it."""
        ids = list(partners.ids if isinstance(partners, models.BaseModel) else partners)
        if not ids:
            return {}
        moment = date
        if isinstance(date, str):
            moment = (
                fields.Date.to_date(date)
                if len(date) == 10
                else fields.Datetime.to_datetime(date)
            )
        if not isinstance(moment, datetime.datetime):
            moment = datetime.datetime.combine(moment, datetime.time.max)
        self.flush_model(["partner_id", "date", "health", "reason", "account_nps"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id)
                       partner_id, health, reason, account_nps
                  FROM nps_health_history
                 WHERE partner_id = ANY(%(ids)s) AND date <= %(moment)s
                 ORDER BY partner_id, date DESC, id DESC
                """,
                ids=ids,
                moment=moment,
            )
        )
        return {
            partner_id: (health or False, reason or False, account_nps or 0.0)
            for partner_id, health, reason, account_nps in self.env.cr.fetchall()
        }
