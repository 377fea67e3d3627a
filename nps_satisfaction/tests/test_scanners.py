import re
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CUSTOMER_UA, NpsCase, NpsHttpMixin

HREF_RE = re.compile(r'href="([^"]+)"')
SCANNER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36"
)


@tagged("post_install", "-at_install")
class TestMailScanners(NpsHttpMixin, NpsCase, HttpCase):
    """Mail security scanners open the survey email's links before the
    customer does; some run the page's script or replay its POST. None of
    them may leave a score the customer did not give, while the customer
    still answers with one click. Real HTTP against the test server."""

    def setUp(self):
        super().setUp()
        self.request = self.sent_request()
        self.token = self.request.sudo().access_token
        self.url = f"/nps/{self.token}"
        self.commercial = self.request.commercial_partner_id

    # --- helpers ---

    def travel(self, **delta):
        """Move the request's dates back, as if ``delta`` had passed."""
        back = timedelta(**delta)
        request = self.request.sudo()
        request.write({"sent_date": request.sent_date - back})
        for attempt in request.attempt_ids:
            attempt.attempt_date -= back
        self.env.flush_all()

    def settle(self):
        self.env.flush_all()
        settled = self.env["nps.answer.service"]._nps_settle()
        self.request.invalidate_recordset()
        return settled

    def assert_not_counted(self, message):
        self.apply_effects()
        self.env.invalidate_all()
        self.assertEqual(self.request.state, "sent", message)
        self.assertFalse(self.request.score, message)
        self.assertFalse(
            self.request.user_input_id.user_input_line_ids,
            f"{message}: nothing in the survey answer",
        )
        self.assertFalse(self.activity_of(self.request), f"{message}: no follow-up")
        self.assertFalse(self.commercial.nps_answer_count, f"{message}: no health")
        report = self.env["nps.report"].search([("request_id", "=", self.request.id)])
        self.assertEqual(report.answer_count, 0, f"{message}: not in the figures")

    def assert_counted(self, score, confirmed_by):
        self.apply_effects()
        self.env.invalidate_all()
        self.assertEqual(
            (self.request.state, self.request.score, self.request.confirmed_by),
            ("answered", score, confirmed_by),
        )
        self.assertFalse(self.request.provisional_state)
        self.assertEqual(self.request.user_input_id.nps_score, score)
        self.assertEqual(self.commercial.nps_last_score, score, "the health counts it")
        report = self.env["nps.report"].search([("request_id", "=", self.request.id)])
        self.assertEqual((report.answer_count, report.score), (1, score))

    def email_links(self):
        body = str(self.request.mail_id.body_html)
        return [link.replace("&amp;", "&") for link in HREF_RE.findall(body)]

    # --- scanners ---

    def test_fetch_only_scanner_records_nothing(self):
        """A scanner that GETs every link of the email (score buttons,
        opt-out, privacy) records nothing and opts no one out."""
        links = self.email_links()
        scores = [link for link in links if "?score=" in link]
        self.assertEqual(len(scores), 11, "the email has the 0-10 buttons")
        self.assertTrue(any(link.endswith("/optout") for link in links))
        scanner = self.use(self.customer_session("python-requests/2.31"))
        fetched = 0
        for link in links:
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response = scanner.get(self.base_url() + path, timeout=30)
            self.assertLess(response.status_code, 500, link)
            fetched += 1
        self.assertGreaterEqual(fetched, 12)
        self.assert_not_counted("fetching links records nothing")
        self.assertFalse(self.request.provisional_state)
        self.customer_a.invalidate_recordset()
        self.assertFalse(self.customer_a.nps_opt_out, "a GET opts no one out")

    def test_js_scanner_then_real_customer(self):
        """Odoo's headless Chromium opens a score link seconds after the
        email was sent and runs the page's script: the score is provisional,
        suspect, never counted, even after the settle delay. The customer's
        own click later, from another browser, answers and is counted."""
        code = (
            """
            const frame = document.createElement("iframe");
            frame.addEventListener("load", () => {
                const doc = frame.contentDocument;
                if (doc.querySelector("textarea[name=comment]")) {
                    console.log("test successful");
                } else if (!doc.querySelector("form[data-autosubmit]")) {
                    console.error("unexpected page: " + doc.body.innerText);
                }
            });
            frame.src = "{url}?score=1";
            document.body.appendChild(frame);
        """
        ).replace("{url}", self.url)
        # hosted on the answer page without a score (a GET records nothing):
        # a page with no Odoo assets, so no other addon's test script (one of
        # website's fails now and then on a page where it does not belong)
        # runs beside the scanner's frame
        self.browser_js(self.url, code, ready="document.readyState === 'complete'")
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.provisional_state, self.request.provisional_score),
            ("suspect", 1),
            "the script's POST is provisional and suspect",
        )
        # seconds after sending, and Chromium's headless user agent
        self.assertTrue(self.request.provisional_reason)
        self.travel(hours=2)
        self.assertFalse(self.settle(), "a suspect score is never settled")
        self.assert_not_counted("the scanner's score")

        customer = self.customer_session()
        response = self.page_post(self.url, {"score": "9"}, customer, auto=True)
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.provisional_state, self.request.provisional_score),
            ("pending", 9),
            "the customer's click replaces the scanner's score",
        )
        self.assertEqual(self.request.provisional_user_agent, CUSTOMER_UA)
        self.assertTrue(self.confirm(self.url, response, customer))
        self.assert_counted(9, "customer")

    def test_post_replay_with_scanner_signature_not_counted(self):
        """A POST replayed with a scanner's user agent, long after sending,
        is suspect and never counted; so is one from a listed network."""
        self.travel(hours=1)
        scanner = self.customer_session(SCANNER_UA)
        response = self.page_post(self.url, {"score": "0"}, scanner, auto=True)
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.provisional_state, "suspect")
        self.assertIn("headlesschrome", self.request.provisional_reason)
        # the test server listens on loopback: list its network as a scanner's
        self.env.company.nps_scanner_signatures = "127.0.0.0/8\n::1/128"
        network_scanner = self.customer_session()
        self.page_post(self.url, {"score": "2"}, network_scanner, auto=True)
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.provisional_state, self.request.provisional_score),
            ("suspect", 2),
        )
        self.assertIn("127.0.0.0/8", self.request.provisional_reason)
        self.travel(days=1)
        self.assertFalse(self.settle())
        self.assert_not_counted("a replayed POST")
        # a replay without the page's nonce confirms nothing
        page = self.use(scanner).get(self.base_url() + self.url, timeout=30)
        reply = scanner.post(
            f"{self.base_url()}{self.url}/confirm",
            data={"nonce": "x" * 43, "csrf_token": self.csrf(page)},
            timeout=30,
        )
        self.assertFalse(reply.json()["confirmed"])
        self.assert_not_counted("a confirmation without the nonce")

    def test_scanner_submitting_the_optout_form_opts_no_one_out(self):
        """Regression (attack trial): a scanner that submits the forms it
        finds posted the opt-out page's form and opted the customer out. A
        poster with a scanner's signature (user agent or network) gets a
        page asking to open the link in a browser, and nothing is recorded;
        the customer's browser still opts out."""
        url = f"{self.url}/optout"
        for session in (
            self.customer_session(SCANNER_UA),
            self.customer_session("python-requests/2.31"),
        ):
            response = self.page_post(url, {}, session)
            self.assertEqual(response.status_code, 403, response.text[:300])
            self.assertIn("open this link in your browser", response.text)
            self.assertIn("Nothing was recorded", response.text)
            self.customer_a.invalidate_recordset()
            self.assertFalse(self.customer_a.nps_opt_out, "a scanner's post")
        self.env.company.nps_scanner_signatures = "127.0.0.0/8\n::1/128"
        response = self.page_post(url, {}, self.customer_session())
        self.assertEqual(response.status_code, 403, "a scanner's network")
        self.customer_a.invalidate_recordset()
        self.assertFalse(self.customer_a.nps_opt_out, "a scanner's network")
        self.env.company.nps_scanner_signatures = False
        response = self.page_post(url, {}, self.customer_session())
        self.assertEqual(response.status_code, 200)
        self.customer_a.invalidate_recordset()
        self.assertTrue(self.customer_a.nps_opt_out, "the customer's browser")

    def test_suspect_post_never_replaces_a_real_provisional_score(self):
        self.travel(hours=1)
        customer = self.customer_session()
        response = self.page_post(self.url, {"score": "8"}, customer, auto=True)
        scanner = self.customer_session(SCANNER_UA)
        self.page_post(self.url, {"score": "0"}, scanner, auto=True)
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.provisional_state, self.request.provisional_score),
            ("pending", 8),
        )
        self.assertTrue(self.confirm(self.url, response, customer))
        self.assert_counted(8, "customer")
        attempts = self.request.attempt_ids.sorted("id")
        self.assertEqual(
            attempts.mapped("verdict"),
            ["confirmed", "ignored"],
            "the scanner's click is kept, as ignored, beside the customer's",
        )
        self.assertEqual(attempts.mapped("score"), [8, 0])
        self.assertEqual(attempts[1].user_agent, SCANNER_UA)
        self.assertTrue(attempts[1].reason)

    def test_each_click_keeps_its_trace(self):
        """Regression: a second click overwrote the first one's time, score
        and browser."""
        self.travel(hours=1)
        first = self.customer_session()
        self.page_post(self.url, {"score": "2"}, first, auto=True)
        second = self.customer_session()
        response = self.page_post(self.url, {"score": "7"}, second, auto=True)
        self.assertTrue(self.confirm(self.url, response, second))
        attempts = self.request.attempt_ids.sorted("id")
        self.assertEqual(
            [(a.score, a.verdict) for a in attempts],
            [(2, "superseded"), (7, "confirmed")],
        )
        self.assertTrue(attempts[1].confirmed_date)
        self.assert_counted(7, "customer")

    # --- real customers ---

    def test_real_customer_one_click_and_comment(self):
        """One click then the comment: confirmed at once, with its effects
        (the detractor's follow-up activity for the account manager)."""
        customer = self.customer_session()
        response = self.page_post(self.url, {"score": "3"}, customer, auto=True)
        self.assertIn('name="comment"', response.text)
        self.assert_not_counted("before the customer's next step")
        response = self.page_post(
            self.url, {"step": "more", "comment": "Nobody called back"}, customer
        )
        self.assertIn("Thank you", response.text)
        self.assert_counted(3, "customer")
        self.assertEqual(self.request.comment, "Nobody called back")
        self.assertEqual(self.activity_of(self.request).user_id, self.account_manager)

    def test_real_customer_leaves_then_settled(self):
        """One click, then the customer closes the page: the score counts
        once the settle delay has passed, not before."""
        self.travel(minutes=10)
        customer = self.customer_session()
        self.page_post(self.url, {"score": "4"}, customer, auto=True)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.provisional_state, "pending")
        self.assertFalse(self.request.provisional_reason)
        self.assertFalse(self.settle(), "not before the settle delay")
        self.assert_not_counted("a pending score within the delay")
        self.travel(minutes=self.env.company.nps_settle_minutes + 1)
        self.assertEqual(self.settle(), self.request)
        self.assert_counted(4, "settled")
        self.assertTrue(self.activity_of(self.request), "the effects ran on settling")

    def test_another_score_replaces_and_confirms(self):
        customer = self.customer_session()
        self.page_post(self.url, {"score": "6"}, customer, auto=True)
        self.page_post(self.url, {"score": "10"}, customer)
        self.assert_counted(10, "customer")

    def test_confirmed_answer_is_not_replaceable(self):
        customer = self.customer_session()
        self.answer(self.url, 9, customer)
        self.assert_counted(9, "customer")
        for auto in (True, False):
            other = self.customer_session()
            response = self.page_post(self.url, {"score": "1"}, other, auto=auto)
            self.assertEqual(response.status_code, 200)
        self.assert_counted(9, "customer")
        self.assertEqual(len(self.request.user_input_id.user_input_line_ids), 1)
        self.assertFalse(self.request.provisional_state)

    def test_bad_input_writes_nothing(self):
        customer = self.customer_session()
        for bad in ("11", "-1", "abc"):
            response = self.page_post(self.url, {"score": bad}, customer, auto=True)
            self.assertEqual(response.status_code, 400, bad)
        self.request.invalidate_recordset()
        self.assertFalse(self.request.provisional_state, "nothing provisional")
        csrf = self.csrf(self.use(customer).get(self.base_url() + self.url, timeout=30))
        response = customer.post(
            self.base_url() + "/nps/unknown-token/confirm",
            data={"nonce": "x" * 43, "csrf_token": csrf},
            timeout=30,
        )
        self.assertEqual(response.status_code, 404)
        self.assert_not_counted("bad input")

    def test_settle_time_is_configurable(self):
        self.env.company.nps_settle_minutes = 5
        self.travel(minutes=10)
        self.page_post(self.url, {"score": "7"}, self.customer_session(), auto=True)
        self.travel(minutes=6)
        self.assertEqual(self.settle(), self.request)
        self.assert_counted(7, "settled")
        self.assertEqual(fields.Datetime.now().date(), self.request.answer_date.date())

    # --- browsers kept apart, changes and insiders (each was a hole) ---

    def test_another_browser_never_takes_the_customers_score(self):
        """A link checker or a forwarded mail posts another score after the
        customer's: the customer's confirmation and comment still count his
        own score, and nothing he typed is lost."""
        self.travel(hours=1)
        customer = self.customer_session()
        response = self.page_post(self.url, {"score": "9"}, customer, auto=True)
        checker = self.customer_session()
        self.page_post(self.url, {"score": "0"}, checker, auto=True)
        self.assertTrue(
            self.confirm(self.url, response, customer), "his gesture confirms"
        )
        reply = self.page_post(
            self.url, {"step": "more", "comment": "Great support"}, customer
        )
        self.assertEqual(reply.status_code, 200, reply.text[:300])
        self.assert_counted(9, "customer")
        self.assertEqual(self.request.comment, "Great support")
        attempts = self.request.attempt_ids.sorted("id")
        self.assertEqual(
            [(a.score, a.verdict) for a in attempts],
            [(9, "confirmed"), (0, "superseded")],
        )

    def test_comment_step_confirms_its_own_browsers_score(self):
        """Without the page's script: the comment step posted after another
        browser's click confirms this browser's score, with the comment."""
        self.travel(hours=1)
        customer = self.customer_session()
        self.page_post(self.url, {"score": "8"}, customer, auto=True)
        self.page_post(self.url, {"score": "1"}, self.customer_session(), auto=True)
        reply = self.page_post(
            self.url, {"step": "more", "comment": "Quick and kind"}, customer
        )
        self.assertEqual(reply.status_code, 200, reply.text[:300])
        self.assert_counted(8, "customer")
        self.assertEqual(self.request.comment, "Quick and kind")

    def test_browsers_that_disagree_are_not_settled(self):
        self.travel(hours=1)
        self.page_post(self.url, {"score": "9"}, self.customer_session(), auto=True)
        self.page_post(self.url, {"score": "0"}, self.customer_session(), auto=True)
        self.travel(minutes=self.env.company.nps_settle_minutes + 1)
        self.assertFalse(self.settle(), "no one can tell which score is his")
        self.assert_not_counted("two browsers' unconfirmed scores")
        self.assertEqual(set(self.request.attempt_ids.mapped("verdict")), {"disputed"})

    def test_browsers_that_agree_are_settled(self):
        self.travel(hours=1)
        self.page_post(self.url, {"score": "7"}, self.customer_session(), auto=True)
        self.page_post(self.url, {"score": "7"}, self.customer_session(), auto=True)
        self.travel(minutes=self.env.company.nps_settle_minutes + 1)
        self.assertEqual(self.settle(), self.request)
        self.assert_counted(7, "settled")

    def test_scanner_never_confirms_its_own_score(self):
        """A client on the scanner list posts its score again, posts the
        comment step and the page's confirmation: none of it confirms."""
        self.travel(hours=1)
        scanner = self.customer_session(SCANNER_UA)
        response = self.page_post(self.url, {"score": "0"}, scanner, auto=True)
        self.page_post(self.url, {"score": "0"}, scanner)
        self.page_post(self.url, {"step": "more", "comment": "spam"}, scanner)
        nonce = re.search(r'data-nps-confirm="([^"]+)"', response.text)
        if nonce:
            self.assertFalse(self.confirm(self.url, response, scanner))
        self.travel(days=1)
        self.settle()
        self.assert_not_counted("a scanner's own confirmations")
        self.assertFalse(self.request.comment)

    def test_comment_from_a_browser_taken_for_a_scanner_is_not_lost_silently(self):
        """A customer whose browser or network matches a scanner signature
        writes a comment: nothing can be recorded from it, and the page says
        so, in his language, rather than dropping the comment without a
        word."""
        for lang in ("fr_FR", "de_DE"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["nps_satisfaction"], ["fr_FR", "de_DE"]
        )
        expected = {
            "en_US": "taken for an automated link checker",
            "fr_FR": "vérificateur de liens automatique",
            "de_DE": "automatischen Linkprüfer",
        }
        self.travel(hours=1)
        for lang, words in expected.items():
            self.request.partner_id.sudo().lang = lang
            scanner = self.customer_session(SCANNER_UA)
            self.page_post(self.url, {"score": "3"}, scanner)
            response = self.page_post(
                self.url, {"step": "more", "comment": "Too slow"}, scanner
            )
            self.assertEqual(response.status_code, 403, lang)
            self.assertIn(words, response.text, lang)
        self.assert_not_counted("a suspected scanner's comment step")
        self.assertFalse(self.request.comment)

    def test_change_of_answer_goes_through_the_same_protocol(self):
        """A campaign that allows changing the answer: anyone else holding
        the link (a forwarded mail, a replayed POST) changes nothing, his
        score and comment are refused; the customer's own change counts once
        his browser confirms it.

        Regression (attack trial): another browser's score, then its comment
        step, confirmed its own score and replaced the customer's answer."""
        self.campaign.allow_answer_change = True
        self.travel(hours=1)
        customer = self.customer_session()
        self.answer(self.url, 9, customer)
        self.assert_counted(9, "customer")
        with mute_logger("odoo.http"):
            for auto in (True, False):
                other = self.customer_session()
                response = self.page_post(self.url, {"score": "1"}, other, auto=auto)
                self.assertEqual(response.status_code, 403, "another browser's score")
                self.assertIn("Answered from another browser", response.text)
                response = self.page_post(
                    self.url, {"step": "more", "comment": "Changed by B"}, other
                )
                self.assertIn(response.status_code, (400, 403), "its comment")
        self.travel(days=1)
        self.settle()
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.score, self.request.comment, self.request.provisional_state),
            (9, False, False),
            "nothing from the others, nothing provisional to settle",
        )
        response = self.page_post(self.url, {"score": "6"}, customer, auto=True)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.score, 9, "his own change, unconfirmed")
        self.assertTrue(self.confirm(self.url, response, customer))
        self.assert_counted(6, "customer")

    def test_employee_cannot_answer_as_the_customer(self):
        """A satisfaction user signed in posts on the customer's page: refused,
        nothing recorded; he cannot read the link's token either."""
        self.travel(hours=1)
        with self.assertRaises(AccessError):
            self.request.with_user(self.nps_user).read(["access_token"])
        self.authenticate(self.nps_user.login, self.nps_user.login)
        page = self.url_open(self.url)
        response = self.url_open(
            self.url, data={"score": "10", "auto": "1", "csrf_token": self.csrf(page)}
        )
        self.assertEqual(response.status_code, 403)
        response = self.url_open(
            self.url, data={"score": "10", "csrf_token": self.csrf(page)}
        )
        self.assertEqual(response.status_code, 403)
        self.request.invalidate_recordset()
        self.assertFalse(self.request.attempt_ids, "nothing recorded")
        self.assert_not_counted("an employee's post")

    def test_file_where_text_is_expected(self):
        customer = self.customer_session()
        page = self.use(customer).get(self.base_url() + self.url, timeout=30)
        response = customer.post(
            self.base_url() + self.url,
            data={"score": "5", "csrf_token": self.csrf(page)},
            files={"comment": ("note.txt", b"a file, not text")},
            timeout=30,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Text expected", response.text)
        self.request.invalidate_recordset()
        self.assertFalse(self.request.attempt_ids, "nothing recorded")
