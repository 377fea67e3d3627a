import re
from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.nps_prompt import PROMPT_COOKIE, PROMPT_HIDE_DAYS
from .common import CUSTOMER_UA, NpsCase, NpsHttpMixin

PROMPT_FORM_RE = re.compile(
    r'<form method="post" class="o_nps_prompt_form" action="([^"]+)"'
)


@tagged("post_install", "-at_install")
class TestPrompt(NpsHttpMixin, NpsCase, HttpCase):
    """The satisfaction prompt on the portal and the website: the signed-in
    customer's own waiting survey only, answered through the answer page's
    flow with channel web, hidden for a while when dismissed."""

    def setUp(self):
        super().setUp()
        users = {}
        for login, partner in (
            ("prompt_a", self.customer_a),
            ("prompt_a2", self.customer_a2),
            ("prompt_b", self.customer_b),
        ):
            users[login] = new_test_user(
                self.env,
                login=login,
                groups="base.group_portal",
                partner_id=partner.id,
            )
        self.portal_a = users["prompt_a"]
        self.portal_b = users["prompt_b"]
        self.request_a = self.sent_request(self.customer_a)
        self.request_b = self.sent_request(self.customer_b)
        # clicked an hour after the email: not a scanner's haste
        for request in self.request_a | self.request_b:
            request.sent_date -= timedelta(hours=1)
        self.token_a = self.request_a.sudo().access_token
        self.token_b = self.request_b.sudo().access_token

    def sign_in(self, login):
        self.authenticate(login, login)
        self.opener.headers["User-Agent"] = CUSTOMER_UA

    def prompt_action(self, response):
        match = PROMPT_FORM_RE.search(response.text)
        return match and match.group(1)

    def click_prompt(self, score):
        """Open /my and click ``score`` in the prompt, as the browser posts
        it; returns the answer page's response."""
        page = self.url_open("/my")
        action = self.prompt_action(page)
        self.assertEqual(action, f"/nps/{self.token_a}", "the customer's own survey")
        return self.opener.post(
            self.base_url() + action,
            data={"score": str(score), "channel": "web", "csrf_token": self.csrf(page)},
            timeout=30,
        )

    # --- Who sees it ---

    def test_prompt_shows_own_survey_with_scale(self):
        self.sign_in("prompt_a")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.prompt_action(response), f"/nps/{self.token_a}")
        scores = re.findall(r'name="score" value="(\d+)"', response.text)
        self.assertEqual(scores, [str(score) for score in range(11)], "the scale")
        self.assertIn('name="channel" value="web"', response.text)
        self.assertNotIn(self.token_b, response.text)

    def test_prompt_never_shows_another_customers_survey(self):
        self.sign_in("prompt_a2")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_nps_prompt", response.text, "a colleague has none")
        self.assertNotIn(self.token_a, response.text, "nor the colleague's survey")
        self.sign_in("prompt_b")
        response = self.url_open("/my")
        self.assertEqual(self.prompt_action(response), f"/nps/{self.token_b}")
        self.assertNotIn(self.token_a, response.text)

    def test_prompt_not_for_opted_out_or_blacklisted(self):
        Prompt = self.env["nps.prompt"]
        self.assertEqual(Prompt._nps_prompt_request(self.portal_a), self.request_a)
        self.customer_a.nps_opt_out = True
        self.assertFalse(Prompt._nps_prompt_request(self.portal_a), "opted out")
        self.customer_a.nps_opt_out = False
        self.company_a.nps_opt_out = True
        self.assertFalse(Prompt._nps_prompt_request(self.portal_a), "company out")
        self.company_a.nps_opt_out = False
        self.env["mail.blacklist"]._add(self.customer_a.email)
        self.assertFalse(Prompt._nps_prompt_request(self.portal_a), "blacklisted")
        self.sign_in("prompt_a")
        self.assertNotIn("o_nps_prompt", self.url_open("/my").text)

    def test_prompt_only_for_open_surveys_of_customers(self):
        Prompt = self.env["nps.prompt"]
        self.assertFalse(Prompt._nps_prompt_request(self.agent), "an employee")
        self.assertFalse(
            Prompt._nps_prompt_request(self.env.ref("base.public_user")), "public"
        )
        self.request_a.sudo().state = "test"
        self.assertFalse(Prompt._nps_prompt_request(self.portal_a), "a test")
        self.request_a.sudo().state = "expired"
        self.assertFalse(Prompt._nps_prompt_request(self.portal_a), "expired")
        self.request_b._nps_record_answer(score=7)
        self.assertFalse(Prompt._nps_prompt_request(self.portal_b), "answered")

    def test_prompt_on_website_pages(self):
        """Odoo's website builds its layout on the portal's: its pages show
        the prompt as well (the website is installed with nps_elearning)."""
        website = self.env["ir.module.module"]._get("website")
        self.sign_in("prompt_a")
        if website.state != "installed":
            # without the website, the portal's own pages carry it
            response = self.url_open("/my/satisfaction")
        else:
            response = self.url_open("/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.prompt_action(response), f"/nps/{self.token_a}")

    # --- Answering ---

    def test_click_answers_with_channel_web_after_confirmation(self):
        self.sign_in("prompt_a")
        response = self.click_prompt(9)
        self.assertEqual(response.status_code, 200, response.text[:300])
        attempt = self.request_a.sudo().attempt_ids
        self.assertEqual(attempt.channel, "web")
        self.assertEqual(
            self.request_a.state, "sent", "provisional until the browser confirms"
        )
        self.assertTrue(self.confirm(f"/nps/{self.token_a}", response))
        self.apply_effects()
        self.assertEqual(self.request_a.state, "answered")
        self.assertEqual(self.request_a.score, 9)
        self.assertEqual(self.request_a.channel, "web", "the answer's channel")
        # the comment follows, on the same page flow
        comment = self.opener.post(
            f"{self.base_url()}/nps/{self.token_a}",
            data={
                "comment": "Quick and kind",
                "step": "more",
                "csrf_token": self.csrf(response),
            },
            timeout=30,
        )
        self.assertEqual(comment.status_code, 200)
        self.assertEqual(self.request_a.comment, "Quick and kind")
        self.assertEqual(self.request_a.channel, "web")
        self.assertNotIn("o_nps_prompt", self.url_open("/my").text, "answered")

    def test_unconfirmed_click_settles_with_channel_web(self):
        self.sign_in("prompt_a")
        self.click_prompt(4)
        attempt = self.request_a.sudo().attempt_ids
        attempt.attempt_date -= timedelta(days=1)
        self.assertEqual(self.env["nps.answer.service"]._nps_settle(), self.request_a)
        self.assertEqual(self.request_a.channel, "web")
        self.assertEqual(self.request_a.score, 4)

    def test_email_answer_keeps_channel_email(self):
        self.answer(f"/nps/{self.token_a}", 10, self.customer_session())
        self.assertEqual(self.request_a.state, "answered")
        self.assertEqual(self.request_a.channel, "email")

    def test_poster_cannot_relabel_the_channel(self):
        """Regression (attack trial): the answer page took ``channel=web``
        from any poster, so a client posting on the email's link relabelled
        its answer as the portal prompt's. ``web`` is the prompt's, which
        only the request's own contact signed in is shown: anyone else's
        answer keeps the request's channel (email)."""
        # the link's holder, not signed in
        url = f"/nps/{self.token_b}"
        response = self.page_post(
            url, {"score": "9", "channel": "web"}, self.customer_session(), auto=True
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertTrue(self.confirm(url, response))
        self.apply_effects()
        self.assertEqual(self.request_b.state, "answered")
        self.assertEqual(self.request_b.sudo().attempt_ids.channel, "email")
        self.assertEqual(self.request_b.channel, "email", "the request's channel")
        # a colleague of the customer, signed in, on a survey the prompt
        # never offers him
        url = f"/nps/{self.token_a}"
        self.sign_in("prompt_a2")
        response = self.page_post(url, {"score": "3", "channel": "web"}, auto=True)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertTrue(self.confirm(url, response))
        self.apply_effects()
        self.assertEqual(
            (self.request_a.state, self.request_a.channel), ("answered", "email")
        )

    def test_other_customer_cannot_post_the_prompt(self):
        """Another customer's session replaying the prompt's form records
        nothing."""
        self.sign_in("prompt_b")
        page = self.url_open("/my")
        response = self.opener.post(
            f"{self.base_url()}/nps/{self.token_a}",
            data={"score": "0", "channel": "web", "csrf_token": self.csrf(page)},
            timeout=30,
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.request_a.sudo().attempt_ids)

    @mute_logger("odoo.http")  # the forged POST's CSRF warning
    def test_post_without_csrf_records_nothing(self):
        self.sign_in("prompt_a")
        response = self.opener.post(
            f"{self.base_url()}/nps/{self.token_a}",
            data={"score": "0", "channel": "web"},
            timeout=30,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.request_a.sudo().attempt_ids)

    # --- Dismissing ---

    def dismiss(self, redirect="/my", csrf=True):
        page = self.url_open("/my")
        data = {"redirect": redirect}
        if csrf:
            data["csrf_token"] = self.csrf(page)
        return self.opener.post(
            f"{self.base_url()}/my/satisfaction/prompt/dismiss",
            data=data,
            allow_redirects=False,
            timeout=30,
        )

    def test_dismiss_hides_prompt_for_days_in_this_browser(self):
        self.sign_in("prompt_a")
        response = self.dismiss()
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        cookie = response.headers["Set-Cookie"]
        self.assertIn(f"{PROMPT_COOKIE}=1", cookie)
        self.assertIn(f"Max-Age={PROMPT_HIDE_DAYS * 86400}", cookie)
        self.assertIn("HttpOnly", cookie)
        self.assertNotIn("o_nps_prompt", self.url_open("/my").text)
        self.assertEqual(self.request_a.state, "sent", "the survey stays open")
        self.assertIn(self.token_a, self.url_open("/my/satisfaction").text)

    @mute_logger("odoo.http")  # the forged POST's CSRF warning
    def test_dismiss_needs_csrf_and_stays_on_site(self):
        self.sign_in("prompt_a")
        forged = self.dismiss(csrf=False)
        self.assertEqual(forged.status_code, 400, "a forged POST is refused")
        self.assertNotIn(PROMPT_COOKIE, forged.headers.get("Set-Cookie", ""))
        for target in ("https://evil.example.com/x", "//evil.example.com/x"):
            response = self.dismiss(redirect=target)
            self.assertEqual(response.status_code, 303)
            self.assertNotIn("evil.example.com", response.headers["Location"])

    def test_tour_dismiss(self):
        self.start_tour("/my", "nps_prompt_dismiss", login="prompt_a")
        self.assertEqual(self.request_a.state, "sent")
