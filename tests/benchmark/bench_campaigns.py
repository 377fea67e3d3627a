"""Benchmark: customer segments and newsletters that carry a survey.

Run with the suite's Python once the machine is prepared (setup/prepare.sh):

    source setup/env.sh
    "$PYTHON" tests/benchmark/bench_campaigns.py \
        --odoo-src "$(cat "$NPS_HOME/odoo_src")" \
        [--customers 100000] [--recipients 10000] [--rounds 2] [--json f.json]

On a fresh database with nps_campaigns:

A. Counting a segment (services, country, NPS categories, renewal window)
   over --customers customer companies: queries and seconds of
   ``partner_count`` (one count query per figure, whatever the size).
B. Sending a --recipients mailing to a segment, timed up to the commit
   (``action_send_mail``: rendering, the mail queue and Odoo's mailing
   traces), with the survey placeholder and without it, in the same run on
   the same recipients; with the placeholder each recipient also gets a
   survey request and a personal link (the survey answer waits for his
   answer). Goal: the survey adds at most 15% to the send time. Two
   bodies: a minimal one (a title, two lines and a link) and Odoo's own
   demo newsletter as its editor writes it; the survey block weighs more
   against the minimal one. The mails are queued as Odoo queues any
   mailing; delivering the queue costs the same with or without survey. A
   small warm-up mailing goes first.

Prints seconds, queries and the ratio (as JSON too with --json). Creates
and drops its own database.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time
from contextlib import contextmanager

from lxml import etree

import odoo
import odoo.sql_db
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

REPO = pathlib.Path(__file__).resolve().parents[2]
DB = "nps_bench_campaigns"


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


def insert_customers(env, count, recipients):
    """count customer companies in bulk SQL (the ORM would take minutes and
    is not what is measured): a spread of countries, services, categories,
    scores, health states and renewal dates. Postcodes: the first
    ``recipients`` start with 99, the next ``recipients`` with 98 (the two
    mailings' segments), the next 200 with 97 (a warm-up mailing)."""
    env.flush_all()
    ids = insert_companies(env, count, recipients)
    env.cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            ids,
        )
    )
    link_services(env, ids)
    env.cr.commit()
    env.invalidate_all()
    return ids


def insert_companies(env, count, recipients):
    """The companies' rows (see ``insert_customers``); their ids."""
    # five countries and four services: coprime spreads, so that every
    # combination of country, service and category occurs
    countries = [env.ref(f"base.{code}").id for code in ("fr", "de", "be", "ch", "nl")]
    user = env.ref("base.user_admin").id
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (
                name, complete_name, active, is_company, type, lang, email,
                email_normalized, zip, country_id, user_id, nps_category,
                nps_last_score, nps_health, nps_contract_renewal_date,
                message_bounce, create_uid, write_uid, create_date, write_date)
            SELECT 'Bench customer ' || i, 'Bench customer ' || i, TRUE, TRUE,
                   'contact', 'en_US', 'bench' || i || '@example.com',
                   'bench' || i || '@example.com',
                   CASE WHEN i <= %(r)s THEN '99'
                        WHEN i <= 2 * %(r)s THEN '98'
                        WHEN i <= 2 * %(r)s + 200 THEN '97'
                        ELSE '10' END
                       || lpad((i %% 1000)::text, 3, '0'),
                   (%(countries)s::int[])[1 + i %% 5],
                   %(user)s,
                   (ARRAY['promoter', 'passive', 'detractor'])[1 + i %% 3],
                   i %% 11,
                   (ARRAY['healthy', 'watch', 'at_risk'])[1 + i %% 3],
                   CURRENT_DATE + (i %% 365),
                   0, 1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(count)s) AS i
            RETURNING id
            """,
            r=recipients,
            countries=countries,
            user=user,
            count=count,
        )
    )
    return [row[0] for row in env.cr.fetchall()]


def link_services(env, ids):
    """One of the service types for each company, in turn."""
    services = env["nps.service.type"].search([]).ids
    env.cr.execute(
        SQL(
            """
            INSERT INTO nps_service_type_res_partner_rel (partner_id, service_type_id)
            SELECT p, (%(services)s::int[])[1 + p %% %(n)s]
              FROM unnest(%(ids)s::int[]) AS p
            """,
            services=services,
            n=len(services),
            ids=ids,
        )
    )


def bench_count(env, customers):
    segment = env["nps.segment"].create(
        {
            "name": "Bench count",
            "service_type_ids": [
                (6, 0, env.ref("nps_satisfaction.service_type_sip_trunk").ids)
            ],
            "country_ids": [(6, 0, env.ref("base.fr").ids)],
            "nps_categories": "passive,detractor",
            "renewal_within_days": 180,
        }
    )
    env.cr.commit()
    result = {"customers": customers}
    env.invalidate_all()
    start = time.perf_counter()
    queries = env.cr.sql_log_count
    result["partner_count"] = segment.partner_count
    result["seconds"] = time.perf_counter() - start
    result["queries"] = env.cr.sql_log_count - queries
    env.invalidate_all()
    start = time.perf_counter()
    count = env["res.partner"].search_count(segment._get_company_domain())
    result["count_query_seconds"] = time.perf_counter() - start
    assert count == result["partner_count"]
    return result


SURVEY = '<t t-out="object.nps_survey_html"/>'
MINIMAL_BODY = (
    "<div><h1>Platform upgrade</h1><p>Dear customer, we upgraded our SIP "
    'trunk platform. <a href="https://example.com/news">Read more</a></p>'
    "{survey}<p>Your support team</p></div>"
)


def odoo_newsletter_body(odoo_src):
    """The body of Odoo's own demo newsletter (mass_mailing's "Monthly
    Newsletter", as its editor writes it), with a slot for the survey
    before its footer."""
    tree = etree.parse(str(odoo_src / "addons/mass_mailing/demo/mailing_mailing.xml"))
    field = tree.xpath("//record[@id='mass_mail_1']/field[@name='body_arch']")[0]
    body = "".join(etree.tostring(child, encoding="unicode") for child in field)
    footer = '<div class="o_mail_block_footer_separator"'
    body = body.replace("{", "{{").replace("}", "}}")
    if footer in body:
        return body.replace(footer, "{survey}" + footer, 1)
    return body + "{survey}"


def send(env, segment, body, label):
    mailing = env["mailing.mailing"].create(
        {"subject": f"Bench {label}", "nps_segment_id": segment.id, "body_html": body}
    )
    env.cr.commit()
    result = {"body_chars": len(body)}
    with measure(env.cr, result):
        mailing.action_send_mail()
    result["mails"] = env["mail.mail"].search_count([("mailing_id", "=", mailing.id)])
    result["traces"] = env["mailing.trace"].search_count(
        [("mass_mailing_id", "=", mailing.id)]
    )
    result["surveys"] = env["nps.request"].search_count(
        [("mailing_id", "=", mailing.id), ("state", "=", "sent")]
    )
    result["per_recipient_ms"] = 1000 * result["seconds"] / max(result["mails"], 1)
    print(f"[bench] mailing {label}: {result}", flush=True)
    return result


def bench_send(env, odoo_src, rounds):
    """For each body, the same segment's mailing without then with the
    survey, ``rounds`` times, keeping each way's fastest run (the machine
    is shared: the fastest run is the least disturbed one). The newsletter
    campaign ignores the quiet period here so that every round surveys
    every recipient. A small warm-up mailing first."""
    env.company.email = "care@telco.example.com"
    env.ref("nps_campaigns.campaign_newsletter").ignore_quiet_period = True
    Segment = env["nps.segment"]
    warmup = Segment.create({"name": "Warm-up", "zip_prefixes": "97"})
    send(env, warmup, MINIMAL_BODY.format(survey=SURVEY), "warm-up")
    results = {}
    for kind, prefix, body in (
        ("minimal", "99", MINIMAL_BODY),
        ("odoo_newsletter", "98", odoo_newsletter_body(odoo_src)),
    ):
        segment = Segment.create(
            {"name": f"Bench {kind}", "zip_prefixes": prefix, "contact_rule": "main"}
        )
        runs = {"plain": [], "survey": []}
        for index in range(rounds):
            for way, survey in (("plain", ""), ("survey", SURVEY)):
                runs[way].append(
                    send(
                        env,
                        segment,
                        body.format(survey=survey),
                        f"{kind} {way} {index}",
                    )
                )
        result = {way: min(r, key=lambda x: x["seconds"]) for way, r in runs.items()}
        result["all_seconds"] = {
            way: [r["seconds"] for r in way_runs] for way, way_runs in runs.items()
        }
        result["survey_added_pct"] = (
            100
            * (result["survey"]["seconds"] - result["plain"]["seconds"])
            / result["plain"]["seconds"]
        )
        results[kind] = result
    return results


def report(count, send_results):
    lines = [
        f"Counting a segment over {count['customers']} customers:",
        f"  partner_count           {count['seconds']:8.3f} s  "
        f"{count['queries']} queries ({count['partner_count']} companies; the "
        f"count query alone {count['count_query_seconds']:.3f} s)",
    ]
    for kind, result in send_results.items():
        plain, survey = result["plain"], result["survey"]
        lines += [
            f"Sending a {plain['mails']}-recipient mailing, {kind} body "
            f"({plain['body_chars']} characters), up to the commit:",
            f"  without survey          {plain['seconds']:8.2f} s  "
            f"{plain['per_recipient_ms']:6.2f} ms/recipient  "
            f"{plain['queries'] / max(plain['mails'], 1):6.2f} queries/recipient",
            f"  with survey placeholder {survey['seconds']:8.2f} s  "
            f"{survey['per_recipient_ms']:6.2f} ms/recipient  "
            f"{survey['queries'] / max(survey['mails'], 1):6.2f} queries/recipient"
            f"  ({survey['surveys']} surveys)",
            f"  the survey adds {result['survey_added_pct']:+.1f}% "
            "(goal: at most +15%; fastest of each way's runs: "
            f"{result['all_seconds']})",
        ]
    print("\n".join(lines))
    return {kind: result["survey_added_pct"] for kind, result in send_results.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--recipients", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", help="also write the figures to this file")
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
    print(f"[bench] creating {DB} with nps_campaigns", flush=True)
    create_database(odoo_src, DB, "nps_campaigns")
    try:
        with environment(DB) as env:
            print(f"[bench] inserting {args.customers} customers", flush=True)
            insert_customers(env, args.customers, args.recipients)
            count = bench_count(env, args.customers)
            print(f"[bench] count: {count}", flush=True)
            send_results = bench_send(env, odoo_src, args.rounds)
        results = {"count": count, "send": send_results}
        results["survey_added_pct"] = report(count, send_results)
        if args.json:
            pathlib.Path(args.json).write_text(
                json.dumps(results, indent=2, default=str)
            )
    finally:
        Registry.delete(DB)
        odoo.sql_db.close_db(DB)
        subprocess.run(["dropdb", "--if-exists", DB], check=False)


if __name__ == "__main__":
    main()
