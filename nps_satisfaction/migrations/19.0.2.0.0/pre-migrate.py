"""Before 19.0.2.0.0 the follow-up of an answer lived on ``nps.request``
(``followup_*``, ``alert_*``, ``recovered`` and ``activity_id``), and so did
the one-click answer waiting for its confirmation (``provisional_*``). Those
columns go with this version: keep their values aside, in tables of their
own, for ``post-migrate.py`` to turn into ``nps.followup`` cases and
``nps.answer.attempt`` rows."""

import logging

_logger = logging.getLogger(__name__)

LEGACY_COLUMNS = (
    "followup_state",
    "followup_user_id",
    "followup_deadline",
    "followup_escalated",
    "followup_root_cause_id",
    "followup_outcome",
    "followup_note",
    "followup_done_date",
    "recovered",
    "alert_reason",
    "alert_keywords",
    "activity_id",
)


ATTEMPT_COLUMNS = (
    "provisional_state",
    "provisional_score",
    "provisional_date",
    "provisional_reason",
    "provisional_user_agent",
    "provisional_session_hash",
    "confirmed_by",
)


def _keep_attempts(cr):
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'nps_request' AND column_name = ANY(%s)
        """,
        [list(ATTEMPT_COLUMNS)],
    )
    if {row[0] for row in cr.fetchall()} != set(ATTEMPT_COLUMNS):
        return
    cr.execute("DROP TABLE IF EXISTS nps_attempt_legacy")
    cr.execute(
        """
        CREATE TABLE nps_attempt_legacy AS
        SELECT id AS request_id, answer_date, provisional_state,
               provisional_score, provisional_date, provisional_reason,
               provisional_user_agent, provisional_session_hash, confirmed_by
          FROM nps_request
         WHERE provisional_state IS NOT NULL
            OR (confirmed_by IS NOT NULL AND provisional_date IS NOT NULL)
        """
    )
    _logger.info("Kept %s one-click answer(s) of nps_request aside", cr.rowcount)


def migrate(cr, version):
    if not version:
        return
    _keep_attempts(cr)
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'nps_request' AND column_name = ANY(%s)
        """,
        [list(LEGACY_COLUMNS)],
    )
    present = {row[0] for row in cr.fetchall()}
    if present != set(LEGACY_COLUMNS):
        _logger.info("No follow-up columns to keep on nps_request: %s", present)
        return
    cr.execute("DROP TABLE IF EXISTS nps_followup_legacy")
    cr.execute(
        """
        CREATE TABLE nps_followup_legacy AS
        SELECT id AS request_id, nps_category, score, followup_state,
               followup_user_id, followup_deadline, followup_escalated,
               followup_root_cause_id, followup_outcome, followup_note,
               followup_done_date, recovered, alert_reason, alert_keywords,
               activity_id
          FROM nps_request
         WHERE followup_state IS NOT NULL
            OR alert_reason IS NOT NULL
            OR activity_id IS NOT NULL
        """
    )
    _logger.info("Kept %s follow-up(s) of nps_request aside", cr.rowcount)
