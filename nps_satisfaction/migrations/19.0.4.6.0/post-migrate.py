"""The health reason is the cause that decided the state: a detractor
account with a follow-up open, stored before this version as "A follow-up is
open" (a reason of a customer to watch), reads its account NPS again."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    partners = (
        env["res.partner"]
        .with_context(active_test=False)
        .search(
            [
                ("nps_health", "=", "at_risk"),
                ("nps_health_reason", "=", "open_followup"),
            ]
        )
    )
    partners._nps_refresh_stats()
    _logger.info("Health reason read again for %s customers at risk", len(partners))
