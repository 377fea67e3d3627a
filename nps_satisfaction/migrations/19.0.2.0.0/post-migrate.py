"""Turn the follow-ups kept aside by ``pre-migrate.py`` into ``nps.followup``
cases: one per answer, with its state, account manager, deadline,
escalation, root cause, outcome, notes, recovery and follow-up survey; the
answer's activity moves from the ticket (or project, or customer) to the
case, done or not. The one-click answers kept aside become
``nps.answer.attempt`` rows, and the crons whose job moved to another model
follow it."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

ALERT_KINDS = ("downgrade", "drop", "low_csat", "keyword", "silence")


def _kind(row):
    if row["alert_reason"] in ALERT_KINDS and row["alert_reason"] != "keyword":
        return row["alert_reason"]
    if row["nps_category"] == "detractor":
        return "detractor"
    return row["alert_reason"] or "detractor"


def _state(row, activity):
    if row["followup_state"] == "open":
        return "open"
    if row["followup_state"] == "done":
        return "done"
    if activity:
        return "open" if activity["active"] else "done"
    # an alert no one could be given: kept, not counted as open
    return "cancelled"


#: crons whose job moved to another model in this version (the cron
#: records are ``noupdate``: an upgrade does not rewrite them)
MOVED_CRONS = {
    "ir_cron_nps_followup": ("nps.followup", "model._cron_escalate()"),
    "ir_cron_nps_dispatch": ("nps.dispatch", "model._cron_dispatch()"),
    "ir_cron_nps_reminder": ("nps.dispatch", "model._cron_remind()"),
    "ir_cron_nps_retention": ("nps.privacy", "model._cron_retention()"),
}


def _move_crons(env):
    for xmlid, (model, code) in MOVED_CRONS.items():
        cron = env.ref(f"nps_satisfaction.{xmlid}", raise_if_not_found=False)
        if cron:
            cron.write({"model_id": env["ir.model"]._get_id(model), "code": code})


def _migrate_attempts(env):
    """One ``nps.answer.attempt`` per one-click answer kept aside: still
    waiting (provisional or suspect), or confirmed (by the customer, or
    counted after the settle delay)."""
    cr = env.cr
    cr.execute("SELECT to_regclass('nps_attempt_legacy')")
    if not cr.fetchone()[0]:
        return
    cr.execute("SELECT * FROM nps_attempt_legacy ORDER BY request_id")
    columns = [c.name for c in cr.description]
    rows = [dict(zip(columns, values, strict=True)) for values in cr.fetchall()]
    vals_list = []
    for row in rows:
        if row["provisional_state"]:
            verdict = row["provisional_state"]
            confirmed_date = False
        else:
            verdict = "confirmed" if row["confirmed_by"] == "customer" else "settled"
            confirmed_date = row["answer_date"]
        vals_list.append(
            {
                "request_id": row["request_id"],
                "score": row["provisional_score"] or 0,
                "attempt_date": row["provisional_date"] or row["answer_date"],
                "verdict": verdict,
                "reason": row["provisional_reason"],
                "user_agent": row["provisional_user_agent"],
                "session_hash": row["provisional_session_hash"],
                "confirmed_date": confirmed_date,
            }
        )
    attempts = env["nps.answer.attempt"].create(vals_list)
    attempts.request_id._compute_provisional()
    env.flush_all()
    cr.execute("DROP TABLE nps_attempt_legacy")
    _logger.info("Migrated %s one-click answer(s) into attempts", len(attempts))


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _move_crons(env)
    _migrate_attempts(env)
    _migrate_followups(env)


def _migrate_followups(env):
    """One ``nps.followup`` case per follow-up kept aside (an answer that
    already has its case keeps it), its activity moved onto it and its
    account manager following it."""
    cr = env.cr
    cr.execute("SELECT to_regclass('nps_followup_legacy')")
    if not cr.fetchone()[0]:
        return
    cr.execute("SELECT * FROM nps_followup_legacy ORDER BY request_id")
    columns = [c.name for c in cr.description]
    rows = [dict(zip(columns, values, strict=True)) for values in cr.fetchall()]
    activities = _legacy_activities(cr, rows)
    surveys = _followup_surveys(cr, rows)
    Followup = env["nps.followup"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    existing = set(Followup.search([]).mapped("request_id").ids)
    cases = Followup.create(
        [
            _case_values(row, activities.get(row["activity_id"]), surveys)
            for row in rows
            if row["request_id"] not in existing
        ]
    )
    moved = _move_activities(env, rows, activities, cases)
    for case in cases.filtered("user_id"):
        case.message_subscribe(partner_ids=case.user_id.partner_id.ids)
    env.invalidate_all()
    cr.execute("DROP TABLE nps_followup_legacy")
    _logger.info(
        "Migrated %s follow-up(s) into cases, %s activit(y/ies) moved onto them",
        len(cases),
        moved,
    )


def _legacy_activities(cr, rows):
    """The activities of these follow-ups, by id: whether still active,
    their assignee and deadline."""
    activity_ids = [row["activity_id"] for row in rows if row["activity_id"]]
    if not activity_ids:
        return {}
    cr.execute(
        """
        SELECT id, active, user_id, date_deadline FROM mail_activity
         WHERE id = ANY(%s)
        """,
        [activity_ids],
    )
    return {
        a[0]: {"active": a[1], "user_id": a[2], "date_deadline": a[3]}
        for a in cr.fetchall()
    }


def _followup_surveys(cr, rows):
    """The follow-up survey of each of these follow-ups' answers (the first
    one created for it), by the answer's request id."""
    cr.execute(
        """
        SELECT DISTINCT ON (origin_request_id) origin_request_id, id
          FROM nps_request
         WHERE origin_request_id = ANY(%s)
         ORDER BY origin_request_id, id
        """,
        [[row["request_id"] for row in rows]],
    )
    return dict(cr.fetchall())


def _case_values(row, activity, surveys):
    """The values of the case of a follow-up kept aside, with its activity
    (or None) and the follow-up surveys by answer."""
    return {
        "request_id": row["request_id"],
        "kind": _kind(row),
        "keywords": row["alert_keywords"],
        "state": _state(row, activity),
        "user_id": row["followup_user_id"] or (activity and activity["user_id"]),
        "date_deadline": row["followup_deadline"]
        or (activity and activity["date_deadline"]),
        "escalated": bool(row["followup_escalated"]),
        "root_cause_id": row["followup_root_cause_id"],
        "outcome": row["followup_outcome"],
        "action_taken": row["followup_note"],
        "done_date": row["followup_done_date"],
        "recovered": bool(row["recovered"]),
        "survey_request_id": surveys.get(row["request_id"]),
    }


def _move_activities(env, rows, activities, cases):
    """Move each follow-up's activity from its document onto its new case,
    done or not; returns how many moved."""
    cr = env.cr
    by_request = {case.request_id.id: case for case in cases}
    model_id = env["ir.model"]._get_id("nps.followup")
    moved = 0
    for row in rows:
        case = by_request.get(row["request_id"])
        if not case or row["activity_id"] not in activities:
            continue
        cr.execute(
            SQL(
                """
                UPDATE mail_activity
                   SET res_model = 'nps.followup', res_model_id = %s, res_id = %s
                 WHERE id = %s
                """,
                model_id,
                case.id,
                row["activity_id"],
            )
        )
        moved += cr.rowcount
    return moved
