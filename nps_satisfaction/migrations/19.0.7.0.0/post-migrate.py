"""The satisfaction figures by day (``nps.report.day``): the model's
``init`` made the table and the triggers that keep it as the surveys
change; this fills it from the surveys already there, set-based, in one
statement (whatever the triggers summed during the upgrade is replaced:
running it twice gives the same rows)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rows = env["nps.report.day"]._nps_rebuild()
    _logger.info("Migrated: the figures by day of the surveys (%s rows)", rows)
