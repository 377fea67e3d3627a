"""The onboarding course's survey asks the suite's one NPS question ("a
colleague or partner", as every other survey), not the older "friend or
colleague". The record is ``noupdate``: this script rewrites it where it
still holds the previous words (a text someone changed is left alone); its
other languages are dropped and loaded again from the translations."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OLD = "How likely are you to recommend us to a friend or colleague?"
NEW = (
    "On a scale of 0 to 10, how likely are you to recommend us to a colleague "
    "or partner?"
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE survey_question AS q
               SET title = jsonb_build_object('en_US', %(new)s::text)
              FROM ir_model_data AS imd
             WHERE imd.res_id = q.id
               AND imd.model = 'survey.question'
               AND imd.module = 'nps_elearning'
               AND imd.name = 'survey_course_completed_q_score'
               AND q.title->>'en_US' = %(old)s
            """,
            new=NEW,
            old=OLD,
        )
    )
    _logger.info("Migrated %s onboarding survey question(s)", cr.rowcount)
