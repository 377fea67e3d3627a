from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    nps_health_drop_points = fields.Integer(
        related="company_id.nps_health_drop_points", readonly=False
    )
    nps_churn_lead_days = fields.Integer(
        related="company_id.nps_churn_lead_days", readonly=False
    )
    nps_drop_alert_days = fields.Integer(
        related="company_id.nps_drop_alert_days", readonly=False
    )
    nps_health_csat_min = fields.Float(
        related="company_id.nps_health_csat_min", readonly=False
    )
    nps_settle_minutes = fields.Integer(
        related="company_id.nps_settle_minutes", readonly=False
    )
    nps_suspect_seconds = fields.Integer(
        related="company_id.nps_suspect_seconds", readonly=False
    )
    nps_scanner_signatures = fields.Text(
        related="company_id.nps_scanner_signatures", readonly=False
    )
    nps_comment_retention_months = fields.Integer(
        related="company_id.nps_comment_retention_months", readonly=False
    )
    nps_risk_detractor_points = fields.Integer(
        related="company_id.nps_risk_detractor_points", readonly=False
    )
    nps_risk_passive_points = fields.Integer(
        related="company_id.nps_risk_passive_points", readonly=False
    )
    nps_risk_drop_points = fields.Integer(
        related="company_id.nps_risk_drop_points", readonly=False
    )
    nps_risk_low_csat_points = fields.Integer(
        related="company_id.nps_risk_low_csat_points", readonly=False
    )
    nps_risk_followup_points = fields.Integer(
        related="company_id.nps_risk_followup_points", readonly=False
    )
    nps_risk_overdue_points = fields.Integer(
        related="company_id.nps_risk_overdue_points", readonly=False
    )
    nps_risk_silence_points = fields.Integer(
        related="company_id.nps_risk_silence_points", readonly=False
    )
    nps_risk_tickets_points = fields.Integer(
        related="company_id.nps_risk_tickets_points", readonly=False
    )
    nps_risk_reopen_points = fields.Integer(
        related="company_id.nps_risk_reopen_points", readonly=False
    )
