"""Customers' health gets a history (nps.health.history) and customers a
risk score (0-100) with its drivers. Every customer's score is computed
once here (the drivers of nps_satisfaction; ``end-risk.py`` adds the other
addons'), then the history starts from today's values, one row per customer
(a company or an individual customer) that has a health or a score, in one
statement. A customer whose last row already says his current health,
reason and score (written by an earlier step of the same upgrade) gets
none: running it twice adds nothing."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

BATCH = 1000


def migrate(cr, version):
    if not version:
        return
    _compute_risk_scores(cr)
    cr.execute(
        """
        INSERT INTO nps_health_history
               (partner_id, date, health, reason, account_nps, risk_score,
                company_id, create_uid, create_date, write_uid, write_date)
        SELECT p.id, now() AT TIME ZONE 'UTC', p.nps_health,
               p.nps_health_reason, COALESCE(p.nps_account_nps, 0),
               COALESCE(p.nps_risk_score, 0), p.company_id, 1,
               now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM res_partner p
     LEFT JOIN LATERAL (
                SELECT h.health, h.reason, h.risk_score
                  FROM nps_health_history h
                 WHERE h.partner_id = p.id
                 ORDER BY h.date DESC, h.id DESC
                 LIMIT 1
               ) last ON TRUE
         WHERE (p.nps_health IS NOT NULL OR p.nps_risk_score > 0)
           AND p.commercial_partner_id = p.id
           AND (last.risk_score IS NULL
                OR (last.health, last.reason, last.risk_score)
                   IS DISTINCT FROM (p.nps_health, p.nps_health_reason,
                                     p.nps_risk_score))
        """
    )
    _logger.info("Migrated: the health history starts for %s customer(s)", cr.rowcount)


def _compute_risk_scores(cr):
    """Every customer's risk score, in batches, without history rows (the
    statement above starts them)."""
    env = api.Environment(
        cr, SUPERUSER_ID, {"active_test": False, "nps_risk_no_history": True}
    )
    partners = env["res.partner"].search(
        ["|", ("is_company", "=", True), ("parent_id", "=", False)], order="id"
    )
    for start in range(0, len(partners), BATCH):
        partners[start : start + BATCH]._nps_refresh_risk()
    env.flush_all()
    _logger.info("Migrated: the risk score of %s customer(s)", len(partners))
