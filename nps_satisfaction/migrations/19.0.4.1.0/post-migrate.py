"""CSAT gets its own scale (19.0.4.1.0): a 1-5 satisfaction question,
reported as the share of 4 and 5 answers, where a campaign's 0-10 score used
to count as its CSAT (``measures_csat``).

- The shipped post-ticket survey gets its CSAT question (a ``noupdate``
  record: the update does not create it, so this script does, when the
  survey is still there).
- ``measures_csat`` becomes ``measure``: ``both`` for the campaigns that
  measured CSAT and whose survey now has a CSAT question (the email still
  offers the 0-10 score, so the links of the emails already sent keep their
  meaning; the answer page then asks the CSAT question), ``nps`` for the
  others. The answers given before keep their score and get no CSAT: none
  was asked.
- The survey emails show the question of the email (``lead_question_id``:
  the CSAT question of a CSAT campaign) where they showed the score
  question; for a campaign asking the 0-10 score it is the same question.
- The companies' CSAT threshold, a 0-10 average, becomes a share of
  satisfied answers: the old threshold times ten (6 -> 60 %).
- The customers' CSAT was the average of 0-10 scores; it is now the share
  of 4 and 5 answers, so it is empty until they answer the CSAT question.
  The customers at risk for a low 0-10 "CSAT" get their health computed
  again; no other reason of the health depends on the CSAT."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CSAT_QUESTION = "survey_post_ticket_q_csat"
OLD_EXPRESSION = "object.campaign_id.score_question_id."
NEW_EXPRESSION = "object.campaign_id.lead_question_id."
BATCH = 1000


def _add_csat_question(env):
    """The shipped post-ticket survey's CSAT question, between the score
    and the comment, unless the survey is gone or already has one."""
    survey = env.ref("nps_satisfaction.survey_post_ticket", raise_if_not_found=False)
    if not survey or env.ref(
        f"nps_satisfaction.{CSAT_QUESTION}", raise_if_not_found=False
    ):
        return
    if survey.question_ids.filtered(lambda q: q.nps_role == "csat"):
        return
    comment = env.ref(
        "nps_satisfaction.survey_post_ticket_q_comment", raise_if_not_found=False
    )
    question = env["survey.question"].create(
        {
            "survey_id": survey.id,
            "sequence": 2,
            "title": "How satisfied are you with how we handled your request?",
            "question_type": "scale",
            "scale_min": 1,
            "scale_max": 5,
            "scale_min_label": "Very dissatisfied",
            "scale_max_label": "Very satisfied",
            "constr_mandatory": False,
            "nps_role": "csat",
        }
    )
    env["ir.model.data"].create(
        {
            "module": "nps_satisfaction",
            "name": CSAT_QUESTION,
            "model": "survey.question",
            "res_id": question.id,
            "noupdate": True,
        }
    )
    if comment and comment.survey_id == survey and comment.sequence <= 2:
        comment.sequence = 3
    _logger.info(
        "Migrated the survey %s, which now asks the CSAT question", survey.title
    )


def _measure_of_campaigns(env):
    """``measures_csat`` -> ``measure``."""
    cr = env.cr
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'nps_campaign' AND column_name = 'measures_csat'
        """
    )
    if not cr.fetchone():
        return
    cr.execute("SELECT id FROM nps_campaign WHERE measures_csat")
    campaigns = (
        env["nps.campaign"]
        .with_context(active_test=False)
        .browse([row[0] for row in cr.fetchall()])
    )
    both = campaigns.filtered(
        lambda c: c.survey_id.question_ids.filtered(
            lambda q: q.nps_role == "csat"
            or (
                not q.nps_role
                and q.question_type == "scale"
                and (q.scale_min, q.scale_max) == (1, 5)
            )
        )
    )
    both.write({"measure": "both"})
    _logger.info(
        "Migrated campaigns measuring CSAT, %s ask NPS and CSAT and %s the score only",
        len(both),
        len(campaigns - both),
    )


def _email_question(cr):
    cr.execute(
        SQL(
            """
            UPDATE mail_template AS t
               SET body_html = replace(body_html::text, %(old)s, %(new)s)::jsonb
              FROM ir_model AS m
             WHERE m.id = t.model_id
               AND m.model = 'nps.request'
               AND body_html::text LIKE %(pattern)s
            """,
            old=OLD_EXPRESSION,
            new=NEW_EXPRESSION,
            pattern=f"%{OLD_EXPRESSION}%",
        )
    )
    _logger.info(
        "Migrated %s survey email template(s) to the question of the email",
        cr.rowcount,
    )


def _threshold(cr):
    cr.execute(
        """
        UPDATE res_company
           SET nps_health_csat_min = LEAST(GREATEST(nps_health_csat_min * 10, 0), 100)
         WHERE nps_health_csat_min IS NOT NULL
        """
    )
    _logger.info(
        "Migrated the CSAT threshold of %s compan(y/ies) to a share", cr.rowcount
    )


def _refresh_customers(env):
    """No customer has a CSAT until he answers the CSAT question; the ones at
    risk for a low 0-10 "CSAT" get their health computed again (no other
    reason of the health depends on the CSAT)."""
    cr = env.cr
    cr.execute("UPDATE res_partner SET csat_avg = 0 WHERE csat_avg <> 0")
    _logger.info(
        "Migrated the 0-10 CSAT average of %s customer(s) to none", cr.rowcount
    )
    cr.execute(
        "SELECT id FROM res_partner WHERE nps_health_reason = 'low_csat' ORDER BY id"
    )
    ids = [row[0] for row in cr.fetchall()]
    env.invalidate_all()
    Partner = env["res.partner"].with_context(active_test=False)
    for start in range(0, len(ids), BATCH):
        Partner.browse(ids[start : start + BATCH])._nps_refresh_stats()
        env.flush_all()
        env.invalidate_all()
    _logger.info(
        "Migrated the health of %s customer(s) at risk for their CSAT", len(ids)
    )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _add_csat_question(env)
    _measure_of_campaigns(env)
    _email_question(cr)
    _threshold(cr)
    env.invalidate_all()
    _refresh_customers(env)
