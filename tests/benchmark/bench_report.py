"""Benchmark: satisfaction figures over 1,000,000 answers.

Not a test: it prints figures. Run by ./run-benchmark --report (which
prepares the machine and runs this script with the virtual environment's
Python):

    ./run-benchmark --report [--answers 1000000] [--customers 100000]

On one database with nps_satisfaction, it inserts N sent surveys (about 78%
answered) spread over two years, 2,000 customers, 6 helpdesk teams and 4
campaigns, then measures, in the same run:

- the NPS by month (the "NPS over time" graph), the same with the NPS's
  margin of error, and the pivot by team and quarter (with the margins), as
  the web client asks them: one aggregate query on nps.report;
- the same NPS by month computed the ORM way: reading every answer's date and
  category with search_fetch and counting in Python;
- opening the dashboard (its figures and lists);
- the figures by theme (``nps.theme.report``): each theme's figures over the
  dashboard's 90 days (``_nps_theme_figures``), the pivot by theme and month
  with its month measures (share of the comments, impact), and the
  dashboard's *What detractors talk about*.

About 45% of the answers carry a comment, and about three in four comments
one of the shipped themes, or two (set-based, in SQL).

Every figure is the median of 5 runs after one warm-up run. The database is
dropped at the end. Then the churn figures, on a database of their own, over
--customers customers (100,000) and --answers answers (bench_churn.py, run
alone by ./run-benchmark --churn), printed after the report's and kept in
its JSON under "churn"; that database is dropped too.
"""

import argparse
import datetime
import json
import pathlib
import subprocess
import sys
import time
from collections import defaultdict
from functools import partial

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_churn  # noqa: E402
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

DB = "nps_bench_report"
BENCH = REPO / "tests" / "benchmark"


def populate(env, answers):
    """Customers, teams, campaigns, then the requests in one INSERT ...
    SELECT generate_series (the ORM would take hours for a million)."""
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench company {i}",
                "is_company": True,
                "email": f"c{i}@b.example",
            }
            for i in range(2000)
        ]
    )
    teams = env["helpdesk.ticket.team"].create(
        [{"name": f"Bench team {i}"} for i in range(6)]
    )
    base = env.ref("nps_satisfaction.campaign_post_ticket")
    campaigns = base | base.copy({"name": "Bench B"}) | base.copy({"name": "Bench C"})
    campaigns |= env.ref("nps_satisfaction.campaign_post_installation")
    env.flush_all()
    insert_requests(env, answers, partners, teams, campaigns)
    insert_comments_and_themes(env)
    env.cr.commit()
    env.cr.commit()


def insert_requests(env, answers, partners, teams, campaigns):
    """``answers`` sent surveys (about 78% answered) over two years, spread
    over the partners, teams and campaigns."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO nps_request (
                campaign_id, trigger, company_id, partner_id,
                commercial_partner_id, team_id, state, channel, access_token,
                scheduled_date, sent_date, answer_date, report_date, score,
                nps_category,
                reminder_count, create_date, write_date, create_uid, write_uid)
            SELECT c.ids[1 + g %% 4], 'ticket_closed', %(company)s,
                   p.ids[1 + (g * 7) %% 2000], p.ids[1 + (g * 7) %% 2000],
                   t.ids[1 + (g * 13) %% 6],
                   CASE WHEN answered THEN 'answered' ELSE 'expired' END,
                   'email', md5(g::text || random()::text),
                   sent, sent, CASE WHEN answered THEN sent + interval '5 hours' END,
                   sent::date,
                   CASE WHEN answered THEN score END,
                   CASE WHEN NOT answered THEN NULL
                        WHEN score >= 9 THEN 'promoter'
                        WHEN score >= 7 THEN 'passive'
                        ELSE 'detractor' END,
                   0, sent, sent, 1, 1
              FROM generate_series(1, %(n)s) AS g,
                   -- g in the subquery makes it run once per row
                   LATERAL (SELECT random() < 0.78 + 0 * g AS answered,
                                   (random() * 10)::int AS score,
                                   now() - random() * interval '730 days' AS sent
                           ) AS x,
                   (SELECT array_agg(id ORDER BY id) AS ids FROM res_partner
                     WHERE id IN %(partners)s) AS p,
                   (SELECT array_agg(id ORDER BY id) AS ids FROM helpdesk_ticket_team
                     WHERE id IN %(teams)s) AS t,
                   (SELECT array_agg(id ORDER BY id) AS ids FROM nps_campaign
                     WHERE id IN %(campaigns)s) AS c
            """,
            company=env.company.id,
            n=answers,
            partners=tuple(partners.ids),
            teams=tuple(teams.ids),
            campaigns=tuple(campaigns.ids),
        )
    )


#: comments of the answers (their themes come apart, not from their words)
COMMENTS = (
    "Les factures sont fausses depuis trois mois.",
    "Schon wieder eine Störung im Netz den ganzen Abend.",
    "I waited two weeks for a call back that never came.",
    "Le technicien n'est jamais venu au rendez-vous.",
    "Der Berater war freundlich und kompetent.",
    "Great service, the problem was solved quickly.",
)


def insert_comments_and_themes(env):
    """A comment on about 45% of the answers, and themes on about three in
    four of those (one theme, or two for about a third), spread over the
    shipped themes: set-based, two statements."""
    env.cr.execute(
        SQL(
            """
            UPDATE nps_request
               SET comment = (%(comments)s::text[])[1 + (id * 7) %% %(n)s],
                   comment_lang = (ARRAY['fr_FR', 'de_DE', 'en_US'])[1 + id %% 3]
             WHERE state = 'answered' AND random() < 0.45
            """,
            comments=list(COMMENTS),
            n=len(COMMENTS),
        )
    )
    insert_themes(env)


def insert_themes(env, after=0):
    """Themes on about three in four of the comments of the surveys after
    id ``after`` (one theme, or two for about a third), spread over the
    shipped themes: one statement."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO nps_request_theme_rel (request_id, theme_id)
            SELECT r.id, th.ids[1 + pick.i]
              FROM nps_request r,
                   (SELECT array_agg(id ORDER BY id) AS ids, COUNT(*) AS n
                      FROM nps_theme) AS th,
                   -- the first theme; a second, another one, for a third
                   LATERAL (SELECT (r.id * 17) %% th.n AS i
                            UNION ALL
                            SELECT ((r.id * 17) %% th.n + 1 + r.id %% (th.n - 1))
                                   %% th.n
                             WHERE r.id %% 3 = 0) AS pick
             WHERE r.id > %(after)s AND r.comment IS NOT NULL AND r.id %% 4 <> 0
            """,
            after=after,
        )
    )


# --- What is timed (each on the admin's environment) ---


def nps_by_month(nps_report):
    return nps_report.formatted_read_group(
        [], ["date:month"], ["nps_value:avg", "__count"]
    )


def nps_margin_by_month(nps_report):
    return nps_report.formatted_read_group(
        [], ["date:month"], ["nps_value:avg", "nps_margin:avg", "__count"]
    )


def pivot_by_team(nps_report):
    return nps_report.formatted_read_group(
        [],
        ["team_id", "date:quarter"],
        ["nps_value:avg", "nps_margin:avg", "answered:avg", "__count"],
    )


def theme_figures(admin):
    """Each theme's figures over the dashboard's 90 days."""
    today = datetime.date.today()
    return admin["nps.theme.report"]._nps_theme_figures(
        today - datetime.timedelta(days=90), today
    )


def theme_pivot(theme_report):
    """The pivot by theme and month, with the month measures."""
    return theme_report.formatted_read_group(
        [],
        ["theme_id", "date:month"],
        [
            "__count",
            "nps_value:avg",
            "impact:sum",
            "comment_share:sum",
            "detractor_count:sum",
        ],
    )


def dashboard_themes(admin):
    """The dashboard's What detractors talk about (its period's themes)."""
    board = admin["nps.dashboard"].create({"period": "90"})
    board.read(["theme_line_ids"])
    admin.invalidate_all()
    return board


def orm_nps_by_month(admin):
    counts = defaultdict(lambda: [0, 0, 0])
    answers = admin["nps.request"].search_fetch(
        [("state", "=", "answered")], ["answer_date", "nps_category"]
    )
    index = {"promoter": 0, "passive": 1, "detractor": 2}
    for answer in answers:
        counts[answer.answer_date.strftime("%Y-%m")][index[answer.nps_category]] += 1
    admin.invalidate_all()
    return {month: 100.0 * (p - d) / (p + q + d) for month, (p, q, d) in counts.items()}


def dashboard(admin):
    board = admin["nps.dashboard"].create({"period": "90"})
    board.read(
        [
            "nps",
            "nps_trend",
            "nps_margin",
            "nps_change_verdict",
            "response_rate",
            "followup_count",
        ]
    )
    admin.invalidate_all()
    return board


# --- Main ---


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument(
        "--customers", type=int, default=100_000, help="of the churn figures"
    )
    parser.add_argument(
        "--scale",
        type=float,
        help="millions of surveys over three years, a tenth of them first: "
        "the figures and what an answer costs at both sizes "
        "(bench_report_scale.py)",
    )
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("--json")
    return parser.parse_args()


def main():
    args = parse_args()
    odoo_src = pathlib.Path(args.odoo_src)
    setup_odoo(odoo_src)
    if args.scale:
        import bench_report_scale  # noqa: PLC0415 (its own imports this module)

        bench_report_scale.run(
            odoo_src,
            args.scale,
            pathlib.Path(args.json or BENCH / "last_report_scale_run.json"),
        )
        return
    args.json = args.json or str(BENCH / "last_report_run.json")
    log("installing nps_satisfaction")
    install_template(odoo_src, "nps", DB)
    figures = {"answers": args.answers}
    try:
        fill_database(figures, args.answers)
        sql_result = time_figures(figures)
    finally:
        drop_database(DB)
    sql, orm = (
        figures["nps_by_month"]["seconds"],
        figures["orm_nps_by_month"]["seconds"],
    )
    figures["orm_over_sql"] = orm / sql
    report(figures, args.answers, sql_result)
    figures["churn"] = bench_churn.measure(odoo_src, args.customers, args.answers)
    bench_churn.report(figures["churn"])
    pathlib.Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    log(f"figures written to {args.json}")


def fill_database(figures, answers):
    """The surveys inserted (timed), then the table vacuumed and analysed."""
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        log(f"inserting {answers} surveys")
        start = time.perf_counter()
        populate(env, answers)
        figures["populate_seconds"] = time.perf_counter() - start
    subprocess.run(
        ["psql", "-d", DB, "-qc", "VACUUM ANALYZE nps_request, nps_request_theme_rel"],
        check=True,
        env=PG_QUIET,
    )


def time_figures(figures):
    """Each figure's median seconds and queries per run; the NPS by month
    nps.report gives ({month: NPS})."""
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env(user=env.ref("base.user_admin").id)
        nps_report = admin["nps.report"]
        for name, function in (
            ("nps_by_month", partial(nps_by_month, nps_report)),
            ("nps_margin_by_month", partial(nps_margin_by_month, nps_report)),
            ("pivot_team_quarter", partial(pivot_by_team, nps_report)),
            ("dashboard", partial(dashboard, admin)),
            ("theme_figures", partial(theme_figures, admin)),
            ("theme_pivot", partial(theme_pivot, admin["nps.theme.report"])),
            ("dashboard_themes", partial(dashboard_themes, admin)),
            ("orm_nps_by_month", partial(orm_nps_by_month, admin)),
        ):
            log(f"timing {name}")
            queries = odoo.sql_db.sql_counter
            seconds, result = timed(function)
            figures[name] = {
                "seconds": seconds,
                "queries": (odoo.sql_db.sql_counter - queries) / (RUNS + 1),
            }
            if name == "nps_by_month":
                sql_result = {row["date:month"]: row["nps_value:avg"] for row in result}
            if name == "orm_nps_by_month":
                figures["months"] = len(result)
        cr.execute(
            SQL(
                "SELECT (SELECT COUNT(*) FROM nps_request WHERE comment <> ''),"
                " (SELECT COUNT(*) FROM nps_request_theme_rel)"
            )
        )
        figures["comments"], figures["theme_rows"] = cr.fetchone()
        cr.rollback()
    return sql_result


def report(figures, answers, sql_result):
    lines = [
        "-" * 72,
        f"Satisfaction figures over {answers:,} surveys (median of {RUNS})",
        "-" * 72,
        f"{'what':<46}{'seconds':>10}{'queries':>10}",
    ]
    for key, label in (
        ("nps_by_month", "NPS by month (graph, nps.report)"),
        ("nps_margin_by_month", "NPS and its margin by month (nps.report)"),
        ("pivot_team_quarter", "pivot by team and quarter, with margins"),
        ("dashboard", "dashboard figures and lists"),
        ("theme_figures", "figures by theme over 90 days"),
        ("theme_pivot", "pivot by theme and month (share, impact)"),
        ("dashboard_themes", "dashboard: What detractors talk about"),
        ("orm_nps_by_month", "NPS by month read through the ORM"),
    ):
        lines.append(
            f"{label:<46}{figures[key]['seconds']:>10.3f}{figures[key]['queries']:>10.0f}"
        )
    lines.append(
        f"ORM / nps.report for the NPS by month: {figures['orm_over_sql']:.0f}x"
    )
    lines.append(
        f"months in the graph: {figures['months']} ({len(sql_result)} via SQL)"
    )
    lines.append(
        f"answers with a comment: {figures['comments']:,}, "
        f"rows by theme: {figures['theme_rows']:,}"
    )
    lines.append("-" * 72)
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
