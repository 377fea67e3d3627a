import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ANDROID_UA, FIREFOX_UA, SAFARI_UA, NpsCase


@tagged("post_install", "-at_install")
class TestPortal(NpsCase, HttpCase):
    """/my/satisfaction lists the signed-in customer's surveys only."""

    def setUp(self):
        super().setUp()
        self.portal_a = new_test_user(
            self.env,
            login="portal_a",
            password="portal_a_pass",
            groups="base.group_portal",
            partner_id=self.customer_a.id,
        )
        self.portal_b = new_test_user(
            self.env,
            login="portal_b",
            password="portal_b_pass",
            groups="base.group_portal",
            partner_id=self.customer_b.id,
        )
        self.request_a = self.sent_request(self.customer_a)
        self.request_b = self.sent_request(self.customer_b)
        self.request_b._nps_record_answer(score=8)

    def test_rules_isolate_customers(self):
        own = self.env["nps.request"].with_user(self.portal_a).search([])
        self.assertEqual(own, self.request_a)
        with self.assertRaises(AccessError):
            self.request_b.with_user(self.portal_a).check_access("read")
        with self.assertRaises(AccessError):
            self.request_a.with_user(self.portal_a).write({"score": 10})

    def test_portal_page_lists_own_surveys_with_answer_link(self):
        self.authenticate("portal_a", "portal_a_pass")
        response = self.url_open("/my/satisfaction")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/nps/{self.request_a.sudo().access_token}", response.text)
        self.assertNotIn(self.request_b.sudo().access_token, response.text)
        self.assertIn("o_nps_portal_answer", response.text)

    def test_other_customer_sees_past_answer_not_link(self):
        self.authenticate("portal_b", "portal_b_pass")
        response = self.url_open("/my/satisfaction")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.request_a.sudo().access_token, response.text)
        self.assertRegex(response.text, r"<strong>8</strong>\s*/10")

    def test_portal_home_counter(self):
        self.authenticate("portal_a", "portal_a_pass")
        response = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["nps_count"]}
        )
        self.assertEqual(response["nps_count"], 1)

    def test_public_is_sent_to_login(self):
        response = self.url_open("/my/satisfaction", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_ticket_portal_page_shows_survey_and_qr(self):
        ticket = self.request_a.ticket_id
        ticket.sudo().partner_id = self.customer_a
        survey = ticket.with_user(self.portal_a)._nps_portal_survey()
        self.assertEqual(survey, self.request_a)
        self.assertFalse(
            ticket.with_user(self.portal_b)._nps_portal_survey(),
            "not shown to another customer",
        )
        response = self.url_open(f"/nps/{survey.access_token}/qr?format=svg")
        self.assertEqual(response.headers["Content-Type"], "image/svg+xml")


@tagged("post_install", "-at_install")
class TestPrintQr(NpsCase):
    def test_print_opens_a_scheduled_survey_without_mail(self):
        self.campaign.send_delay_days = 3
        ticket = self.make_tickets(self.customer_a)
        request = self.close(ticket)
        self.assertEqual(request.state, "scheduled")
        action = ticket.action_nps_print_qr()
        self.assertEqual(action["report_name"], "nps_satisfaction.report_nps_qr")
        self.assertEqual((request.state, request.channel), ("sent", "qr"))
        self.assertTrue(request._nps_is_open(), "open for the printed code's answer")
        self.assertFalse(request.mail_id, "no email for a printed code")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("nps_satisfaction.report_nps_qr", request.ids)[0]
            .decode()
        )
        self.assertIn("data:image/svg+xml;base64,", html)
        self.assertIn(request._nps_answer_url(), html)


@tagged("post_install", "-at_install")
class TestCounterQr(NpsCase, HttpCase):
    """The campaign's counter link: anonymous answers, one per device per
    period, a ceiling per network."""

    def setUp(self):
        super().setUp()
        self.campaign.action_generate_public_link()
        self.url = f"/nps/c/{self.campaign.sudo().public_token}"

    def answer(self, score, cookies=None, user_agent=None):
        """Answer on the counter page; ``cookies={}``: a device that never
        came (another phone: give it its own ``user_agent``)."""
        session = self.opener
        if cookies is not None:
            session.cookies.clear()
        if user_agent:
            session.headers["User-Agent"] = user_agent
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(self.url, data={"score": str(score), "csrf_token": csrf})

    def anonymous_requests(self):
        return self.env["nps.request"].search(
            [("campaign_id", "=", self.campaign.id), ("anonymous", "=", True)]
        )

    def test_anonymous_answer_then_device_limit(self):
        response = self.answer(9)
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="comment"', response.text, "the comment page follows")
        requests = self.anonymous_requests()
        self.assertEqual(len(requests), 1)
        self.assertEqual((requests.score, requests.channel), (9, "qr"))
        self.assertEqual(requests.partner_id.name, "Anonymous (counter QR code)")
        again = self.answer(3)
        self.assertEqual(again.status_code, 429, "one answer per device per period")
        self.assertEqual(len(self.anonymous_requests()), 1, "nothing more recorded")

    def test_new_device_answers_and_network_ceiling(self):
        """Past its network's hourly ceiling an answer is kept for review, not
        counted, and the visitor is not turned away: one abuser behind a
        shop's Wi-Fi does not shut out the customers sharing its address."""
        self.campaign.public_rate_per_hour = 2
        self.assertEqual(self.answer(9, user_agent=SAFARI_UA).status_code, 200)
        self.assertEqual(
            self.answer(8, cookies={}, user_agent=ANDROID_UA).status_code, 200
        )
        self.assertEqual(
            self.answer(7, cookies={}, user_agent=FIREFOX_UA).status_code, 200
        )
        requests = self.anonymous_requests()
        self.assertEqual(len(requests), 3)
        held = requests.filtered(lambda r: r.state == "sent")
        self.assertEqual(len(held), 1, "the third is kept, not counted")
        self.assertEqual(
            (held.provisional_state, held.provisional_score), ("suspect", 7)
        )
        self.assertIn("ceiling", held.provisional_reason)
        with self.assertRaises(AccessError):
            held.with_user(self.nps_user).action_count_answer()
        held.with_user(self.manager).action_count_answer()
        self.assertEqual(
            (held.state, held.score, held.confirmed_by), ("answered", 7, "reviewed")
        )

    def test_device_without_cookie_is_its_address_and_browser(self):
        """A client that never sends the cookie back is not a new device at
        every post."""
        self.assertEqual(self.answer(9, user_agent=SAFARI_UA).status_code, 200)
        self.opener.headers["User-Agent"] = FIREFOX_UA
        replies = []
        for score in ("5", "4"):
            page = self.url_open(self.url)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            # the device cookie the page sets is never sent back
            for cookie in list(self.opener.cookies):
                if cookie.name == "nps_device":
                    self.opener.cookies.clear(cookie.domain, cookie.path, cookie.name)
            replies.append(
                self.url_open(self.url, data={"score": score, "csrf_token": csrf})
            )
        self.assertEqual([r.status_code for r in replies], [200, 429])

    def test_one_device_one_answer_per_period_by_a_unique_key(self):
        """Parallel posts of one device: the device's period is a unique key,
        so a second request for it fails however the posts interleave."""
        first = self.campaign.sudo()._nps_create_anonymous("net:device")
        self.assertTrue(first.sudo().device_slot)
        second = self.campaign.sudo()._nps_create_anonymous("net:device")
        self.assertFalse(second, "the same device in the same period")
        other = self.campaign.sudo()._nps_create_anonymous("net:other")
        self.assertTrue(other)

    def test_anonymous_detractor_opens_no_followup(self):
        self.answer(1)
        request = self.anonymous_requests()
        self.assertEqual(request.nps_category, "detractor")
        self.assertFalse(self.activity_of(request))
        self.assertFalse(request.followup_ids)

    def test_unknown_or_disabled_link_404(self):
        self.assertEqual(self.url_open("/nps/c/nope").status_code, 404)
        self.campaign.action_disable_public_link()
        self.assertEqual(self.url_open(self.url).status_code, 404)

    def test_bad_score_400(self):
        page = self.url_open(self.url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(self.url, data={"score": "12", "csrf_token": csrf})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.anonymous_requests())

    def test_counter_qr_image(self):
        response = self.url_open(f"{self.url}/qr")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        self.assertTrue(self.campaign.public_qr_image)


@tagged("post_install", "-at_install")
class TestPrintQrAccess(NpsCase, HttpCase):
    """A printed QR code answers as the customer: the staff who could print
    their own document's survey (agents, project users, satisfaction users)
    could answer it themselves and count in their own figures. Only
    satisfaction managers print it, and the survey keeps who did."""

    def setUp(self):
        super().setUp()
        self.request = self.sent_request(self.customer_a)
        self.token = self.request.sudo().access_token
        self.url = f"/report/html/nps_satisfaction.report_nps_qr/{self.request.id}"

    def test_agent_cannot_print_his_ticket_survey(self):
        ticket = self.request.ticket_id
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).action_nps_print_qr()
        self.authenticate("agent", "agent")
        with mute_logger("odoo.http"):
            response = self.url_open(self.url)
        self.assertNotIn(self.token, response.text, "no survey link for the agent")
        self.assertNotIn("data:image/svg+xml", response.text, "no QR code")

    def test_satisfaction_user_cannot_print(self):
        self.authenticate("nps_user", "nps_user")
        with mute_logger("odoo.http"):
            response = self.url_open(self.url)
        self.assertNotIn(self.token, response.text)

    def test_manager_prints_and_is_recorded(self):
        ticket = self.request.ticket_id
        action = ticket.with_user(self.manager).action_nps_print_qr()
        self.assertEqual(action["report_name"], "nps_satisfaction.report_nps_qr")
        self.assertEqual(self.request.qr_printed_by_id, self.manager)
        self.assertTrue(self.request.qr_printed_date)
        self.authenticate("nps_manager", "nps_manager")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/nps/{self.token}", response.text)
        self.assertIn("data:image/svg+xml", response.text)
