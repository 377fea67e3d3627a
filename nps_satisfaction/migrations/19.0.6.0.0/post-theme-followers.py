"""A theme's responsible reads the follow-up cases he was alerted on, no
longer every case mentioning his theme: he follows the cases whose alert
he got. The cases already alerted get their themes' responsibles as
followers, and the two rules (data an update keeps as it was,
``noupdate``) read what the user follows. Running it twice adds nothing."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

RULES = {
    "nps_satisfaction.nps_followup_rule_theme_responsible": (
        "[('message_partner_ids', 'in', [user.partner_id.id])]"
    ),
    "nps_satisfaction.nps_request_rule_theme_responsible": (
        "[('followup_ids.message_partner_ids', 'in', [user.partner_id.id])]"
    ),
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    for xmlid, domain in RULES.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule and rule.domain_force != domain:
            rule.domain_force = domain
    cases = env["nps.followup"].search([("theme_alerted_ids.user_id", "!=", False)])
    followed = 0
    for case in cases:
        partners = case.theme_alerted_ids.user_id.partner_id - case.message_partner_ids
        if partners:
            case.message_subscribe(partner_ids=partners.ids)
            followed += 1
    _logger.info(
        "Migrated: the themes' responsibles follow the %s case(s) they were alerted on",
        followed,
    )
