from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import LinkCase

INVITATION = "nps_elearning.mail_template_onboarding_invitation"
REMINDER = "nps_elearning.mail_template_onboarding_reminder"


@tagged("post_install", "-at_install")
class TestPersonalLink(LinkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx | cls.sip
        cls.company_b.nps_service_type_ids = cls.pbx
        cls.member = cls.members(cls.course_pbx, cls.alice)
        cls.url = f"/onboarding/{cls.course_pbx.id}/{cls.member.nps_access_token}"
        cls.officer = new_test_user(
            cls.env,
            login="onb_link_officer",
            groups="base.group_user,website_slides.group_website_slides_officer",
        )

    def test_a_plain_get_signs_nobody_in(self):
        """A mail scanner fetching the link (or running the page) gets a
        page with a button, and no session; no account is made."""
        users_before = self.env["res.users"].search_count([])
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Open my course", response.text)
        self.assertFalse(self.session_uid(), "a GET opens no session")
        self.assertIn("/web/login", self.url_open("/my").url, "not signed in")
        self.assertEqual(self.env["res.users"].search_count([]), users_before)
        self.assertFalse(self.alice.user_ids, "no account before the learner acts")

    def test_a_browser_running_the_page_signs_nobody_in(self):
        """A scanner that runs the page in a real browser (Chromium) and
        waits: no session, and the button was not pressed for it."""
        self.browser_js(
            self.url,
            "setTimeout(() => console.log('test successful'), 1500)",
            ready="document.readyState === 'complete'",
        )
        self.assertFalse(http.root.session_store.get(self.session.sid).uid)
        self.assertFalse(self.alice.sudo().signup_type, "no sign-up prepared")
        self.assertFalse(self.alice.user_ids)

    def test_the_button_leads_to_odoo_sign_up_then_the_course(self):
        response = self.press_open(self.url)
        self.assertEqual(response.status_code, 303)
        location = response.headers["Location"]
        self.assertTrue(location.startswith("/web/signup?"), location)
        self.assertFalse(self.session_uid(), "the button alone signs nobody in")
        page = self.sign_up(location, "alice-Secret-2026")
        user = self.alice.user_ids
        self.assertTrue(user.share, "a portal account, never an internal one")
        self.assertEqual(self.session_uid(), user.id, "signed in by Odoo's sign-up")
        self.assertTrue(user.login_date, "Odoo logged the sign-in")
        self.assertTrue(
            self.env["res.users.log"].search([("create_uid", "=", user.id)]),
            "the sign-in is in Odoo's log",
        )
        self.assertIn("Plug in your phone", page.text, "landed on the course")
        # the link again, signed in: straight to the course
        response = self.url_open(self.url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(self.course_pbx.website_url)
        )

    def test_a_learner_with_a_password_goes_to_the_login_page(self):
        user = new_test_user(
            self.env,
            login="alice@acme.example.com",
            groups="base.group_portal",
            partner_id=self.alice.id,
        )
        user.with_user(user)._update_last_login()
        self.assertTrue(user.login_date)
        response = self.press_open(self.url)
        self.assertEqual(response.status_code, 303)
        location = response.headers["Location"]
        self.assertTrue(location.startswith("/web/login?"), location)
        self.assertIn("login=alice%40acme.example.com", location)
        self.assertFalse(self.session_uid(), "the password is still asked")

    def test_expired_link_answers_a_clear_page(self):
        self.member.nps_access_expiry = fields.Datetime.now() - timedelta(minutes=1)
        csrf = self.csrf(self.url_open("/web/login"))
        for method in ("GET", "POST"):
            data = {"csrf_token": csrf} if method == "POST" else None
            response = self.url_open(self.url, method=method, data=data)
            self.assertEqual(response.status_code, 410, method)
            self.assertIn("Link expired", response.text)
        self.assertFalse(self.session_uid())
        self.assertFalse(self.alice.user_ids)

    def test_links_end_after_the_company_setting(self):
        self.env.company.nps_onboarding_link_days = 3
        self.member.action_nps_send_invitation()
        self.assertAlmostEqual(
            self.member.nps_access_expiry,
            fields.Datetime.now() + timedelta(days=3),
            delta=timedelta(minutes=5),
        )
        with self.assertRaises(ValidationError):
            self.env.company.nps_onboarding_link_days = 0

    def test_revoked_link_then_sent_again(self):
        token = self.member.nps_access_token
        self.member.with_user(self.officer).action_nps_revoke_link()
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 410)
        self.assertIn("Link revoked", response.text)
        self.member.with_user(self.officer).action_nps_send_invitation()
        self.assertNotEqual(self.member.nps_access_token, token, "a new link")
        self.assertEqual(self.url_open(self.url).status_code, 404, "the old one")
        new_url = f"/onboarding/{self.course_pbx.id}/{self.member.nps_access_token}"
        self.assertEqual(self.url_open(new_url).status_code, 200)
        self.assertGreater(self.member.nps_access_expiry, fields.Datetime.now())

    def test_only_link_managers_revoke_or_resend(self):
        salesman = new_test_user(
            self.env, login="onb_salesman", groups="base.group_user"
        )
        for action in ("action_nps_revoke_link", "action_nps_send_invitation"):
            with self.assertRaises(AccessError):
                getattr(self.member.with_user(salesman), action)()
        self.assertFalse(self.member.nps_access_revoked)

    def test_token_of_another_course_is_refused(self):
        response = self.url_open(
            f"/onboarding/{self.course_sip.id}/{self.member.nps_access_token}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertIn("Link not found", response.text)
        self.assertFalse(self.session_uid(), "nobody signed in")

    def test_unknown_or_oversized_token_is_refused(self):
        for token in ("x" * 43, "a" * 500, self.member.nps_access_token[:-1]):
            response = self.url_open(
                f"/onboarding/{self.course_pbx.id}/{token}", allow_redirects=False
            )
            self.assertEqual(response.status_code, 404, token[:10])
        self.assertFalse(self.session_uid())

    def test_link_of_another_contact_is_refused_to_a_signed_in_learner(self):
        bob_user = new_test_user(
            self.env,
            login="bob-learner",
            groups="base.group_portal",
            partner_id=self.bob.id,
            password="bob-password-123",
        )
        self.authenticate(bob_user.login, "bob-password-123")
        response = self.url_open(self.url, allow_redirects=False)
        self.assertEqual(response.status_code, 403, "Alice's link, Bob's session")
        self.assertEqual(self.session_uid(), bob_user.id, "Bob stays Bob")
        bob_url = (
            f"/onboarding/{self.course_pbx.id}/"
            f"{self.members(self.course_pbx, self.bob).nps_access_token}"
        )
        self.assertEqual(self.url_open(bob_url, allow_redirects=False).status_code, 303)

    def test_contact_of_an_internal_user_is_never_signed_in(self):
        new_test_user(
            self.env,
            login="alice-employee",
            groups="base.group_user",
            partner_id=self.alice.id,
        )
        csrf = self.csrf(self.url_open("/web/login"))
        for method in ("GET", "POST"):
            data = {"csrf_token": csrf} if method == "POST" else None
            response = self.url_open(
                self.url, method=method, data=data, allow_redirects=False
            )
            self.assertEqual(response.status_code, 403, method)
        self.assertFalse(self.session_uid(), "no internal session handed out")

    @mute_logger("odoo.http")
    def test_a_file_for_the_button_gets_400(self):
        page = self.url_open(self.url)
        response = self.url_open(
            self.url,
            data={"csrf_token": self.csrf(page)},
            files={"x": ("x.txt", b"file content")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.alice.sudo().signup_type, "no sign-up prepared")

    def test_qr_code_of_the_link(self):
        response = self.url_open(f"{self.url}/qr")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        self.assertFalse(self.session_uid(), "the QR code signs nobody in")


@tagged("post_install", "-at_install")
class TestOnboardingEmails(LinkCase):
    """The onboarding emails honour the blacklist and carry an unsubscribe
    link that works once, on a POST."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx
        cls.member = cls.members(cls.course_pbx, cls.alice)
        cls.url = f"/onboarding/{cls.course_pbx.id}/{cls.member.nps_access_token}"

    def test_invitation_carries_the_link_its_end_and_an_unsubscribe_link(self):
        mail = self.mails(INVITATION, self.alice)
        self.assertEqual(len(mail), 1)
        self.assertIn(f"{self.url}/unsubscribe", mail.body_html)
        self.assertIn(self.url, mail.body_html)
        self.assertNotIn("no password needed", mail.body_html)

    def test_blacklisted_address_gets_no_onboarding_email(self):
        self.env["mail.blacklist"]._add(self.arthur.email)
        arthur = self.members(self.course_pbx, self.arthur)
        before = len(self.mails(INVITATION, self.arthur))
        arthur.action_nps_send_invitation()
        self.assertEqual(len(self.mails(INVITATION, self.arthur)), before)
        arthur.write({"nps_stalled": True, "nps_last_progress_date": self.past(30)})
        self.assertNotIn(arthur, self.env["slide.channel.partner"]._nps_due_reminders())

    def test_unsubscribe_asks_on_get_and_records_once_on_post(self):
        url = f"{self.url}/unsubscribe"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertFalse(self.alice.nps_onboarding_opt_out, "a GET only asks")
        csrf = self.csrf(page)
        for _attempt in range(2):
            response = self.url_open(url, data={"csrf_token": csrf})
            self.assertEqual(response.status_code, 200)
            self.assertIn("Unsubscribed", response.text)
        self.assertTrue(self.alice.nps_onboarding_opt_out)
        notes = self.alice.message_ids.filtered(
            lambda m: "Unsubscribed from the onboarding" in (m.body or "")
        )
        self.assertEqual(len(notes), 1, "a second POST writes nothing")
        self.member.write(
            {"nps_stalled": True, "nps_last_progress_date": self.past(30)}
        )
        self.assertNotIn(
            self.member, self.env["slide.channel.partner"]._nps_due_reminders()
        )
        before = len(self.mails(INVITATION, self.alice))
        self.member.action_nps_send_invitation()
        self.assertEqual(len(self.mails(INVITATION, self.alice)), before)
        self.assertEqual(self.url_open(url).status_code, 200, "still answers")
        self.assertEqual(
            self.url_open(f"/onboarding/1/{'z' * 43}/unsubscribe").status_code, 404
        )

    @mute_logger("odoo.http")
    def test_unsubscribe_refuses_a_file_and_a_signed_in_employee(self):
        url = f"{self.url}/unsubscribe"
        csrf = self.csrf(self.url_open(url))
        response = self.url_open(
            url, data={"csrf_token": csrf}, files={"x": ("x.txt", b"file")}
        )
        self.assertEqual(response.status_code, 400)
        new_test_user(
            self.env,
            login="onb_employee",
            groups="base.group_user",
            password="onb-employee-2026",
        )
        self.authenticate("onb_employee", "onb-employee-2026")
        csrf = self.csrf(self.url_open(url))
        response = self.url_open(url, data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.alice.nps_onboarding_opt_out, "nothing recorded")


@tagged("post_install", "-at_install")
class TestCompanyLink(LinkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx | cls.sip
        cls.company_a.action_nps_onboarding_link()
        cls.token = cls.company_a.nps_onboarding_token
        cls.url = f"/onboarding/join/{cls.token}"
        # customer A's account manager: a salesperson, Internal User only
        cls.salesman = new_test_user(
            cls.env, login="onb_sales_a", groups="base.group_user", name="Sam Sales"
        )
        cls.company_a.user_id = cls.salesman
        cls.other_salesman = new_test_user(
            cls.env, login="onb_sales_b", groups="base.group_user"
        )

    def join(self, name, email):
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        return self.url_open(
            self.url,
            data={"name": name, "email": email, "csrf_token": self.csrf(page)},
        )

    def requests(self, email):
        return self.env["nps.onboarding.join"].search([("email", "=", email)])

    def test_link_and_qr_on_the_company(self):
        self.assertGreaterEqual(len(self.token), 43)
        self.assertTrue(self.company_a.nps_onboarding_join_url.endswith(self.url))
        self.assertTrue(self.company_a.nps_onboarding_join_qr)
        self.assertTrue(self.company_a.nps_onboarding_join_active)
        self.assertEqual(
            self.company_a.nps_onboarding_domains,
            "acme.example.com",
            "the domains of the customer's own addresses",
        )
        response = self.url_open(f"{self.url}/qr")
        self.assertEqual(response.headers["Content-Type"], "image/png")

    def test_an_address_of_a_known_domain_joins_as_a_learner_not_a_contact(self):
        page = self.url_open(self.url)
        self.assertIn("Hosted PBX basics", page.text, "the company's courses")
        response = self.join("Zoe New", "zoe@acme.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        zoe = self.env["res.partner"].search([("email", "=", "zoe@acme.example.com")])
        self.assertFalse(zoe.parent_id, "not a contact of the customer")
        self.assertEqual(zoe.nps_learner_customer_id, self.company_a)
        self.assertEqual(zoe.commercial_partner_id, zoe)
        self.assertFalse(zoe.user_ids, "no account until Zoe signs up")
        members = self.members(partners=zoe)
        self.assertEqual(members.channel_id, self.course_pbx | self.course_sip)
        self.assertEqual(set(members.mapped("nps_source")), {"company_link"})
        self.assertEqual(
            set(members.mapped("nps_commercial_partner_id")), {self.company_a}
        )
        self.assertEqual(len(self.mails(INVITATION, zoe)), 2, "links emailed")
        request = self.requests("zoe@acme.example.com")
        self.assertEqual((request.state, request.admitted_by), ("approved", "domain"))
        self.company_a.invalidate_recordset()
        self.assertEqual(self.company_a.nps_onboarding_enrolled_count, 3)
        self.assertFalse(self.session_uid(), "joining signs nobody in")

    def test_a_stranger_waits_for_the_account_manager_and_gets_nothing(self):
        partners_before = self.env["res.partner"].search_count([])
        response = self.join("Eve Stranger", "eve@elsewhere.example.net")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("email_to", "ilike", "eve@elsewhere.example.net")]
            ),
            "nothing emailed to the stranger",
        )
        request = self.requests("eve@elsewhere.example.net")
        self.assertEqual(request.state, "pending")
        activity = request.activity_ids
        self.assertEqual(activity.user_id, self.salesman, "the account manager decides")
        self.assertIn("Eve Stranger", activity.summary)
        public = self.env.ref("base.public_user")
        self.assertNotEqual(activity.create_uid, public, "not by 'Public user'")
        self.assertEqual(
            request._fields["lang"].convert_to_export(request.lang, request),
            "English (US)",
            "the language by its name",
        )
        # the same address again: the same request, no second activity
        self.join("Eve Stranger", "eve@elsewhere.example.net")
        self.assertEqual(len(self.requests("eve@elsewhere.example.net")), 1)
        # another salesperson neither sees nor decides it
        self.assertFalse(
            self.env["nps.onboarding.join"]
            .with_user(self.other_salesman)
            .search([("id", "=", request.id)])
        )
        with self.assertRaises(AccessError):
            request.with_user(self.other_salesman).action_approve()
        # the account manager, Internal User only, approves it
        request.with_user(self.salesman).action_approve()
        eve = request.learner_id
        self.assertEqual(eve.email, "eve@elsewhere.example.net")
        self.assertFalse(eve.parent_id)
        self.assertEqual(eve.nps_learner_customer_id, self.company_a)
        self.assertEqual(
            (request.state, request.admitted_by, request.decided_by_id),
            ("approved", "approval", self.salesman),
        )
        self.assertEqual(len(self.mails(INVITATION, eve)), 2)
        self.assertFalse(request.activity_ids, "the activity is done")
        with self.assertRaises(UserError):
            request.with_user(self.salesman).action_refuse()

    def test_a_refused_stranger_gets_nothing(self):
        self.join("Mallory", "mallory@elsewhere.example.net")
        request = self.requests("mallory@elsewhere.example.net")
        request.with_user(self.salesman).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertFalse(request.learner_id)
        self.assertFalse(
            self.env["res.partner"].search(
                [("email", "=", "mallory@elsewhere.example.net")]
            )
        )
        self.assertFalse(request.activity_ids)

    def test_public_mail_providers_never_count_as_known(self):
        self.company_a.nps_onboarding_domains = "acme.example.com, gmail.com"
        self.join("Gus", "gus@gmail.com")
        self.assertEqual(self.requests("gus@gmail.com").state, "pending")

    def test_a_known_contact_joins_again_without_duplicate(self):
        self.join("Alice again", "Alice@Acme.example.com")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "alice@acme.example.com")]
            ),
            1,
        )
        self.assertEqual(len(self.members(partners=self.alice)), 2)
        self.assertEqual(self.requests("alice@acme.example.com").admitted_by, "contact")

    def test_joins_per_day_are_limited(self):
        self.company_a.nps_onboarding_join_limit = 2
        self.join("One", "one@elsewhere.example.net")
        self.join("Two", "two@acme.example.com")
        before = self.env["nps.onboarding.join"].search_count([])
        response = self.join("Three", "three@acme.example.com")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many requests today", response.text)
        self.assertEqual(self.env["nps.onboarding.join"].search_count([]), before)
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "three@acme.example.com")])
        )

    def test_switched_off_link_answers_a_clear_page(self):
        csrf = self.csrf(self.url_open(self.url))
        self.company_a.action_nps_onboarding_link_off()
        for method in ("GET", "POST"):
            data = {"csrf_token": csrf, "name": "Z", "email": "z@acme.example.com"}
            response = self.url_open(
                self.url, method=method, data=data if method == "POST" else None
            )
            self.assertEqual(response.status_code, 410, method)
            self.assertIn("Link switched off", response.text)
        self.company_a.action_nps_onboarding_link_on()
        self.assertEqual(self.url_open(self.url).status_code, 200)

    def test_bad_input_and_unknown_link(self):
        response = self.join("", "not-an-email")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "not-an-email")])
        )
        response = self.url_open("/onboarding/join/" + "y" * 43)
        self.assertEqual(response.status_code, 404)

    def test_replaced_link_stops_working(self):
        self.company_a.action_nps_onboarding_link_reset()
        self.assertEqual(self.url_open(self.url).status_code, 404)
