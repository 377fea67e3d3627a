"""Names that an update keeps as they were (``noupdate`` data) and that read
wrong: the dispatch cron, which users look for as "dispatch" (the README's
word), and the follow-up activity types, which read in French "Suivi de
satisfaction terminée" in the chatter (Odoo's "done" agrees with an
*activité*; a *suivi* is masculine). A record still carrying its shipped
name gets the new one alone: the update then loads its translations (the
old name's would be kept otherwise). A name the user changed stays."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

#: xml id: (table of its name, the shipped name, the new name)
RENAMED = {
    "nps_satisfaction.ir_cron_nps_dispatch_ir_actions_server": (
        "ir_act_server",
        "Satisfaction: send due surveys",
        "Satisfaction: dispatch due surveys (send)",
    ),
    "nps_satisfaction.mail_activity_type_nps_followup": (
        "mail_activity_type",
        "Satisfaction follow-up",
        "Satisfaction follow-up action",
    ),
    "nps_satisfaction.mail_activity_type_nps_escalation": (
        "mail_activity_type",
        "Overdue satisfaction follow-up",
        "Escalation of an overdue follow-up",
    ),
}


def _rename_shipped_names(env):
    for xmlid, (table, old, new) in RENAMED.items():
        record = env.ref(xmlid, raise_if_not_found=False)
        if not record:
            continue
        env.cr.execute(
            SQL(
                "UPDATE %s SET name = jsonb_build_object('en_US', %s) "
                "WHERE id = %s AND name->>'en_US' = %s",
                SQL.identifier(table),
                new,
                record.id,
                old,
            )
        )
        if env.cr.rowcount:
            _logger.info("Renamed %s to %r", xmlid, new)
    env.invalidate_all()


def migrate(cr, version):
    if not version:
        return
    _rename_shipped_names(api.Environment(cr, SUPERUSER_ID, {}))
