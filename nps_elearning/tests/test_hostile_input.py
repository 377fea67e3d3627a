import re

from hypothesis import given
from hypothesis import strategies as st

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.nps_satisfaction.tests.hostile import (
    assert_routes_take_no_ids,
    assert_strong_tokens,
    digest,
    examples,
    tokens,
    url_part,
)

from .common import OnboardingCase

TABLES = (
    "res_partner",
    "res_users",
    "slide_channel_partner",
    "mail_mail",
    "mail_message",
)


@tagged("post_install", "-at_install")
class TestOnboardingHostileInput(OnboardingCase, HttpCase):
    """The personal course links and the company join link under hostile
    input: never a 500, a clear page, nobody signed in, nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.nps_service_type_ids = cls.pbx | cls.sip
        cls.company_a.action_nps_onboarding_link()
        cls.member = cls.members(cls.course_pbx, cls.alice)
        cls.join_url = f"/onboarding/join/{cls.company_a.nps_onboarding_token}"

    def state(self):
        self.env.flush_all()
        return digest(self.env.cr, TABLES)

    def signed_in(self):
        sid = self.opener.cookies.get("session_id")
        return bool(sid and http.root.session_store.get(sid).uid)

    def csrf(self):
        page = self.url_open(self.join_url)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def test_every_onboarding_token_is_strong(self):
        members = self.members()
        self.assertGreater(len(members), 3)
        assert_strong_tokens(self, members.mapped("nps_access_token"), "enrolments")
        (self.company_b | self.more_companies()).action_nps_onboarding_link()
        companies = self.env["res.partner"].search(
            [("nps_onboarding_token", "!=", False)]
        )
        assert_strong_tokens(
            self, companies.mapped("nps_onboarding_token"), "company links"
        )

    def more_companies(self):
        return self.env["res.partner"].create(
            [{"name": f"Company {index}", "is_company": True} for index in range(20)]
        )

    def test_routes_take_no_record_id(self):
        """The course id of a personal link only has to match the token's
        enrolment (another course's id gets the not-found page)."""
        why = "checked against the token's enrolment"
        assert_routes_take_no_ids(
            self,
            "nps_elearning",
            {
                ("/onboarding/<int:course_id>/<string:token>", "course_id"): why,
                ("/onboarding/<int:course_id>/<string:token>/qr", "course_id"): why,
                (
                    "/onboarding/<int:course_id>/<string:token>/unsubscribe",
                    "course_id",
                ): why,
            },
        )

    @examples(90)
    @given(
        token=tokens(),
        course=st.one_of(
            st.sampled_from(["own", "other"]),
            st.integers(min_value=0, max_value=10**12),
        ),
        real_token=st.booleans(),
    )
    @mute_logger("odoo.http", "werkzeug")
    def test_unknown_links_answer_404_and_sign_nobody_in(
        self, token, course, real_token
    ):
        """Random tokens on every route, and the real personal token with
        another course's id: the not-found page, nobody signed in."""
        if "/" in token:
            token = token.replace("/", "")
        if real_token:
            token = self.member.nps_access_token
            if course == "own":
                course = "other"
        course_id = {"own": self.course_pbx.id, "other": self.course_sip.id}.get(
            course, course
        )
        csrf = self.csrf()
        before = self.state()
        part = url_part(token) or "x"
        for method, path in (
            ("GET", f"/onboarding/{course_id}/{part}"),
            ("POST", f"/onboarding/{course_id}/{part}"),
            ("GET", f"/onboarding/{course_id}/{part}/qr"),
            ("GET", f"/onboarding/{course_id}/{part}/unsubscribe"),
            ("POST", f"/onboarding/{course_id}/{part}/unsubscribe"),
            ("GET", f"/onboarding/join/{part}"),
            ("POST", f"/onboarding/join/{part}"),
            ("GET", f"/onboarding/join/{part}/qr"),
        ):
            if real_token and "join" in path:
                continue
            data = None
            if method == "POST":
                data = {"csrf_token": csrf, "name": "Eve", "email": "eve@example.com"}
            response = self.url_open(
                path, data=data, method=method, allow_redirects=False
            )
            self.assertEqual(response.status_code, 404, f"{method} {path[:80]}")
            self.assertIn("text/html", response.headers["Content-Type"])
            self.assertFalse(self.signed_in(), path[:80])
        self.assertEqual(self.state(), before, repr(token))

    @examples(90)
    @given(
        name=st.one_of(st.text(max_size=300), st.just("<script>alert(1)</script>")),
        email=st.one_of(
            st.text(max_size=60).filter(lambda e: "@" not in e),
            st.sampled_from(["a@", "@b.c", "a@@b.c", "x\x00y", ""]),
        ),
    )
    @mute_logger("odoo.http")
    def test_join_with_bad_input_gets_400_and_writes_nothing(self, name, email):
        csrf = self.csrf()
        before = self.state()
        response = self.url_open(
            self.join_url, data={"csrf_token": csrf, "name": name, "email": email}
        )
        self.assertEqual(response.status_code, 400, (name, email))
        self.assertIn("text/html", response.headers["Content-Type"])
        self.assertNotIn("<script>alert(1)</script>", response.text)
        self.assertEqual(self.state(), before, (name, email))

    @examples(45)
    @given(
        name=st.text(max_size=40).filter(lambda n: not n.replace("\x00", "").strip())
    )
    @mute_logger("odoo.http")
    def test_join_without_a_name_gets_400(self, name):
        csrf = self.csrf()
        before = self.state()
        response = self.url_open(
            self.join_url,
            data={"csrf_token": csrf, "name": name, "email": "eve@example.com"},
        )
        self.assertEqual(response.status_code, 400, repr(name))
        self.assertEqual(self.state(), before, repr(name))

    @mute_logger("odoo.http")
    def test_join_with_a_file_for_a_name_gets_400(self):
        """Regression: a file posted where text is expected gave an error 500."""
        csrf = self.csrf()
        before = self.state()
        for field in ("name", "email"):
            data = {"csrf_token": csrf, "name": "Eve", "email": "eve@example.com"}
            data.pop(field)
            response = self.url_open(
                self.join_url, data=data, files={field: ("x.txt", b"file content")}
            )
            self.assertEqual(response.status_code, 400, field)
        self.assertEqual(self.state(), before)

    @mute_logger("odoo.http")
    def test_join_without_csrf_is_refused(self):
        before = self.state()
        response = self.url_open(
            self.join_url, data={"name": "Eve", "email": "eve@example.com"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.state(), before)
