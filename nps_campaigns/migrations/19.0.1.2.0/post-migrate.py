"""The newsletter's survey is named for what it is ("Newsletter survey"):
two shipped surveys were both called "Relationship survey". The record is
``noupdate``: this script renames it where it still holds the previous name
(a name someone changed is left alone); its other languages are dropped and
loaded again from the translations."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE survey_survey AS s
               SET title = jsonb_build_object('en_US', 'Newsletter survey')
              FROM ir_model_data AS imd
             WHERE imd.res_id = s.id
               AND imd.model = 'survey.survey'
               AND imd.module = 'nps_campaigns'
               AND imd.name = 'survey_newsletter'
               AND s.title->>'en_US' = 'Relationship survey'
            """
        )
    )
    _logger.info("Renamed %s newsletter survey(s)", cr.rowcount)
