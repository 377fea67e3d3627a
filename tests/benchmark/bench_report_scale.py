"""Benchmark: the satisfaction figures at ten million surveys, and what an
answer costs at one million and at ten, in the same run.

Not a test: it prints figures. Run by ./run-benchmark --report --scale S
(``bench_report.py`` hands the run to this module):

    ./run-benchmark --report --scale 10

On one database with nps_satisfaction, S million sent surveys (about 78%
answered, 45% of the answers with a comment, most comments with a theme or
two) spread over three years, 2,000·S customers (each with about 500
surveys), 20 helpdesk teams and 4 campaigns, made in two stages, each one
set-based SQL (the triggers of ``nps.report.day`` sum each INSERT into the
figures by day, as they do any write):

1. a tenth of the surveys, for a tenth of the customers (each stage's
   inserts followed by the summaries' hourly merge, as its job would run
   it, and a VACUUM ANALYZE); then, at that size, the cost of answering:
   the answer page an email's score opens, the one-click score and the
   comment that confirms it, posted to a real Odoo server (odoo-bin,
   loopback), one after the other; then the
   answer's effects (the job of ``nps.answer.effects``) and the customer's
   form (its satisfaction figures and graph);
2. the database copied as it is (the first tenth), then the rest of the
   surveys, for the other customers: the same costs again, for the same
   customers (their histories the same size), then the figures: the NPS
   by month, the pivot by team and quarter with its margins, the
   dashboard, each read as the web client asks them (median of 5 after a
   warm-up) and once more from the surveys themselves
   (``nps_report_no_summary``: the figures must be equal);
3. the costs of answering at both sizes at the same moment: rounds on
   the copy and on the whole database in turn, four times each, the
   order reversed each round (first, all, all, first, and so on), so
   that a change of the machine's load weighs on both alike (the ratio
   of the goal).

The databases are dropped at the end.
"""

import http.client
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

import bench_load
from bench_close_dispatch import PG_QUIET, drop_database, install_template, log
from bench_report import (
    COMMENTS,
    RUNS,
    dashboard,
    insert_themes,
    nps_by_month,
    pivot_by_team,
    timed,
)

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

DB = "nps_bench_scale"
#: the copy of the database at its first tenth
DB_FIRST = f"{DB}_first"
#: rounds of answering on each size in turn, at the end
ROUNDS = 4
DAYS = 1095
TEAMS = 20
#: surveys per customer
PER_CUSTOMER = 500
#: answers timed at each stage (answer page, score, comment, effects)
PROBES = 60
PORT = int(os.environ.get("NPS_BENCH_PORT", "8392"))
#: the customer's form fields that show his satisfaction: those of the
#: form view whose names start so
FORM_PREFIXES = ("nps_", "csat_")


# --- The surveys, set-based ---


def create_customers(env, count):
    """``count`` customer companies (the ORM, in batches)."""
    customers = env["res.partner"]
    for start in range(0, count, 2000):
        customers |= env["res.partner"].create(
            [
                {
                    "name": f"Scale customer {i}",
                    "is_company": True,
                    "email": f"s{i}@scale.example",
                }
                for i in range(start, min(count, start + 2000))
            ]
        )
        env.cr.commit()
    return customers


#: the surveys of ``insert_surveys``
SURVEYS_SQL = """
    INSERT INTO nps_request (
        campaign_id, trigger, company_id, partner_id,
        commercial_partner_id, team_id, state, channel, access_token,
        scheduled_date, sent_date, answer_date, report_date, score,
        nps_category, csat_score, comment, comment_lang,
        reminder_count, create_date, write_date, create_uid, write_uid)
    SELECT a.campaigns[1 + x.pick / %(n_teams)s %% 4], 'ticket_closed',
           %(company)s,
           a.customers[1 + g %% %(n_customers)s],
           a.customers[1 + g %% %(n_customers)s],
           a.teams[1 + x.pick %% %(n_teams)s],
           CASE WHEN x.answered THEN 'answered' ELSE 'expired' END,
           -- email mostly, a tenth by SMS, a tenth on the portal
           (ARRAY['sms', 'portal', 'email', 'email', 'email', 'email',
                  'email', 'email', 'email', 'email'])
           [1 + x.pick / (4 * %(n_teams)s) %% 10],
           md5(g::text || random()::text),
           x.sent, x.sent,
           CASE WHEN x.answered THEN x.sent + interval '5 hours' END,
           x.sent::date,
           CASE WHEN x.answered THEN x.score END,
           CASE WHEN NOT x.answered THEN NULL
                WHEN x.score >= 9 THEN 'promoter'
                WHEN x.score >= 7 THEN 'passive'
                ELSE 'detractor' END,
           CASE WHEN x.answered THEN 1 + x.score * 4 / 10 END,
           CASE WHEN x.answered AND x.commented
                THEN a.comments[1 + (g * 7) %% %(n_comments)s] END,
           CASE WHEN x.answered AND x.commented
                THEN (ARRAY['fr_FR', 'de_DE', 'en_US'])[1 + g %% 3] END,
           0, x.sent, x.sent, 1, 1
      FROM (SELECT %(campaigns)s::int[] AS campaigns,
                   %(customers)s::int[] AS customers,
                   %(teams)s::int[] AS teams,
                   %(comments)s::text[] AS comments) AS a,
           generate_series(1, %(count)s) AS g,
           -- g in the subquery makes it run once per row
           LATERAL (SELECT random() < 0.78 + 0 * g AS answered,
                           random() < 0.45 AS commented,
                           -- the team, the campaign, the channel
                           (random() * 1e9)::int AS pick,
                           (random() * 10)::int AS score,
                           now() AT TIME ZONE 'UTC'
                           - random() * %(days)s * interval '1 day'
                           AS sent
                   ) AS x
"""


def insert_surveys(env, count, customers, teams, campaigns):
    """``count`` sent surveys over the last ``DAYS`` days, spread over the
    customers, teams and campaigns, about 78% answered, 45% of those with a
    comment: one INSERT ... SELECT, the table's indexes made again after it
    (a bulk load's way: a sort per index, not millions of random inserts
    into indexes larger than the database's cache); then the comments'
    themes."""
    env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM nps_request"))
    after = env.cr.fetchone()[0]
    remake = drop_indexes(env, "nps_request")
    env.cr.execute(
        SQL(
            SURVEYS_SQL,
            campaigns=campaigns.ids,
            company=env.company.id,
            customers=customers.ids,
            n_customers=len(customers),
            teams=teams.ids,
            n_teams=len(teams),
            comments=list(COMMENTS),
            n_comments=len(COMMENTS),
            count=count,
            days=DAYS,
        )
    )
    for statement in remake:
        env.cr.execute(SQL(statement))
    insert_themes(env, after)
    env.cr.commit()


def drop_indexes(env, table):
    """Drop the indexes of ``table`` but its primary key (its unique
    constraints too); returns the statements that make them again."""
    env.cr.execute(
        SQL(
            """
            SELECT format('ALTER TABLE %%I DROP CONSTRAINT %%I', %(table)s, conname),
                   format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', %(table)s,
                          conname, pg_get_constraintdef(oid))
              FROM pg_constraint
             WHERE conrelid = %(table)s::regclass AND contype = 'u'
            """,
            table=table,
        )
    )
    constraints = env.cr.fetchall()
    env.cr.execute(
        SQL(
            """
            SELECT format('DROP INDEX %%I', i.indexrelid::regclass::text),
                   pg_get_indexdef(i.indexrelid)
              FROM pg_index i
             WHERE i.indrelid = %(table)s::regclass AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                WHERE c.conindid = i.indexrelid)
            """,
            table=table,
        )
    )
    indexes = env.cr.fetchall()
    for drop, _make in constraints + indexes:
        env.cr.execute(SQL(drop))
    return [make for _drop, make in constraints + indexes]


def compact():
    """The summaries' hourly merge, as its job runs it after the inserts
    (each statement's rows summed by key into one row per key): the rows
    of the summaries after it, {table: rows}."""
    rows = {}
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for model in ("nps.report.day", "nps.theme.day"):
            env[model]._cron_compact()
            cr.execute(
                SQL("SELECT COUNT(*) FROM %s", SQL.identifier(env[model]._table))
            )
            rows[model] = cr.fetchone()[0]
    return rows


def vacuum():
    subprocess.run(
        [
            "psql",
            "-d",
            DB,
            "-qc",
            "VACUUM ANALYZE nps_request, nps_request_theme_rel, nps_report_day,"
            " nps_theme_day",
        ],
        check=True,
        env=PG_QUIET,
    )


def copy_database(source, target):
    """``target``, a copy of ``source`` (its filestore too), which no one
    may be connected to."""
    drop_database(target)
    drop_filestore(target)
    if source in Registry.registries:
        Registry.delete(source)
    odoo.sql_db.close_db(source)
    subprocess.run(["createdb", "-T", source, target], check=True, env=PG_QUIET)
    filestore = pathlib.Path(odoo.tools.config.filestore(source))
    if filestore.is_dir():
        shutil.copytree(filestore, odoo.tools.config.filestore(target))


def drop_filestore(db):
    shutil.rmtree(odoo.tools.config.filestore(db), ignore_errors=True)


# --- What an answer costs ---


def open_probes(env, customers):
    """A survey for each of ``customers``, sent an hour ago as a customer
    finds the email (the shipped post-ticket campaign): their tokens."""
    campaign = env.ref("nps_satisfaction.campaign_post_ticket")
    requests = bench_load.open_requests(env, campaign, customers)
    tokens = requests.mapped("access_token")
    env.cr.commit()
    return tokens


def answer_one(connection, token, score):
    """As the customer: the page the email's score opens, the one-click
    score, the comment that confirms it; the seconds of each step."""
    seconds = []
    start = time.perf_counter()
    ok, data = bench_load.get_answer_page(connection, "nps_get", (token, score))
    seconds.append(time.perf_counter() - start)
    if not ok:
        raise SystemExit(f"the answer page failed: {data}")
    start = time.perf_counter()
    ok, data = bench_load.post_answer_page(
        connection, "nps_post", (token, score, *data)
    )
    seconds.append(time.perf_counter() - start)
    if not ok:
        raise SystemExit(f"the score's post failed: {data}")
    start = time.perf_counter()
    ok, data = bench_load.post_answer_page(connection, "nps_comment", data)
    seconds.append(time.perf_counter() - start)
    if not ok:
        raise SystemExit(f"the comment's post failed: {data}")
    return seconds


def answer_costs(db, odoo_src, tokens, logfile):
    """The answers of ``tokens`` posted one after the other to an Odoo
    server of the database ``db``: the median seconds of each step (after
    the first answers, a warm-up)."""
    bench_load.DB = db
    server = bench_load.start_server(odoo_src, PORT, PORT + 1, logfile)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        steps = [
            answer_one(connection, token, index % 11)
            for index, token in enumerate(tokens)
        ]
        connection.close()
    finally:
        bench_load.stop_server(server)
    steps = steps[5:]
    names = ("answer_page", "score_post", "comment_post")
    return {
        name: statistics.median(step[i] for step in steps)
        for i, name in enumerate(names)
    }


def effects_cost(env, tokens):
    """The job that applies the answers' effects, run on the answers of
    ``tokens`` (those of the first five before, a warm-up): seconds per
    answer."""
    requests = env["nps.request"].search(
        [("access_token", "in", tokens), ("effects_pending", "=", True)],
        order="id",
    )
    env["nps.answer.effects"]._nps_apply(requests[:5])
    env.cr.commit()
    pending = len(requests) - 5
    env.invalidate_all()
    start = time.perf_counter()
    env["nps.answer.effects"]._cron_apply()
    seconds = time.perf_counter() - start
    env.cr.commit()
    if pending <= 0:
        raise SystemExit("no answer's effects to apply: the posts recorded nothing")
    return seconds / pending


def form_cost(admin, customer):
    """The customer's form: its satisfaction figures and graph read."""
    described = admin["res.partner"].get_views([(False, "form")])["models"]
    described = described["res.partner"]
    names = [
        name
        for name in described.get("fields", described)
        if name.startswith(FORM_PREFIXES)
    ]

    def read():
        admin.invalidate_all()
        return admin["res.partner"].browse(customer.id).read(names)

    seconds, _values = timed(read)
    return seconds, len(names)


# --- The figures ---


def pivot_grouping_sets(nps_report):
    """The pivot by team and quarter as the web client asks it: its cells,
    rows, columns and total in one call."""
    return nps_report.formatted_read_grouping_sets(
        [],
        [["team_id", "date:quarter"], ["team_id"], ["date:quarter"], []],
        ["nps_value:avg", "nps_margin:avg", "answered:avg", "__count"],
    )


def dashboard_values(admin):
    board = dashboard(admin)
    return board.read(
        ["nps", "nps_previous", "nps_margin", "response_rate", "csat", "sent_count"],
        load=None,
    )[0] | {"id": None}


def dashboard_theme_values(admin):
    """The dashboard's *What detractors talk about* alone (part of the
    dashboard's figures: its lines are made with the dashboard)."""
    board = admin["nps.dashboard"].new({"period": "90"})
    return [
        {key: value for key, value in line.items() if key != "theme_id"}
        | {"theme": line["theme_id"]}
        for line in board._theme_line_values()
    ]


def same(a, b):
    """Equal, floats to 1e-9 of their size."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def time_figures(admin):
    """Each figure: its median seconds and queries from the summary, its
    seconds read once from the surveys themselves, and whether both
    give the same figures."""
    figures = {}
    rows = admin(context=dict(admin.context, nps_report_no_summary=True))
    for name, function in (
        ("nps_by_month", lambda env: nps_by_month(env["nps.report"])),
        ("pivot_team_quarter", lambda env: pivot_by_team(env["nps.report"])),
        ("pivot_grouping_sets", lambda env: pivot_grouping_sets(env["nps.report"])),
        ("dashboard", dashboard_values),
        ("dashboard_themes", dashboard_theme_values),
    ):
        log(f"timing {name}")
        queries = odoo.sql_db.sql_counter
        seconds, summed = timed(lambda f=function: f(admin))
        queries = (odoo.sql_db.sql_counter - queries) / (RUNS + 1)
        start = time.perf_counter()
        read = function(rows)
        figures[name] = {
            "seconds": seconds,
            "queries": queries,
            "seconds_from_surveys": time.perf_counter() - start,
            "equal": same(summed, read),
        }
    return figures


def answer_stage(db, odoo_src, probe_ids, logfile):
    """What an answer costs on the database ``db``: its page and posts, its
    effects, the customer's form."""
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute(SQL("SELECT COUNT(*) FROM nps_request"))
        stage = {"surveys": cr.fetchone()[0]}
        cr.execute(SQL("SELECT COUNT(*) FROM nps_report_day"))
        stage["summary_rows"] = cr.fetchone()[0]
        tokens = open_probes(env, env["res.partner"].browse(probe_ids))
    log(f"answering {len(tokens)} surveys on the answer page ({db})")
    stage.update(answer_costs(db, odoo_src, tokens, logfile))
    stage["load_average"] = os.getloadavg()
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        stage["effects"] = effects_cost(env, tokens)
        admin = env(user=env.ref("base.user_admin").id)
        stage["form"], stage["form_fields"] = form_cost(
            admin, env["res.partner"].browse(probe_ids[0])
        )
        cr.rollback()
    return stage


def measure_stage(odoo_src, probe_ids, logfile):
    """What an answer costs at this size, then the figures."""
    stage = answer_stage(DB, odoo_src, probe_ids, logfile)
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute(SQL("SELECT COUNT(*) FROM nps_theme_day"))
        stage["theme_summary_rows"] = cr.fetchone()[0]
        stage["figures"] = time_figures(env(user=env.ref("base.user_admin").id))
        cr.rollback()
    stage["load_average_end"] = os.getloadavg()
    return stage


def alternate_stages(odoo_src, probe_ids, logfile):
    """The costs of answering on the first tenth's copy and on the whole
    database in turn, ``ROUNDS`` times, the order reversed each round:
    {"first": [stage...], "all": [...]}."""
    rounds = {"first": [], "all": []}
    sizes = (("first", DB_FIRST), ("all", DB))
    for index in range(ROUNDS):
        # one size first, then the other: what the machine does before or
        # after weighs on both alike (first, all, all, first...)
        for name, db in sizes if index % 2 == 0 else sizes[::-1]:
            log(f"round {index + 1} of {ROUNDS}: answering at {name}")
            rounds[name].append(answer_stage(db, odoo_src, probe_ids, logfile))
    return rounds


# --- Main ---


def populate_first(figures, scale):
    """The customers, teams and campaigns, then the first tenth of the
    surveys for the first tenth of the customers; returns (the customers'
    ids, the teams' ids, the campaigns' ids)."""
    total = int(scale * 1_000_000)
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        customers = create_customers(env, max(20, round(total / PER_CUSTOMER)))
        teams = env["helpdesk.ticket.team"].create(
            [{"name": f"Scale team {i}"} for i in range(TEAMS)]
        )
        base = env.ref("nps_satisfaction.campaign_post_ticket")
        campaigns = (
            base | base.copy({"name": "Scale B"}) | base.copy({"name": "Scale C"})
        )
        campaigns |= env.ref("nps_satisfaction.campaign_post_installation")
        env.flush_all()
        cr.commit()
        figures["customers_seconds"] = time.perf_counter() - start
        log(f"inserting {total // 10:,} surveys")
        start = time.perf_counter()
        first = customers[: len(customers) // 10]
        insert_surveys(env, total // 10, first, teams, campaigns)
        figures["generate_first_seconds"] = time.perf_counter() - start
        return customers.ids, teams.ids, campaigns.ids


def populate_rest(figures, scale, ids):
    """The other nine tenths of the surveys, for the other customers."""
    total = int(scale * 1_000_000)
    customer_ids, team_ids, campaign_ids = ids
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        log(f"inserting {total - total // 10:,} surveys")
        start = time.perf_counter()
        insert_surveys(
            env,
            total - total // 10,
            env["res.partner"].browse(customer_ids[len(customer_ids) // 10 :]),
            env["helpdesk.ticket.team"].browse(team_ids),
            env["nps.campaign"].browse(campaign_ids),
        )
        figures["generate_rest_seconds"] = time.perf_counter() - start


def run(odoo_src, scale, json_path):
    log("installing nps_satisfaction")
    install_template(odoo_src, "nps", DB)
    figures = {"scale": scale, "load_average_start": os.getloadavg()}
    logfile = pathlib.Path(tempfile.gettempdir()) / f"{DB}_server.log"
    try:
        ids = populate_first(figures, scale)
        start = time.perf_counter()
        figures["compacted_first"] = compact()
        vacuum()
        figures["vacuum_first_seconds"] = time.perf_counter() - start
        first = ids[0][: len(ids[0]) // 10]
        probes = [first[i % len(first)] for i in range(PROBES)]
        figures["small"] = measure_stage(odoo_src, probes, logfile)
        log(f"copying the database at its first tenth as {DB_FIRST}")
        copy_database(DB, DB_FIRST)
        populate_rest(figures, scale, ids)
        start = time.perf_counter()
        figures["compacted_rest"] = compact()
        vacuum()
        figures["vacuum_rest_seconds"] = time.perf_counter() - start
        figures["large"] = measure_stage(odoo_src, probes, logfile)
        figures["rounds"] = alternate_stages(odoo_src, probes, logfile)
    finally:
        for db in (DB, DB_FIRST):
            drop_database(db)
            drop_filestore(db)
    figures["dropped"] = not any(database_exists(db) for db in (DB, DB_FIRST))
    json_path.write_text(json.dumps(figures, indent=2) + "\n")
    report(figures)
    log(f"figures written to {json_path}")


def database_exists(db):
    found = subprocess.run(
        [
            "psql",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{db}'",
        ],
        capture_output=True,
        text=True,
        env=PG_QUIET,
        check=True,
    )
    return bool(found.stdout.strip())


#: the figures the issue sets a goal for: (key, label, seconds at most)
GOALS = (
    ("nps_by_month", "NPS by month (graph)", 0.5),
    ("pivot_team_quarter", "pivot by team and quarter, with margins", 1.0),
    ("pivot_grouping_sets", "the same pivot as the web client asks it", 1.0),
    ("dashboard", "dashboard figures and lists", 0.5),
    ("dashboard_themes", "of which What detractors talk about", 0.5),
)
#: the costs of an answer, at most 10% above those of the first stage
ANSWER_STEPS = (
    ("answer_page", "answer page (GET, the email's score)"),
    ("score_post", "one-click score (POST)"),
    ("comment_post", "comment that confirms it (POST)"),
    ("effects", "the answer's effects (job), per answer"),
    ("form", "the customer's form: figures and graph"),
)


def report(figures):
    small, large = figures["small"], figures["large"]
    lines = [
        "-" * 78,
        f"Satisfaction figures at {large['surveys']:,} surveys "
        f"(and {small['surveys']:,} first), summary rows "
        f"{large['summary_rows']:,} ({small['summary_rows']:,}), themes by day "
        f"{large['theme_summary_rows']:,}",
        "-" * 78,
        f"generated: customers {figures['customers_seconds']:.0f} s, first tenth "
        f"{figures['generate_first_seconds']:.0f} s, the rest "
        f"{figures['generate_rest_seconds']:.0f} s (vacuum "
        f"{figures['vacuum_first_seconds'] + figures['vacuum_rest_seconds']:.0f} s,"
        " with the summaries' hourly merge)",
        f"{'figure (median of 5)':<44}{'seconds':>9}{'goal':>7}{'rows':>9}  equal",
    ]
    for key, label, goal in GOALS:
        figure = large["figures"][key]
        lines.append(
            f"{label:<44}{figure['seconds']:>9.3f}{goal:>7.1f}"
            f"{figure['seconds_from_surveys']:>9.2f}  {figure['equal']}"
        )
    lines.append("(rows: the same figures read once from the surveys themselves)")
    lines.append(
        f"{'answering (median), one stage after the other':<44}"
        f"{'first':>9}{'all':>9}{'ratio':>8}"
    )
    for key, label in ANSWER_STEPS:
        lines.append(
            f"{label:<44}{small[key] * 1000:>7.1f}ms{large[key] * 1000:>7.1f}ms"
            f"{large[key] / small[key]:>8.2f}"
        )
    rounds = figures["rounds"]
    lines.append(
        f"{'answering, both sizes in turn (goal 1.10)':<44}"
        f"{'first':>9}{'all':>9}{'ratio':>8}"
    )
    for key, label in ANSWER_STEPS:
        first = statistics.median(stage[key] for stage in rounds["first"])
        every = statistics.median(stage[key] for stage in rounds["all"])
        lines.append(
            f"{label:<44}{first * 1000:>7.1f}ms{every * 1000:>7.1f}ms"
            f"{every / first:>8.2f}"
        )
    lines.append(
        "  rounds (first/all, load average): "
        + "; ".join(
            f"{a['load_average'][0]:.1f}/{b['load_average'][0]:.1f}"
            for a, b in zip(rounds["first"], rounds["all"], strict=True)
        )
    )
    lines.append(
        f"load average: start {figures['load_average_start'][0]:.1f}, "
        f"first stage {small['load_average'][0]:.1f}, "
        f"last {large['load_average'][0]:.1f}; database dropped: {figures['dropped']}"
    )
    lines.append("-" * 78)
    print("\n".join(lines), flush=True)
