"""Scenario E of the end-to-end run: a survey answered in a real browser.

A ticket is closed, the dispatch cron runs, Odoo's mail queue delivers the
survey email to the real SMTP server (aiosmtpd on loopback), which keeps the
message. The email is parsed (MIME): the customer's language, the 11 score
buttons (``/nps/<token>?score=N``), the opt-out and privacy links. A real
Odoo HTTP server (odoo-bin) is started on the database; a plain HTTP fetch of
every link records nothing (what a link scanner does). Then Debian's
Chromium, driven over the Chrome DevTools protocol (websocket-client), shows
the received email, the customer clicks a score in it (a real mouse event),
the page records it with that one click, the customer clicks into the
comment field, types and sends, the thank-you page follows; the confirmed
answer, the customer's health and the account manager's follow-up activity
are checked in the database. Screenshots (PNG) of the email and of each page
land in the run's screenshot folder, printed at the end.

Loopback only; every wait is bounded. Chromium missing is a failure.
"""

import base64
import contextlib
import email
import email.policy
import html.parser
import json
import pathlib
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import websocket

#: the browsers Odoo's own browser tests look for (Debian's Chromium here,
#: Google Chrome on GitHub's runners)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: a customer's browser: the headless one says "HeadlessChrome", a scanner
#: signature, so the customer's browser presents a usual user agent
CUSTOMER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SCANNER_UA = "python-urllib/3 link-check"
SCORE = 3
COMMENT = "Personne ne nous a rappelés"
WAIT = 30


class Failure(Exception):
    """A check that did not hold."""


def wait_for(what, predicate, timeout=WAIT, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise Failure(f"{what}: not within {timeout} s")


# --- The email ---


class LinkParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def parse_email(raw):
    """(message, its HTML body, the links of the HTML body)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    part = message.get_body(preferencelist=("html",))
    if part is None:
        raise Failure("the survey email has no HTML body")
    body = part.get_content()
    parser = LinkParser()
    parser.feed(body)
    return message, body, parser.links


# --- Chromium over the DevTools protocol ---


class Browser:
    """Debian's Chromium, headless, on a loopback debugging port, one page
    driven over the DevTools protocol."""

    def __init__(self, port, profile):
        chromium = next(filter(None, map(shutil.which, BROWSERS)), None)
        if not chromium:
            raise Failure(
                f"no Chromium or Chrome ({', '.join(BROWSERS)}): the browser "
                "scenario needs one"
            )
        self.port = port
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={profile}",
                "--window-size=900,1100",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = None
        self._id = 0
        targets = wait_for("Chromium's debugging port", self._targets)
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=WAIT, suppress_origin=True
        )
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 900, "height": 1100, "deviceScaleFactor": 1, "mobile": False},
        )
        self.send("Network.enable")
        self.send("Network.setUserAgentOverride", {"userAgent": CUSTOMER_UA})

    def _targets(self):
        if self.process.poll() is not None:
            raise Failure("Chromium exited at start")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/json/list", timeout=2
            ) as response:
                targets = json.loads(response.read())
        except (OSError, ValueError):
            return None
        return targets if any(t.get("type") == "page" for t in targets) else None

    def send(self, method, params=None):
        self._id += 1
        ident = self._id
        self.ws.send(
            json.dumps({"id": ident, "method": method, "params": params or {}})
        )
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise Failure(f"Chromium: {method}: {message['error']}")
                return message.get("result", {})
        raise Failure(f"Chromium: no answer to {method}")

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}
        )
        if result.get("exceptionDetails"):
            return None
        return result.get("result", {}).get("value")

    def navigate(self, url):
        self.send("Page.navigate", {"url": url})

    def wait_page(self, what, expression, timeout=WAIT):
        """Wait until the loaded page satisfies ``expression``."""
        return wait_for(
            what,
            lambda: self.evaluate(
                f"document.readyState === 'complete' && !!({expression})"
            ),
            timeout,
        )

    def click(self, selector):
        """A real mouse click (pressed, released) in the middle of the
        element: trusted events, as a person's."""
        box = self.evaluate(
            f"""(() => {{
                const el = document.querySelector({json.dumps(selector)});
                if (!el) return null;
                el.scrollIntoView({{block: "center"}});
                const r = el.getBoundingClientRect();
                return [r.left + r.width / 2, r.top + r.height / 2];
            }})()"""
        )
        if not box:
            raise Failure(f"Chromium: nothing to click at {selector}")
        x, y = box
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def type_text(self, text):
        self.send("Input.insertText", {"text": text})

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        pathlib.Path(path).write_bytes(base64.b64decode(data))
        return path

    def close(self):
        if self.ws:
            with contextlib.suppress(OSError):
                self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


# --- Odoo HTTP server ---


class OdooServer:
    """odoo-bin serving one database on a loopback port, no cron."""

    def __init__(self, odoo_src, config, db, port, log):
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(log, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(odoo_src / "odoo-bin"),
                f"--addons-path={','.join(config['addons_path'])}",
                f"--db_host={config['db_host']}",
                f"--db_port={config['db_port']}",
                "-d",
                db,
                f"--db-filter=^{db}$",
                "--http-interface=127.0.0.1",
                f"--http-port={port}",
                "--workers=0",
                "--max-cron-threads=0",
                "--log-level=warn",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for("the Odoo HTTP server", self._up, timeout=90, step=0.5)

    def _up(self):
        if self.process.poll() is not None:
            raise Failure("the Odoo HTTP server exited at start")
        try:
            with urllib.request.urlopen(self.url + "/web/health", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.log.close()


def fetch(url):
    """A plain GET, as a link scanner does: (status, body)."""
    request = urllib.request.Request(url, headers={"User-Agent": SCANNER_UA})
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as reply:
            return reply.status, reply.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


# --- The scenario ---


def prepare(env, base_url):
    """A French-speaking customer of a company with an account manager, a
    ticket of hers closed; the campaign sends at closure."""
    configure(env, base_url)
    manager, company, customer = make_customer(env)
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "Ligne SIP coupée",
            "description": "Plus de tonalité depuis ce matin",
            "partner_id": customer.id,
            "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new").id,
        }
    )
    ticket.write({"stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id})
    request = ticket.nps_request_ids
    if len(request) != 1 or request.state != "scheduled":
        raise Failure(f"closing the ticket scheduled {request.mapped('state')}")
    env["mail.mail"].search([]).unlink()
    env.cr.commit()
    return request.id, customer.id, company.id, manager.id, ticket.id


def configure(env, base_url):
    """The server's address in the links, French, a campaign that sends at
    once with a privacy link."""
    env["ir.config_parameter"].set_param("web.base.url", base_url)
    env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms(
        ["base", "mail", "survey", "helpdesk_mgmt", "nps_satisfaction"], ["fr_FR"]
    )
    campaign = env.ref("nps_satisfaction.campaign_post_ticket")
    campaign.write(
        {
            "use_send_window": False,
            "daily_cap": 0,
            "hold_if_open_ticket": False,
            "send_delay_days": 0,
            "privacy_url": f"{base_url}/privacy",
        }
    )


def make_customer(env):
    """(the account manager, the company, its French-speaking contact)."""
    manager = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Marc Manager",
                "login": "e2e_account_manager",
                "email": "marc@telco.e2e.example.com",
                "group_ids": [(6, 0, [env.ref("base.group_user").id])],
            }
        )
    )
    company = env["res.partner"].create(
        {
            "name": "Fibrenet Logistique",
            "is_company": True,
            "user_id": manager.id,
            "email": "contact@fibrenet.e2e.example.com",
        }
    )
    customer = env["res.partner"].create(
        {
            "name": "Claire Dubois",
            "parent_id": company.id,
            "email": "claire@fibrenet.e2e.example.com",
            "lang": "fr_FR",
        }
    )
    return manager, company, customer


def state_of(env, request_id):
    """The request as the database has it now (a new snapshot: Odoo's
    transactions are REPEATABLE READ)."""
    env.cr.rollback()
    env.invalidate_all()
    request = env["nps.request"].browse(request_id)
    return {
        "state": request.state,
        "score": request.score,
        "provisional": request.provisional_state,
        "provisional_score": request.provisional_score,
        "confirmed_by": request.confirmed_by,
        "comment": request.comment,
        "lines": len(request.user_input_id.user_input_line_ids),
    }


def check_email(raw, answer_url, base_url, figures, problems):
    """Check the received survey email; return (HTML body, its links, the
    score links with their score)."""
    message, body, links = parse_email(raw)
    figures["subject"] = str(message["Subject"])
    if "claire@fibrenet.e2e.example.com" not in str(message["To"]):
        problems.append(f"E. the email went to {message['To']}")
    if "recommandiez à un collègue ou partenaire" not in body:
        problems.append("E. the email is not in the customer's language (French)")
    scores = {
        link: int(link.rsplit("=", 1)[1])
        for link in links
        if link.startswith(f"{answer_url}?score=")
    }
    figures["score_links"] = len(scores)
    if sorted(scores.values()) != list(range(11)):
        problems.append(f"E. score buttons {sorted(scores.values())}, not 0-10")
    if f"{answer_url}/optout" not in links:
        problems.append("E. no opt-out link in the email")
    if f"{base_url}/privacy" not in links:
        problems.append("E. no privacy link in the email")
    return body, links, scores


def check_outcome(env, ids, figures, problems):
    """The confirmed answer, the customer's health and the account
    manager's activity, as the database has them."""
    request_id, _customer_id, company_id, manager_id, ticket_id = ids
    state = state_of(env, request_id)
    # the page left the answer's effects to their job and woke it up; the
    # server runs no cron here: the job runs now, as its cron would
    request = env["nps.request"].browse(request_id)
    cron = env.ref("nps_satisfaction.ir_cron_nps_answer_effects")
    woken = env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
    figures["effects"] = {"pending": request.effects_pending, "woken": woken}
    if not request.effects_pending or not woken:
        problems.append(
            f"E. the answer's effects were not left to their job: {figures['effects']}"
        )
    env["nps.answer.effects"]._cron_apply()
    env.invalidate_all()
    figures["final"] = state
    expected = {"state": "answered", "score": SCORE, "confirmed_by": "customer"}
    if any(state[key] != value for key, value in expected.items()):
        problems.append(f"E. the answer is not confirmed as given: {state}")
    if state["comment"] != COMMENT:
        problems.append(f"E. the comment is {state['comment']!r}")
    company = env["res.partner"].browse(company_id)
    figures["health"] = (company.nps_last_score, company.nps_health)
    if company.nps_last_score != SCORE or company.nps_health != "at_risk":
        problems.append(
            f"E. the customer's health: score {company.nps_last_score}, "
            f"{company.nps_health}"
        )
    cases = env["nps.followup"].search([("request_id", "=", request_id)])
    activities = env["mail.activity"].search(
        [
            ("res_model", "=", "nps.followup"),
            ("res_id", "in", cases.ids),
            ("user_id", "=", manager_id),
        ]
    )
    figures["activity"] = activities[:1].summary
    if not cases or cases.ticket_id.id != ticket_id:
        problems.append("E. no follow-up case for the answer on the ticket")
    if not activities:
        problems.append("E. no follow-up activity for the account manager")


def scenario_browser(
    args,
    db,
    tmp,
    environment,
    set_mail_server,
    process_mail_queue,
    smtp_factory,
    free_port,
    config,
):
    """Run scenario E; returns (figures, problems)."""
    shots = pathlib.Path(args.screenshots)
    shots.mkdir(parents=True, exist_ok=True)
    problems = []
    figures = {"screenshots": str(shots)}
    http_port = free_port()
    base_url = f"http://127.0.0.1:{http_port}"
    messages = tmp / "e-messages"
    smtp = smtp_factory(free_port(), tmp / "e-recipients.txt", messages).start()
    server = browser = None
    env = environment(db)
    try:
        ids = prepare(env, base_url)
        request_id = ids[0]
        dispatch(env, smtp.port, set_mail_server, process_mail_queue, problems)
        received = check_sent(env, request_id, messages, figures)
        token = env["nps.request"].browse(request_id).access_token
        answer_url = f"{base_url}/nps/{token}"
        body, links, scores = check_email(
            received[0].read_bytes(), answer_url, base_url, figures, problems
        )
        email_file = shots / "email.html"
        email_file.write_text(body, encoding="utf-8")

        server = OdooServer(args.odoo_src, config, db, http_port, tmp / "e-odoo.log")
        scan_links(env, ids, links, scores, figures, problems)

        browser = Browser(free_port(), tmp / "e-chromium")
        page = (email_file, answer_url, shots)
        open_without_script(browser, env, request_id, page, problems)
        answer_in_browser(browser, env, request_id, page, figures, problems)

        check_outcome(env, ids, figures, problems)
    except Failure as exc:
        problems.append(f"E. {exc}")
    finally:
        env.cr.rollback()
        env.cr.close()
        if browser:
            browser.close()
        if server:
            server.stop()
        smtp.stop()
    return figures, problems


def dispatch(env, smtp_port, set_mail_server, process_mail_queue, problems):
    """The dispatch cron, as the scheduler runs it, then the mail queue."""
    env.ref("nps_satisfaction.ir_cron_nps_dispatch").method_direct_trigger()
    env.cr.commit()
    set_mail_server(env, smtp_port)
    left = process_mail_queue(env)
    if left:
        problems.append(f"E. {left} mail(s) still queued")


def check_sent(env, request_id, messages, figures):
    """The survey sent, its one message received: the received files."""
    state = state_of(env, request_id)
    if state["state"] != "sent":
        raise Failure(f"E. the survey was not sent: {state}")
    received = sorted(messages.glob("*.eml"))
    figures["messages"] = len(received)
    if len(received) != 1:
        raise Failure(f"E. the SMTP server received {len(received)} messages, not 1")
    return received


def scan_links(env, ids, links, scores, figures, problems):
    """A link scanner: a plain GET of every link records nothing."""
    request_id, customer_id = ids[:2]
    statuses = {}
    for link in links:
        if urlsplit(link).hostname != "127.0.0.1":
            problems.append(f"E. a link leaves the loopback: {link}")
            continue
        statuses[link] = fetch(link)[0]
    figures["fetched"] = len(statuses)
    bad = {link: code for link, code in statuses.items() if code >= 500}
    if bad or any(statuses.get(link) != 200 for link in scores):
        problems.append(f"E. fetching the email's links: {statuses}")
    state = state_of(env, request_id)
    partner = env["res.partner"].browse(customer_id)
    if state["state"] != "sent" or state["provisional"] or state["lines"]:
        problems.append(f"E. fetching every link recorded something: {state}")
    if partner.nps_opt_out:
        problems.append("E. fetching the opt-out link opted the customer out")


def open_without_script(browser, env, request_id, page, problems):
    """The received email as the customer sees it, then the answer page as
    a scanner that runs no script sees it: nothing recorded."""
    email_file, answer_url, shots = page
    browser.navigate(email_file.as_uri())
    browser.wait_page("the email", "document.querySelector('a[href*=\"score=\"]')")
    browser.screenshot(shots / "01-email.png")
    browser.send("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.navigate(f"{answer_url}?score={SCORE}")
    browser.wait_page("the answer page", "document.querySelector('form.o_nps_form')")
    browser.screenshot(shots / "02-answer-page-without-script.png")
    state = state_of(env, request_id)
    if state["state"] != "sent" or state["provisional"]:
        problems.append(f"E. opening the page without script recorded: {state}")
    browser.send("Emulation.setScriptExecutionDisabled", {"value": False})


def answer_in_browser(browser, env, request_id, page, figures, problems):
    """One click on a score in the email, the first gesture on the page
    that confirms it, the comment typed and sent, the thank-you page."""
    email_file, answer_url, shots = page
    browser.navigate(email_file.as_uri())
    browser.wait_page("the email", "document.querySelector('a[href*=\"score=\"]')")
    # the email's links open in this tab (a mail client opens a new one)
    browser.evaluate(
        "document.querySelectorAll('a[target]')"
        ".forEach(a => a.removeAttribute('target'))"
    )
    browser.click(f'a[href="{answer_url}?score={SCORE}"]')
    browser.wait_page(
        "the comment page after one click",
        "location.pathname.startsWith('/nps/') && "
        "document.querySelector('textarea[name=comment]')",
    )
    browser.screenshot(shots / "03-one-click-comment-page.png")
    state = state_of(env, request_id)
    figures["after_click"] = dict(state)
    if state["provisional_score"] != SCORE or not state["provisional"]:
        problems.append(f"E. one click did not record the score: {state}")
    # the customer's first gesture on the page confirms the score
    browser.click("textarea[name=comment]")
    wait_for(
        "the confirmation of the score",
        lambda: state_of(env, request_id)["state"] == "answered",
    )
    browser.type_text(COMMENT)
    browser.screenshot(shots / "04-comment-typed.png")
    browser.click("form.o_nps_form button[type=submit]")
    browser.wait_page("the thank-you page", "document.querySelector('.o_nps_thanks')")
    browser.screenshot(shots / "05-thank-you.png")
