"""Taking turns on a row: what parallel requests must count one at a time."""

from odoo.tools import SQL


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
    """Whether another transaction is taking its turn on the row
    ``record_id`` of ``table`` now; when not, this transaction holds the
    turn until it ends (call ``take_turn`` next to count).

    A public post that would only wait for its turn is better told at once
    to try again: waiting, it holds one of the server's database
    connections, and a burst of parallel posts fills the pool (a 500 for
    everyone). The turn is a transaction-level advisory lock on the row's
    key, which never waits and, unlike a row lock, knows nothing of
    REPEATABLE READ snapshots."""
    cr.execute(
        SQL(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)",
            table,
            record_id,
        )
    )
    return not cr.fetchone()[0]
