"""Hostile input on every public and portal page of nps_satisfaction, with
hypothesis: random tokens, scores, comments, bodies, methods, CSRF tokens
and sessions. Invariants: never a 500, the status each route promises, a
clear HTML page (in the customer's language where there is one), and no
write at all for bad input."""

import re

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools import text_tools
from .common import CUSTOMER_UA, NpsCase
from .hostile import (
    HTML_PAYLOADS,
    bad_scores,
    comments,
    digest,
    examples,
    garbage_bodies,
    html_comments,
    tokens,
    url_part,
)

TABLES = (
    "nps_request",
    "survey_user_input",
    "survey_user_input_line",
    "res_partner",
    "mail_message",
    "mail_mail",
    "mail_activity",
)
REDIRECTS = {301, 302, 303, 307, 308}


class HostileCase(NpsCase, HttpCase):
    """A sent survey of customer A, who reads French, and helpers to post
    raw requests and to compare the database before and after."""

    def setUp(self):
        super().setUp()
        # a customer's browser: a library's user agent is a scanner's, whose
        # posts never confirm an answer
        self.opener.headers["User-Agent"] = CUSTOMER_UA
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        self.customer_a.lang = "fr_FR"
        self.request = self.sent_request(self.customer_a)
        self.token = self.request.sudo().access_token
        self.url = f"/nps/{self.token}"
        self.campaign.action_generate_public_link()
        self.public_token = self.campaign.sudo().public_token
        self.counter_url = f"/nps/c/{self.public_token}"

    def csrf(self):
        """A CSRF token of the current session, from the counter page (open
        to any visitor, signed in or not)."""
        page = self.url_open(self.counter_url)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.assertTrue(match, "the counter page carries a CSRF token")
        return match.group(1)

    def state(self):
        self.env.flush_all()
        return digest(self.env.cr, TABLES)

    def assertClearPage(self, response, statuses, what):
        self.assertIn(response.status_code, statuses, what)
        self.assertLess(response.status_code, 500, what)
        if response.status_code not in REDIRECTS:
            self.assertIn("text/html", response.headers.get("Content-Type", ""), what)
            self.assertTrue(response.text.strip(), f"{what}: an empty page")

    def assertNoWrite(self, before, what):
        self.assertEqual(self.state(), before, f"{what}: bad input wrote something")


@tagged("post_install", "-at_install")
class TestHostileAnswerPage(HostileCase):
    @examples(90)
    @given(token=tokens().filter(lambda t: "/" not in t or not {"\x00", "."} & set(t)))
    @mute_logger("odoo.http", "werkzeug")
    def test_unknown_tokens_answer_404_everywhere(self, token):
        """Any string that is not a token gets the not-found page on every
        route of the survey and the counter, GET and POST (with a valid CSRF
        token and a valid score), and nothing is written. Odoo decodes an
        encoded slash before routing, so a token holding one addresses
        another URL, which is none of the suite's when it also holds a NUL
        character or a dot segment (Odoo's website answers those with an
        error 500 of its own): such tokens are left out."""
        csrf = self.csrf()
        before = self.state()
        part = url_part(token)
        routes = (
            ("GET", f"/nps/{part}"),
            ("POST", f"/nps/{part}"),
            ("GET", f"/nps/{part}/qr"),
            ("GET", f"/nps/{part}/icon/promoter"),
            ("GET", f"/nps/{part}/optout"),
            ("POST", f"/nps/{part}/optout"),
            ("GET", f"/nps/c/{part}"),
            ("POST", f"/nps/c/{part}"),
            ("GET", f"/nps/c/{part}/qr"),
        )
        # a token holding a slash reaches another route (405 for a POST to
        # a GET route), or a slash-merging redirect
        statuses = {404, 405} | REDIRECTS if "/" in token else {404}
        for method, path in routes:
            data = {"csrf_token": csrf, "score": "5"} if method == "POST" else None
            response = self.url_open(
                path, data=data, method=method, allow_redirects=False
            )
            what = f"{method} {path[:80]}"
            self.assertClearPage(response, statuses, what)
            if response.status_code == 404 and "/" not in token and "icon" not in path:
                self.assertIn("Survey not found", response.text, what)
        self.assertNoWrite(before, repr(token))

    @examples(60)
    @given(score=st.one_of(st.text(max_size=40), bad_scores(), st.just("7")))
    def test_get_never_records(self, score):
        """Link scanners only GET: whatever ``?score=`` holds, the page
        shows and nothing is written."""
        before = self.state()
        response = self.url_open(self.url, params={"score": score})
        self.assertClearPage(response, {200}, repr(score))
        self.assertNoWrite(before, repr(score))
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "sent")

    @examples(120)
    @given(score=bad_scores(), comment=comments())
    @mute_logger("odoo.http")
    def test_bad_scores_get_400_in_french_and_write_nothing(self, score, comment):
        csrf = self.csrf()
        before = self.state()
        response = self.url_open(
            self.url, data={"csrf_token": csrf, "score": score, "comment": comment}
        )
        self.assertClearPage(response, {400}, repr(score))
        self.assertTrue(
            "Note invalide" in response.text or "Aucune note" in response.text,
            f"{score!r}: the error page is in the customer's language",
        )
        self.assertIn('lang="fr-FR"', response.text)
        self.assertNoWrite(before, repr(score))

    @examples(75)
    @given(body=garbage_bodies())
    @mute_logger("odoo.http")
    def test_garbage_bodies_write_nothing(self, body):
        """JSON, XML, multipart without parts or boundary, random bytes:
        a clear 400, nothing recorded (only the page's form answers)."""
        content_type, data = body
        csrf = self.csrf()
        before = self.state()
        headers = {"Content-Type": content_type} if content_type else {}
        response = self.url_open(
            self.url,
            params={"csrf_token": csrf},
            data=data,
            headers=headers,
            method="POST",
        )
        self.assertClearPage(response, {400}, f"{content_type} {data[:40]!r}")
        self.assertNoWrite(before, f"{content_type} {data[:40]!r}")

    @examples(45)
    @given(
        csrf=st.one_of(
            st.none(),
            st.text(max_size=80),
            st.text(alphabet="0123456789abcdefo", min_size=40, max_size=60),
        )
    )
    @mute_logger("odoo.http")
    def test_missing_or_wrong_csrf_is_refused(self, csrf):
        before = self.state()
        data = {"score": "9"}
        if csrf is not None:
            data["csrf_token"] = csrf
        for path in (self.url, f"{self.url}/optout"):
            response = self.url_open(path, data=data)
            self.assertClearPage(response, {400}, f"{path} {csrf!r}")
        self.assertNoWrite(before, repr(csrf))

    def test_csrf_of_another_session_is_refused(self):
        portal_b = new_test_user(
            self.env,
            login="hostile_b",
            password="hostile_b_pw",
            groups="base.group_portal",
        )
        self.authenticate(portal_b.login, "hostile_b_pw")
        foreign = self.csrf()
        self.authenticate(None, None)
        before = self.state()
        with mute_logger("odoo.http"):
            response = self.url_open(
                self.url, data={"score": "9", "csrf_token": foreign}
            )
        self.assertClearPage(response, {400}, "CSRF of another session")
        self.assertNoWrite(before, "CSRF of another session")

    @examples(60)
    @given(
        method=st.sampled_from(["PUT", "PATCH", "DELETE", "PROPFIND", "FOO"]),
        suffix=st.sampled_from(["", "/qr", "/optout", "/icon/promoter"]),
        counter=st.booleans(),
    )
    @mute_logger("odoo.http", "werkzeug")
    def test_other_methods_are_refused(self, method, suffix, counter):
        token = self.public_token if counter else self.token
        if counter:
            suffix = "" if suffix != "/qr" else suffix
        path = f"/nps/{'c/' if counter else ''}{token}{suffix}"
        before = self.state()
        response = self.url_open(path, method=method, allow_redirects=False)
        self.assertIn(response.status_code, {404, 405}, f"{method} {path}")
        self.assertNoWrite(before, f"{method} {path}")

    @examples(45)
    @given(
        method=st.sampled_from(["GET", "POST"]),
        score=st.one_of(st.sampled_from(["0", "5", "10"]), bad_scores()),
    )
    @mute_logger("odoo.http")
    def test_another_customer_signed_in_gets_403(self, method, score):
        """Customer B signed in, opening or posting to A's survey: the 403
        page in B's language (B reads it: a visitor signed in reads the
        survey's pages in his own language), nothing written."""
        if not self.env["res.users"].search([("login", "=", "hostile_bob")]):
            new_test_user(
                self.env,
                login="hostile_bob",
                password="hostile_bob_pw",
                groups="base.group_portal",
                partner_id=self.customer_b.id,
            )
        self.authenticate("hostile_bob", "hostile_bob_pw")
        before = self.state()
        if method == "GET":
            response = self.url_open(self.url, params={"score": score})
        else:
            response = self.url_open(
                self.url, data={"score": score, "csrf_token": self.csrf()}
            )
        self.assertClearPage(response, {403}, f"{method} {score!r}")
        self.assertIn("Not your survey", response.text, "B reads English")
        self.assertNoWrite(before, f"{method} {score!r}")

    @examples(90)
    @given(comment=comments(), reasons=st.lists(st.text(max_size=12), max_size=5))
    @mute_logger("odoo.http")
    def test_comments_stored_as_given_and_shown_escaped(self, comment, reasons):
        """A comment of any size and script is stored as text (trimmed to
        the page's limit, without control characters) and shown escaped on
        the thanks page. The score comes from this browser: only the
        browser whose score counted adds to the answer."""
        campaign = self.request.campaign_id
        campaign.allow_answer_change = True
        if self.request.state != "answered":
            self.url_open(self.url, data={"score": "8", "csrf_token": self.csrf()})
        csrf = self.csrf()
        data = [("csrf_token", csrf), ("comment", comment), ("step", "more")]
        data += [("reason", reason) for reason in reasons]
        response = self.url_open(self.url, data=data)
        self.assertClearPage(response, {200}, repr(comment[:60]))
        for payload in HTML_PAYLOADS:
            if payload in comment and "<" in payload:
                self.assertNotIn(payload, response.text, "a comment is escaped")
        self.request.invalidate_recordset()
        expected = text_tools.plain_text(comment, 5000).strip()
        if expected:
            self.assertEqual(self.request.comment, expected)
            self.assertFalse(
                re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", self.request.comment),
                "no control character is stored",
            )

    @examples(30)
    @given(fmt=st.one_of(st.text(max_size=20), st.sampled_from(["svg", "png"])))
    def test_qr_images_whatever_the_format(self, fmt):
        for path in (
            f"{self.url}/qr",
            f"{self.counter_url}/qr",
        ):
            response = self.url_open(path, params={"format": fmt})
            self.assertEqual(response.status_code, 200, f"{path} {fmt!r}")
            self.assertEqual(
                response.headers["Content-Type"],
                "image/svg+xml" if fmt == "svg" else "image/png",
            )

    @examples(30)
    @given(category=st.one_of(st.text(max_size=30), st.sampled_from(["promoter"])))
    @mute_logger("odoo.http", "werkzeug")
    def test_icons_of_unknown_categories_404(self, category):
        response = self.url_open(f"{self.url}/icon/{url_part(category)}")
        # the shipped campaign has no icons: every category is not found
        self.assertClearPage(response, {404} | REDIRECTS, repr(category))

    @examples(30)
    @given(
        params=st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=30))
    )
    @mute_logger("odoo.http")
    def test_optout_get_asks_only(self, params):
        before = self.state()
        response = self.url_open(f"{self.url}/optout", params=params)
        self.assertClearPage(response, {200}, repr(params))
        self.assertNoWrite(before, repr(params))
        self.assertFalse(self.customer_a.nps_opt_out)


@tagged("post_install", "-at_install")
class TestHostileCounterAndPortal(HostileCase):
    @examples(75)
    @given(score=bad_scores())
    @mute_logger("odoo.http")
    def test_counter_bad_scores_get_400(self, score):
        page = self.url_open(self.counter_url)
        self.assertClearPage(page, {200}, "counter page")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        before = self.state()
        response = self.url_open(
            self.counter_url, data={"csrf_token": csrf, "score": score}
        )
        self.assertClearPage(response, {400}, repr(score))
        self.assertNoWrite(before, repr(score))

    @examples(30)
    @given(cookie=st.text(max_size=80))
    @mute_logger("odoo.http")
    def test_counter_device_cookie_of_any_shape(self, cookie):
        """A forged device cookie never breaks the counter page."""
        self.opener.cookies.set("nps_device", cookie.encode("unicode_escape").decode())
        response = self.url_open(self.counter_url)
        self.assertClearPage(response, {200}, repr(cookie))

    @examples(45)
    @given(
        page=st.one_of(
            st.integers(min_value=0, max_value=50),
            st.integers(min_value=10**9, max_value=10**30),
        ),
        params=st.dictionaries(
            st.one_of(
                st.sampled_from(["page", "sortby", "filterby", "search", "groupby"]),
                st.text(min_size=1, max_size=8),
            ),
            st.text(max_size=20),
        ),
    )
    @mute_logger("odoo.http")
    def test_portal_list_pages(self, page, params):
        if not self.env["res.users"].search([("login", "=", "hostile_alice")]):
            new_test_user(
                self.env,
                login="hostile_alice",
                password="hostile_alice_pw",
                groups="base.group_portal",
                partner_id=self.customer_a.id,
            )
        path = f"/my/satisfaction/page/{page}" if page else "/my/satisfaction"
        self.authenticate(None, None)
        response = self.url_open(path, params=params, allow_redirects=False)
        self.assertIn(response.status_code, REDIRECTS, "anonymous: to the login")
        self.assertIn("/web/login", response.headers.get("Location", ""))
        self.authenticate("hostile_alice", "hostile_alice_pw")
        before = self.state()
        response = self.url_open(path, params=params)
        self.assertClearPage(response, {200}, path)
        self.assertTrue(f"/nps/{self.token}" in response.text, "A's survey listed")
        self.assertNoWrite(before, path)

    @examples(45)
    @given(
        ticket=st.one_of(st.integers(min_value=-5, max_value=10**12), st.just(0)),
        access_token=st.one_of(
            st.none(), st.text(alphabet="0123456789abcdef-", max_size=40)
        ),
    )
    @mute_logger("odoo.http", "werkzeug")
    def test_ticket_portal_never_shows_another_customers_survey(
        self, ticket, access_token
    ):
        """Customer B browsing ticket pages (any id, any access token,
        A's ticket included) never sees A's survey link or QR code."""
        if not self.env["res.users"].search([("login", "=", "hostile_bert")]):
            new_test_user(
                self.env,
                login="hostile_bert",
                password="hostile_bert_pw",
                groups="base.group_portal",
                partner_id=self.customer_b.id,
            )
        self.authenticate("hostile_bert", "hostile_bert_pw")
        for ticket_id in (ticket, self.request.ticket_id.id):
            path = f"/my/ticket/{ticket_id}"
            if access_token is not None:
                path += f"/{url_part(access_token) or 'x'}"
            response = self.url_open(path, allow_redirects=False)
            self.assertLess(response.status_code, 500, path)
            self.assertFalse(self.token in response.text, f"{path} shows A's survey")

    def test_ticket_portal_shows_own_survey_qr(self):
        """Regression: the survey block of the ticket's portal page never
        showed (it sat in the sidebar's entries, which the portal does not
        render, and the portal reads the ticket as the superuser)."""
        new_test_user(
            self.env,
            login="hostile_anna",
            password="hostile_anna_pw",
            groups="base.group_portal",
            partner_id=self.customer_a.id,
        )
        self.authenticate("hostile_anna", "hostile_anna_pw")
        response = self.url_open(f"/my/ticket/{self.request.ticket_id.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            f"/nps/{self.token}/qr" in response.text, "the ticket shows its QR code"
        )


@tagged("post_install", "-at_install")
class TestCommentEscaping(NpsCase):
    """HTML/JS in a customer's comment is shown as text in the back office
    and in every email that quotes it."""

    def setUp(self):
        super().setUp()
        self.env["nps.alert.keyword"].create({"name": "refund"})
        self.campaign.message_subscribe(partner_ids=self.manager.partner_id.ids)

    @examples(24)
    @given(comment=html_comments())
    def test_comment_escaped_in_chatter_activity_and_mail(self, comment):
        """The ticket's chatter message and the follow-up activity's note
        show each payload as text: it is in the text of the HTML, not
        markup. The alert posted on the campaign, and its email to the
        followers, do not quote the comment at all (every employee reads a
        campaign)."""
        text, payloads = comment
        customer = self.make_customers(1, "escape")
        customer.user_id = self.account_manager
        request = self.sent_request(customer)
        known = self.campaign.message_ids
        # notification emails queued, not sent and deleted, to read them
        request.with_context(mail_notify_force_send=False)._nps_record_answer(
            score=2, comment=f"refund {text}"
        )
        alerts = self.campaign.message_ids - known
        quoted = {
            "ticket message": request.ticket_id.message_ids.mapped("body"),
            "activity note": request.followup_ids.activity_ids.mapped("note"),
        }
        alert_texts = alerts.mapped("body") + self.env["mail.mail"].search(
            [("mail_message_id", "in", alerts.ids)]
        ).mapped("body_html")
        self.assertTrue(alerts, "the alert is posted on the campaign")
        for body in alert_texts:
            shown = lxml_html.fromstring(str(body)).text_content()
            self.assertNotIn("refund", shown, "the comment stays off the campaign")
        for place, bodies in quoted.items():
            shown = [lxml_html.fromstring(str(b)).text_content() for b in bodies if b]
            for payload in payloads:
                self.assertTrue(
                    any(payload in body for body in shown),
                    f"the {place} shows {payload!r} as text: {bodies!r}",
                )
                if "<" in payload:
                    for body in bodies:
                        self.assertNotIn(payload, str(body), f"markup in the {place}")

    def test_comment_is_plain_text_in_every_view(self):
        """The back office shows comments as text: Text fields, no html
        widget in any of the suite's views that display them."""
        checks = {
            "nps.request": "comment",
            "helpdesk.ticket": "nps_comment",
            "project.project": "nps_comment",
        }
        for model, field in checks.items():
            self.assertEqual(self.env[model]._fields[field].type, "text", model)
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("form", "list")), ("arch_db", "ilike", "comment")]
        )
        nps_views = views.filtered(lambda v: (v.xml_id or "").startswith("nps_"))
        self.assertTrue(nps_views, "the suite's views show comments")
        for view in nps_views:
            arch = etree.fromstring(view.arch_db.encode())
            for node in arch.xpath("//field[contains(@name, 'comment')]"):
                self.assertNotIn(
                    node.get("widget"), ("html", "html_field"), view.xml_id
                )
