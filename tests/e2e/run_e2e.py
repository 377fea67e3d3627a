"""End to end under real conditions: two dispatch processes at once, a
dispatch killed in the middle of its work, a mail server that is down, a
bounce. Real PostgreSQL, real Odoo processes, a real SMTP server (aiosmtpd)
on a free loopback port, started and stopped here; no mocks.

Run by ./run-tests (NPS_SKIP_E2E=1 skips it), or alone with the virtual
environment's Python:

    python tests/e2e/run_e2e.py --odoo-src <odoo 19 tree> [--n 2000]

It installs nps_satisfaction into a template database with odoo-bin, adds N
customers with an email address and N due survey requests, and checks, each
on its own copy of the template (all dropped at the end):

A. concurrency: two OS processes, each with its own registry and cursor, run
   the dispatch cron (``nps.dispatch._cron_dispatch``) at the same moment
   (released together by a file); then Odoo's mail queue is processed
   (``mail.mail.process_email_queue``) towards the SMTP server. Every request
   is sent once, has exactly one mail, and the server receives N messages,
   one per customer address; both processes took a share.
B. crash: a dispatch process is killed (SIGKILL) after its first committed
   batch, while it works on the next; the batch it was in is rolled back
   whole; a second dispatch finishes. Every request sent once, N messages.
C. mail server down: the mail queue runs while nothing listens on the mail
   server's port: nothing is delivered, the mails stay in the queue
   (``exception``, the cause in ``failure_reason``). Odoo never retries such mails: the
   dispatch cron queues them again; the server comes back and the queue runs
   again: every mail arrives once.
D. bounce: a delivery status notification for one survey mail, processed by
   Odoo's mail gateway (``mail.thread.message_process``), marks the
   customer's address as bouncing (``message_bounce``).
E. a survey answered in a real browser (tests/e2e/browser_e2e.py): a ticket
   closed, the dispatch cron, the email received by the SMTP server and
   parsed, a plain fetch of its links recording nothing, then Debian's
   Chromium showing the email, one click on a score, the comment and the
   thank-you page, with screenshots in a folder the run prints
   (``--screenshots``).

Prints a table of what was checked and the figures; exits non-zero with the
reasons on any failure. The whole run is bounded (``--timeout``).
"""

import argparse
import collections
import json
import multiprocessing
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta

from aiosmtpd.controller import Controller

import odoo
import odoo.sql_db
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.service.server import load_server_wide_modules
from odoo.tools import config

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import browser_e2e  # noqa: E402 (this folder is not a package)

REPO = pathlib.Path(__file__).resolve().parents[2]
SENDER = "surveys@e2e.example.com"
#: no NOTICE from dropdb about a database that is not there
PG_QUIET = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
INSTALL_TIMEOUT = 300
WORKER_TIMEOUT = 180
#: seconds spent in parts of the run, for the report
SPENT = collections.Counter()
START_TIMEOUT = 90


# --- SMTP server ---


class SmtpServer:
    """An aiosmtpd server on a loopback port, in a process of its own, that
    writes the recipients of every message it accepts, one line a message,
    to a file, and each message whole into ``messages`` (a folder) when
    given. Started and stopped by the checks; the port stays the same."""

    def __init__(self, port, record, messages=None):
        self.port = port
        self.record = pathlib.Path(record)
        self.record.touch()
        self.messages = str(messages) if messages else None
        if messages:
            pathlib.Path(messages).mkdir(parents=True, exist_ok=True)
        self._process = None

    def start(self):
        context = multiprocessing.get_context("spawn")
        self._ready = context.Event()
        self._stop = context.Event()
        self._process = context.Process(
            target=serve_smtp,
            args=(self.port, str(self.record), self._ready, self._stop, self.messages),
            daemon=True,
        )
        self._process.start()
        if not self._ready.wait(30):
            raise Failure("the SMTP server did not start")
        return self

    def stop(self):
        if self._process:
            self._stop.set()
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()
            self._process = None

    def recipients(self):
        """One entry per message received: its recipients, lower-cased."""
        lines = self.record.read_text(encoding="utf-8").splitlines()
        return [line.lower() for line in lines if line]


class RecordingHandler:
    def __init__(self, record, messages=None):
        self.record = record
        self.messages = messages
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        with open(self.record, "a", encoding="utf-8") as handle:
            handle.write(",".join(sorted(envelope.rcpt_tos)) + "\n")
        if self.messages:
            self.count += 1
            path = pathlib.Path(self.messages) / f"{self.count:05d}.eml"
            path.write_bytes(envelope.original_content or envelope.content)
        return "250 OK"


def serve_smtp(port, record, ready, stop, messages=None):
    """The SMTP server's process: serve until told to stop."""
    controller = Controller(
        RecordingHandler(record, messages), hostname="127.0.0.1", port=port
    )
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Odoo as a library, databases ---


class Failure(Exception):
    """A check that did not hold; its message says which and why."""


def setup_odoo(odoo_src):
    config.parse_config(
        [
            f"--addons-path={odoo_src / 'addons'},{REPO}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            f"--email-from={SENDER}",
            "--http-interface=127.0.0.1",
            "--log-level=error",
        ],
        setup_logging=True,
    )
    odoo.modules.module.initialize_sys_path()
    load_server_wide_modules()


def install_template(odoo_src, db):
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
        "nps_satisfaction",
        "--stop-after-init",
        "--log-level=warn",
        "--workers=0",
        "--max-cron-threads=0",
    ]
    try:
        process = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        raise Failure(f"installing nps_satisfaction took over {exc.timeout} s") from exc
    if process.returncode:
        sys.stderr.write(process.stdout[-3000:] + process.stderr[-3000:])
        raise Failure(f"installing nps_satisfaction into {db} failed")


def release(db):
    """Close this process's registry and connections to the database."""
    if db in Registry.registries:
        Registry.delete(db)
    odoo.sql_db.close_db(db)


def drop_database(db):
    release(db)
    subprocess.run(
        ["dropdb", "--if-exists", "--force", db], check=True, env=PG_QUIET, timeout=60
    )


def copy_database(template, db):
    release(template)
    subprocess.run(["createdb", "-T", template, db], check=True, timeout=120)


def environment(db):
    """A superuser environment on a new cursor of the database."""
    cr = Registry(db).cursor()
    return api.Environment(cr, SUPERUSER_ID, {})


def populate(db, n):
    """N customers with an email address, each with a survey request due an
    hour ago, on the shipped post-ticket campaign (no send window, no cap)."""
    env = environment(db)
    try:
        campaign = env.ref("nps_satisfaction.campaign_post_ticket")
        campaign.write(
            {
                "use_send_window": False,
                "daily_cap": 0,
                "hold_if_open_ticket": False,
                "email_from": SENDER,
            }
        )
        env.company.email = SENDER
        quiet = env["res.partner"].with_context(tracking_disable=True)
        partners = quiet.create(
            [
                {"name": f"Customer {i}", "email": f"customer{i}@e2e.example.com"}
                for i in range(n)
            ]
        )
        due = fields.Datetime.now() - timedelta(hours=1)
        env["nps.request"].with_context(tracking_disable=True).create(
            [
                {
                    "campaign_id": campaign.id,
                    "partner_id": partner.id,
                    "state": "scheduled",
                    "scheduled_date": due,
                }
                for partner in partners
            ]
        )
        env["mail.mail"].search([]).unlink()
        env.cr.commit()
    finally:
        env.cr.close()


def set_mail_server(env, port):
    env["ir.mail_server"].search([]).unlink()
    env["ir.mail_server"].create(
        {"name": "e2e loopback", "smtp_host": "127.0.0.1", "smtp_port": port}
    )
    env.cr.commit()


def process_mail_queue(env, rounds=10):
    """Run Odoo's mail queue until nothing waits (it takes 1,000 at a time),
    as its cron would; returns the mails left outgoing."""
    outgoing = [("state", "=", "outgoing")]
    start = time.perf_counter()
    try:
        for _round in range(rounds):
            env["mail.mail"].process_email_queue()
            env.cr.commit()
            env.invalidate_all()
            if not env["mail.mail"].search_count(outgoing):
                return 0
        return env["mail.mail"].search_count(outgoing)
    finally:
        SPENT["mail queue"] += time.perf_counter() - start


# --- Dispatch processes ---


def worker_main(args):
    """A dispatch process: load the registry, say it is ready, wait for the
    start signal, run the dispatch cron, print what it sent as JSON."""
    setup_odoo(args.odoo_src)
    registry = Registry(args.worker)
    sync = pathlib.Path(args.sync_dir)
    (sync / f"ready-{args.name}").touch()
    deadline = time.monotonic() + START_TIMEOUT
    while not (sync / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.005)
    batches = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cls = type(env["nps.dispatch"])
        original = cls._nps_send

        def recording_send(self, requests):
            sent = original(self, requests)
            batches.append({"time": time.time(), "ids": sent.ids})
            return sent

        cls._nps_send = recording_send
        started = time.time()
        env["nps.dispatch"]._cron_dispatch(batch_size=args.batch_size)
        cr.commit()
    print(
        json.dumps({"name": args.name, "started": started, "batches": batches}),
        flush=True,
    )


class Worker:
    """A dispatch process (this script with --worker); its log goes to a
    file, its result to stdout."""

    running = []

    def __init__(self, script_args, db, name, sync_dir, batch_size):
        self.name = name
        self.log = pathlib.Path(sync_dir, f"{name}.log")
        self.process = subprocess.Popen(
            [
                sys.executable,
                __file__,
                f"--odoo-src={script_args.odoo_src}",
                f"--worker={db}",
                f"--name={name}",
                f"--sync-dir={sync_dir}",
                f"--batch-size={batch_size}",
            ],
            stdout=subprocess.PIPE,
            stderr=self.log.open("w"),
            text=True,
        )
        self.running.append(self)

    def result(self):
        try:
            out, _err = self.process.communicate(timeout=WORKER_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            self.kill()
            raise Failure(
                f"dispatch process {self.name} took over {exc.timeout} s"
            ) from exc
        if self.process.returncode:
            sys.stderr.write(self.log.read_text(encoding="utf-8")[-3000:])
            raise Failure(
                f"dispatch process {self.name} exited with {self.process.returncode}"
            )
        return json.loads(out.strip().splitlines()[-1])

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)


def start_workers(args, db, names, batch_size):
    """Start the dispatch processes and release them together once every one
    has its registry loaded."""
    sync_dir = tempfile.mkdtemp(prefix="sync-", dir=args.tmp_dir)
    workers = [Worker(args, db, name, sync_dir, batch_size) for name in names]
    deadline = time.monotonic() + START_TIMEOUT
    while not all(
        os.path.exists(os.path.join(sync_dir, f"ready-{name}")) for name in names
    ):
        for worker in workers:
            if worker.process.poll() is not None:
                worker.result()  # raises with its error
        if time.monotonic() > deadline:
            for worker in workers:
                worker.kill()
            raise Failure("the dispatch processes did not start in time")
        time.sleep(0.02)
    pathlib.Path(sync_dir, "go").touch()
    return workers


def open_transaction(db, pid):
    """Whether the process has a transaction under way on the database (the
    state of its connection, as PostgreSQL reports it)."""
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute(
            """
            SELECT count(*) FROM pg_stat_activity
             WHERE datname = %s AND application_name = %s
               AND xact_start IS NOT NULL AND state <> 'idle'
            """,
            (db, f"odoo-{pid}"),
        )
        return bool(cr.fetchone()[0])


def wait_backend_gone(db, pid, timeout=30):
    """Wait until PostgreSQL has ended the killed process's connection (and
    rolled back its transaction, releasing its row locks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with odoo.sql_db.db_connect(db).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND application_name = %s",
                (db, f"odoo-{pid}"),
            )
            if not cr.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


def count_sent(db):
    """Requests sent, as committed (a connection of its own, no ORM)."""
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute("SELECT count(*) FROM nps_request WHERE state = 'sent'")
        return cr.fetchone()[0]


# --- Checks ---


def delivery_figures(env, smtp, n):
    """What the database and the SMTP server say about the N requests."""
    env.invalidate_all()
    requests = env["nps.request"].search([])
    states = collections.Counter(requests.mapped("state"))
    mails = env["mail.mail"]._read_group(
        [("model", "=", "nps.request")], ["res_id", "state"], ["__count"]
    )
    mails_per_request = collections.Counter()
    mail_states = collections.Counter()
    for res_id, state, count in mails:
        mails_per_request[res_id] += count
        mail_states[state] += count
    received = smtp.recipients() if smtp else []
    per_address = collections.Counter(received)
    expected = {email.lower() for email in requests.partner_id.mapped("email")}
    return {
        "requests": len(requests),
        "sent": states["sent"],
        "mails": sum(mails_per_request.values()),
        "mails_sent": mail_states["sent"],
        "requests_with_one_mail": sum(
            1 for count in mails_per_request.values() if count == 1
        ),
        "smtp_messages": len(received),
        "smtp_addresses": len(per_address),
        "unexpected_addresses": len(set(per_address) - expected),
        "duplicates": sum(count - 1 for count in per_address.values() if count > 1)
        + sum(count - 1 for count in mails_per_request.values() if count > 1),
    }


def check_delivered(scenario, figures, n):
    problems = [
        f"{scenario}: {key} = {figures[key]}, expected {n}"
        for key in (
            "requests",
            "sent",
            "mails",
            "mails_sent",
            "requests_with_one_mail",
            "smtp_messages",
            "smtp_addresses",
        )
        if figures[key] != n
    ]
    problems += [
        f"{scenario}: {key} = {figures[key]}, expected 0"
        for key in ("duplicates", "unexpected_addresses")
        if figures[key]
    ]
    return problems


# --- Scenarios ---


def scenario_concurrency(args, db, tmp):
    """Two dispatch processes at once, then the mail queue to a real server."""
    smtp = SmtpServer(free_port(), tmp / "smtp-a.txt")
    env = environment(db)
    try:
        set_mail_server(env, smtp.port)
        workers = start_workers(args, db, ["p1", "p2"], args.batch_size)
        results = [worker.result() for worker in workers]
        smtp.start()
        try:
            left = process_mail_queue(env)
        finally:
            smtp.stop()
        figures = delivery_figures(env, smtp, args.n)
    finally:
        env.cr.close()
    problems = check_delivered("A", figures, args.n)
    if left:
        problems.append(f"A: {left} mails still outgoing after the queue ran")
    split, taken = shares(results)
    both = [name for name, figure in split.items() if figure["sent"]]
    if len(both) < 2:
        problems.append(f"A: only {both} sent anything: the processes did not overlap")
    if sum(taken.values()) != args.n or len(taken) != args.n:
        problems.append(
            f"A: the processes reported {sum(taken.values())} sends of "
            f"{len(taken)} requests, expected {args.n} of {args.n}"
        )
    twice = sum(1 for count in taken.values() if count > 1)
    if twice:
        problems.append(f"A: {twice} requests sent by both processes")
    p1, p2 = split["p1"], split["p2"]
    overlap = (
        bool(p1["first"] and p2["first"])
        and p1["first"] <= p2["last"]
        and p2["first"] <= p1["last"]
    )
    if not overlap:
        problems.append("A: the processes' batches did not interleave")
    figures.update(
        split=split,
        interleaved=overlap,
        duplicates_by_process=twice,
        switches=alternations(results),
    )
    return figures, problems


def shares(results):
    """What each dispatch process sent ({name: its figures}) and how many
    times each request was sent (a Counter of ids)."""
    split = {}
    taken = collections.Counter()
    for result in results:
        ids = [i for batch in result["batches"] for i in batch["ids"]]
        taken.update(ids)
        times = [batch["time"] for batch in result["batches"] if batch["ids"]]
        split[result["name"]] = {
            "sent": len(ids),
            "batches": sum(1 for batch in result["batches"] if batch["ids"]),
            "first": min(times) if times else None,
            "last": max(times) if times else None,
        }
    return split, taken


def alternations(results):
    """How many times the sending process changed, batch after batch."""
    order = [
        result["name"]
        for result in results
        for batch in result["batches"]
        if batch["ids"]
    ]
    times = [
        batch["time"]
        for result in results
        for batch in result["batches"]
        if batch["ids"]
    ]
    order = [name for _time, name in sorted(zip(times, order, strict=True))]
    return sum(1 for x, y in zip(order, order[1:], strict=False) if x != y)


def scenario_crash(args, db, tmp):
    """A dispatch process killed after its first committed batch, then a
    second dispatch to the end."""
    smtp = SmtpServer(free_port(), tmp / "smtp-b.txt")
    env = environment(db)
    problems = []
    try:
        set_mail_server(env, smtp.port)
        (worker,) = start_workers(args, db, ["crash"], args.batch_size)
        sent_after_kill, in_transaction = kill_in_the_middle(args, db, worker, problems)
        env.invalidate_all()
        mails_after_kill = env["mail.mail"].search_count(
            [("model", "=", "nps.request")]
        )
        if mails_after_kill != sent_after_kill:
            problems.append(
                f"B: {mails_after_kill} mails for {sent_after_kill} sent requests "
                "after the kill"
            )
        (restart,) = start_workers(args, db, ["restart"], args.batch_size)
        rest = sum(len(batch["ids"]) for batch in restart.result()["batches"])
        smtp.start()
        try:
            left = process_mail_queue(env)
        finally:
            smtp.stop()
        figures = delivery_figures(env, smtp, args.n)
    finally:
        env.cr.close()
    problems += check_delivered("B", figures, args.n)
    if left:
        problems.append(f"B: {left} mails still outgoing after the queue ran")
    if sent_after_kill + rest != args.n:
        problems.append(
            f"B: {sent_after_kill} before the kill + {rest} after the restart "
            f"!= {args.n}"
        )
    figures.update(
        sent_before_kill=sent_after_kill,
        in_transaction_at_kill=in_transaction,
        sent_by_restart=rest,
        mails_after_kill=mails_after_kill,
    )
    return figures, problems


def kill_in_the_middle(args, db, worker, problems):
    """Kill the dispatch process once its first batch is committed: (the
    requests sent then, whether a transaction was under way)."""
    deadline = time.monotonic() + WORKER_TIMEOUT
    sent_at_kill = 0
    while time.monotonic() < deadline:
        sent_at_kill = count_sent(db)
        if sent_at_kill or worker.process.poll() is not None:
            break
        time.sleep(0.01)
    in_transaction = open_transaction(db, worker.process.pid)
    worker.kill()
    killed = worker.process.returncode == -signal.SIGKILL
    if not wait_backend_gone(db, worker.process.pid):
        raise Failure("B: PostgreSQL kept the killed process's connection")
    sent_after_kill = count_sent(db)
    if not killed:
        problems.append(
            f"B: the dispatch ended ({worker.process.returncode}) before the kill"
        )
    if not 0 < sent_after_kill < args.n:
        problems.append(
            f"B: {sent_after_kill} requests sent at the kill: not in the middle"
        )
    if sent_after_kill % args.batch_size:
        problems.append(
            f"B: {sent_after_kill} sent after the kill is not whole batches"
        )
    return sent_after_kill, in_transaction


def scenario_smtp_down(args, db, tmp):
    """The mail queue runs while the mail server's port refuses connections;
    then the server is back."""
    smtp = SmtpServer(free_port(), tmp / "smtp-c.txt")
    env = environment(db)
    problems = []
    n = args.n_down
    try:
        set_mail_server(env, smtp.port)
        # fewer requests than A and B: the mail queue runs three times here
        env["nps.request"].search([], order="id", offset=n).unlink()
        env.cr.commit()
        env["nps.dispatch"]._cron_dispatch()
        env.cr.commit()
        left_down = process_mail_queue(env)
        env.invalidate_all()
        mails = env["mail.mail"].search([("model", "=", "nps.request")])
        down = collections.Counter(mails.mapped("state"))
        down_cause = collections.Counter(mails.mapped("failure_type"))
        reason = (mails[:1].failure_reason or "").strip().splitlines()[-1:]
        if down["sent"] or smtp.recipients():
            problems.append(f"C: {down['sent']} mails marked sent with the server down")
        if down["exception"] + down["outgoing"] != n or left_down:
            problems.append(f"C: mails in the queue with the server down: {down}")
        # Odoo alone: a second run of the queue retries nothing
        process_mail_queue(env, rounds=1)
        env.invalidate_all()
        still = collections.Counter(mails.mapped("state"))
        # the dispatch cron queues them again, then the server is back
        env["nps.dispatch"]._cron_dispatch()
        env.cr.commit()
        env.invalidate_all()
        requeued = collections.Counter(mails.mapped("state"))
        smtp.start()
        try:
            left = process_mail_queue(env)
        finally:
            smtp.stop()
        figures = delivery_figures(env, smtp, n)
    finally:
        env.cr.close()
    problems += check_delivered("C", figures, n)
    if left:
        problems.append(f"C: {left} mails still outgoing after the server came back")
    if requeued["outgoing"] != n:
        problems.append(f"C: the dispatch cron queued again {requeued}")
    figures.update(
        down=dict(down),
        down_cause=dict(down_cause),
        down_reason=reason[0][:70] if reason else "",
        odoo_retry=dict(still),
        requeued=requeued["outgoing"],
    )
    return figures, problems


def scenario_bounce(db):
    """A delivery status notification for one delivered survey mail, through
    Odoo's mail gateway."""
    env = environment(db)
    try:
        mail = env["mail.mail"].search(
            [("model", "=", "nps.request"), ("state", "=", "sent")], limit=1
        )
        request = env["nps.request"].browse(mail.res_id)
        partner = request.partner_id
        before = partner.message_bounce
        env["mail.thread"].message_process(False, bounce_message(mail, partner.email))
        env.cr.commit()
        env.invalidate_all()
        after = partner.message_bounce
        address = partner.email
    finally:
        env.cr.close()
    problems = []
    if not after > before:
        problems.append(f"D: the bounce left {address}'s bounce counter at {after}")
    return {"address": address, "before": before, "after": after}, problems


def bounce_message(mail, address):
    """A delivery status notification (RFC 3464) as a mail server sends it
    back for a message it could not deliver."""
    boundary = uuid.uuid4().hex
    return (
        f"From: MAILER-DAEMON@mx.e2e.example.com\r\n"
        f"To: {SENDER}\r\n"
        f"Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-Id: <{uuid.uuid4().hex}@mx.e2e.example.com>\r\n"
        f"MIME-Version: 1.0\r\n"
        f"Content-Type: multipart/report; report-type=delivery-status;\r\n"
        f' boundary="{boundary}"\r\n'
        f"\r\n"
        f"--{boundary}\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n"
        f"\r\n"
        f"The mail to {address} could not be delivered: no such mailbox.\r\n"
        f"\r\n"
        f"--{boundary}\r\n"
        f"Content-Type: message/delivery-status\r\n"
        f"\r\n"
        f"Reporting-MTA: dns; mx.e2e.example.com\r\n"
        f"\r\n"
        f"Final-Recipient: rfc822; {address}\r\n"
        f"Action: failed\r\n"
        f"Status: 5.1.1\r\n"
        f"\r\n"
        f"--{boundary}\r\n"
        f"Content-Type: text/rfc822-headers\r\n"
        f"\r\n"
        f"Message-Id: {mail.message_id}\r\n"
        f"From: {mail.email_from}\r\n"
        f"To: {address}\r\n"
        f"Subject: {mail.subject}\r\n"
        f"\r\n"
        f"--{boundary}--\r\n"
    )


# --- Report ---


def report(results, problems, seconds, n):
    a, b, c, d, e = (results.get(key) for key in "ABCDE")
    lines = [
        "-" * 78,
        f"End-to-end checks, {n} due requests per scenario, {seconds:.0f} s",
        "-" * 78,
    ]
    if a:
        lines += concurrency_lines(a)
    if b:
        lines += crash_lines(b)
    if c:
        lines += smtp_down_lines(c)
    timings = ", ".join(
        f"{key} {results[key]['seconds']:.0f} s"
        for key in "ABC"
        if key in results and "seconds" in results[key]
    )
    if timings:
        spent = ", ".join(f"{part} {seconds:.0f} s" for part, seconds in SPENT.items())
        lines.append(f"   time per scenario: {timings}; of which {spent}")
    if d:
        lines.append(
            f"D. bounce for {d['address']}: message_bounce {d['before']} -> "
            f"{d['after']}"
        )
    if e:
        lines += browser_lines(e)
    lines.append("-" * 78)
    for problem in problems:
        lines.append(f"FAILED {problem}")
    lines.append(
        f"[e2e] {len(problems)} problem(s): FAILED"
        if problems
        else "[e2e] all checks passed, duplicates found: 0"
    )
    print("\n".join(lines), flush=True)


def concurrency_lines(a):
    p1, p2 = a["split"]["p1"], a["split"]["p2"]
    return [
        f"A. 2 dispatch processes at once: p1 sent {p1['sent']} "
        f"({p1['batches']} batches), p2 sent {p2['sent']} "
        f"({p2['batches']} batches), interleaved: "
        f"{'yes' if a['interleaved'] else 'no'} ({a['switches']} alternations)",
        f"   requests sent {a['sent']}/{a['requests']}, mails {a['mails']}, "
        f"SMTP messages {a['smtp_messages']} to {a['smtp_addresses']} "
        f"addresses, duplicates {a['duplicates'] + a['duplicates_by_process']}",
    ]


def crash_lines(b):
    return [
        f"B. dispatch killed (SIGKILL) with {b['sent_before_kill']} sent "
        f"({b['mails_after_kill']} mails), a transaction under way: "
        f"{'yes' if b['in_transaction_at_kill'] else 'no'}; the restart "
        f"sent {b['sent_by_restart']}",
        f"   requests sent {b['sent']}/{b['requests']}, mails {b['mails']}, "
        f"SMTP messages {b['smtp_messages']} to {b['smtp_addresses']} "
        f"addresses, duplicates {b['duplicates']}",
    ]


def smtp_down_lines(c):
    return [
        f"C. SMTP server down, {c['requests']} requests: mails {c['down']} "
        f"cause {c['down_cause']};",
        f"   Odoo's next queue run: {c['odoo_retry']}; queued again by the "
        f"dispatch cron: {c['requeued']}",
        f"   failure recorded by Odoo: {c['down_reason']}",
        f"   server back: mails sent {c['mails_sent']}, SMTP messages "
        f"{c['smtp_messages']} to {c['smtp_addresses']} addresses, "
        f"duplicates {c['duplicates']}",
    ]


def browser_lines(e):
    after = e.get("after_click") or {}
    final = e.get("final") or {}
    return [
        f"E. browser: email received ({e.get('messages')} message, "
        f"{e.get('score_links')} score links), {e.get('fetched')} links "
        f"fetched without recording; one click recorded "
        f"{after.get('provisional_score')} ({after.get('provisional')}), "
        f"then {final.get('state')} {final.get('score')} confirmed by "
        f"{final.get('confirmed_by')}; its effects left to their job "
        f"({e.get('effects')}), which then gave health {e.get('health')} and "
        f"the activity: {e.get('activity')}",
        f"   screenshots: {e.get('screenshots')}",
    ]


def run_dispatch_scenarios(args, installed, data, prefix, tmp, results, problems):
    """Scenarios A to D on copies of the populated database."""
    began = time.perf_counter()
    copy_database(installed, data)
    populate(data, args.n)
    print(
        f"[e2e] {args.n} customers and due requests in "
        f"{time.perf_counter() - began:.0f} s",
        flush=True,
    )
    scenarios = [
        ("A", "two dispatch processes", scenario_concurrency),
        ("B", "a dispatch killed", scenario_crash),
        ("C", "the SMTP server down", scenario_smtp_down),
    ]
    for key, title, scenario in scenarios:
        db = f"{prefix}_{key.lower()}"
        print(f"[e2e] {key}. {title}", flush=True)
        began = time.perf_counter()
        copy_database(data, db)
        results[key], found = scenario(args, db, tmp)
        results[key]["seconds"] = time.perf_counter() - began
        problems += found
    print("[e2e] D. a bounce", flush=True)
    results["D"], found = scenario_bounce(f"{prefix}_c")
    problems += found


def run_browser_scenario(args, installed, prefix, tmp, results, problems):
    """Scenario E on a copy of the installed database."""
    print("[e2e] E. a survey answered in a real browser", flush=True)
    began = time.perf_counter()
    copy_database(installed, f"{prefix}_e")
    results["E"], found = browser_e2e.scenario_browser(
        args,
        f"{prefix}_e",
        tmp,
        environment=environment,
        set_mail_server=set_mail_server,
        process_mail_queue=process_mail_queue,
        smtp_factory=SmtpServer,
        free_port=free_port,
        config=config,
    )
    SPENT["browser"] = time.perf_counter() - began
    problems += found
    release(f"{prefix}_e")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--odoo-src", type=pathlib.Path, required=True)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument(
        "--n-down",
        type=int,
        default=500,
        help="requests of the mail-server-down check (at most --n)",
    )
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument(
        "--timeout", type=int, default=600, help="seconds for the whole run"
    )
    parser.add_argument(
        "--template", help="an existing database with nps_satisfaction installed"
    )
    parser.add_argument(
        "--screenshots",
        help="folder for the browser scenario's screenshots (default: a new "
        "temporary folder, kept and printed)",
    )
    parser.add_argument(
        "--only-browser",
        action="store_true",
        help="run only the browser scenario (E)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    parser.add_argument("--sync-dir", help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.worker:
        return worker_main(args)

    def timed_out(_signum, _frame):
        raise Failure(f"the run took over {args.timeout} s")

    signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(args.timeout)
    start = time.perf_counter()
    setup_odoo(args.odoo_src)
    prefix = f"nps_e2e_{os.getpid()}"
    installed = args.template or f"{prefix}_tpl"
    data = f"{prefix}_data"
    databases = [data] + [f"{prefix}_{key.lower()}" for key in "ABCE"]
    if not args.template:
        databases.append(installed)
    results, problems = {}, []
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="nps-e2e-"))
    args.tmp_dir = str(tmp)
    args.screenshots = args.screenshots or tempfile.mkdtemp(
        prefix="nps-e2e-screenshots-"
    )
    try:
        if not args.template:
            print(f"[e2e] installing nps_satisfaction into {installed}", flush=True)
            began = time.perf_counter()
            install_template(args.odoo_src, installed)
            SPENT["install"] = time.perf_counter() - began
        run_browser_scenario(args, installed, prefix, tmp, results, problems)
        if not args.only_browser:
            run_dispatch_scenarios(
                args, installed, data, prefix, tmp, results, problems
            )
    except (Failure, browser_e2e.Failure) as exc:
        problems.append(str(exc))
    finally:
        signal.alarm(0)
        for worker in Worker.running:
            worker.kill()
        for db in databases:
            drop_database(db)
        shutil.rmtree(tmp, ignore_errors=True)
    report(results, problems, time.perf_counter() - start, args.n)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
