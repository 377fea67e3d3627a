from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestScheduling(NpsCase):
    def test_close_schedules_one_request_and_sends_nothing(self):
        ticket = self.make_tickets(self.customer_a)
        mails_before = self.env["mail.mail"].search_count(
            [("model", "=", "nps.request")]
        )
        request = self.close(ticket)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "scheduled")
        self.assertEqual(request.campaign_id, self.campaign)
        self.assertEqual(request.commercial_partner_id, self.company_a)
        self.assertEqual(request.user_id, self.account_manager)
        self.assertEqual(request.scheduled_date, ticket.closed_date)
        self.assertEqual(
            self.env["mail.mail"].search_count([("model", "=", "nps.request")]),
            mails_before,
            "closing a ticket must not send or queue a survey mail",
        )
        self.assertFalse(request.user_input_id, "the answer is created at dispatch")

    def test_send_delay(self):
        self.campaign.send_delay_days = 3
        ticket = self.make_tickets(self.customer_a)
        request = self.close(ticket)
        self.assertEqual((request.scheduled_date - ticket.closed_date).days, 3)
        self.assertFalse(self.dispatch(), "a request due in 3 days is not sent now")

    def test_closing_twice_schedules_once(self):
        ticket = self.make_tickets(self.customer_a)
        self.close(ticket)
        self.close(ticket, self.stage_cancelled)
        self.assertEqual(len(ticket.nps_request_ids), 1)

    def test_reopen_cancels_then_final_closure_schedules(self):
        ticket = self.make_tickets(self.customer_a)
        first = self.close(ticket)
        ticket.stage_id = self.stage_new
        self.assertEqual(
            first.state, "cancelled", "reopening cancels the unsent survey"
        )
        self.close(ticket)
        second = ticket.nps_request_ids - first
        self.assertEqual(second.state, "scheduled", second.skip_reason)

    def test_reopen_after_sending_keeps_the_sent_survey(self):
        ticket = self.make_tickets(self.customer_a)
        request = self.close(ticket)
        self.dispatch()
        ticket.stage_id = self.stage_new
        self.assertEqual(request.state, "sent")

    def test_stage_not_targeted(self):
        ticket = self.make_tickets(self.customer_a)
        request = self.close(ticket, self.stage_cancelled)
        self.assertEqual(
            (request.state, request.skip_reason), ("skipped", "not_targeted")
        )

    def test_skip_agent_opt_out(self):
        ticket = self.make_tickets(self.customer_a)
        ticket.write(
            {
                "nps_send_survey": False,
                "nps_skip_reason": "Customer is angry about billing",
            }
        )
        self.assertTrue(ticket.nps_skip_survey)
        request = self.close(ticket)
        self.assertEqual(
            (request.state, request.skip_reason), ("skipped", "agent_opt_out")
        )
        self.assertEqual(request.skip_note, "Customer is angry about billing")
        self.assertEqual(request.agent_id, self.agent)
        self.assertEqual(request.agent_opt_out_rate, 100)

    def test_agent_opt_out_needs_a_reason(self):
        ticket = self.make_tickets(self.customer_a)
        with self.assertRaises(ValidationError):
            ticket.write({"nps_send_survey": False})

    def test_agent_opt_out_is_tracked(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        ticket = self.make_tickets(self.customer_a)
        self.env.cr.precommit.run()  # a record's creation is not tracked
        ticket.write({"nps_skip_survey": True, "nps_skip_reason": "Duplicate of #12"})
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = ticket.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("nps_send_survey", tracked)
        self.assertIn("nps_skip_reason", tracked)

    def test_skip_no_email(self):
        partner = self.env["res.partner"].create({"name": "No Mail"})
        request = self.close(self.make_tickets(partner))
        self.assertEqual(request.skip_reason, "no_email")

    def test_skip_internal_requester(self):
        request = self.close(self.make_tickets(self.nps_user.partner_id))
        self.assertEqual(request.skip_reason, "internal_requester")

    def test_skip_customer_opt_out_of_company(self):
        self.company_a.nps_opt_out = True
        request = self.close(self.make_tickets(self.customer_a))
        self.assertEqual(request.skip_reason, "customer_opt_out")

    def test_skip_blacklisted(self):
        self.env["mail.blacklist"].sudo()._add("Alice@Acme.example.com")
        request = self.close(self.make_tickets(self.customer_a))
        self.assertEqual(request.skip_reason, "blacklisted")

    def test_throttled_across_contacts_of_one_company(self):
        self.sent_request(self.customer_a)
        request = self.close(self.make_tickets(self.customer_a2))
        self.assertEqual(
            request.skip_reason,
            "throttled",
            "the quiet period applies to the whole company",
        )
        other = self.close(self.make_tickets(self.customer_b))
        self.assertEqual(other.state, "scheduled", "another customer is not throttled")

    def test_throttled_within_one_batch(self):
        tickets = self.make_tickets(
            self.customer_a | self.customer_a2 | self.customer_b
        )
        requests = self.close(tickets)
        states = {r.partner_id: (r.state, r.skip_reason) for r in requests}
        self.assertEqual(states[self.customer_a], ("scheduled", False))
        self.assertEqual(states[self.customer_a2], ("skipped", "throttled"))
        self.assertEqual(states[self.customer_b], ("scheduled", False))

    def test_quiet_period_ends(self):
        old = self.sent_request(self.customer_a)
        old.sent_date = self.past(31)
        request = self.close(self.make_tickets(self.customer_a2))
        self.assertEqual(request.state, "scheduled", request.skip_reason)

    def test_ignore_quiet_period(self):
        self.sent_request(self.customer_a)
        self.campaign.ignore_quiet_period = True
        request = self.close(self.make_tickets(self.customer_a2))
        self.assertEqual(request.state, "scheduled")

    def test_targeting_team_category_channel_priority(self):
        category = self.env["helpdesk.ticket.category"].create({"name": "SIP trunk"})
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        self.campaign.write(
            {
                "team_ids": [(6, 0, self.team.ids)],
                "category_ids": [(6, 0, category.ids)],
                "channel_ids": [(6, 0, channel.ids)],
                "priorities": "2,3",
            }
        )
        good = {"category_id": category.id, "channel_id": channel.id, "priority": "2"}
        cases = {
            "targeted": (self.customer_a, good, "scheduled"),
            "other team": (
                self.customer_b,
                dict(good, team_id=self.team_other.id),
                "skipped",
            ),
        }
        for label, (partner, values, state) in cases.items():
            request = self.close(self.make_tickets(partner, **values))
            self.assertEqual(request.state, state, label)
        partners = self.make_customers(3, "target")
        wrong = [
            dict(good, category_id=False),
            dict(
                good,
                channel_id=self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
            ),
            dict(good, priority="0"),
        ]
        for partner, values in zip(partners, wrong, strict=True):
            request = self.close(self.make_tickets(partner, **values))
            self.assertEqual(
                (request.state, request.skip_reason),
                ("skipped", "not_targeted"),
                values,
            )

    def test_targeting_partner_domain(self):
        self.campaign.partner_domain = "[('country_id.code', '=', 'FR')]"
        self.customer_a.country_id = self.env.ref("base.fr")
        self.assertEqual(
            self.close(self.make_tickets(self.customer_a)).state, "scheduled"
        )
        request = self.close(self.make_tickets(self.customer_b))
        self.assertEqual(request.skip_reason, "not_targeted")

    def test_invalid_partner_domain_refused(self):
        with self.assertRaises(ValidationError):
            self.campaign.partner_domain = "[('no_such_field', '=', 1)]"

    def test_second_campaign_takes_what_the_first_does_not_target(self):
        billing = self.campaign.copy(
            {
                "name": "Billing survey",
                "team_ids": [(6, 0, self.team_other.ids)],
                "sequence": 5,
            }
        )
        self.campaign.team_ids = self.team
        request = self.close(
            self.make_tickets(self.customer_b, team_id=self.team_other.id)
        )
        self.assertEqual(request.campaign_id, billing)
        request = self.close(self.make_tickets(self.customer_a))
        self.assertEqual(request.campaign_id, self.campaign)

    def test_ticket_without_customer_gets_no_request(self):
        ticket = self.make_tickets(self.customer_a)
        ticket.partner_id = False
        self.assertFalse(self.close(ticket))

    def test_privacy_notice_limit_and_default(self):
        self.assertTrue(
            self.campaign.privacy_notice_display, "a default notice is shown"
        )
        self.campaign.privacy_notice = "x" * 800
        with self.assertRaises(ValidationError):
            self.campaign.privacy_notice = "x" * 801

    def test_survey_without_scale_question_refused(self):
        survey = self.env["survey.survey"].create({"title": "No scale"})
        with self.assertRaises(ValidationError):
            self.campaign.survey_id = survey


@tagged("post_install", "-at_install")
class TestProjectTrigger(NpsCase):
    def setUp(self):
        super().setUp()
        self.stage_done = self.env.ref("project.project_project_stage_2")
        self.stage_todo = self.env.ref("project.project_project_stage_0")
        self.project = self.env["project.project"].create(
            {
                "name": "PBX install",
                "partner_id": self.customer_a.id,
                "stage_id": self.stage_todo.id,
            }
        )

    def test_done_stage_is_flagged(self):
        self.assertTrue(self.stage_done.nps_done)

    def test_project_done_schedules_post_installation_survey(self):
        self.project.stage_id = self.stage_done
        request = self.project.nps_request_ids
        self.assertEqual(len(request), 1)
        self.assertEqual(request.campaign_id, self.campaign_project)
        self.assertEqual(request.state, "scheduled")
        self.assertEqual(request.project_id, self.project)

    def test_project_tags_restrict(self):
        tag = self.env["project.tags"].create({"name": "Installation"})
        self.campaign_project.project_tag_ids = tag
        self.project.stage_id = self.stage_done
        self.assertEqual(self.project.nps_request_ids.skip_reason, "not_targeted")
        other = self.project.copy(
            {"tag_ids": [(6, 0, tag.ids)], "stage_id": self.stage_todo.id}
        )
        other.stage_id = self.stage_done
        self.assertEqual(other.nps_request_ids.state, "scheduled")

    def test_project_reopened_cancels(self):
        self.project.stage_id = self.stage_done
        self.project.stage_id = self.stage_todo
        self.assertEqual(self.project.nps_request_ids.state, "cancelled")
