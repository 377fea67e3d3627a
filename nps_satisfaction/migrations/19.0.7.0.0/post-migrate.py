"""The satisfaction figures by day (``nps.report.day``): the model's
``init`` made the table and the triggers that keep it as the surveys
change; this fills it from the surveys already there (and the comment
themes by day, ``nps.theme.day``, from the answers' themes), set-based, in one
statement (whatever the triggers summed during the upgrade is replaced:
running it twice gives the same rows).

The customers' stored figures are refreshed too: the account NPS now counts
by one rule with the churn figures (every answered 0-10 survey of the
customer's people, whichever company sent it, the contacts of an
individual customer included), so a customer answered through another
company, or an individual customer with contacts, reads on his form what
the churn analysis reads."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rows = env["nps.report.day"]._nps_rebuild()
    _logger.info("Migrated: the figures by day of the surveys (%s rows)", rows)
    rows = env["nps.theme.day"]._nps_rebuild()
    _logger.info("Migrated: the comment themes by day (%s rows)", rows)
    refreshed = _refresh_customer_figures(env)
    _logger.info("Migrated: the figures of %s customers by the account rule", refreshed)


def _refresh_customer_figures(env, batch_size=500):
    """Each customer with an answer, and his contacts, refreshed in batches."""
    env.cr.execute(
        """
        SELECT DISTINCT commercial_partner_id FROM nps_request
         WHERE state = 'answered' AND commercial_partner_id IS NOT NULL
         ORDER BY 1
        """
    )
    ids = [row[0] for row in env.cr.fetchall()]
    Partner = env["res.partner"].with_context(active_test=False)
    for start in range(0, len(ids), batch_size):
        customers = Partner.browse(ids[start : start + batch_size])
        (customers | customers.child_ids)._nps_refresh_stats()
        env.invalidate_all()
    return len(ids)
