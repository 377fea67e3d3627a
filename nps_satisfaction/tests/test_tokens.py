import base64

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..tools import token_tools
from .common import NpsCase
from .hostile import assert_routes_take_no_ids, assert_strong_tokens


class TestTokenGenerator(BaseCase):
    def test_new_token_has_256_random_bits(self):
        """43 URL-safe characters decoding to 32 bytes, never twice the
        same, and each of the 256 bits is set in about half of the tokens
        (none is fixed): well over the 128 bits a guess must beat."""
        tokens = [token_tools.new_token() for _index in range(4000)]
        assert_strong_tokens(self, tokens, "new_token")
        raw = [base64.urlsafe_b64decode(token + "=") for token in tokens]
        self.assertTrue(all(len(value) == 32 for value in raw))
        for bit in range(256):
            ones = sum((value[bit // 8] >> (bit % 8)) & 1 for value in raw)
            # 4,000 fair coins: 2,000 +/- 32; 1,600-2,400 is 12 deviations
            self.assertTrue(1600 < ones < 2400, f"bit {bit} set {ones} times")

    def test_is_token_accepts_only_the_token_alphabet(self):
        self.assertTrue(token_tools.is_token(token_tools.new_token()))
        for text in ("", "a" * 129, "a\x00b", "a/b", "a b", "é", "..", None, 12):
            self.assertFalse(token_tools.is_token(text), repr(text))


@tagged("post_install", "-at_install")
class TestTokenRecords(NpsCase):
    def test_every_token_of_nps_satisfaction_is_strong(self):
        """Survey links (nps.request), the answers' own tokens (the survey
        page's answer_token) and counter links (nps.campaign)."""
        customers = self.make_customers(60)
        requests = self.close(self.make_tickets(customers))
        self.dispatch()
        requests = requests.sudo()
        self.assertEqual(set(requests.mapped("state")), {"sent"})
        self.env["survey.user_input"]._nps_create_for(requests)
        assert_strong_tokens(self, requests.mapped("access_token"), "nps.request")
        assert_strong_tokens(
            self, requests.user_input_id.mapped("access_token"), "survey.user_input"
        )
        campaigns = self.campaign | self.campaign_project
        campaigns.action_generate_public_link()
        assert_strong_tokens(
            self, campaigns.sudo().mapped("public_token"), "nps.campaign"
        )

    def test_routes_take_no_record_id(self):
        assert_routes_take_no_ids(
            self,
            "nps_satisfaction",
            {("/my/satisfaction/page/<int:page>", "page"): "a page number"},
        )
