"""Benchmark: closing tickets and sending surveys, against the stock ways.

Run by ./run-benchmark (it prepares the machine and the Python path):

    ./run-benchmark [--n 2000] [--json tests/benchmark/last_run.json]

A. Closing N tickets in one write, timed up to and including the commit
   (Odoo's chatter tracking runs at commit), three ways, each on a fresh
   database with the same data:
     floor   helpdesk_mgmt alone (no survey module);
     nps     with nps_satisfaction (closing schedules nps.request records);
     rating  with OCA helpdesk_mgmt_rating, its rating mail set on the Done
             stage and really sent to an SMTP server on loopback.
B. Sending N surveys: nps_satisfaction's dispatch vs Odoo's survey.invite
   wizard for N other customers of the same database, both up to the commit.

Prints seconds, queries per record and ratios; writes them as JSON.
"""

import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

from aiosmtpd.controller import Controller

import odoo
import odoo.sql_db
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = pathlib.Path(__file__).resolve().parents[2]


class CountingHandler:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.count += 1
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def timed_method(cls, name):
    """Accumulate the time spent in cls.name while the block runs."""
    original = getattr(cls, name)
    spent = [0.0]

    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    setattr(cls, name, wrapper)
    try:
        yield spent
    finally:
        setattr(cls, name, original)


def create_database(odoo_src, db, modules):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    subprocess.run(
        [
            sys.executable,
            str(odoo_src / "odoo-bin"),
            f"--addons-path={odoo_src / 'addons'},{REPO}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            "-d",
            db,
            "-i",
            modules,
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


@contextmanager
def environment(db):
    registry = Registry(db)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


@contextmanager
def measure(cr, result):
    """Wall time and SQL queries of the block, commit included."""
    queries = cr.sql_log_count
    start = time.perf_counter()
    yield
    cr.commit()
    result["seconds"] = time.perf_counter() - start
    result["queries"] = cr.sql_log_count - queries


def prepare_tickets(env, count, prefix, smtp_port):
    """count customers (each its own company) with one open ticket each."""
    env["ir.mail_server"].search([]).unlink()
    env["ir.mail_server"].create(
        {"name": "bench sink", "smtp_host": "127.0.0.1", "smtp_port": smtp_port}
    )
    env.company.email = "care@telco.example.com"
    team = env["helpdesk.ticket.team"].create({"name": f"{prefix} team"})
    agent = env.ref("base.user_admin")
    partners = env["res.partner"].create(
        [
            {"name": f"{prefix} customer {i}", "email": f"{prefix}.{i}@example.com"}
            for i in range(count)
        ]
    )
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"Problem {i}",
                "description": "No dial tone",
                "partner_id": partner.id,
                "team_id": team.id,
                "user_id": agent.id,
            }
            for i, partner in enumerate(partners)
        ]
    )
    env.cr.commit()
    return partners, tickets


def close_tickets(env, tickets):
    result = {}
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    with measure(env.cr, result):
        tickets.write({"stage_id": done.id})
    result["per_record_queries"] = result["queries"] / len(tickets)
    return result


def bench_close(odoo_src, n, smtp):
    results = {}
    ways = {
        "floor": "helpdesk_mgmt",
        "nps": "nps_satisfaction",
        "rating": "helpdesk_mgmt_rating",
    }
    for way, modules in ways.items():
        db = f"nps_bench_{way}"
        print(f"[bench] {way}: creating {db} with {modules}", flush=True)
        create_database(odoo_src, db, modules)
        with environment(db) as env:
            _partners, tickets = prepare_tickets(env, n, way, smtp.port)
            if way == "rating":
                done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
                done.rating_mail_template_id = env.ref(
                    "helpdesk_mgmt_rating.rating_ticket_email_template"
                )
                env.cr.commit()
            before = smtp.handler.count
            if way == "nps":
                with timed_method(
                    type(env["helpdesk.ticket"]), "_nps_schedule_survey"
                ) as spent:
                    results[way] = close_tickets(env, tickets)
                results[way]["scheduling_seconds"] = spent[0]
            else:
                results[way] = close_tickets(env, tickets)
            results[way]["smtp_messages"] = smtp.handler.count - before
            if way == "nps":
                requests = tickets.nps_request_ids
                results[way]["requests_scheduled"] = len(
                    requests.filtered(lambda r: r.state == "scheduled")
                )
                results["dispatch"] = bench_dispatch(env, requests, n)
        print(f"[bench] {way}: {results[way]}", flush=True)
    return results


def bench_dispatch(env, requests, n):
    """nps dispatch of n due requests vs survey.invite for n customers."""
    requests.write({"scheduled_date": fields.Datetime.now() - timedelta(minutes=1)})
    env.cr.commit()
    dispatch = {}
    with measure(env.cr, dispatch):
        sent = env["nps.request"]._nps_dispatch_due(batch_size=n)
    dispatch["sent"] = len(sent)
    dispatch["mails"] = env["mail.mail"].search_count(
        [("model", "=", "nps.request"), ("res_id", "in", requests.ids)]
    )
    dispatch["answers"] = env["survey.user_input"].search_count(
        [("nps_request_id", "in", requests.ids)]
    )
    dispatch["per_record_queries"] = dispatch["queries"] / n

    survey = env.ref("nps_satisfaction.survey_post_ticket")
    partners = env["res.partner"].create(
        [{"name": f"invite {i}", "email": f"invite.{i}@example.com"} for i in range(n)]
    )
    env.cr.commit()
    action = survey.action_send_survey()
    invite = {}
    with measure(env.cr, invite):
        wizard = (
            env["survey.invite"]
            .with_context(action["context"])
            .create({"partner_ids": [(6, 0, partners.ids)]})
        )
        wizard.action_invite()
    invite["answers"] = env["survey.user_input"].search_count(
        [("partner_id", "in", partners.ids)]
    )
    invite["per_record_queries"] = invite["queries"] / n
    return {"nps_dispatch": dispatch, "survey_invite": invite}


def report(results, n):
    floor, nps, rating = (results[w]["seconds"] for w in ("floor", "nps", "rating"))
    nps_added = nps - floor
    rating_added = rating - floor
    dispatch = results["dispatch"]["nps_dispatch"]
    invite = results["dispatch"]["survey_invite"]
    scheduling = results["nps"]["scheduling_seconds"]
    summary = {
        "n": n,
        "nps_added_pct": 100 * nps_added / floor,
        "scheduling_seconds": scheduling,
        "scheduling_pct_of_floor": 100 * scheduling / floor,
        "rating_added_over_scheduling": rating_added / scheduling,
        "rating_added_over_nps_added": (
            rating_added / nps_added if nps_added > 0 else float("inf")
        ),
        "invite_over_dispatch": invite["seconds"] / dispatch["seconds"],
    }
    lines = [
        f"Closing {n} tickets in one write, up to the commit:",
        f"  floor (helpdesk_mgmt)        {floor:8.2f} s  "
        f"{results['floor']['per_record_queries']:6.1f} queries/ticket",
        f"  nps_satisfaction             {nps:8.2f} s  "
        f"{results['nps']['per_record_queries']:6.1f} queries/ticket  "
        f"(+{nps_added:.2f} s, {summary['nps_added_pct']:+.1f}%)",
        f"  helpdesk_mgmt_rating         {rating:8.2f} s  "
        f"{results['rating']['per_record_queries']:6.1f} queries/ticket  "
        f"(+{rating_added:.2f} s, {results['rating']['smtp_messages']} mails "
        "received by the SMTP server)",
        f"  nps scheduling inside its close {scheduling:8.2f} s  "
        f"({summary['scheduling_pct_of_floor']:.2f}% of the floor)",
        f"  rating's added cost / nps's: {summary['rating_added_over_nps_added']:.1f}x "
        "(whole closes compared; different databases, so noisy)",
        f"  rating's added cost / nps scheduling: "
        f"{summary['rating_added_over_scheduling']:.0f}x",
        f"Sending {n} surveys, up to the commit:",
        f"  nps dispatch                 {dispatch['seconds']:8.2f} s  "
        f"{dispatch['per_record_queries']:6.2f} queries/survey  "
        f"({dispatch['sent']} sent, {dispatch['mails']} mails, "
        f"{dispatch['answers']} answers)",
        f"  survey.invite                {invite['seconds']:8.2f} s  "
        f"{invite['per_record_queries']:6.2f} queries/survey  "
        f"({invite['answers']} answers)",
        f"  survey.invite / dispatch:    {summary['invite_over_dispatch']:.1f}x",
    ]
    print("\n".join(lines))
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--json", default=str(REPO / "tests/benchmark/last_run.json"))
    parser.add_argument("--odoo-src", required=True)
    args = parser.parse_args()
    odoo_src = pathlib.Path(args.odoo_src)

    config.parse_config(
        [
            f"--addons-path={odoo_src / 'addons'},{REPO}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            "--email-from=care@telco.example.com",
            "--http-interface=127.0.0.1",
            "--log-level=warn",
        ],
        setup_logging=True,
    )
    odoo.modules.module.initialize_sys_path()
    handler = CountingHandler()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        results = bench_close(odoo_src, args.n, smtp)
    finally:
        smtp.stop()
    results["summary"] = report(results, args.n)
    pathlib.Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    for way in ("floor", "nps", "rating"):
        db = f"nps_bench_{way}"
        Registry.delete(db)
        odoo.sql_db.close_db(db)
        subprocess.run(["dropdb", "--if-exists", db], check=False)


if __name__ == "__main__":
    main()
