"""Benchmark: closing tickets and sending surveys, against the stock ways.

Not a test: it prints figures. Run by ./run-benchmark, which prepares the
machine and runs this script with the virtual environment's Python:

    ./run-benchmark [--n 2000] [--rounds 2] [--json tests/benchmark/last_run.json]

A. Closing N helpdesk tickets in one write, timed up to and including the
   commit (Odoo's chatter tracking and notifications run at commit) and the
   processing of the mail queue, three ways, each on fresh databases holding
   the same data (N companies, each with one contact who has one open
   ticket, assigned to one of a team's agents):

     floor   helpdesk_mgmt alone (no survey module);
     nps     with nps_satisfaction: closing schedules nps.request records;
     rating  with OCA helpdesk_mgmt_rating, its rating mail template set on
             the Done stage, so the rating email goes out at closure.

   helpdesk_mgmt's own "ticket closed" email is left as shipped in the three
   ways. All mail goes to an SMTP server on loopback that this script runs.

B. Sending N surveys, on the nps database: the dispatch of the N requests the
   close scheduled (made due) against Odoo's survey.invite wizard for the same
   survey and the same N customers, both up to the commit.

The floor and nps ways run --rounds times, alternately, each round on new
databases; figures are medians. Prints a table and writes the figures as JSON.
"""

import argparse
import gc
import json
import multiprocessing
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext
from datetime import timedelta

from aiosmtpd.controller import Controller

import odoo
import odoo.sql_db
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.service.server import load_server_wide_modules
from odoo.tools import SQL, config

REPO = pathlib.Path(__file__).resolve().parents[2]
DB_PREFIX = "nps_bench"
SENDER = "support@bench.example.com"
AGENTS = 10
BATCH = 500
WAYS = {
    "floor": "helpdesk_mgmt",
    "nps": "nps_satisfaction",
    "rating": "helpdesk_mgmt_rating",
}
#: no NOTICE from dropdb about a database that is not there
PG_QUIET = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
GOALS = {"nps_added_max": 0.05, "rating_over_nps_min": 20, "invite_over_min": 10}


# --- Infrastructure: SMTP sink, databases, timing ---


class SmtpSink:
    """An aiosmtpd server on a free loopback port that counts the messages it
    receives. It runs in a process of its own, so that it takes no time from
    the process being measured (as a real mail server would not)."""

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._count = context.Value("i", 0)
        self._ready = context.Event()
        self._stop = context.Event()
        self._process = context.Process(
            target=serve_smtp,
            args=(self.port, self._count, self._ready, self._stop),
            daemon=True,
        )

    @property
    def count(self):
        return self._count.value

    def __enter__(self):
        self._process.start()
        if not self._ready.wait(30):
            raise SystemExit("the SMTP server did not start")
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._process.join(10)


class CountingHandler:
    def __init__(self, count):
        self.count = count

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        with self.count.get_lock():
            self.count.value += 1
        return "250 OK"


def serve_smtp(port, count, ready, stop):
    """The SMTP server's process: serve until told to stop."""
    controller = Controller(CountingHandler(count), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def setup_odoo(odoo_src):
    """Configure Odoo as a library: addons path, database server, sender."""
    config.parse_config(
        [
            f"--addons-path={odoo_src / 'addons'},{REPO}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            f"--email-from={SENDER}",
            "--http-interface=127.0.0.1",
            "--log-level=warn",
        ],
        setup_logging=True,
    )
    odoo.modules.module.initialize_sys_path()
    load_server_wide_modules()


def install_template(odoo_src, way, db=None):
    """A database (``db``, else the way's template) with the way's modules
    installed (no demo data), by odoo-bin in a subprocess; each round's
    database is a copy of it."""
    db = db or f"{DB_PREFIX}_tpl_{way}"
    drop_database(db)
    command = [
        sys.executable,
        str(odoo_src / "odoo-bin"),
        f"--addons-path={','.join(config['addons_path'])}",
        f"--db_host={config['db_host']}",
        f"--db_port={config['db_port']}",
        "--http-interface=127.0.0.1",
        "-d",
        db,
        "-i",
        WAYS[way],
        "--stop-after-init",
        "--log-level=warn",
    ]
    process = subprocess.run(command, capture_output=True, text=True)
    if process.returncode:
        sys.stderr.write(process.stdout + process.stderr)
        raise SystemExit(f"installing {WAYS[way]} in {db} failed")
    return db


def drop_database(db):
    if db in Registry.registries:
        Registry.delete(db)
    odoo.sql_db.close_db(db)
    subprocess.run(["dropdb", "--if-exists", db], check=True, env=PG_QUIET)


@contextmanager
def fresh_environment(template, db):
    """A superuser environment on a new copy of the template, dropped after."""
    drop_database(db)
    subprocess.run(["createdb", "-T", template, db], check=True)
    try:
        with Registry(db).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})
    finally:
        drop_database(db)


def settle(env):
    """Commit, refresh the planner's statistics (autovacuum may be off) and
    write dirty pages out, so the timed part starts from the same state."""
    env.cr.commit()
    env.cr.execute("ANALYZE")
    env.cr.execute("CHECKPOINT")
    env.cr.commit()
    env.invalidate_all()
    gc.collect()


@contextmanager
def measure(env, result, records):
    """Wall time and SQL queries (of every cursor of the process: mails are
    sent after the commit on cursors of their own) of the block, its commit
    included."""
    queries = odoo.sql_db.sql_counter
    start = time.perf_counter()
    yield
    env.cr.commit()
    result["seconds"] = time.perf_counter() - start
    result["queries"] = odoo.sql_db.sql_counter - queries
    result["queries_per_record"] = result["queries"] / records


@contextmanager
def timed_method(model, name):
    """Accumulate the time spent in a model's method while the block runs."""
    cls = type(model)
    original = getattr(cls, name)
    spent = {"seconds": 0.0}

    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent["seconds"] += time.perf_counter() - start

    setattr(cls, name, wrapper)
    try:
        yield spent
    finally:
        setattr(cls, name, original)


# --- Data ---


def prepare(env, way, n, smtp_port):
    """Mail configuration and the data: N companies, each with a contact who
    has an open ticket assigned to an agent of the team. Created in batches,
    committed; returns the tickets and the customers (the contacts)."""
    configure_mail(env, way, smtp_port)
    agents, team = create_team(env)
    customers = env["res.partner"]
    tickets = env["helpdesk.ticket"]
    for start in range(0, n, BATCH):
        numbers = range(start, min(start + BATCH, n))
        contacts, batch_tickets = create_customers(env, numbers, agents, team)
        tickets |= batch_tickets
        customers |= contacts
        env.cr.commit()
    outgoing = env["mail.mail"].search([("state", "=", "outgoing")])
    if outgoing:  # nothing should wait in the queue before the timed close
        outgoing.unlink()
    return tickets, customers


#: no chatter tracking, no password reset email for the data's records
QUIET = {"tracking_disable": True, "no_reset_password": True}


def configure_mail(env, way, smtp_port):
    """The SMTP sink as the only mail server, the sender, and for the rating
    way its rating email on the Done stage."""
    env["ir.mail_server"].search([]).unlink()
    env["ir.mail_server"].create(
        {"name": "benchmark sink", "smtp_host": "127.0.0.1", "smtp_port": smtp_port}
    )
    env.company.write({"name": "Bench Telco", "email": SENDER})
    if way == "rating":
        env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_done"
        ).rating_mail_template_id = env.ref(
            "helpdesk_mgmt_rating.rating_ticket_email_template"
        )


def create_team(env):
    """The agents and their team."""
    agents = (
        env["res.users"]
        .with_context(**QUIET)
        .create(
            [
                {
                    "name": f"Agent {i}",
                    "login": f"agent{i}@bench.example.com",
                    "email": f"agent{i}@bench.example.com",
                    "group_ids": [
                        Command.link(env.ref("helpdesk_mgmt.group_helpdesk_user").id)
                    ],
                }
                for i in range(AGENTS)
            ]
        )
    )
    team = env["helpdesk.ticket.team"].create(
        {"name": "Support", "user_ids": [Command.set(agents.ids)]}
    )
    return agents, team


def create_customers(env, numbers, agents, team):
    """A company, its contact and the contact's open ticket for each of
    ``numbers``: the contacts and the tickets."""
    companies = (
        env["res.partner"]
        .with_context(**QUIET)
        .create(
            [
                {
                    "name": f"Customer {i} Ltd",
                    "is_company": True,
                    "email": f"office{i}@customer{i}.example.com",
                }
                for i in numbers
            ]
        )
    )
    contacts = (
        env["res.partner"]
        .with_context(**QUIET)
        .create(
            [
                {
                    "name": f"Contact {i}",
                    "parent_id": company.id,
                    "email": f"contact{i}@customer{i}.example.com",
                }
                for i, company in zip(numbers, companies, strict=True)
            ]
        )
    )
    # tickets as the stock create makes them (the agent follows the ticket),
    # minus the creation message and the "assigned to you" email
    ticket_context = {"mail_create_nolog": True, "mail_auto_subscribe_no_notify": True}
    tickets = (
        env["helpdesk.ticket"]
        .with_context(**ticket_context)
        .create(
            [
                {
                    "name": f"No dial tone {i}",
                    "description": "<p>The line is dead since this morning.</p>",
                    "partner_id": contact.id,
                    "team_id": team.id,
                    "user_id": agents[i % AGENTS].id,
                }
                for i, contact in zip(numbers, contacts, strict=True)
            ]
        )
    )
    return contacts, tickets


# --- A. Closing ---


def send_mail_queue(env):
    """Send what waits in the mail queue (as the mail cron would)."""
    queued = env["mail.mail"].sudo().search([("state", "=", "outgoing")])
    queued.send()
    return len(queued)


def close_tickets(env, way, tickets, smtp):
    """Close the tickets in one write; time it up to the commit and the
    sending of the mails it queued."""
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    assert done.closed
    result = {}
    received = smtp.count
    timer = (
        timed_method(env["helpdesk.ticket"], "_nps_schedule_survey")
        if way == "nps"
        else nullcontext({})
    )
    with timer as scheduling, measure(env, result, len(tickets)):
        tickets.write({"stage_id": done.id})
        env.cr.commit()  # tracking, notifications, mails sent after it
        result["sent_from_queue"] = send_mail_queue(env)
    result["smtp_messages"] = smtp.count - received
    if scheduling:
        result["scheduling_seconds"] = scheduling["seconds"]
    tickets.invalidate_recordset()
    result["closed"] = len(tickets.filtered(lambda t: t.stage_id == done))
    return result


# --- B. Sending surveys ---


def bench_sending(env, tickets, customers):
    """The dispatch of the N requests scheduled by the close, made due, against
    survey.invite for the same survey and customers; both up to the commit."""
    n = len(tickets)
    requests = tickets.nps_request_ids
    scheduled = requests.filtered(lambda r: r.state == "scheduled")
    scheduled.write({"scheduled_date": fields.Datetime.now() - timedelta(minutes=1)})
    settle(env)

    dispatch = {"due": len(scheduled)}
    with measure(env, dispatch, n):
        sent = env["nps.dispatch"]._nps_dispatch_due(batch_size=n)
    dispatch.update(sent=len(sent), **sending_checks(env, requests))

    survey = env.ref("nps_satisfaction.campaign_post_ticket").survey_id
    action = survey.action_send_survey()
    last_mail = max_id(env, "mail.mail")
    last_answer = max_id(env, "survey.user_input")
    settle(env)
    invite = {}
    with measure(env, invite, n):
        wizard = (
            env["survey.invite"]
            .with_context(action["context"])
            .create(
                {"partner_ids": [Command.set(customers.ids)], "existing_mode": "new"}
            )
        )
        wizard.action_invite()
    invite["mails"] = env["mail.mail"].search_count([("id", ">", last_mail)])
    invite["answers"] = env["survey.user_input"].search_count(
        [("id", ">", last_answer), ("survey_id", "=", survey.id)]
    )
    return {"dispatch": dispatch, "invite": invite}


def sending_checks(env, requests):
    """Each request sent once with one mail; no survey answer yet (it is
    created when the customer answers): one answered here, in a savepoint
    rolled back, gets its survey answer with the score."""
    mails = env["mail.mail"]._read_group(
        [("model", "=", "nps.request"), ("res_id", "in", requests.ids)],
        ["res_id"],
        ["__count"],
    )
    answers = env["survey.user_input"]._read_group(
        [("nps_request_id", "in", requests.ids)], ["nps_request_id"], ["__count"]
    )
    requests.invalidate_recordset()
    sent = requests.filtered(lambda r: r.state == "sent")
    answered_ok = False
    if sent:
        with env.cr.savepoint() as savepoint:
            sent[0]._nps_record_answer(score=9)
            answered_ok = sent[0].user_input_id.nps_score == 9
            savepoint.rollback()
        requests.invalidate_recordset()
    return {
        "answer_on_answering": answered_ok,
        "requests_sent": len(requests.filtered(lambda r: r.state == "sent")),
        "requests_with_mail": len(requests.filtered("mail_id")),
        "mails": sum(count for _res_id, count in mails),
        "requests_with_one_mail": sum(1 for _res_id, count in mails if count == 1),
        "answers": sum(count for _request, count in answers),
        "requests_with_one_answer": sum(1 for _r, count in answers if count == 1),
    }


def max_id(env, model):
    env.cr.execute(
        SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(env[model]._table))
    )
    return env.cr.fetchone()[0]


# --- Runs and report ---


def run_way(templates, way, round_no, n, smtp):
    """One round of one way on a fresh database; the nps way also runs B."""
    db = f"{DB_PREFIX}_{way}_{round_no}"
    with fresh_environment(templates[way], db) as env:
        start = time.perf_counter()
        tickets, customers = prepare(env, way, n, smtp.port)
        settle(env)
        data_seconds = time.perf_counter() - start
        result = close_tickets(env, way, tickets, smtp)
        result["data_seconds"] = data_seconds
        if way == "nps":
            states = tickets.nps_request_ids.mapped("state")
            result["requests_scheduled"] = states.count("scheduled")
            result["sending"] = bench_sending(env, tickets, customers)
    log(f"{way} round {round_no}: {summary_line(result)}")
    return result


def summary_line(result):
    line = (
        f"close {result['seconds']:.2f} s, "
        f"{result['queries_per_record']:.1f} queries/ticket, "
        f"{result['smtp_messages']} mails received"
    )
    if "sending" in result:
        dispatch, invite = result["sending"]["dispatch"], result["sending"]["invite"]
        line += (
            f"; dispatch {dispatch['seconds']:.2f} s, invite {invite['seconds']:.2f} s"
        )
    return line


def log(message):
    print(f"[bench] {message}", flush=True)


#: runs of each figure of the report and churn benchmarks, after a warm-up
RUNS = 5


def timed(function):
    """``function``'s median seconds over RUNS runs after a warm-up run (the
    caches of the registry and of PostgreSQL), and its last result."""
    function()
    samples = []
    for _run in range(RUNS):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def median_of(results, *path):
    values = []
    for result in results:
        for key in path:
            result = result[key]
        values.append(result)
    return statistics.median(values)


def summarize(runs, n):
    """Medians over the rounds and the ratios the issue sets goals for."""
    close = {}
    for way, results in runs.items():
        if not results:  # a way not run (--rating-rounds 0)
            continue
        close[way] = {
            "rounds": len(results),
            "seconds": median_of(results, "seconds"),
            "seconds_each": [r["seconds"] for r in results],
            "queries_per_ticket": median_of(results, "queries_per_record"),
            "smtp_messages": median_of(results, "smtp_messages"),
        }
    nps_runs = runs["nps"]
    close["nps"]["scheduling_seconds"] = median_of(nps_runs, "scheduling_seconds")
    floor = close["floor"]["seconds"]
    nps_added = (close["nps"]["seconds"] - floor) / floor
    rating = close.get("rating")
    rating_added = (rating["seconds"] - floor) / floor if rating else None
    floor_each = close["floor"]["seconds_each"]
    sending = {}
    for kind in ("dispatch", "invite"):
        sending[kind] = {
            "seconds": median_of(nps_runs, "sending", kind, "seconds"),
            "queries_per_record": median_of(
                nps_runs, "sending", kind, "queries_per_record"
            ),
        }
    return {
        "n": n,
        "close": close,
        "nps_added_cost": nps_added,
        "rating_added_cost": rating_added,
        "rating_over_nps_added": rating_added / nps_added
        if rating and nps_added > 0
        else None,
        "scheduling_share_of_floor": close["nps"]["scheduling_seconds"] / floor,
        "rating_added_over_scheduling": (rating["seconds"] - floor)
        / close["nps"]["scheduling_seconds"]
        if rating
        else None,
        "floor_spread": (max(floor_each) - min(floor_each)) / floor,
        "sending": sending,
        "invite_over_dispatch": sending["invite"]["seconds"]
        / sending["dispatch"]["seconds"],
        "checks": sending_verdict(nps_runs, n),
    }


def sending_verdict(nps_runs, n):
    """Every request of every round sent exactly once, with its answer."""
    problems = []
    for round_no, result in enumerate(nps_runs, 1):
        if result["requests_scheduled"] != n:
            scheduled = result["requests_scheduled"]
            problems.append(f"round {round_no}: {scheduled} requests scheduled")
        dispatch = result["sending"]["dispatch"]
        for key in (
            "sent",
            "requests_sent",
            "requests_with_mail",
            "mails",
            "requests_with_one_mail",
        ):
            if dispatch[key] != n:
                problems.append(f"round {round_no}: dispatch {key} = {dispatch[key]}")
        if dispatch["answers"] or not dispatch["answer_on_answering"]:
            problems.append(
                f"round {round_no}: dispatch created {dispatch['answers']} survey "
                f"answers before any answer, or an answer got none"
            )
        invite = result["sending"]["invite"]
        for key in ("mails", "answers"):
            if invite[key] != n:
                problems.append(f"round {round_no}: invite {key} = {invite[key]}")
    return problems


def goal(ok):
    return "goal met" if ok else "goal NOT met"


def report(summary, runs):
    """The table printed at the end of a run."""
    rule = "-" * 88
    lines = [rule, *closing_lines(summary), rule, *sending_lines(summary, runs)]
    lines.append(rule)
    print("\n".join(lines), flush=True)


def closing_lines(summary):
    """Part A of the table: the close of each way against the floor."""
    n, close = summary["n"], summary["close"]
    floor = close["floor"]["seconds"]
    names = {
        "floor": "floor: helpdesk_mgmt only",
        "nps": "with nps_satisfaction",
        "rating": "with helpdesk_mgmt_rating",
    }
    lines = [
        f"A. Closing {n} tickets in one write, up to the commit and the mail "
        "queue (median of rounds)",
        "-" * 88,
        f"{'way':<28}{'rounds':>7}{'seconds':>10}{'vs floor':>10}"
        f"{'queries/ticket':>16}{'mails to SMTP':>15}",
    ]
    for way, name in names.items():
        if way not in close:
            lines.append(f"{name:<28}{'not run':>7}")
            continue
        figures = close[way]
        added = (figures["seconds"] - floor) / floor
        lines.append(
            f"{name:<28}{figures['rounds']:>7}{figures['seconds']:>10.2f}"
            f"{'' if way == 'floor' else f'{added:+.1%}':>10}"
            f"{figures['queries_per_ticket']:>16.1f}{figures['smtp_messages']:>15.0f}"
        )
    for way in ("floor", "nps"):
        each = ", ".join(f"{s:.2f}" for s in close[way]["seconds_each"])
        lines.append(f"  {way} rounds: {each} s")
    return lines + closing_goal_lines(summary)


def closing_goal_lines(summary):
    """The added costs of part A against their goals."""
    close = summary["close"]
    nps_added = summary["nps_added_cost"]
    ratio = summary["rating_over_nps_added"]
    return [
        f"  spread of the floor rounds: {summary['floor_spread']:.1%} of the floor",
        f"nps added cost (t_nps - t_floor) / t_floor: {nps_added:+.2%} "
        f"(goal <= {GOALS['nps_added_max']:.0%}: "
        f"{goal(nps_added <= GOALS['nps_added_max'])})",
        "rating added cost / nps added cost: "
        + (
            f"{ratio:.1f}x (goal >= {GOALS['rating_over_nps_min']}x: "
            f"{goal(ratio >= GOALS['rating_over_nps_min'])})"
            if ratio is not None
            else "n/a: the rating way was not run, or the nps close was not "
            "slower than the floor (noise)"
        ),
        f"  nps scheduling timed inside its close: "
        f"{close['nps']['scheduling_seconds']:.2f} s "
        f"({summary['scheduling_share_of_floor']:.2%} of the floor); "
        "rating added cost / scheduling: "
        + (
            f"{summary['rating_added_over_scheduling']:.0f}x"
            if summary["rating_added_over_scheduling"] is not None
            else "n/a (the rating way was not run)"
        ),
    ]


def sending_lines(summary, runs):
    """Part B of the table: the dispatch against survey.invite, the checks."""
    n, sending = summary["n"], summary["sending"]
    lines = [
        f"B. Sending {n} surveys, up to the commit (median of rounds)",
        "-" * 88,
        f"{'way':<40}{'seconds':>10}{'queries/survey':>16}",
        f"{'nps_satisfaction dispatch':<40}{sending['dispatch']['seconds']:>10.2f}"
        f"{sending['dispatch']['queries_per_record']:>16.2f}",
        f"{'survey.invite wizard':<40}{sending['invite']['seconds']:>10.2f}"
        f"{sending['invite']['queries_per_record']:>16.2f}",
        f"survey.invite / dispatch: {summary['invite_over_dispatch']:.1f}x "
        f"(goal >= {GOALS['invite_over_min']}x: "
        f"{goal(summary['invite_over_dispatch'] >= GOALS['invite_over_min'])})",
    ]
    dispatch = runs["nps"][0]["sending"]["dispatch"]
    invite = runs["nps"][0]["sending"]["invite"]
    lines.append(
        f"checks (round 1): {dispatch['requests_sent']} requests sent, "
        f"{dispatch['mails']} mails for {dispatch['requests_with_one_mail']} "
        f"requests with exactly one, {dispatch['answers']} survey answers "
        f"(each created when its customer answers: one answered in the check "
        f"got its own: {dispatch['answer_on_answering']}); "
        f"invite: {invite['answers']} answers created up front, "
        f"{invite['mails']} mails"
    )
    lines.append(
        "checks: every request sent once"
        if not summary["checks"]
        else "CHECKS FAILED: " + "; ".join(summary["checks"])
    )
    return lines


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="tickets and surveys")
    parser.add_argument(
        "--rounds", type=int, default=2, help="rounds of the floor and nps ways"
    )
    parser.add_argument(
        "--rating-rounds", type=int, default=1, help="rounds of the rating way"
    )
    parser.add_argument(
        "--json",
        default=str(REPO / "tests" / "benchmark" / "last_run.json"),
        help="where to write the figures",
    )
    parser.add_argument(
        "--odoo-src", required=True, help="the Odoo source tree (holding odoo-bin)"
    )
    return parser.parse_args()


def run_all(odoo_src, args):
    """Install the templates, then run the rounds; the databases are dropped
    whatever happens."""
    templates = {}
    runs = {way: [] for way in WAYS}
    try:
        with SmtpSink() as smtp:
            for way, modules in WAYS.items():
                log(f"installing {modules}")
                templates[way] = install_template(odoo_src, way)
            for round_no in range(1, max(args.rounds, args.rating_rounds) + 1):
                for way in WAYS:
                    wanted = args.rating_rounds if way == "rating" else args.rounds
                    if round_no <= wanted:
                        runs[way].append(
                            run_way(templates, way, round_no, args.n, smtp)
                        )
    finally:
        for db in templates.values():
            drop_database(db)
    return runs


def main():
    args = parse_args()
    odoo_src = pathlib.Path(args.odoo_src)
    setup_odoo(odoo_src)
    started = time.perf_counter()
    runs = run_all(odoo_src, args)
    summary = summarize(runs, args.n)
    summary["total_seconds"] = time.perf_counter() - started
    report(summary, runs)
    log(f"total run time {summary['total_seconds'] / 60:.1f} min")
    path = pathlib.Path(args.json)
    path.write_text(json.dumps({"summary": summary, "runs": runs}, indent=2) + "\n")
    log(f"figures written to {path}")
    return 1 if summary["checks"] else 0


if __name__ == "__main__":
    sys.exit(main())
