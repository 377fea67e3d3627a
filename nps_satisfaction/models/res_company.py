from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import scanner_tools

#: the risk score's weights (see ``res_partner_risk.py``)
RISK_WEIGHT_FIELDS = (
    "nps_risk_detractor_points",
    "nps_risk_passive_points",
    "nps_risk_drop_points",
    "nps_risk_low_csat_points",
    "nps_risk_followup_points",
    "nps_risk_overdue_points",
    "nps_risk_silence_points",
    "nps_risk_tickets_points",
    "nps_risk_reopen_points",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    nps_health_drop_points = fields.Integer(
        string="Score drop to watch",
        default=3,
        help="A customer whose account average score (the latest score of "
        "each of its contacts) falls by at least this many points with an "
        "answer is to watch, and its account manager alerted (0: ignore drops).",
    )
    nps_churn_lead_days = fields.Integer(
        string="Churn lead time (days)",
        default=30,
        help="The churn figures sort each customer by what the suite knew of "
        "him this many days before his termination notice: the warning an "
        "account manager needs to act.",
    )
    nps_drop_alert_days = fields.Integer(
        string="Team and campaign drop alerts over (days)",
        default=30,
        help="Every day, the NPS of each helpdesk team and campaign over this "
        "many last days is compared with the same span before: a drop larger "
        "than the noise (95%) notifies the team leader or the campaign's "
        "responsible, once a period. 0: no drop alerts.",
    )
    nps_health_csat_min = fields.Float(
        string="Minimum CSAT (%)",
        default=60.0,
        help="A customer whose CSAT (the share of its 1-5 satisfaction "
        "answers that are 4 or 5) is below this is at risk.",
    )
    # --- The risk score's weights: the points each driver adds ---
    nps_risk_detractor_points = fields.Integer(
        string="Detractor account",
        default=60,
        help="Risk points of a customer whose account NPS makes it a detractor.",
    )
    nps_risk_passive_points = fields.Integer(
        string="Passive account",
        default=30,
        help="Risk points of a customer whose account NPS makes it passive.",
    )
    nps_risk_drop_points = fields.Integer(
        string="Score dropped",
        default=30,
        help="Risk points of a customer whose account average score fell by "
        "the score drop to watch with its last answer.",
    )
    nps_risk_low_csat_points = fields.Integer(
        string="CSAT under the minimum",
        default=60,
        help="Risk points of a customer whose CSAT is under the minimum CSAT.",
    )
    nps_risk_followup_points = fields.Integer(
        string="Open follow-up",
        default=30,
        help="Risk points of a customer with a follow-up case open, within "
        "its deadline.",
    )
    nps_risk_overdue_points = fields.Integer(
        string="Overdue follow-up",
        default=40,
        help="Risk points of a customer with a follow-up case open past its "
        "deadline (instead of those of an open one).",
    )
    nps_risk_silence_points = fields.Integer(
        string="Silent after reminders",
        default=15,
        help="Risk points of a customer who left a survey unanswered after its "
        "reminders, in the last 180 days.",
    )
    nps_risk_tickets_points = fields.Integer(
        string="Many tickets",
        default=10,
        help="Risk points of a customer with more than 2 tickets in the last 90 days.",
    )
    nps_risk_reopen_points = fields.Integer(
        string="Each reopened ticket",
        default=5,
        help="Risk points for each ticket of the customer reopened in the last "
        "90 days.",
    )
    nps_settle_minutes = fields.Integer(
        string="Settle unconfirmed answers after (minutes)",
        default=30,
        help="A score recorded by the one-click link and not confirmed by the "
        "customer (comment, a click or a key on the page) counts after this "
        "delay, unless it is suspect.",
    )
    nps_suspect_seconds = fields.Integer(
        string="Suspect answers within (seconds)",
        default=120,
        help="An unconfirmed score recorded this soon after the survey email "
        "was sent is taken for a mail security scanner and never counts.",
    )
    nps_scanner_signatures = fields.Text(
        string="Scanner signatures",
        default=scanner_tools.DEFAULT_SCANNER_SIGNATURES,
        help="One entry a line: a user-agent substring (case-insensitive) or "
        "an IP network such as 192.0.2.0/24. An unconfirmed score from a "
        "matching visitor never counts. Lines starting with # are comments.",
    )

    nps_comment_retention_months = fields.Integer(
        string="Keep comments (months)",
        default=0,
        help="Comments and free-text answers older than this many months are "
        "removed every day; scores stay. 0 keeps them.",
    )

    @api.constrains("nps_drop_alert_days")
    def _check_nps_drop_alert_days(self):
        if any(company.nps_drop_alert_days < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "The period of the drop alerts is a number of days, 0 or "
                    "more (0: no drop alerts)."
                )
            )

    @api.constrains("nps_health_csat_min")
    def _check_nps_health_csat_min(self):
        if any(not 0 <= company.nps_health_csat_min <= 100 for company in self):
            raise ValidationError(
                self.env._("The minimum CSAT is a share, from 0 to 100%.")
            )

    @api.constrains("nps_comment_retention_months")
    def _check_nps_comment_retention_months(self):
        if any(company.nps_comment_retention_months < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "The retention period of comments is a number of months, "
                    "0 or more (0 keeps them)."
                )
            )

    @api.constrains("nps_churn_lead_days")
    def _check_nps_churn_lead_days(self):
        for company in self:
            self.env["nps.churn"]._nps_check_lead_days(company.nps_churn_lead_days)

    @api.constrains(*RISK_WEIGHT_FIELDS)
    def _check_nps_risk_weights(self):
        for company in self:
            if any(not 0 <= company[name] <= 100 for name in RISK_WEIGHT_FIELDS):
                raise ValidationError(
                    self.env._("A risk driver's points go from 0 to 100.")
                )
