import re
import time
from datetime import datetime, timedelta

from odoo.sql_db import db_connect
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools import token_tools
from .common import FIREFOX_UA, NpsCase, NpsHttpMixin
from .test_scanners import TestMailScanners

#: what a hostile client puts in a text field: every control character class
CONTROL = "A\x00B\x01C\x08D\x0bE\x0cF\x1bG\x7fH\x85I\u2028J\u202eK"


@tagged("post_install", "-at_install")
class TestLinkHolders(NpsHttpMixin, NpsCase, HttpCase):
    """A survey link reaches more than its customer: a forwarded mail, a
    mail scanner, a colleague. Only the browser whose score counted adds to
    the answer; a client that never ran the page's script does not get its
    score counted unconfirmed; a signed-in customer of another company
    cannot opt the customer out."""

    # the mail scanners' tests' set-up and checks (their tests are not run
    # twice: this class does not inherit them)
    def setUp(self):
        super().setUp()
        self.request = self.sent_request()
        self.token = self.request.sudo().access_token
        self.url = f"/nps/{self.token}"
        self.commercial = self.request.commercial_partner_id

    travel = TestMailScanners.travel
    settle = TestMailScanners.settle
    assert_counted = TestMailScanners.assert_counted
    assert_not_counted = TestMailScanners.assert_not_counted

    # --- Adding to an answer (CSAT, comment, reasons) ---

    def test_other_browser_adds_nothing_to_the_answer(self):
        customer = self.customer_session()
        self.answer(self.url, 8, customer)
        self.assert_counted(8, "customer")
        stranger = self.customer_session()
        with mute_logger("odoo.http"):
            response = self.page_post(
                self.url,
                {"step": "more", "csat": "1", "comment": "Terrible"},
                stranger,
            )
        self.assertEqual(response.status_code, 403)
        self.assertIn("another browser", response.text)
        self.request.invalidate_recordset()
        self.assertFalse(self.request.comment, "no comment from another browser")
        self.assertFalse(self.request.csat_score, "no CSAT from another browser")
        # the customer's own browser still adds his comment
        response = self.page_post(
            self.url, {"step": "more", "csat": "4", "comment": "Fine"}, customer
        )
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual((self.request.comment, self.request.csat_score), ("Fine", 4))

    def test_comment_after_the_confirmed_score_raises_its_keyword(self):
        """The customer's path in a browser: the score is confirmed by his
        first gesture (its effects run then, the case opens), the comment
        comes a moment later: its alarming words still reach the case."""
        customer = self.customer_session()
        self.answer(self.url, 3, customer)
        self.apply_effects()
        case = self.request.sudo().followup_ids
        self.assertTrue(case, "the detractor's case")
        self.assertFalse(case.keywords)
        self.page_post(
            self.url,
            {"step": "more", "comment": "If nothing changes we will cancel"},
            customer,
        )
        self.apply_effects()
        case.invalidate_recordset()
        self.assertIn("cancel", case.keywords or "", "the comment's alarming word")

    def test_other_browser_sees_neither_score_nor_comment(self):
        """A forwarded mail, a colleague, a link checker opening the link of
        an answered survey: a plain thank-you, not the customer's score and
        comment."""
        customer = self.customer_session()
        self.answer(self.url, 3, customer)
        self.page_post(
            self.url,
            {"step": "more", "comment": "We are thinking of cancelling"},
            customer,
        )
        stranger = self.customer_session()
        page = self.use(stranger).get(self.base_url() + self.url, timeout=30)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("thinking of cancelling", page.text)
        self.assertNotIn("<strong>3</strong>", page.text)
        self.assertIn("This survey has been answered", page.text)
        own = self.use(customer).get(self.base_url() + self.url, timeout=30)
        self.assertIn("<strong>3</strong>", own.text, "his own browser")

    def test_settled_answer_takes_additions_from_its_browser_only(self):
        self.travel(minutes=10)
        customer = self.customer_session()
        self.page_post(self.url, {"score": "4"}, customer, auto=True)
        self.travel(minutes=self.env.company.nps_settle_minutes + 1)
        self.assertEqual(self.settle(), self.request)
        stranger = self.customer_session()
        with mute_logger("odoo.http"):
            response = self.page_post(
                self.url, {"step": "more", "comment": "Not me"}, stranger
            )
        self.assertEqual(response.status_code, 403)
        response = self.page_post(self.url, {"step": "more", "comment": "Me"}, customer)
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.comment, "Me")

    # --- A client that never ran the page's script ---

    def test_no_script_post_is_not_settled(self):
        """A client that posts the page's form once (no script ran), long
        after the email: its score waits for that browser's confirmation
        and the settle job does not count it."""
        self.travel(hours=2)
        bot = self.customer_session()
        self.page_post(self.url, {"score": "0"}, bot)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.provisional_state, "pending")
        self.travel(minutes=self.env.company.nps_settle_minutes + 1)
        self.assertFalse(self.settle(), "a score no script posted is not settled")
        self.assert_not_counted("a post without the page's script")

    def test_forged_auto_flag_is_not_settled(self):
        self.travel(hours=2)
        bot = self.customer_session()
        page = self.use(bot).get(self.base_url() + self.url, timeout=30)
        bot.post(
            self.base_url() + self.url,
            data={"score": "0", "auto": "1", "csrf_token": self.csrf(page)},
            timeout=30,
        )
        self.travel(minutes=self.env.company.nps_settle_minutes + 1)
        self.assertFalse(self.settle())
        self.assert_not_counted("auto=1 without the page's proof")

    def test_no_script_client_posting_twice_does_not_confirm(self):
        """A client that never ran the page's script posts the form twice
        (a replay, a checker that retries): its second score only replaces
        its unconfirmed one, nothing counts."""
        self.travel(hours=2)
        bot = self.customer_session()
        self.page_post(self.url, {"score": "0"}, bot)
        self.page_post(self.url, {"score": "3"}, bot)
        self.assert_not_counted("two form posts without the page's script")
        self.request.invalidate_recordset()
        self.assertEqual(self.request.provisional_score, 3)

    def test_score_and_comment_in_one_post_are_not_thanked(self):
        """A score and a comment posted at once by a browser with no score
        of its own: the score waits (provisional) and the page asks for the
        comment again instead of thanking for a feedback it did not keep."""
        self.travel(hours=2)
        stranger = self.customer_session()
        response = self.page_post(
            self.url, {"score": "6", "step": "more", "comment": "Lost?"}, stranger
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="comment"', response.text, "the comment form again")
        self.assert_not_counted("one post of score and comment")

    def test_change_of_mind_keeps_the_counted_score_on_the_attempt(self):
        customer = self.customer_session()
        self.page_post(self.url, {"score": "3"}, customer, auto=True)
        self.page_post(self.url, {"score": "9"}, customer)
        self.assert_counted(9, "customer")
        counted = self.request.sudo().attempt_ids.filtered(
            lambda a: a.verdict == "confirmed"
        )
        self.assertEqual(counted.score, 9, "the attempt log holds what counted")

    def test_no_script_customer_confirms_with_his_comment(self):
        """The trade-off: a customer without JavaScript still answers, by
        sending the next page (his comment), as before."""
        self.travel(hours=2)
        customer = self.customer_session()
        self.page_post(self.url, {"score": "6"}, customer)
        self.page_post(self.url, {"step": "more", "comment": "No JS here"}, customer)
        self.assert_counted(6, "customer")

    # --- Hostile text ---

    def test_comment_control_characters_removed_and_cut(self):
        customer = self.customer_session()
        self.answer(self.url, 9, customer)
        comment = f"line one\r\nline two\t{CONTROL}" + "x" * 6000
        self.page_post(self.url, {"step": "more", "comment": comment}, customer)
        self.request.invalidate_recordset()
        stored = self.request.comment
        self.assertTrue(
            stored.startswith("line one\nline two\tABCDEFGHIJK"), stored[:40]
        )
        self.assertFalse(re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u202e]", stored))
        self.assertLessEqual(len(stored), 5000)


@tagged("post_install", "-at_install")
class TestOptOutOtherCompany(NpsHttpMixin, NpsCase, HttpCase):
    def test_customer_of_another_company_cannot_opt_out(self):
        request = self.sent_request(self.customer_a)
        new_test_user(
            self.env,
            login="portal_beta",
            password="portal_beta_pass",
            groups="base.group_portal",
            partner_id=self.customer_b.id,
        )
        url = f"/nps/{request.sudo().access_token}/optout"
        self.authenticate("portal_beta", "portal_beta_pass")
        with mute_logger("odoo.http"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 403)
            # the CSRF token of the visitor's own session (his account page)
            csrf = self.csrf(self.url_open("/my/account"))
            response = self.url_open(url, data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.customer_a.nps_opt_out, "not opted out")


@tagged("post_install", "-at_install")
class TestCounterDevice(NpsCase, HttpCase):
    """The counter link's per-device limit rests on a cookie the server
    issued: a client making up a new cookie for each post, or fetching a
    fresh one before each post, is still one device."""

    def setUp(self):
        super().setUp()
        self.campaign.action_generate_public_link()
        self.url = f"/nps/c/{self.campaign.sudo().public_token}"
        self.campaign.public_rate_per_hour = 1000
        self.secret = (
            self.env["ir.config_parameter"].sudo().get_param("database.secret")
        )

    def post(self, score, cookie=None, fresh_page=True):
        if fresh_page or cookie is not None:
            self.opener.cookies.clear()
        page = self.url_open(self.url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        if cookie is not None:
            for jar_cookie in list(self.opener.cookies):
                if jar_cookie.name == "nps_device":
                    self.opener.cookies.clear(
                        jar_cookie.domain, jar_cookie.path, jar_cookie.name
                    )
            self.opener.cookies.set("nps_device", cookie)
        return self.url_open(self.url, data={"score": str(score), "csrf_token": csrf})

    def counted(self):
        return self.env["nps.request"].search_count(
            [("campaign_id", "=", self.campaign.id), ("state", "=", "answered")]
        )

    def test_made_up_cookies_are_one_device(self):
        statuses = [
            self.post(score, cookie=token_tools.new_token()).status_code
            for score in (9, 8, 7, 6)
        ]
        self.assertEqual(statuses, [200, 429, 429, 429])
        self.assertEqual(self.counted(), 1)

    def test_fresh_cookie_before_each_post_is_one_device(self):
        statuses = [self.post(score).status_code for score in (9, 8, 7)]
        self.assertEqual(statuses, [200, 429, 429])
        self.assertEqual(self.counted(), 1)

    def test_server_issued_cookie_of_a_returning_device(self):
        """A phone that got its cookie earlier is a device of its own, even
        with the same browser on the same network."""
        self.assertEqual(self.post(9).status_code, 200)
        older = token_tools.new_device_cookie(self.secret, time.time() - 3600)
        self.assertEqual(self.post(8, cookie=older).status_code, 200)
        self.assertEqual(self.post(7, cookie=older).status_code, 429)
        self.assertEqual(self.counted(), 2)

    def test_forged_signature_is_not_a_device(self):
        self.assertEqual(self.post(9).status_code, 200)
        cookie = token_tools.new_device_cookie(self.secret, time.time() - 3600)
        forged = cookie[:-4] + ("0000" if not cookie.endswith("0000") else "1111")
        self.assertEqual(self.post(8, cookie=forged).status_code, 429)
        other_secret = token_tools.new_device_cookie(
            "not-the-secret", time.time() - 3600
        )
        self.assertEqual(self.post(7, cookie=other_secret).status_code, 429)

    def test_made_up_user_agents_are_one_device(self):
        """Regression (attack trial): a client posting with a new
        User-Agent string each time was a new device each time (60 answers
        counted in an hour from one address). A string naming no known
        browser is one device; two real browsers are two."""
        statuses = []
        for index, score in enumerate((9, 8, 7)):
            self.opener.headers["User-Agent"] = f"atk-random-{index}"
            statuses.append(self.post(score).status_code)
        self.assertEqual(statuses, [200, 429, 429])
        chrome = (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/131.0.0.0 Safari/537.36"
        )
        self.opener.headers["User-Agent"] = chrome
        self.assertEqual(self.post(6).status_code, 200, "a real browser")
        self.opener.headers["User-Agent"] = chrome.replace("131.0.0.0", "131.0.1.7")
        self.assertEqual(self.post(5).status_code, 429, "the same browser")
        self.assertEqual(self.counted(), 2)

    def test_browser_versions_are_one_device(self):
        """Regression (attack trial): a client changing the version number
        of its User-Agent between posts was a new device each time. The
        device is its browser family and system, whatever their versions."""
        statuses = []
        for version in ("127.0", "128.0", "131.2", "140.0"):
            self.opener.headers["User-Agent"] = FIREFOX_UA.replace("127.0", version)
            statuses.append(self.post(9).status_code)
        self.assertEqual(statuses, [200, 429, 429, 429])
        self.assertEqual(self.counted(), 1)

    def test_stockpiled_cookies_are_one_device(self):
        """Regression (attack trial): a client fetched the page ten times,
        keeping each device cookie, then once the cookies were older than
        the per-device period posted with each: ten devices, ten answers.
        The cookies one client was issued within a period are that client,
        one device: one answer per period however many it holds."""
        self.opener.headers["User-Agent"] = FIREFOX_UA
        stock = []
        # the pages fetched an hour ago: the cookies are older than the period
        with freeze_time(datetime.now() - timedelta(hours=1), tick=True):
            for _index in range(10):
                self.opener.cookies.clear()
                self.url_open(self.url)
                stock.append(self.opener.cookies.get("nps_device"))
        for cookie in stock:
            issued = token_tools.device_cookie_issued(self.secret, cookie)
            self.assertLess(issued, time.time() - 3000, "issued an hour ago")
        self.assertEqual(len(set(stock)), 10, "ten cookies")
        statuses = [self.post(9, cookie=cookie).status_code for cookie in stock]
        self.assertEqual(statuses, [200] + [429] * 9)
        self.assertEqual(self.counted(), 1)

    @mute_logger("odoo.http")
    def test_post_while_another_answer_is_counted_is_asked_again(self):
        """Regression (attack trial): a burst of parallel posts waited for
        the campaign's turn, each holding a database connection, until the
        pool was full (500s). A post arriving while another answer is being
        counted is told at once to send it again; nothing is recorded."""
        page = self.url_open(self.url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        campaign_id = self.campaign.id
        # a connection of its own (the test's registry.cursor() would share
        # the test's transaction)
        with db_connect(self.env.cr.dbname).cursor() as other:
            # another post counting its answer this instant
            other.execute(
                "SELECT pg_advisory_xact_lock(hashtext('nps_campaign'), %s)",
                [campaign_id],
            )
            response = self.url_open(
                self.url, data={"score": "9", "csrf_token": csrf}, timeout=20
            )
            other.rollback()
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.headers.get("Retry-After"), "2")
        self.assertIn("please send your score again", response.text)
        self.assertEqual(self.counted(), 0, "nothing recorded")
        self.assertEqual(self.post(9).status_code, 200, "its turn once free")

    def test_counter_privacy_notice_says_anonymous(self):
        page = self.url_open(self.url)
        self.assertIn("Your answer is anonymous: it is kept without your", page.text)
        self.assertNotIn("customer record", page.text)

    def test_over_the_ceiling_thanked_without_a_comment_box(self):
        """Past its network's hourly ceiling an answer is kept for review:
        the visitor is thanked, and asked no comment that would be lost."""
        self.campaign.public_rate_per_hour = 1
        self.assertEqual(self.post(9).status_code, 200)
        self.opener.headers["User-Agent"] = FIREFOX_UA
        reply = self.post(8)
        self.assertEqual(reply.status_code, 200)
        self.assertNotIn('name="comment"', reply.text)
        self.assertIn("<strong>8</strong>", reply.text)

    def test_counter_comment_from_the_answering_device_only(self):
        reply = self.post(9)
        self.assertEqual(reply.status_code, 200)
        request = self.env["nps.request"].search(
            [("campaign_id", "=", self.campaign.id), ("anonymous", "=", True)]
        )
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', reply.text).group(1)
        url = f"/nps/{request.sudo().access_token}"
        with mute_logger("odoo.http"):
            self.opener.headers["User-Agent"] = FIREFOX_UA
            other = self.url_open(
                url, data={"step": "more", "comment": "Spam", "csrf_token": csrf}
            )
        self.assertEqual(other.status_code, 403)
        self.assertFalse(request.comment)


@tagged("post_install", "-at_install")
class TestStaffReach(NpsCase):
    """Agents of every ticket read the surveys of tickets, project users
    those of projects; neither reads the newsletters', relationship or
    onboarding answers. An agent's own phone recording never counts in his
    own figures."""

    def test_project_and_helpdesk_users_read_their_documents_surveys_only(self):
        ticket_request = self.sent_request(self.customer_a)
        manual = self.campaign.copy({"name": "Relationship", "trigger": "manual"})
        other = self.env["nps.request"].create(
            {
                "campaign_id": manual.id,
                "partner_id": self.customer_b.id,
                "state": "sent",
            }
        )
        other._nps_record_answer(score=2, comment="Confidential relationship answer")
        project_user = new_test_user(
            self.env,
            login="reach_project",
            groups="base.group_user,project.group_project_user",
        )
        found = self.env["nps.request"].with_user(project_user).search([])
        self.assertNotIn(other, found, "not the relationship answer")
        self.assertNotIn(ticket_request, found, "not a ticket's survey")
        agent_all = self.agent  # every ticket
        found = self.env["nps.request"].with_user(agent_all).search([])
        self.assertIn(ticket_request, found)
        self.assertNotIn(other, found, "not the relationship answer")
        self.assertIn(
            other, self.env["nps.request"].with_user(self.nps_user).search([])
        )

    def test_agents_own_phone_recording_not_in_his_figures(self):
        request = self.sent_request(self.customer_a)
        wizard = (
            self.env["nps.phone.answer"]
            .with_user(self.agent)
            .create({"request_id": request.id, "score": "10"})
        )
        wizard.action_record()
        self.assertEqual(request.state, "answered")
        self.env.flush_all()
        rows = (
            self.env["nps.agent.report"]
            .with_user(self.agent)
            .search([("request_id", "=", request.id)])
        )
        self.assertFalse(rows, "not in the figures of the agent who recorded it")
        colleague = self.sent_request(self.customer_b)
        self.env["nps.phone.answer"].with_user(self.nps_user).create(
            {"request_id": colleague.id, "score": "10"}
        ).action_record()
        self.env.flush_all()
        rows = self.env["nps.agent.report"].search([("request_id", "=", colleague.id)])
        self.assertEqual(rows.answer_count, 1, "recorded by someone else: counted")


@tagged("post_install", "-at_install")
class TestParallelCounts(NpsCase):
    """What a limit counts (the counter link's answers per device and per
    network) is counted one post at a time: while one transaction counts, a
    second is told at once that it is busy (nothing recorded, the visitor
    sends his answer again) rather than waiting for its turn, which would
    hold a database connection per waiting post. Two real database
    connections show it."""

    def test_counter_answers_of_a_campaign_are_counted_one_at_a_time(self):
        campaign_id = self.campaign.id  # shipped: visible to both connections

        def check(env):
            return (
                env["nps.campaign"].browse(campaign_id)._nps_counter_check("n:d", "n")
            )

        # the second is told at once that another answer is being counted
        # (it never waits for its turn holding a database connection)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self.assertIsNone(check(self.env(cr=cr1)))
            self.assertEqual(check(self.env(cr=cr2)), "busy")
            cr1.rollback()
            self.assertIsNone(check(self.env(cr=cr2)), "its turn once free")
            cr2.rollback()
