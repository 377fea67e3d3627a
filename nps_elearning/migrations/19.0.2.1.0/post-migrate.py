"""The account manager of an onboarding enrolment and of a request to join
is the customer's account manager of its satisfaction data
(``res.partner.nps_account_manager_id``, which only satisfaction users set),
no longer its salesperson: both stored fields are computed again from it
(``nps_satisfaction`` filled it with the salesperson first, so the values
stay those of before the upgrade)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

FIELDS = (
    ("slide.channel.partner", "nps_account_manager_id"),
    ("nps.onboarding.join", "account_manager_id"),
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    for model, fname in FIELDS:
        Model = env[model]
        records = Model.search([])
        env.add_to_compute(Model._fields[fname], records)
        Model.flush_model([fname])
        _logger.info(
            "Migrated the account manager of %s %s record(s)", len(records), model
        )
