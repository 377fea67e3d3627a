"""Customers' health gets a history (nps.health.history): it starts from
today's values, one row per customer (a company or an individual customer)
that has a health, in one statement. A customer whose last row already says
his current health and reason (written by an earlier step of the same
upgrade) gets none: running it twice adds nothing."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        INSERT INTO nps_health_history
               (partner_id, date, health, reason, account_nps, company_id,
                create_uid, create_date, write_uid, write_date)
        SELECT p.id, now() AT TIME ZONE 'UTC', p.nps_health,
               p.nps_health_reason, COALESCE(p.nps_account_nps, 0),
               p.company_id, 1, now() AT TIME ZONE 'UTC', 1,
               now() AT TIME ZONE 'UTC'
          FROM res_partner p
     LEFT JOIN LATERAL (
                SELECT h.health, h.reason
                  FROM nps_health_history h
                 WHERE h.partner_id = p.id
                 ORDER BY h.date DESC, h.id DESC
                 LIMIT 1
               ) last ON TRUE
         WHERE p.nps_health IS NOT NULL
           AND p.commercial_partner_id = p.id
           AND (last.health IS NULL
                OR (last.health, last.reason)
                   IS DISTINCT FROM (p.nps_health, p.nps_health_reason))
        """
    )
    _logger.info("Migrated: the health history starts for %s customer(s)", cr.rowcount)
