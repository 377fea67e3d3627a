"""The follow-up cases' record rule (data an update keeps as it was,
``noupdate``) reads the customer's account manager of the satisfaction data
instead of its salesperson."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

RULES = ("nps_satisfaction.nps_followup_rule_account_manager",)
OLD = "commercial_partner_id.user_id"
NEW = "commercial_partner_id.nps_account_manager_id"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in RULES:
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule and OLD in (rule.domain_force or ""):
            rule.domain_force = rule.domain_force.replace(OLD, NEW)
            _logger.info("Migrated the record rule %s to the account manager", xmlid)
