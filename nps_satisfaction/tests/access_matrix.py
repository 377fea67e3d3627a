"""The access-rights matrix of the suite, as data.

Each addon keeps its rows in ``tests/access_rows.py`` (plain tuples, no Odoo
import) and checks them in a test built on
``odoo.addons.nps_satisfaction.tests.access_common.AccessMatrixCase``, which
runs every cell as the role's user. This module holds the shared format and
prints the whole matrix as a Markdown table::

    python nps_satisfaction/tests/access_matrix.py

A row is ``(subject, operation, method, expected)``: ``method`` names the
test method ``op_<method>(env)`` that performs the operation in the role's
environment, ``expected`` has one letter per role, in ``ROLES`` order:
``Y`` the operation succeeds, ``N`` it is refused (``AccessError``) or the
record is out of reach (a record rule filters it out). The team leader came
last: a row written before him (one letter fewer) leaves his cell unchecked
(``-`` in the table).
"""

import importlib.util
import pathlib
import sys

ROLES = (
    "public",
    "portal_a",
    "portal_b",
    "agent_own",
    "account_manager",
    "nps_user",
    "nps_manager",
    "other_company",
    "team_leader",
)
ROLE_LABELS = {
    "public": "public (anonymous)",
    "portal_a": "portal customer A",
    "portal_b": "portal customer B",
    "agent_own": "agent (own tickets)",
    "account_manager": "account manager (internal user only)",
    "nps_user": "satisfaction user",
    "nps_manager": "satisfaction manager",
    "other_company": "manager of another company",
    "team_leader": "team leader (team tickets)",
}
ADDONS = ("nps_satisfaction", "nps_campaigns", "nps_elearning")


def expectations(row):
    """``{role: True/False}`` of a row: True where the operation succeeds."""
    _subject, _operation, _method, expected = row
    if len(expected) not in (len(ROLES), len(ROLES) - 1) or set(expected) - {
        "Y",
        "N",
    }:
        raise ValueError(f"row {row!r}: expected one Y or N per role")
    roles = ROLES[: len(expected)]
    return dict(zip(roles, (letter == "Y" for letter in expected), strict=True))


def markdown(rows_by_addon):
    """The matrix as a Markdown table, one line per row."""
    header = ["addon", "subject", "operation"] + [ROLE_LABELS[r] for r in ROLES]
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(["---"] * 3 + [":-:"] * len(ROLES)) + " |",
    ]
    for addon, rows in rows_by_addon.items():
        for row in rows:
            allowed = expectations(row)
            cells = [
                "-" if role not in allowed else "yes" if allowed[role] else "no"
                for role in ROLES
            ]
            lines.append("| " + " | ".join([addon, row[0], row[1], *cells]) + " |")
    return "\n".join(lines)


def load_rows(addon_dir):
    """The rows of one addon, read from its ``tests/access_rows.py``."""
    path = pathlib.Path(addon_dir) / "tests" / "access_rows.py"
    spec = importlib.util.spec_from_file_location(
        f"{path.parent.parent.name}_rows", path
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ROWS


def main():
    root = pathlib.Path(__file__).resolve().parents[2]
    rows = {addon: load_rows(root / addon) for addon in ADDONS}
    sys.stdout.write(markdown(rows) + "\n")


if __name__ == "__main__":
    main()
