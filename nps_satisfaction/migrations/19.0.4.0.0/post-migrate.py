"""The shipped surveys and emails speak the seeds' words: the NPS question
asks about "a colleague or partner", the survey email's subject speaks about
the customer's request instead of the campaign's internal name. These
records are ``noupdate``: an upgrade does not rewrite them, so this script
does, where they still hold the previous version's words (a text someone
changed is left alone). Their other languages are dropped here and loaded
again from the addons' translations right after this script."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OLD_QUESTION = "How likely are you to recommend us to a friend or colleague?"
NEW_QUESTION = (
    "On a scale of 0 to 10, how likely are you to recommend us to a colleague "
    "or partner?"
)

#: (table, field, xml ids, previous English text, new English text)
CHANGES = [
    (
        "survey_question",
        "title",
        [
            "nps_satisfaction.survey_post_ticket_q_score",
            "nps_satisfaction.survey_post_installation_q_score",
            # the newsletter's survey (nps_campaigns, loaded after this addon)
            "nps_campaigns.survey_newsletter_q_score",
        ],
        OLD_QUESTION,
        NEW_QUESTION,
    ),
    (
        "mail_template",
        "subject",
        ["nps_satisfaction.mail_template_nps_request"],
        "{{ object.campaign_id.name }}: how did we do?",
        "{{ object._nps_mail_subject() }}",
    ),
    (
        "mail_template",
        "subject",
        ["nps_satisfaction.mail_template_nps_reminder"],
        "Reminder: {{ object.campaign_id.name }}",
        "{{ object._nps_mail_subject(reminder=True) }}",
    ),
]


def migrate(cr, version):
    if not version:
        return
    for table, field, xmlids, old, new in CHANGES:
        pairs = [xmlid.split(".", 1) for xmlid in xmlids]
        cr.execute(
            SQL(
                """
                UPDATE %(table)s AS t
                   SET %(field)s = jsonb_build_object('en_US', %(new)s::text)
                  FROM ir_model_data AS imd
                 WHERE imd.res_id = t.id
                   AND imd.model = %(model)s
                   AND (imd.module, imd.name) IN %(pairs)s
                   AND t.%(field)s->>'en_US' = %(old)s
                """,
                table=SQL.identifier(table),
                field=SQL.identifier(field),
                new=new,
                old=old,
                model=table.replace("_", "."),
                pairs=tuple(tuple(pair) for pair in pairs),
            )
        )
        _logger.info("Migrated %s %s.%s to the new wording", cr.rowcount, table, field)
