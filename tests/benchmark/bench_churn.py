"""Benchmark: churn by prior satisfaction over 100,000 customers and
1,000,000 answers.

Not a test: it prints figures. Run by ./run-benchmark --report, after the
report's own figures (or alone: ./run-benchmark --churn):

    ./run-benchmark --churn [--customers 100000] [--answers 1000000]

On one database with nps_satisfaction, it inserts (set-based SQL, not the
ORM) the customers, the answers over three years (about 78% of the surveys
answered), three health changes per customer, a follow-up case for one
detractor answer in four, and a termination notice in the last year for 6%
of the customers (a sixth of them withdrawn), then measures, in the same
run, each the median of 5 after a warm-up:

- the churn rates by account category, health, follow-up and recovery
  (``nps.churn._nps_segments``, what the dashboard's sentence reads);
- the early warning (``nps.churn._nps_early_warning``);
- the whole analysis as *Compute* runs it (both, and its 100,000 customers
  stored for the pivot);
- its pivot by account category and left (``nps.churn.line``: the stored
  rows joined to their customer and analysis).

The database is dropped at the end.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_close_dispatch import (  # noqa: E402
    PG_QUIET,
    REPO,
    RUNS,
    drop_database,
    install_template,
    log,
    setup_odoo,
    timed,
)

DB = "nps_bench_churn"


def insert_customers(env, customers):
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, is_company, active, type, email,
                                     company_id, create_date, write_date,
                                     create_uid, write_uid)
            SELECT 'Churn bench ' || g, TRUE, TRUE, 'contact',
                   'c' || g || '@churn.example', %(company)s,
                   now() - interval '4 years', now(), 1, 1
              FROM generate_series(1, %(n)s) AS g
            RETURNING id
            """,
            company=env.company.id,
            n=customers,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", ids)
    )
    return ids


def insert_answers(env, answers, first, last):
    """``answers`` surveys over three years, spread over the customers
    ``first``..``last`` (ids)."""
    campaign = env.ref("nps_satisfaction.campaign_post_ticket")
    env.cr.execute(
        SQL(
            """
            INSERT INTO nps_request (
                campaign_id, trigger, company_id, partner_id,
                commercial_partner_id, state, channel, access_token,
                scheduled_date, sent_date, answer_date, report_date, score,
                nps_category, reminder_count, create_date, write_date,
                create_uid, write_uid)
            SELECT %(campaign)s, 'ticket_closed', %(company)s, p, p,
                   CASE WHEN answered THEN 'answered' ELSE 'expired' END,
                   'email', md5(g::text || random()::text),
                   sent, sent, CASE WHEN answered THEN sent + interval '5 hours' END,
                   sent::date, CASE WHEN answered THEN score END,
                   CASE WHEN NOT answered THEN NULL
                        WHEN score >= 9 THEN 'promoter'
                        WHEN score >= 7 THEN 'passive'
                        ELSE 'detractor' END,
                   0, sent, sent, 1, 1
              FROM generate_series(1, %(n)s) AS g,
                   LATERAL (SELECT random() < 0.78 + 0 * g AS answered,
                                   (random() * 10)::int AS score,
                                   now() - random() * interval '1095 days' AS sent,
                                   %(first)s
                                   + ((g::bigint * 7919) %% (%(span)s))::int
                                   AS p
                           ) AS x
            """,
            campaign=campaign.id,
            company=env.company.id,
            n=answers,
            first=first,
            span=last - first + 1,
        )
    )


def insert_history_cases_notices(env, first, last):
    """Three health changes per customer, a case for one detractor answer in
    four (half of them recovered), notices for 6% of the customers."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO nps_health_history (partner_id, date, health, company_id,
                                            create_date, write_date, create_uid,
                                            write_uid)
            SELECT p, now() - random() * interval '1095 days',
                   (ARRAY['healthy', 'healthy', 'watch', 'at_risk'])
                       [1 + (random() * 3)::int],
                   %(company)s, now(), now(), 1, 1
              FROM generate_series(%(first)s, %(last)s) AS p,
                   generate_series(1, 3) AS k;
            INSERT INTO nps_followup (request_id, kind, state, partner_id,
                                      commercial_partner_id, company_id,
                                      recovered, name, create_date, write_date,
                                      create_uid, write_uid)
            SELECT id, 'detractor', 'done', partner_id, commercial_partner_id,
                   company_id, random() < 0.5, 'Bench case', answer_date,
                   answer_date, 1, 1
              FROM nps_request
             WHERE nps_category = 'detractor' AND id %% 4 = 0;
            INSERT INTO nps_termination (partner_id, notice_date, state,
                                         company_id, create_date, write_date,
                                         create_uid, write_uid)
            SELECT p, (now() - random() * interval '365 days')::date,
                   (ARRAY['notice', 'done', 'done', 'done', 'done', 'withdrawn'])
                       [1 + (random() * 5)::int],
                   %(company)s, now(), now(), 1, 1
              FROM generate_series(%(first)s, %(last)s) AS p
             WHERE random() < 0.06
            """,
            company=env.company.id,
            first=first,
            last=last,
        )
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (to look at plans)"
    )
    parser.add_argument(
        "--json", default=str(REPO / "tests" / "benchmark" / "last_churn_run.json")
    )
    return parser.parse_args()


def fill_database(figures, customers, answers):
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        log(f"inserting {customers} customers and {answers} surveys")
        start = time.perf_counter()
        ids = insert_customers(env, customers)
        insert_answers(env, answers, ids[0], ids[-1])
        insert_history_cases_notices(env, ids[0], ids[-1])
        cr.commit()
        figures["populate_seconds"] = time.perf_counter() - start
    tables = (
        "nps_request, nps_health_history, nps_followup, nps_termination, res_partner"
    )
    for table in tables.split(", "):
        subprocess.run(
            ["psql", "-d", DB, "-qc", f"VACUUM ANALYZE {table}"],
            check=True,
            env=PG_QUIET,
        )


def time_figures(figures):
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env(user=env.ref("base.user_admin").id)
        today = fields.Date.today()
        period = (today.replace(year=today.year - 1), today, 30)
        churn = admin["nps.churn"]

        def analysis():
            record = admin["nps.churn.analysis"].create(
                dict(zip(("date_from", "date_to", "lead_days"), period, strict=True))
            )
            record.action_compute()
            admin.invalidate_all()
            return record

        def pivot():
            return admin["nps.churn.line"].formatted_read_group(
                [("analysis_id", "=", computed.id)],
                ["category", "churned"],
                ["churn_value:avg", "__count"],
            )

        computed = None
        for name, function in (
            ("segments", lambda: churn._nps_segments(*period)),
            ("early_warning", lambda: churn._nps_early_warning(*period)),
            ("analysis", analysis),
            ("pivot", pivot),
        ):
            log(f"timing {name}")
            queries = odoo.sql_db.sql_counter
            seconds, result = timed(function)
            figures[name] = {
                "seconds": seconds,
                "queries": (odoo.sql_db.sql_counter - queries) / (RUNS + 1),
            }
            if name == "analysis":
                computed = result
                figures["counted"] = result.customer_count
                figures["left"] = result.churned_count
                figures["summary"] = result.summary
        cr.rollback()


def report(figures):
    lines = [
        "-" * 72,
        f"Churn over {figures['customers']:,} customers and "
        f"{figures['answers']:,} surveys (median of {RUNS})",
        "-" * 72,
        f"{'what':<46}{'seconds':>10}{'queries':>10}",
    ]
    for key, label in (
        ("segments", "churn rates by category, health, follow-up"),
        ("early_warning", "early warning"),
        ("analysis", "the analysis's Compute (both, lines stored)"),
        ("pivot", "its pivot by category and left (its lines)"),
    ):
        lines.append(
            f"{label:<46}{figures[key]['seconds']:>10.3f}{figures[key]['queries']:>10.0f}"
        )
    lines.append(
        f"customers counted: {figures['counted']:,}, left: {figures['left']:,}"
    )
    lines.append(figures["summary"])
    lines.append("-" * 72)
    print("\n".join(lines), flush=True)


def measure(odoo_src, customers, answers, keep=False):
    """The churn figures on a database of their own, dropped after (unless
    ``keep``)."""
    log("installing nps_satisfaction")
    install_template(odoo_src, "nps", DB)
    figures = {"customers": customers, "answers": answers}
    try:
        fill_database(figures, customers, answers)
        time_figures(figures)
    finally:
        if not keep:
            drop_database(DB)
    return figures


def main():
    args = parse_args()
    odoo_src = pathlib.Path(args.odoo_src)
    setup_odoo(odoo_src)
    figures = measure(odoo_src, args.customers, args.answers, args.keep)
    report(figures)
    pathlib.Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    log(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
