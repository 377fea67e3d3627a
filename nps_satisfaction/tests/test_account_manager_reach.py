from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestAccountManagerReach(NpsCase):
    """An account manager with only the *Internal User* rights works his
    customer's follow-up case: every record its buttons and links open (the
    answer with its campaign, the ticket and its messages, the follow-up
    survey) opens for him, read only, and nothing of other customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="plain_salesman",
            groups="base.group_user",
            name="Paul Plain",
        )
        cls.company_a.sudo().nps_account_manager_id = cls.salesman

    def setUp(self):
        super().setUp()
        self.request = self.sent_request(self.customer_a)
        self.request._nps_record_answer(score=2, comment="Nobody called back")
        self.case = self.request.followup_ids
        self.assertEqual(self.case.user_id, self.salesman)

    def test_the_answer_button_opens_with_its_campaign(self):
        """The answer's form, loaded as the web client loads it (every field
        of the form view)."""
        case = self.case.with_user(self.salesman)
        action = case.action_open_answer()
        request = self.env[action["res_model"]].with_user(self.salesman)
        form = Form(request.browse(action["res_id"]))
        self.assertEqual(form.campaign_id, self.campaign)
        self.assertEqual(form.ticket_id, self.request.ticket_id)
        # the case's own form too
        Form(case)

    def test_the_ticket_and_its_messages_read_only(self):
        ticket = self.request.ticket_id.with_user(self.salesman)
        ticket.read(["name", "stage_id", "user_id", "description"])
        ticket.message_post(body="Internal note by the agent")
        messages = (
            self.env["mail.message"]
            .with_user(self.salesman)
            .search([("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
        )
        self.assertTrue(messages, "the ticket's history")
        with self.assertRaises(AccessError):
            ticket.write({"name": "Changed by the account manager"})

    def test_other_customers_tickets_stay_closed(self):
        other = self.make_tickets(self.customer_b)
        with self.assertRaises(AccessError):
            other.with_user(self.salesman).read(["name"])
        found = (
            self.env["helpdesk.ticket"]
            .with_user(self.salesman)
            .search([("id", "=", other.id)])
        )
        self.assertFalse(found)

    def test_the_follow_up_survey_link_opens(self):
        self.close_case(self.request, "Called, fixed", user=self.salesman)
        survey = self.case.survey_request_id
        self.assertTrue(survey, "a follow-up survey after a detractor")
        form = Form(self.env["nps.request"].with_user(self.salesman).browse(survey.id))
        self.assertEqual(form.campaign_id, survey.campaign_id)

    def test_campaign_readable_not_its_counter_link(self):
        campaign = self.campaign.with_user(self.salesman)
        campaign.read(["name", "trigger"])
        self.campaign.action_generate_public_link()
        with self.assertRaises(AccessError):
            campaign.read(["public_token"])
        with self.assertRaises(AccessError):
            campaign.read(["public_url"])
