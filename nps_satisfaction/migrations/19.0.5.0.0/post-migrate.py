"""Comment themes arrive: every comment already recorded gets its language
and its themes, as new answers get them."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["nps.theme"]._nps_retag_all()
    cr.execute("SELECT COUNT(DISTINCT request_id) FROM nps_request_theme_rel")
    _logger.info("Comments tagged with their themes: %s", cr.fetchone()[0])
