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
    "nps_onboarding_join",
    "mail_activity",
    "mail_mail",
    "mail_message",
)

#: the control characters a visitor could post: C0, DEL, C1 (NEL), the line
#: and paragraph separators, a bidirectional override
CONTROLS = [chr(code) for code in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u202e"]
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
OVERLONG = 5001
#: what a public form may write, field by field: none may keep a control
#: character of the visitor's
STORED = {
    "nps.onboarding.join": ("name", "email"),
    "res.partner": ("name", "email"),
    "res.users": ("login",),
    "mail.activity": ("summary",),
    "mail.message": ("subject", "record_name"),
    "mail.mail": ("email_to", "subject"),
}


def hostile_texts():
    """A few letters with control characters among them, or overlong."""
    return st.one_of(
        st.text(
            alphabet=st.sampled_from(CONTROLS + list("Eve Bcc:@x.")),
            min_size=1,
            max_size=40,
        ),
        st.text(min_size=OVERLONG, max_size=OVERLONG + 500),
    )


def hostile_emails():
    """Addresses with a control character inside, or overlong."""
    return st.one_of(
        st.tuples(
            st.sampled_from(CONTROLS),
            st.sampled_from(["zoe@acme.example.com", "eve@elsewhere.example.net"]),
            st.integers(min_value=1, max_value=15),
        ).map(lambda t: t[1][: t[2]] + t[0] + t[1][t[2] :]),
        st.integers(min_value=238, max_value=OVERLONG + 500).map(
            lambda size: "a" * size + "@acme.example.com"
        ),
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
        cls.company_a.nps_onboarding_join_limit = 100000
        cls.env.flush_all()
        cls.floors = {}
        for model in STORED:
            last = cls.env[model].sudo().with_context(active_test=False)
            cls.floors[model] = last.search([], order="id desc", limit=1).id or 0

    def assert_nothing_stored_with_a_control_character(self, why):
        """No row written since the set-up keeps a control character."""
        for model, fields_ in STORED.items():
            records = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([("id", ">", self.floors[model])])
            )
            for record in records:
                for field in fields_:
                    value = record[field] or ""
                    self.assertFalse(
                        CONTROL.search(value),
                        f"{model}.{field} = {value[:80]!r} after {why!r}"[:300],
                    )

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

    # --- Control characters and overlong values in every field ---

    @examples(60)
    @given(
        name=hostile_texts(),
        email=st.sampled_from(["zoe@acme.example.com", "eve@elsewhere.example.net"]),
    )
    @mute_logger("odoo.http")
    def test_join_names_with_control_characters_are_one_bounded_line(self, name, email):
        """Regression: the join form kept line breaks and other control
        characters of the name (which becomes a learner's name, so a mail
        header, and the account manager's summary)."""
        response = self.url_open(
            self.join_url,
            data={"csrf_token": self.csrf(), "name": name, "email": email},
        )
        self.assertIn(response.status_code, (200, 400), repr(name[:80]))
        if response.status_code == 400:
            self.assertFalse(
                name.translate({ord(c): None for c in CONTROLS}).strip(),
                f"a name with letters is taken: {name[:80]!r}",
            )
        else:
            join = self.env["nps.onboarding.join"].search(
                [("email", "=", email)], limit=1
            )
            self.assertTrue(join.name, repr(name[:80]))
            self.assertLessEqual(len(join.name), 128, "the name is cut")
        self.assert_nothing_stored_with_a_control_character(name)

    @examples(60)
    @given(email=hostile_emails(), name=st.one_of(st.just("Eve"), hostile_texts()))
    @mute_logger("odoo.http")
    def test_join_emails_with_control_characters_or_overlong_get_400(self, email, name):
        """An address with a control character inside or longer than 254
        characters gets the form's error; nothing is written."""
        csrf = self.csrf()
        before = self.state()
        response = self.url_open(
            self.join_url, data={"csrf_token": csrf, "name": name, "email": email}
        )
        self.assertEqual(response.status_code, 400, repr(email[:80]))
        self.assertIn("a valid email", response.text)
        self.assertEqual(self.state(), before, repr(email[:80]))

    @mute_logger("odoo.http")
    def test_every_field_of_every_form_takes_control_characters_and_length(self):
        """Each control character, and an overlong value, in each field of
        each public form (the join form, the personal link's button, the
        unsubscribe button), the CSRF token and unexpected fields included:
        never an error 500, nothing stored with a control character, the
        overlong refused or cut."""
        member_path = f"/onboarding/{self.course_pbx.id}/{self.member.nps_access_token}"
        forms = {
            self.join_url: ("name", "email", "csrf_token", "extra"),
            member_path: ("csrf_token", "name", "email", "login", "redirect"),
            f"{member_path}/unsubscribe": ("csrf_token", "name", "email"),
        }
        values = [f"Eve{char}Reply-To: x@evil.example" for char in CONTROLS]
        values += ["E" * OVERLONG, "\r\n" * OVERLONG]
        for path, fields_ in forms.items():
            csrf = self.csrf()
            for field in fields_:
                for index, value in enumerate(values):
                    data = {
                        "csrf_token": csrf,
                        "name": "Eve",
                        "email": "eve@elsewhere.example.net",
                        field: value,
                    }
                    if field == "name":
                        # an address of the customer's domain: a learner of
                        # that name, emailed at once
                        data["email"] = f"eve{index}@acme.example.com"
                    response = self.url_open(path, data=data, allow_redirects=False)
                    why = f"{path[:30]} {field}={value[:40]!r}"
                    self.assertLess(response.status_code, 500, why)
                    if field == "csrf_token":
                        self.assertEqual(response.status_code, 400, why)
                    if path == self.join_url and (
                        field == "email" or (field == "name" and not value.strip())
                    ):
                        self.assertEqual(response.status_code, 400, why)
                self.assert_nothing_stored_with_a_control_character(f"{path} {field}")
        learners = self.env["nps.onboarding.join"].search(
            [("email", "=like", "eve%@acme.example.com")]
        )
        self.assertEqual(
            len(learners), len(values) - 1, "every name but line breaks alone"
        )
        self.assertLessEqual(max(len(name) for name in learners.mapped("name")), 128)
        self.assertIn("Eve Reply-To: x@evil.example", learners.mapped("name"))
