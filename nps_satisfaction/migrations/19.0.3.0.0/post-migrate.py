"""The effects of an answer are now applied once per answer and recorded
(``effects_date``): the answers given before the upgrade had theirs, so a
later change of mind does not post on their ticket or check their alerts
again."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE nps_request
               SET effects_date = answer_date
             WHERE state = 'answered' AND effects_date IS NULL
            """
        )
    )
    _logger.info("Effects of %s earlier answers marked as applied", cr.rowcount)
