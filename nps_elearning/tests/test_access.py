import re
from unittest.mock import patch

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import OnboardingCase

INVITATION = "nps_elearning.mail_template_onboarding_invitation"


@tagged("post_install", "-at_install")
class TestPersonalLink(OnboardingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx | cls.sip
        cls.company_b.nps_service_type_ids = cls.pbx
        cls.member = cls.members(cls.course_pbx, cls.alice)
        cls.url = f"/onboarding/{cls.course_pbx.id}/{cls.member.nps_access_token}"

    def session_uid(self):
        """The user of this browser session (None when public)."""
        sid = self.opener.cookies.get("session_id")
        return sid and http.root.session_store.get(sid).uid

    def test_link_signs_its_contact_in_and_opens_the_course(self):
        response = self.url_open(self.url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(self.course_pbx.website_url)
        )
        user = self.alice.user_ids
        self.assertTrue(user.share, "a portal user, never an internal one")
        self.assertEqual(self.session_uid(), user.id, "signed in as the contact")
        page = self.url_open(self.course_pbx.website_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Plug in your phone", page.text, "the course's contents")
        # opening the link again keeps the same session
        response = self.url_open(self.url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)

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
        bob_user = self.bob.user_ids
        bob_user.password = "bob-password-123"
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
        self.alice.user_ids.write(
            {"group_ids": [(6, 0, self.env.ref("base.group_user").ids)]}
        )
        self.assertFalse(self.alice.user_ids.share)
        response = self.url_open(self.url, allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.session_uid(), "no internal session handed out")

    def test_two_factor_is_never_bypassed(self):
        users_class = type(self.env["res.users"])
        with patch.object(users_class, "_mfa_url", lambda user: "/web/login/totp"):
            response = self.url_open(self.url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self.session_uid(), "the learner signs in with 2FA")

    def test_qr_code_of_the_link(self):
        response = self.url_open(f"{self.url}/qr")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        self.assertFalse(self.session_uid(), "the QR code signs nobody in")


@tagged("post_install", "-at_install")
class TestCompanyLink(OnboardingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx | cls.sip
        cls.company_a.action_nps_onboarding_link()
        cls.token = cls.company_a.nps_onboarding_token
        cls.url = f"/onboarding/join/{cls.token}"

    def csrf(self, response):
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the form carries a CSRF token")
        return match.group(1)

    def join(self, name, email):
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        return self.url_open(
            self.url,
            data={"name": name, "email": email, "csrf_token": self.csrf(page)},
        )

    def test_link_and_qr_on_the_company(self):
        self.assertGreaterEqual(len(self.token), 43)
        self.assertTrue(self.company_a.nps_onboarding_join_url.endswith(self.url))
        self.assertTrue(self.company_a.nps_onboarding_join_qr)
        response = self.url_open(f"{self.url}/qr")
        self.assertEqual(response.headers["Content-Type"], "image/png")

    def test_anyone_with_the_link_joins_and_counts_for_the_company(self):
        page = self.url_open(self.url)
        self.assertIn("Hosted PBX basics", page.text, "the company's courses")
        response = self.join("Zoe New", "zoe@acme.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("zoe@acme.example.com", response.text)
        zoe = self.env["res.partner"].search([("email", "=", "zoe@acme.example.com")])
        self.assertEqual(zoe.parent_id, self.company_a, "a contact of the company")
        members = self.members(partners=zoe)
        self.assertEqual(members.channel_id, self.course_pbx | self.course_sip)
        self.assertEqual(set(members.mapped("nps_source")), {"company_link"})
        self.assertEqual(
            set(members.mapped("nps_commercial_partner_id")), {self.company_a}
        )
        self.assertEqual(len(self.mails(INVITATION, zoe)), 2, "links emailed")
        self.company_a.invalidate_recordset()
        self.assertEqual(self.company_a.nps_onboarding_enrolled_count, 3)
        sid = self.opener.cookies.get("session_id")
        self.assertFalse(
            sid and http.root.session_store.get(sid).uid,
            "joining signs nobody in: the emailed link proves the address",
        )

    def test_joining_twice_creates_no_duplicate(self):
        self.join("Alice again", "Alice@Acme.example.com")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "alice@acme.example.com")]
            ),
            1,
        )
        self.assertEqual(len(self.members(partners=self.alice)), 2)

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
