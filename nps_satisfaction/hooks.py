import logging

_logger = logging.getLogger(__name__)


def post_init_hook(env):
    """Installed on a database that already has customers: each one's
    salesperson becomes the account manager of its satisfaction data, as
    the salesperson was before the account manager had a field of its own
    (a customer created from now on gets his when it is created)."""
    env.cr.execute(
        """
        UPDATE res_partner
           SET nps_account_manager_id = user_id
         WHERE user_id IS NOT NULL
           AND nps_account_manager_id IS NULL
        """
    )
    _logger.info(
        "%s customer(s) given their salesperson as account manager", env.cr.rowcount
    )
