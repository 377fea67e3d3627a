"""Take the README's screenshots from the running demo (./run-demo).

    setup/screenshots.sh [--url http://localhost:8069]

Uses Playwright driving Debian's Chromium (/usr/bin/chromium), reads the demo
database for the records to show and the demo's caught mails for the survey
email, and writes PNG files into nps_satisfaction/static/description/.
Showing the answer page does not answer: it is opened without a score.
"""

import argparse
import email
import os
import pathlib
import tempfile
from email import policy

import psycopg2
from playwright.sync_api import sync_playwright

REPO = pathlib.Path(__file__).resolve().parent.parent
OUT = REPO / "nps_satisfaction" / "static" / "description"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def demo_records(db):
    with psycopg2.connect(
        dbname=db, host=os.environ.get("PGHOST", "127.0.0.1")
    ) as conn:
        cur = conn.cursor()
        cur.execute(
            "SELECT access_token, partner_id FROM nps_request "
            "WHERE state = 'sent' ORDER BY id DESC LIMIT 1"
        )
        token, partner_id = cur.fetchone()
        cur.execute(
            "SELECT ticket_id, commercial_partner_id FROM nps_request "
            "WHERE nps_category = 'detractor' AND ticket_id IS NOT NULL "
            "ORDER BY id DESC LIMIT 1"
        )
        ticket_id, company_id = cur.fetchone()
        cur.execute("SELECT email FROM res_partner WHERE id = %s", (partner_id,))
        (email_to,) = cur.fetchone()
    return token, email_to, ticket_id, company_id


def survey_email_html(maildir, email_to):
    for path in sorted(pathlib.Path(maildir).glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if email_to in str(message["To"]):
            body = message.get_body(preferencelist=("html",))
            return body.get_content()
    raise SystemExit(f"no mail to {email_to} in {maildir}: is the demo running?")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default=os.environ.get("NPS_DEMO_DB", "nps_demo"))
    parser.add_argument(
        "--maildir",
        default=os.path.join(
            os.environ.get("NPS_HOME")
            or os.path.join(
                os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"),
                "nps-suite",
            ),
            "demo-mail",
        ),
    )
    args = parser.parse_args()
    token, email_to, ticket_id, company_id = demo_records(args.db)
    OUT.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 860})

        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as handle:
            handle.write(survey_email_html(args.maildir, email_to))
        page.set_viewport_size({"width": 760, "height": 700})
        page.goto(f"file://{handle.name}")
        page.screenshot(path=OUT / "screenshot_email.png", full_page=True)
        os.unlink(handle.name)

        page.goto(f"{args.url}/nps/{token}")
        page.screenshot(path=OUT / "screenshot_answer_page.png", full_page=True)

        page.set_viewport_size({"width": 1280, "height": 860})
        page.goto(f"{args.url}/web/login")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "admin")
        page.click(".oe_login_form button[type=submit]")
        page.wait_for_url("**/odoo**")

        page.goto(f"{args.url}/odoo/helpdesk.ticket/{ticket_id}")
        page.wait_for_selector(".o_form_view")
        page.click(".o_notebook a[name=nps]")
        page.wait_for_timeout(800)
        page.screenshot(path=OUT / "screenshot_ticket.png", full_page=True)

        page.goto(f"{args.url}/odoo/res.partner/{company_id}")
        page.wait_for_selector(".o_form_view")
        page.click(".o_notebook a[name=nps]")
        page.wait_for_timeout(800)
        page.screenshot(path=OUT / "screenshot_contact.png", full_page=True)

        page.goto(f"{args.url}/odoo/action-nps_satisfaction.action_nps_request")
        page.wait_for_selector(".o_list_view")
        page.wait_for_timeout(800)
        page.screenshot(path=OUT / "screenshot_requests.png", full_page=True)

        for action, selector, name in (
            ("action_nps_dashboard", ".o_form_view", "dashboard"),
            ("action_nps_report_nps", ".o_graph_view", "nps_over_time"),
            ("action_nps_customer_health", ".o_kanban_view", "health"),
            ("action_nps_followup", ".o_list_view", "followups"),
        ):
            page.goto(f"{args.url}/odoo/action-nps_satisfaction.{action}")
            page.wait_for_selector(selector)
            page.wait_for_timeout(1500)
            page.screenshot(path=OUT / f"screenshot_{name}.png", full_page=True)
        browser.close()
    for path in sorted(OUT.glob("screenshot_*.png")):
        print(path.relative_to(REPO))


if __name__ == "__main__":
    main()
