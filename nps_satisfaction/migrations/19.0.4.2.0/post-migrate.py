"""Customers get an account view: the account NPS over the latest answer of
each contact (each contact counted once), its category, and the health and
alerts that now read it. The new stored figures are computed here for every
customer with answers, and their health with them, from the answers and
follow-up cases the database holds."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

BATCH = 1000


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    partners = env["res.partner"].search([("nps_answer_count", ">", 0)], order="id")
    for start in range(0, len(partners), BATCH):
        partners[start : start + BATCH]._nps_refresh_stats()
    _logger.info(
        "Migrated the account figures and health of %s customer(s)", len(partners)
    )
