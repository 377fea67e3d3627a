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
