"""The rule that shows every survey request (data an update keeps as it
was, ``noupdate``) is for satisfaction users only: agents of every ticket
and project users read, through rules of their own created by the update,
the surveys of tickets and of projects, never the newsletters',
relationship or onboarding answers."""

import logging

from odoo import SUPERUSER_ID, Command, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("nps_satisfaction.nps_request_rule_all", raise_if_not_found=False)
    group = env.ref("nps_satisfaction.group_nps_user", raise_if_not_found=False)
    if rule and group and rule.groups != group:
        rule.groups = [Command.set(group.ids)]
        _logger.info("The rule showing every survey is for satisfaction users only")
