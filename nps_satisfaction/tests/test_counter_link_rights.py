from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestCounterLinkRights(NpsCase):
    """Regression (attack trial): any signed-in user, a portal customer of
    another company included, could turn off or renew a campaign's counter
    link over RPC, breaking every printed counter QR code."""

    def test_only_managers_turn_the_counter_link_on_or_off(self):
        self.campaign.action_generate_public_link()
        token = self.campaign.public_token
        portal = new_test_user(
            self.env, login="counter_portal", groups="base.group_portal"
        )
        internal = new_test_user(
            self.env, login="counter_internal", groups="base.group_user"
        )
        for user in (portal, internal, self.agent, self.nps_user):
            for method in ("action_disable_public_link", "action_generate_public_link"):
                with (
                    self.subTest(user=user.login, method=method),
                    self.assertRaises(AccessError),
                ):
                    getattr(self.campaign.with_user(user), method)()
        self.assertEqual(self.campaign.public_token, token, "the link still works")
        self.campaign.with_user(self.manager).action_generate_public_link()
        self.assertNotEqual(self.campaign.public_token, token, "renewed")
        self.campaign.with_user(self.manager).action_disable_public_link()
        self.assertFalse(self.campaign.public_token)
