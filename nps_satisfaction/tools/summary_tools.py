"""What the summaries kept by triggers share (``nps.report.day``, the
figures by day; ``nps.theme.day``, the themes by day): the merge of each
key's rows, and whether a report's domain can be read from a summary."""

from odoo.fields import Domain
from odoo.tools import SQL


def compact_sql(table, dimensions, measures, nonzero):
    """The statement that sums each key of ``dimensions`` (column names)
    with fresh rows into one row of ``table``: its fresh rows and its
    compacted one, the ``measures`` summed; a key whose ``nonzero`` measure
    sums to nothing is left out. The figures stay the same; the rows added
    meanwhile stay fresh for the next run."""
    keys = SQL(", ").join(SQL.identifier(name) for name in dimensions)
    # equalities a hash join can use (``IS NOT DISTINCT FROM`` is none: it
    # made the merge compare every row with every key, for hours after a
    # bulk insert of millions of surveys): a key's text, and whether it is
    # empty
    same = SQL(" AND ").join(
        SQL(
            "COALESCE(d.%(name)s::text, '') = COALESCE(k.%(name)s::text, '')"
            " AND (d.%(name)s IS NULL) = (k.%(name)s IS NULL)",
            name=SQL.identifier(name),
        )
        for name in dimensions
    )
    return SQL(
        """
        WITH keys AS (
            SELECT DISTINCT %(keys)s FROM %(table)s WHERE fresh
        ), gone AS (
            DELETE FROM %(table)s d USING keys k
             WHERE %(same)s
         RETURNING d.*
        )
        INSERT INTO %(table)s (%(keys)s, %(measures)s, fresh)
        SELECT %(keys)s, %(sums)s, FALSE
          FROM gone
      GROUP BY %(keys)s
        HAVING SUM(%(nonzero)s) <> 0
        """,
        table=SQL.identifier(table),
        keys=keys,
        same=same,
        measures=SQL(", ").join(SQL.identifier(name) for name in measures),
        sums=SQL(", ").join(SQL("SUM(%s)", SQL.identifier(name)) for name in measures),
        nonzero=SQL.identifier(nonzero),
    )


def summary_domain(report, domain, fields):
    """``domain`` on ``report`` and the current user's record rules of
    ``report``, optimized, when its conditions use only ``fields`` (the
    keys a summary keeps); None otherwise."""
    domain = Domain(domain)
    if not report.env.su:
        domain &= report.env["ir.rule"]._compute_domain(report._name, "read")
    domain = domain.optimize(report)
    for condition in domain.iter_conditions():
        if condition.field_expr.partition(".")[0] not in fields:
            return None
    return domain
