"""Taking turns on a row: what parallel requests must count one at a time."""

import psycopg2

from odoo.tools import SQL, mute_logger


def take_turn(cr, table, record_id):
    """Make this transaction wait for any other one that took its turn on
    the row ``record_id`` of ``table``, and hold the row until it ends.

    Odoo's transactions are REPEATABLE READ: a transaction that waited for a
    lock still counts with the snapshot it began with, blind to what the
    other one just committed (a ``SELECT ... FOR UPDATE`` alone lets parallel
    posts pass a limit together). Updating the row instead makes the second
    transaction fail to serialize once the first commits, and Odoo runs the
    request again, counting afresh."""
    cr.execute(
        SQL(
            "UPDATE %s SET write_date = write_date WHERE id = %s",
            SQL.identifier(table),
            record_id,
        )
    )


def turn_is_taken(cr, table, record_id):
    """Whether another transaction holds its turn on the row ``record_id``
    of ``table`` now. A public post that would only wait for it is better
    told at once to try again: waiting, it holds one of the server's
    database connections, and a burst of parallel posts fills the pool (a
    500 for everyone). When the row is free, this transaction takes it."""
    try:
        with mute_logger("odoo.sql_db"), cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id = %s FOR UPDATE NOWAIT",
                    SQL.identifier(table),
                    record_id,
                )
            )
    except psycopg2.errors.LockNotAvailable:
        return True
    return False
