from odoo.tests import new_test_user, tagged

from .common import OnboardingCase


@tagged("post_install", "-at_install")
class TestAccountManager(OnboardingCase):
    """The account manager of an onboarding (who decides the requests to
    join, who is told of stalled learners, whose list of enrolments) is the
    customer's account manager of its satisfaction data, which only
    satisfaction users set, not its salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a.nps_service_type_ids = cls.pbx
        cls.company_a.action_nps_onboarding_link()
        cls.intruder = new_test_user(
            env,
            login="onb_contact_creator",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.nps_editor = new_test_user(
            env,
            login="onb_nps_contacts",
            groups="base.group_user,base.group_partner_manager,"
            "nps_satisfaction.group_nps_user",
        )
        cls.join = env["nps.onboarding.join"]._nps_join(
            cls.company_a, "Eve Stranger", "eve@elsewhere.example.net"
        )

    def reach(self, user):
        """The request to join, as ``user`` finds it."""
        return (
            self.env["nps.onboarding.join"]
            .with_user(user)
            .search([("id", "=", self.join.id)])
        )

    def test_salesperson_is_not_the_onboarding_account_manager(self):
        """Regression: the requests to join a customer's onboarding and its
        enrolments followed the salesperson, which anyone with Contact
        Creation sets: he then decided who joins and read the list."""
        self.assertEqual(self.join.state, "pending")
        self.company_a.with_user(self.intruder).user_id = self.intruder
        self.assertEqual(self.join.account_manager_id, self.account_manager)
        members = self.members(partners=self.alice)
        self.assertEqual(members.nps_account_manager_id, self.account_manager)
        self.assertFalse(
            self.reach(self.intruder), "he does not decide who joins A's onboarding"
        )
        self.assertEqual(self.join.activity_ids.user_id, self.account_manager)

    def test_satisfaction_user_hands_the_onboarding_over(self):
        self.company_a.with_user(self.nps_editor).nps_account_manager_id = self.intruder
        self.assertEqual(self.join.account_manager_id, self.intruder)
        members = self.members(partners=self.alice)
        self.assertEqual(members.nps_account_manager_id, self.intruder)
        self.assertEqual(
            self.reach(self.intruder), self.join, "the new account manager decides"
        )
