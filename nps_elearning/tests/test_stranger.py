from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LinkCase

TICKET = LinkCase.TICKET


@tagged("post_install", "-at_install")
class TestStrangerSeesNothing(LinkCase):
    """Whoever gets in by the company link, admitted by his domain or by the
    account manager, signs up the Odoo way and reads the courses, and none
    of the customer's tickets, projects or contacts. A contact's portal user
    (the control) does read them, so the checks can fail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.open_company_link()
        cls.project = cls.env["project.project"].create(
            {
                "name": "Acme installation",
                "partner_id": cls.company_a.id,
                "privacy_visibility": "portal",
            }
        )
        cls.alice_user = new_test_user(
            cls.env,
            login="alice-portal",
            groups="base.group_portal",
            partner_id=cls.alice.id,
            password="alice-portal-2026",
        )

    def join_and_sign_up(self, name, email):
        """Post to the company link, approve when asked, then open the
        emailed link, press its button and choose a password: the user."""
        page = self.url_open(self.join_url)
        self.url_open(
            self.join_url,
            data={"csrf_token": self.csrf(page), "name": name, "email": email},
        )
        request = self.env["nps.onboarding.join"].search([("email", "=", email)])
        if request.state == "pending":
            self.assertFalse(request.learner_id, "nothing before the approval")
            request.with_user(self.salesman).action_approve()
        member = self.members(self.course_pbx, request.learner_id)
        link = f"/onboarding/{self.course_pbx.id}/{member.nps_access_token}"
        response = self.press_open(link)
        page = self.sign_up(response.headers["Location"], f"{name}-Pass-2026!")
        self.assertIn("Plug in your phone", page.text, "the course is open to him")
        user = request.learner_id.user_ids
        self.assertEqual(self.session_uid(), user.id)
        self.assertTrue(user.share)
        return user

    def assert_reads_nothing_of_the_customer(self, user):
        env = self.env(user=user)
        self.assertFalse(
            env["helpdesk.ticket"].search([("id", "=", self.ticket.id)]),
            "none of the customer's tickets",
        )
        self.assertFalse(
            env["project.project"].search([("id", "=", self.project.id)]),
            "none of its projects",
        )
        self.assertEqual(
            env["res.partner"].search([("id", "child_of", self.company_a.id)]),
            env["res.partner"],
            "none of its contacts",
        )
        with self.assertRaises(AccessError):
            env["res.partner"].browse(self.arthur.id).read(["email"])
        with self.assertRaises(AccessError):
            env["res.partner"].browse(self.company_a.id).read(["name"])
        page = self.url_open("/my/tickets")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(TICKET, page.text, "the portal lists none of its tickets")

    def test_the_contact_control_reads_the_ticket(self):
        env = self.env(user=self.alice_user)
        self.assertEqual(
            env["helpdesk.ticket"].search([("id", "=", self.ticket.id)]), self.ticket
        )
        self.assertIn(self.arthur, env["res.partner"].search([]))
        self.authenticate("alice-portal", "alice-portal-2026")
        self.assertIn(TICKET, self.url_open("/my/tickets").text)

    def test_a_stranger_approved_reads_nothing_of_the_customer(self):
        user = self.join_and_sign_up("Eve Stranger", "eve@elsewhere.example.net")
        self.assert_reads_nothing_of_the_customer(user)

    def test_a_learner_of_a_known_domain_reads_nothing_of_the_customer(self):
        user = self.join_and_sign_up("Zoe New", "zoe@acme.example.com")
        self.assert_reads_nothing_of_the_customer(user)

    def test_made_a_contact_by_an_employee_reads_like_a_contact(self):
        user = self.join_and_sign_up("Zoe New", "zoe@acme.example.com")
        manager = new_test_user(
            self.env,
            login="onb_partner_manager",
            groups="base.group_user,base.group_partner_manager",
        )
        user.partner_id.with_user(manager).action_nps_make_contact()
        self.assertEqual(user.partner_id.parent_id, self.company_a)
        self.assertEqual(
            self.members(self.course_pbx, user.partner_id).nps_commercial_partner_id,
            self.company_a,
            "still counts for the customer",
        )
        env = self.env(user=user)
        self.assertEqual(
            env["helpdesk.ticket"].search([("id", "=", self.ticket.id)]), self.ticket
        )
