"""Take the README's screenshots from the running demo (./run-demo).

    setup/screenshots.sh [--url http://localhost:8069]

Uses Playwright driving Debian's Chromium (/usr/bin/chromium), reads the demo
database for the records to show and the demo's caught mails for the survey
email, and writes PNG files into each addon's static/description/ folder
(the survey screens into nps_satisfaction's, the segmented mailing into
nps_campaigns', the onboarding course into nps_elearning's).
Showing the answer page does not answer: it is opened without a score.
"""

import argparse
import email
import os
import pathlib
import re
import tempfile
from email import policy

import psycopg2
from playwright.sync_api import sync_playwright

REPO = pathlib.Path(__file__).resolve().parent.parent
OUT = REPO / "nps_satisfaction" / "static" / "description"
OUT_CAMPAIGNS = REPO / "nps_campaigns" / "static" / "description"
OUT_ELEARNING = REPO / "nps_elearning" / "static" / "description"
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


def case_id(db, ticket_id):
    """The follow-up case of the answer to this ticket's survey."""
    with psycopg2.connect(
        dbname=db, host=os.environ.get("PGHOST", "127.0.0.1")
    ) as conn:
        cur = conn.cursor()
        cur.execute(
            """
            SELECT f.id FROM nps_followup f
              JOIN nps_request r ON r.id = f.request_id
             WHERE r.ticket_id = %s
            """,
            (ticket_id,),
        )
        (res_id,) = cur.fetchone()
    return res_id


def record_id(db, xmlid):
    module, name = xmlid.split(".")
    with psycopg2.connect(
        dbname=db, host=os.environ.get("PGHOST", "127.0.0.1")
    ) as conn:
        cur = conn.cursor()
        cur.execute(
            "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s",
            (module, name),
        )
        (res_id,) = cur.fetchone()
    return res_id


def survey_email_html(maildir, email_to):
    for path in sorted(pathlib.Path(maildir).glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if email_to in str(message["To"]):
            body = message.get_body(preferencelist=("html",))
            return body.get_content()
    raise SystemExit(f"no mail to {email_to} in {maildir}: is the demo running?")


def onboarding_link(maildir):
    """A learner's personal course link, from an onboarding email the demo
    sent (an invitation or a reminder)."""
    for path in sorted(pathlib.Path(maildir).glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("html",))
        found = body and re.search(
            r'href="([^"]*/onboarding/[^"]+)"', body.get_content()
        )
        if found and not re.search(r"/join/|/qr|/unsubscribe", found.group(1)):
            return found.group(1).replace("&amp;", "&")
    raise SystemExit(
        f"no onboarding email in {maildir}: wait for the demo's mail queue"
    )


def parse_args():
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
    return parser.parse_args()


def launch(playwright, height=860):
    """A fresh Chromium and its page, 1280 pixels wide."""
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
    )
    return browser, browser.new_page(viewport={"width": 1280, "height": height})


def log_in(page, url, login, landing):
    """Log in on Odoo's login page (the password is the login, as in the
    demo) and wait for the page ``landing`` leads to."""
    page.goto(f"{url}/web/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", login)
    page.click(".oe_login_form button[type=submit]")
    page.wait_for_url(landing)


def shoot_customer_side(page, args, token, email_to):
    """The survey email and the answer page, as narrow as a phone's mail."""
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as handle:
        handle.write(survey_email_html(args.maildir, email_to))
    page.set_viewport_size({"width": 760, "height": 700})
    page.goto(f"file://{handle.name}")
    page.screenshot(path=OUT / "screenshot_email.png", full_page=True)
    os.unlink(handle.name)

    page.goto(f"{args.url}/nps/{token}")
    page.screenshot(path=OUT / "screenshot_answer_page.png", full_page=True)


def shoot_records(page, args, ticket_id, company_id):
    """The ticket's and the company's satisfaction tabs, the requests."""
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


def shoot_reports(page, args):
    """The dashboard, the reports and the follow-up cases."""
    for action, selector, name in (
        ("action_nps_dashboard", ".o_form_view", "dashboard"),
        ("action_nps_report_nps", ".o_graph_view", "nps_over_time"),
        ("action_nps_customer_health", ".o_kanban_view", "health"),
        ("action_nps_followup", ".o_kanban_view", "followups"),
        ("action_nps_agent_report", ".o_view_controller", "agent_figures"),
    ):
        page.goto(f"{args.url}/odoo/action-nps_satisfaction.{action}")
        page.wait_for_selector(selector)
        if name == "followups":
            # every state, not only the cases to do
            page.click(".o_searchview_facet .o_facet_remove")
            page.wait_for_selector(".o_kanban_group:nth-child(3) .o_kanban_record")
        page.wait_for_timeout(1500)
        page.screenshot(path=OUT / f"screenshot_{name}.png", full_page=True)


def shoot_dashboard_themes(page, args):
    """The dashboard's What detractors talk about."""
    page.goto(f"{args.url}/odoo/action-nps_satisfaction.action_nps_dashboard")
    page.wait_for_selector(".o_form_view")
    page.click(".o_notebook a[name=detractor_themes]")
    page.wait_for_selector(".o_notebook .o_data_row")
    page.wait_for_timeout(800)
    page.locator(".o_notebook").screenshot(path=OUT / "screenshot_dashboard_themes.png")


def shoot_churn(page, args):
    """The dashboard's Did they stay? and the churn analysis it opens."""
    page.goto(f"{args.url}/odoo/action-nps_satisfaction.action_nps_dashboard")
    page.wait_for_selector(".o_form_view")
    page.click(".o_notebook a[name=churn]")
    page.wait_for_timeout(800)
    page.locator(".o_notebook").screenshot(path=OUT / "screenshot_dashboard_churn.png")
    page.click("button[name=action_view_churn]")
    page.wait_for_selector(".o_form_view .o_field_one2many .o_data_row")
    page.wait_for_timeout(1500)
    page.screenshot(path=OUT / "screenshot_churn.png", full_page=True)


def shoot_case_and_campaigns(page, args, ticket_id):
    """A follow-up case, a campaign's preview and a date campaign."""
    # the follow-up case of the demo's detractor of today (Fibrenet), wide
    # enough for the chatter to sit beside the form
    case = case_id(args.db, ticket_id)
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(f"{args.url}/odoo/action-nps_satisfaction.action_nps_followup/{case}")
    page.wait_for_selector(".o_form_view .o-mail-Chatter")
    page.wait_for_timeout(1500)
    page.screenshot(path=OUT / "screenshot_followup_case.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})

    # a campaign's preview: the email and the answer page as a customer
    # gets them, before going live
    campaign = record_id(args.db, "nps_satisfaction.campaign_post_ticket")
    page.goto(f"{args.url}/odoo/action-nps_satisfaction.action_nps_campaign/{campaign}")
    page.wait_for_selector(".o_form_view")
    page.click("button.o_nps_preview_button")
    page.wait_for_selector(".modal .o_form_view")
    page.wait_for_timeout(2000)
    page.screenshot(path=OUT / "screenshot_preview.png", full_page=True)
    page.keyboard.press("Escape")

    # a campaign fired by a date on the customer (three months after the
    # go-live), and the account NPS behind a company's figures
    campaign = record_id(args.db, "nps_satisfaction.demo_campaign_go_live")
    page.goto(f"{args.url}/odoo/action-nps_satisfaction.action_nps_campaign/{campaign}")
    page.wait_for_selector(".o_form_view")
    page.wait_for_timeout(1000)
    page.screenshot(path=OUT / "screenshot_campaign_date.png", full_page=True)


def shoot_mailing(page, args):
    """nps_campaigns: the demo's segmented newsletter and its segment."""
    OUT_CAMPAIGNS.mkdir(parents=True, exist_ok=True)
    mailing = record_id(args.db, "nps_campaigns.demo_mailing_sip_maintenance")
    page.goto(f"{args.url}/odoo/mailing.mailing/{mailing}")
    page.wait_for_selector(".o_form_view")
    page.wait_for_timeout(1500)
    page.screenshot(path=OUT_CAMPAIGNS / "screenshot_mailing.png", full_page=True)
    segment = record_id(args.db, "nps_campaigns.demo_segment_sip_trunk")
    page.goto(f"{args.url}/odoo/action-nps_campaigns.action_nps_segment/{segment}")
    page.wait_for_selector(".o_form_view")
    page.wait_for_timeout(1000)
    page.screenshot(path=OUT_CAMPAIGNS / "screenshot_segment.png", full_page=True)


def shoot_course(page, args):
    """nps_elearning: a course's onboarding settings, its learners'
    completion and the join requests."""
    OUT_ELEARNING.mkdir(parents=True, exist_ok=True)
    course = record_id(args.db, "nps_elearning.course_hosted_pbx")
    page.goto(f"{args.url}/odoo/slide.channel/{course}")
    page.wait_for_selector(".o_form_view")
    page.click(".o_notebook a[name=nps_onboarding]")
    page.wait_for_timeout(800)
    page.screenshot(path=OUT_ELEARNING / "screenshot_course.png", full_page=True)
    page.goto(f"{args.url}/odoo/action-nps_elearning.action_nps_onboarding_members")
    page.wait_for_selector(".o_list_view")
    page.wait_for_timeout(1500)
    page.screenshot(path=OUT_ELEARNING / "screenshot_completion.png", full_page=True)
    page.goto(f"{args.url}/odoo/action-nps_elearning.action_nps_onboarding_join")
    page.wait_for_selector(".o_list_view")
    page.wait_for_timeout(1500)
    page.screenshot(path=OUT_ELEARNING / "screenshot_join_requests.png", full_page=True)


def shoot_learner(playwright, args, link):
    """The learner's own view: a fresh browser opening the personal link."""
    browser, page = launch(playwright)
    page.goto(link.replace("http://localhost:8069", args.url))
    page.wait_for_selector("button.o_onboarding_open")
    page.screenshot(path=OUT_ELEARNING / "screenshot_open_link.png", full_page=True)
    # the button leads to Odoo's sign-up page (a password, the first
    # time) or its login page (afterwards)
    page.click("button.o_onboarding_open")
    page.wait_for_selector("input[name=password]")
    page.fill("input[name=password]", "Learner-Demo-2026!")
    if page.query_selector("input[name=confirm_password]"):
        page.fill("input[name=confirm_password]", "Learner-Demo-2026!")
    page.click(
        "form.oe_signup_form button[type=submit], "
        "form.oe_login_form button[type=submit]"
    )
    page.wait_for_selector(".o_wslides_js_slides_list_slide_link")
    page.wait_for_timeout(2000)
    page.screenshot(path=OUT_ELEARNING / "screenshot_course_page.png", full_page=True)
    browser.close()


def shoot_prompt(playwright, args):
    """The satisfaction prompt on the demo portal customer's /my."""
    browser, page = launch(playwright, height=760)
    log_in(page, args.url, "portal", "**/my**")
    page.goto(f"{args.url}/my")
    page.wait_for_selector(".o_nps_prompt")
    page.wait_for_timeout(800)
    page.screenshot(path=OUT / "screenshot_prompt.png")
    browser.close()


def main():
    args = parse_args()
    token, email_to, ticket_id, company_id = demo_records(args.db)
    OUT.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser, page = launch(playwright)
        shoot_customer_side(page, args, token, email_to)
        page.set_viewport_size({"width": 1280, "height": 860})
        log_in(page, args.url, "admin", "**/odoo**")
        shoot_records(page, args, ticket_id, company_id)
        shoot_reports(page, args)
        shoot_dashboard_themes(page, args)
        shoot_churn(page, args)
        shoot_case_and_campaigns(page, args, ticket_id)
        shoot_mailing(page, args)
        shoot_course(page, args)
        link = onboarding_link(args.maildir)
        browser.close()
        shoot_learner(playwright, args, link)
        shoot_prompt(playwright, args)
    for folder in (OUT, OUT_CAMPAIGNS, OUT_ELEARNING):
        for path in sorted(folder.glob("screenshot_*.png")):
            print(path.relative_to(REPO))


if __name__ == "__main__":
    main()
