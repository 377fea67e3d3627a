from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.nps_satisfaction.tests.hostile import (
    assert_strong_tokens,
    control_texts,
    digest,
    examples,
    suite_routes,
    tokens,
)

from .common import NpsCampaignsCase

TABLES = ("res_partner", "mail_blacklist", "mailing_subscription", "nps_request")


@tagged("post_install", "-at_install")
class TestCampaignsHostileInput(NpsCampaignsCase, HttpCase):
    """The newsletter's unsubscribe link (mass_mailing's route, whose
    document step this addon overrides for segment newsletters) and the
    tokens of the surveys a newsletter carries."""

    def setUp(self):
        super().setUp()
        segment = self.env["nps.segment"].create(
            {"name": "Paris", "zip_prefixes": "75", "service_type_ids": self.sip.ids}
        )
        self.mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Platform upgrade",
                "nps_segment_id": segment.id,
                "body_html": '<div><t t-out="object.nps_survey_html"/></div>',
            }
        )
        self.mailing.action_send_mail()

    def test_newsletter_survey_tokens_are_strong(self):
        """The surveys a newsletter carries (their answers are created
        when answered, by the core's generator, checked there)."""
        requests = self.mailing.nps_request_ids.sudo()
        assert_strong_tokens(self, requests.mapped("access_token"), "newsletter")

    def test_declares_no_route_of_its_own(self):
        """Its controller only overrides a helper behind mass_mailing's
        unsubscribe route (which checks Odoo's signed hash_token)."""
        self.assertEqual(suite_routes(self.env, "nps_campaigns"), [])

    @examples(90)
    @given(
        mailing=st.sampled_from(["own", "0", "999999999", "-1", "x"]),
        document=st.one_of(
            st.none(),
            st.sampled_from(["anna", "0"]),
            st.text(max_size=12),
            control_texts(30),
        ),
        email=st.one_of(
            st.none(),
            st.just("anna"),
            st.text(max_size=40),
            # control characters (header breaks, NUL) and overlong values
            control_texts(60),
            st.text(min_size=5001, max_size=6000),
        ),
        hash_token=st.one_of(st.none(), tokens()),
    )
    @mute_logger("odoo.http", "werkzeug", "odoo.addons.mass_mailing.controllers.main")
    def test_forged_unsubscribe_links_write_nothing(
        self, mailing, document, email, hash_token
    ):
        """Any mailing, document, address and hash but the signed one: never
        an error 500, and no one is unsubscribed or blacklisted."""
        anna = self.paris_anna
        params = {
            "document_id": str(anna.id) if document == "anna" else document,
            "email": anna.email if email == "anna" else email,
            "hash_token": hash_token,
        }
        params = {key: value for key, value in params.items() if value is not None}
        mailing_id = str(self.mailing.id) if mailing == "own" else mailing
        before = digest(self.env.cr, TABLES)
        response = self.url_open(
            f"/mailing/{mailing_id}/unsubscribe?{urlencode(params)}",
            allow_redirects=False,
        )
        self.assertLess(response.status_code, 500, params)
        self.assertIn(response.status_code, {302, 303, 400, 401, 403, 404}, params)
        self.env.flush_all()
        self.assertEqual(digest(self.env.cr, TABLES), before, params)
