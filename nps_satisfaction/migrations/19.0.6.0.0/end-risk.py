"""Customers' risk scores once every addon is up to date: the drivers of
the other addons (onboarding, renewals) join those the post-migration
counted; a customer whose score changes with them gets a row of his health
history."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

BATCH = 1000


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    partners = env["res.partner"].search(
        ["|", ("is_company", "=", True), ("parent_id", "=", False)], order="id"
    )
    for start in range(0, len(partners), BATCH):
        partners[start : start + BATCH]._nps_refresh_risk()
    env.flush_all()
    _logger.info("Migrated: the risk scores with every addon's drivers")
