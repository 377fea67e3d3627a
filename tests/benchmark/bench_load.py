"""Benchmark: the public answer page under load, against Odoo's survey page.

Not a test: it prints figures. Run by ./run-benchmark --load (which prepares
the machine and runs this script with the virtual environment's Python):

    ./run-benchmark --load [--clients 4] [--gets 2000] [--posts 500]

It installs nps_satisfaction into a database of its own, opens enough
survey requests (each with its survey.user_input, as the dispatch makes
them), starts a real Odoo server (odoo-bin --workers=2, on a loopback port)
and, from client processes of this script (--clients at once, http.client,
one connection each, kept open when the server allows it), measures per
endpoint a fixed number of requests:

- GET  /nps/<token>?score=N        the answer page an email's score opens;
- GET  /survey/start/<survey>?answer_token=<token>
                                   Odoo's survey entry for the same answer:
                                   alone (a redirect) and with the page it
                                   redirects to, which is what a browser loads;
- POST /nps/<token>                the one-click score, each on a fresh
                                   token, with the CSRF token and session
                                   cookie of the page fetched before (as a
                                   browser does): recorded as provisional;
- POST /nps/<token> (comment)      the comment step, from the same browser
                                   (its answer cookie): confirms the score,
                                   which becomes the answer and runs its
                                   effects;
- POST /survey/submit/<survey>/<token>
                                   Odoo's answer submit (JSON-RPC) of the same
                                   score, each on a fresh answer begun before.

The pages fetched and answers begun before a POST are not timed. Prints
requests per second, p50 and p99 latency and errors per endpoint and the
ratios to Odoo's pages; checks in the database that every POST recorded its
answer. Scores 0 to 10 are posted in turn on both sides. The server's
request log gives each endpoint's median SQL queries and server time. The
database is dropped at the end.
"""

import argparse
import http.client
import json
import math
import multiprocessing
import os
import pathlib
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_close_dispatch import (  # noqa: E402
    REPO,
    drop_database,
    install_template,
    log,
    setup_odoo,
)

DB = "nps_bench_load"
GOAL_P99_MS = 200
#: the comment posted with each answer, on both sides
COMMENT = "Fine, thanks."
EXTRA_SERVER_ARGS = []
CSRF_RE = re.compile(rb'name="csrf_token"\s+value="([^"]+)"')
#: a customer's browser (an empty or a library's user agent is a scanner's)
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


# --- Database ---


def populate(count, pool_size, posts):
    """``count`` open survey requests of the shipped post-ticket campaign,
    each for its own customer. Those Odoo's survey pages take (the first
    ``pool_size``, and the last ``posts``) get their survey answer up front,
    as survey.invite makes it; the ``posts`` answered on our side get none:
    the answer's effects make it (their job, after the timed posts, as its
    cron would). Returns their (request
    token, survey token, answer token) and the ids of the survey's score and
    comment questions."""
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        campaign = env.ref("nps_satisfaction.campaign_post_ticket")
        customers = env["res.partner"].create(
            [
                {"name": f"Load customer {i}", "email": f"load{i}@example.com"}
                for i in range(count)
            ]
        )
        requests = open_requests(env, campaign, customers)
        # Odoo's survey pages need their answer up front (survey.invite makes
        # them); ours is made by the answer's effects (their job): the
        # requests posted on our side (the second third, see main) get none
        ours = requests[pool_size : pool_size + posts]
        env["survey.user_input"]._nps_create_for(requests - ours)
        survey_token = campaign.survey_id.access_token
        tokens = [
            (r.access_token, survey_token, r.user_input_id.access_token)
            for r in requests
        ]
        questions = (campaign.score_question_id.id, campaign.comment_question_id.id)
        cr.commit()
        cr.execute("ANALYZE")
    return tokens, questions


def open_requests(env, campaign, customers):
    """A survey of ``campaign`` for each of ``customers``, open without its
    email and sent an hour ago, as a customer finds the email: a click within
    the first minutes is a mail scanner's (suspect, see nps.answer.attempt)."""
    requests = env["nps.request"].create(
        [
            {
                "campaign_id": campaign.id,
                "partner_id": customer.id,
                "state": "scheduled",
                "channel": "email",
            }
            for customer in customers
        ]
    )
    requests._nps_open_without_email("email")
    requests.write({"sent_date": fields.Datetime.now() - timedelta(hours=1)})
    return requests


def apply_effects(nps_tokens):
    """Run the job that applies the effects of the answers posted on the
    answer page (the figures, alerts, the detractors' cases and their
    activities), as its cron would after the timed phases: (seconds, SQL
    queries, answers applied, cases opened, answers still pending)."""
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        requests = env["nps.request"].search([("access_token", "in", list(nps_tokens))])
        pending = requests.filtered("effects_pending")
        env.invalidate_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        env["nps.answer.effects"]._cron_apply()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        env.invalidate_all()
        cases = env["nps.followup"].search_count([("request_id", "in", requests.ids)])
        left = env["nps.request"].search_count(
            [("id", "in", requests.ids), ("effects_pending", "=", True)]
        )
        cr.commit()
    return seconds, queries, len(pending), cases, left


def check_recorded(nps_tokens, survey_tokens):
    """How many of the posted requests and survey answers hold a score."""
    with Registry(DB).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM nps_request"
            " WHERE access_token = ANY(%s) AND state = 'answered'",
            [list(nps_tokens)],
        )
        nps = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM survey_user_input"
            " WHERE access_token = ANY(%s) AND state = 'done'",
            [list(survey_tokens)],
        )
        survey = cr.fetchone()[0]
    return nps, survey


# --- Server ---


def start_server(odoo_src, port, gevent_port, logfile):
    command = [
        sys.executable,
        str(odoo_src / "odoo-bin"),
        f"--addons-path={','.join(config['addons_path'])}",
        f"--db_host={config['db_host']}",
        f"--db_port={config['db_port']}",
        "-d",
        DB,
        f"--db-filter=^{DB}$",
        "--workers=2",
        "--max-cron-threads=0",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={gevent_port}",
        # info: the request log gives each request's SQL queries
        "--log-level=info",
        *EXTRA_SERVER_ARGS,
        f"--logfile={logfile}",
        "--limit-time-real=300",
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(server.stdout.read().decode(errors="replace"))
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/web/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit("the Odoo server did not answer within 2 minutes")


def stop_server(server):
    server.send_signal(signal.SIGTERM)
    try:
        output, _err = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _err = server.communicate()
    return output.decode(errors="replace")


# --- Clients (each in a process of its own) ---


def session_cookie(response, cookie=None):
    """The Cookie header a browser sends next: ``cookie`` with the cookies
    the response sets (the session, the answer's nonce)."""
    cookies = dict(
        part.split("=", 1) for part in (cookie or "").split("; ") if "=" in part
    )
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _sep, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in cookies.items()) or None


def jsonrpc(connection, path, params):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
    connection.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/json", "User-Agent": BROWSER_UA},
    )
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        return False
    result = json.loads(data).get("result")
    return bool(result) and not result[1].get("error")


def request_once(connection, kind, item):
    """One request of the kind; returns (ok, data for the next step)."""
    handlers = {
        "nps_get": get_answer_page,
        "survey_start": get_survey_page,
        "survey_page": get_survey_page,
        "nps_post": post_answer_page,
        "nps_comment": post_answer_page,
        "survey_begin": begin_survey,
        "survey_submit": submit_survey,
    }
    if kind not in handlers:
        raise ValueError(kind)
    return handlers[kind](connection, kind, item)


def get_answer_page(connection, kind, item):
    """The answer page an email's score opens: its CSRF token and cookie."""
    token, score = item
    connection.request(
        "GET", f"/nps/{token}?score={score}", headers={"User-Agent": BROWSER_UA}
    )
    response = connection.getresponse()
    body = response.read()
    match = CSRF_RE.search(body)
    ok = response.status == 200 and bool(match)
    return ok, (match.group(1).decode(), session_cookie(response)) if ok else None


def get_survey_page(connection, kind, item):
    """Odoo's survey entry: the redirect alone (``survey_start``) or with
    the page it leads to (``survey_page``)."""
    survey, answer = item
    connection.request(
        "GET",
        f"/survey/start/{survey}?answer_token={answer}",
        headers={"User-Agent": BROWSER_UA},
    )
    response = connection.getresponse()
    response.read()
    location = response.getheader("Location")
    ok = response.status in (302, 303) and bool(location)
    if not ok or kind == "survey_start":
        return ok, None
    response, body = follow_redirects(connection, response, location)
    ok = response.status == 200 and b"o_survey" in body
    return ok, None if ok else f"{response.status} {body[:300]!r}"


def follow_redirects(connection, response, location):
    """As a browser: follow the redirects (to /<lang>/survey/<survey>, then
    /survey/<survey>) with the cookies set on the way; the last response
    and its body."""
    cookies = {}
    for _hop in range(5):
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        path = urllib.parse.urlsplit(location)
        connection.request(
            "GET",
            path.path + (f"?{path.query}" if path.query else ""),
            headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "User-Agent": BROWSER_UA,
            },
        )
        response = connection.getresponse()
        body = response.read()
        location = response.getheader("Location")
        if response.status not in (301, 302, 303, 307) or not location:
            break
    return response, body


def post_answer_page(connection, kind, item):
    """The one-click score (``nps_post``) or the comment step
    (``nps_comment``) posted on the answer page."""
    if kind == "nps_post":
        token, score, csrf, cookie = item
        form = {"score": score, "csrf_token": csrf}
    else:
        token, csrf, cookie = item
        form = {"comment": COMMENT, "step": "more", "csrf_token": csrf}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": BROWSER_UA,
    }
    if cookie:
        headers["Cookie"] = cookie
    connection.request(
        "POST", f"/nps/{token}", body=urllib.parse.urlencode(form), headers=headers
    )
    response = connection.getresponse()
    body = response.read()
    match = CSRF_RE.search(body)
    ok = response.status == 200 and (kind == "nps_comment" or bool(match))
    if not ok:
        return ok, f"{response.status} {body[:300]!r}"
    if kind == "nps_comment":
        return ok, None
    # what the comment step posts next: the page's CSRF token, the cookies
    return ok, (token, match.group(1).decode(), session_cookie(response, cookie))


def begin_survey(connection, kind, item):
    survey, answer = item
    return jsonrpc(connection, f"/survey/begin/{survey}/{answer}", {}), None


def submit_survey(connection, kind, item):
    survey, answer, (question, comment_question), score = item
    return (
        jsonrpc(
            connection,
            f"/survey/submit/{survey}/{answer}",
            # the same answer as ours: the score and the comment
            {str(question): str(score), str(comment_question): COMMENT},
        ),
        None,
    )


def client(args):
    """Run the items one after the other on one connection: [(seconds, ok,
    data)]."""
    port, kind, items = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    results = []
    for item in items:
        start = time.perf_counter()
        try:
            ok, data = request_once(connection, kind, item)
        except (OSError, http.client.HTTPException, ValueError):
            connection.close()
            ok, data = False, None
        results.append((time.perf_counter() - start, ok, data))
    connection.close()
    return results


def run_phase(pool, port, kind, items, clients):
    """The items split between the clients, run at once: (wall seconds,
    results in the items' order)."""
    chunks = [items[i::clients] for i in range(clients)]
    start = time.perf_counter()
    parts = pool.map(client, [(port, kind, chunk) for chunk in chunks])
    wall = time.perf_counter() - start
    results = [None] * len(items)
    for index, part in enumerate(parts):
        for position, result in enumerate(part):
            results[index + position * clients] = result
    return wall, results


def figures_of(wall, results):
    latencies = sorted(seconds for seconds, _ok, _data in results)
    failed = [data for _s, ok, data in results if not ok]
    p99_index = max(0, math.ceil(0.99 * len(latencies)) - 1)
    return {
        "requests": len(results),
        "rps": len(results) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[p99_index] * 1000,
        "errors": len(failed),
        "first_error": failed[0] if failed else None,
    }


#: Odoo's request log line: "METHOD path HTTP/1.1" status - queries
#: query-seconds other-seconds
REQUEST_LOG_RE = re.compile(
    r'"(GET|POST) (/\S*) HTTP/1\.[01]" (\d+) - (\d+) ([\d.]+) ([\d.]+)'
)


def server_side(logfile, one_click_posts):
    """Median SQL queries and server milliseconds (SQL and the rest, as Odoo
    logs them) per request of each endpoint, from the server's request log:
    {endpoint: (queries, ms)}. The POSTs to /nps/ come in phases: the
    ``one_click_posts`` first, then the comment steps."""
    counts = {}
    nps_posts = 0
    for line in pathlib.Path(logfile).read_text(errors="replace").splitlines():
        match = REQUEST_LOG_RE.search(line)
        if not match:
            continue
        method, path, _status, queries, sql_s, other_s = match.groups()
        if path.startswith("/nps/"):
            if method == "GET":
                key = "nps_get"
            else:
                nps_posts += 1
                key = "nps_post" if nps_posts <= one_click_posts else "nps_comment"
        elif path.startswith("/survey/start/"):
            key = "survey_start"
        elif path.startswith("/survey/submit/"):
            key = "survey_submit"
        elif path.startswith("/survey/begin/"):
            continue
        elif re.match(r"/[a-z]{2}(_[A-Z]{2})?/survey/", path):
            key = "survey_lang"
        elif path.startswith("/survey/"):
            key = "survey_page"
        else:
            continue
        counts.setdefault(key, []).append(
            (int(queries), (float(sql_s) + float(other_s)) * 1000)
        )
    medians = {
        key: (
            statistics.median(q for q, _ms in values),
            statistics.median(ms for _q, ms in values),
        )
        for key, values in counts.items()
    }
    # a browser's survey page is the start, the language redirect and the page
    if {"survey_start", "survey_lang", "survey_page"} <= set(medians):
        parts = [medians[k] for k in ("survey_start", "survey_lang", "survey_page")]
        medians["survey_page"] = (sum(q for q, _ in parts), sum(m for _, m in parts))
    return medians


# --- Main ---


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--gets", type=int, default=2000, help="GETs per endpoint")
    parser.add_argument(
        "--posts", type=int, default=500, help="answers posted per endpoint"
    )
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("NPS_LOAD_PORT", 8291))
    )
    parser.add_argument(
        "--json", default=str(REPO / "tests" / "benchmark" / "last_load_run.json")
    )
    return parser.parse_args()


def main():
    args = parse_args()
    odoo_src = pathlib.Path(args.odoo_src)
    setup_odoo(odoo_src)
    pool_size = 200
    log("installing nps_satisfaction")
    install_template(odoo_src, "nps", DB)
    server = None
    figures = {"clients": args.clients, "workers": 2}
    logfile = tempfile.mkstemp(prefix="nps-load-", suffix=".log")[1]
    try:
        log(f"opening {pool_size + 2 * args.posts} survey requests")
        tokens, questions = populate(pool_size + 2 * args.posts, pool_size, args.posts)
        page_tokens = tokens[:pool_size]
        nps_post_tokens = tokens[pool_size : pool_size + args.posts]
        survey_post_tokens = tokens[pool_size + args.posts :]
        log(f"starting odoo-bin --workers=2 on 127.0.0.1:{args.port}")
        server = start_server(odoo_src, args.port, args.port + 1, logfile)
        context = multiprocessing.get_context("fork")
        with context.Pool(args.clients) as pool:
            warm_up(pool, args, page_tokens)
            phases = time_gets(pool, args, page_tokens, pool_size)
            posts, post_phases = time_answer_posts(pool, args, nps_post_tokens)
            phases.update(post_phases)
            phases["survey_submit"] = time_survey_submits(
                pool, args, survey_post_tokens, questions
            )
        record_figures(figures, phases, posts, survey_post_tokens)
    finally:
        if server:
            stop_server(server)
            read_server_log(logfile, figures)
        drop_database(DB)
    report(figures, args)
    pathlib.Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    log(f"figures written to {args.json}")


def warm_up(pool, args, page_tokens):
    """Every worker compiles the templates and fills its caches."""
    warm = [(t, i % 11) for i, (t, _s, _a) in enumerate(page_tokens[:40])]
    run_phase(pool, args.port, "nps_get", warm, args.clients)
    warm = [(s, a) for _t, s, a in page_tokens[:40]]
    run_phase(pool, args.port, "survey_page", warm, args.clients)


def time_gets(pool, args, page_tokens, pool_size):
    """The timed GETs: our answer page, Odoo's survey start alone and with
    its page; {phase: (wall, results)}."""
    gets = [page_tokens[i % pool_size] for i in range(args.gets)]
    phases = {}
    log(f"GET /nps/<token>?score=N x {args.gets}")
    phases["nps_get"] = run_phase(
        pool,
        args.port,
        "nps_get",
        [(t, i % 11) for i, (t, _s, _a) in enumerate(gets)],
        args.clients,
    )
    log(f"GET /survey/start/<survey>?answer_token=<token> x {args.gets}")
    phases["survey_start"] = run_phase(
        pool,
        args.port,
        "survey_start",
        [(s, a) for _t, s, a in gets],
        args.clients,
    )
    log(f"the same, with the page it redirects to, x {args.gets}")
    phases["survey_page"] = run_phase(
        pool,
        args.port,
        "survey_page",
        [(s, a) for _t, s, a in gets],
        args.clients,
    )
    return phases


def time_answer_posts(pool, args, nps_post_tokens):
    """The one-click POSTs on fresh pages (fetched untimed), then their
    comment steps: (the posts, {phase: (wall, results)})."""
    log(f"fetching {args.posts} fresh answer pages (not timed)")
    _wall, pages = run_phase(
        pool,
        args.port,
        "nps_get",
        [(t, i % 11) for i, (t, _s, _a) in enumerate(nps_post_tokens)],
        args.clients,
    )
    posts = [
        (t, i % 11, *data)
        for i, ((t, _s, _a), (_sec, ok, data)) in enumerate(
            zip(nps_post_tokens, pages, strict=True)
        )
        if ok
    ]
    phases = {}
    log(f"POST /nps/<token> x {len(posts)}, each on a fresh token")
    phases["nps_post"] = run_phase(pool, args.port, "nps_post", posts, args.clients)
    comments = [data for _sec, ok, data in phases["nps_post"][1] if ok]
    log(f"POST /nps/<token> (the comment step) x {len(comments)}")
    phases["nps_comment"] = run_phase(
        pool, args.port, "nps_comment", comments, args.clients
    )
    return posts, phases


def time_survey_submits(pool, args, survey_post_tokens, questions):
    """Odoo's submits on answers begun before (untimed): (wall, results)."""
    log(f"beginning {args.posts} fresh survey answers (not timed)")
    run_phase(
        pool,
        args.port,
        "survey_begin",
        [(s, a) for _t, s, a in survey_post_tokens],
        args.clients,
    )
    log(f"POST /survey/submit/<survey>/<token> x {args.posts}")
    return run_phase(
        pool,
        args.port,
        "survey_submit",
        [(s, a, questions, i % 11) for i, (_t, s, a) in enumerate(survey_post_tokens)],
        args.clients,
    )


def record_figures(figures, phases, posts, survey_post_tokens):
    """Each phase's figures, the answers recorded, the effects' job."""
    for name, (wall, results) in phases.items():
        figures[name] = figures_of(wall, results)
    figures["cookie_sent"] = sum(1 for p in posts if p[3])
    recorded = check_recorded(
        [p[0] for p in posts], [a for _t, _s, a in survey_post_tokens]
    )
    figures["nps_recorded"], figures["survey_recorded"] = recorded
    log("applying the answers' effects (their job, as its cron would)")
    seconds, queries, applied, cases, left = apply_effects([p[0] for p in posts])
    figures["effects"] = {
        "answers": applied,
        "seconds": seconds,
        "ms_per_answer": 1000 * seconds / max(applied, 1),
        "queries_per_answer": queries / max(applied, 1),
        "cases": cases,
        "left": left,
    }


def read_server_log(logfile, figures):
    """The server side of each phase from the stopped server's log, its
    warnings and errors shown; the log removed."""
    one_click = figures.get("nps_post", {}).get("requests", 0)
    for name, (queries, ms) in server_side(logfile, one_click).items():
        if name in figures:
            figures[name]["queries"] = queries
            figures[name]["server_ms"] = ms
    warnings = [
        line
        for line in pathlib.Path(logfile).read_text(errors="replace").splitlines()
        if " WARNING " in line or " ERROR " in line or " CRITICAL " in line
    ]
    if warnings:
        log("server warnings and errors:\n" + "\n".join(warnings[-20:]))
    os.unlink(logfile)


def report(figures, args):
    rule = "-" * 104
    lines = [
        rule,
        f"Answer page under load: odoo-bin --workers=2, {args.clients} clients "
        "at once, loopback",
        rule,
        *table_lines(figures),
    ]
    get_ratio = figures["nps_get"]["rps"] / figures["survey_page"]["rps"]
    start_ratio = figures["nps_get"]["rps"] / figures["survey_start"]["rps"]
    post_ratio = figures["nps_post"]["rps"] / figures["survey_submit"]["rps"]
    comment_ratio = figures["nps_comment"]["rps"] / figures["survey_submit"]["rps"]
    figures.update(
        get_over_survey_page=get_ratio,
        get_over_survey_start=start_ratio,
        post_over_survey_submit=post_ratio,
        comment_over_survey_submit=comment_ratio,
    )
    lines += [
        f"answer page / Odoo's survey page (start + page): {get_ratio:.2f}x "
        f"the requests per second (/ the redirect alone: {start_ratio:.2f}x)",
        f"one-click POST / Odoo's submit: {post_ratio:.2f}x the requests per "
        f"second; comment step (the answer and its effects) / Odoo's submit: "
        f"{comment_ratio:.2f}x",
        *outcome_lines(figures),
        *goal_lines(figures, get_ratio, post_ratio, comment_ratio),
        rule,
    ]
    print("\n".join(lines), flush=True)


#: the report's table: each phase's key and label
REPORT_ROWS = (
    ("nps_get", "GET /nps/<token>?score=N (ours)"),
    ("survey_start", "GET /survey/start/... (Odoo, redirect only)"),
    ("survey_page", "  + the redirects to the page, as a browser (Odoo)"),
    ("nps_post", "POST /nps/<token> (ours, the one-click score)"),
    ("nps_comment", "POST /nps/<token> (ours, comment: the answer)"),
    ("survey_submit", "POST /survey/submit/... (Odoo, JSON-RPC)"),
)


def table_lines(figures):
    """The report's table of the phases, then their first errors."""
    lines = [
        f"{'endpoint':<50}{'requests':>9}{'req/s':>9}{'p50 ms':>8}"
        f"{'p99 ms':>8}{'errors':>7}{'queries':>8}{'server ms':>10}",
    ]
    for key, label in REPORT_ROWS:
        f = figures[key]
        lines.append(
            f"{label:<50}{f['requests']:>9}{f['rps']:>9.1f}{f['p50_ms']:>8.1f}"
            f"{f['p99_ms']:>8.1f}{f['errors']:>7}{f.get('queries', 0):>8.0f}"
            f"{f.get('server_ms', 0):>10.1f}"
        )
    for key, _label in REPORT_ROWS:
        if figures[key]["first_error"]:
            lines.append(f"first error of {key}: {figures[key]['first_error']}")
    return lines


def outcome_lines(figures):
    """The effects applied after, the answers recorded, the machine."""
    load = os.getloadavg()
    return [
        f"effects of the comment steps' answers, applied after by their job "
        f"(one process, as the cron): {figures['effects']['answers']} answers in "
        f"{figures['effects']['seconds']:.1f} s, "
        f"{figures['effects']['ms_per_answer']:.1f} ms and "
        f"{figures['effects']['queries_per_answer']:.1f} queries per answer; "
        f"{figures['effects']['cases']} follow-up cases opened, "
        f"{figures['effects']['left']} answers left pending",
        f"answers recorded: {figures['nps_recorded']} of "
        f"{figures['nps_post']['requests']} one-click POSTs, confirmed by "
        f"{figures['nps_comment']['requests']} comment steps (session cookie sent with "
        f"{figures['cookie_sent']}); Odoo's survey: {figures['survey_recorded']} of "
        f"{figures['survey_submit']['requests']}",
        f"scores posted: 0 to 10 in turn on both sides, with the same comment "
        f"(7 in 11 are detractors: their effects open a follow-up case and its "
        f"activity); machine: {os.cpu_count()} CPUs, "
        f"load average {load[0]:.1f} at the end (other work shares the machine "
        f"when above the 2 workers' own load)",
    ]


def goal_lines(figures, get_ratio, post_ratio, comment_ratio):
    """The page's goal, and the POSTs against Odoo's submit."""
    fast = all(
        figures[key]["p99_ms"] < GOAL_P99_MS and figures[key]["errors"] == 0
        for key in ("nps_get", "nps_post", "nps_comment")
    )
    lines = [
        f"goal, the page (at least as fast as Odoo's survey page, p99 < "
        f"{GOAL_P99_MS} ms for the page and the POSTs, no error): "
        f"{'met' if fast and get_ratio >= 1 else 'NOT met'}"
    ]
    for label, ratio in (
        ("one-click POST", post_ratio),
        ("comment step", comment_ratio),
    ):
        lines.append(
            f"the {label} against Odoo's submit: "
            f"{'as fast or faster' if ratio >= 1 else 'slower'} ({ratio:.2f}x)"
        )
    return lines


if __name__ == "__main__":
    main()
