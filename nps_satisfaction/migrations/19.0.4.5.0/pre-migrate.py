"""The account manager of a customer's satisfaction data gets a field of its
own (``res.partner.nps_account_manager_id``), which only satisfaction users
set: until now it was the salesperson (``user_id``), which anyone creating
contacts may set. Every customer keeps the account manager it had: the new
column is filled with its salesperson before the ORM creates it, so that the
surveys' account manager (``nps.request.user_id``, computed from it) and the
access it gives stay as they were."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS nps_account_manager_id int4"
    )
    cr.execute(
        """
        UPDATE res_partner
           SET nps_account_manager_id = user_id
         WHERE user_id IS NOT NULL
           AND nps_account_manager_id IS NULL
        """
    )
    _logger.info(
        "Kept the salesperson of %s customer(s) and contact(s) as account manager",
        cr.rowcount,
    )
