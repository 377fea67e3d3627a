from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestAnswer(NpsCase):
    def test_answer_sets_score_category_and_survey_lines(self):
        request = self.sent_request()
        request._nps_record_answer(score=9, comment="Quick and friendly")
        self.assertEqual(request.state, "answered")
        self.assertEqual(request.score, 9)
        self.assertEqual(request.nps_category, "promoter")
        answer = request.user_input_id
        self.assertEqual((answer.nps_score, answer.nps_category), (9, "promoter"))
        self.assertEqual(
            answer.state, "done", "no question left: the survey is complete"
        )
        by_question = {line.question_id: line for line in answer.user_input_line_ids}
        self.assertEqual(by_question[self.campaign.score_question_id].value_scale, 9)
        self.assertEqual(
            by_question[self.campaign.comment_question_id].value_text_box,
            "Quick and friendly",
        )

    def test_score_zero_is_a_detractor_answer(self):
        request = self.sent_request()
        request._nps_record_answer(score=0)
        self.assertEqual((request.score, request.nps_category), (0, "detractor"))
        self.assertEqual(request.user_input_id.nps_category, "detractor")

    def test_first_answer_stands(self):
        request = self.sent_request()
        request._nps_record_answer(score=4)
        self.assertFalse(request._nps_record_answer(score=10), "nothing changes")
        self.assertEqual(request.score, 4)
        self.assertEqual(
            len(request.user_input_id.user_input_line_ids),
            1,
            "never a duplicate answer line",
        )

    def test_comment_added_after_the_score(self):
        request = self.sent_request()
        request._nps_record_answer(score=8)
        request._nps_record_answer(score=8, comment="Fine")
        self.assertEqual(request.comment, "Fine")
        request._nps_record_answer(comment="Changed my mind")
        self.assertEqual(request.comment, "Fine", "the first comment stands too")

    def test_campaign_may_allow_changes(self):
        self.campaign.allow_answer_change = True
        request = self.sent_request()
        request._nps_record_answer(score=4)
        request._nps_record_answer(score=10)
        self.assertEqual((request.score, request.nps_category), (10, "promoter"))
        self.assertEqual(len(request.user_input_id.user_input_line_ids), 1)

    def test_out_of_range_score_writes_nothing(self):
        request = self.sent_request()
        for bad in (11, -1, "x"):
            with self.assertRaises(ValueError):
                request._nps_record_answer(score=bad)
        self.assertEqual(request.state, "sent")
        self.assertFalse(request.user_input_id.user_input_line_ids)

    def test_closed_request_refuses_answers(self):
        request = self.sent_request()
        request.state = "expired"
        with self.assertRaises(UserError):
            request._nps_record_answer(score=9)

    def test_partner_figures(self):
        first = self.sent_request(self.customer_a)
        first._nps_record_answer(score=9, csat_score=5)
        self.assertEqual(self.customer_a.nps_last_score, 9)
        self.assertEqual(self.customer_a.nps_category, "promoter")
        self.assertEqual(self.company_a.nps_category, "promoter")
        self.assertEqual(self.customer_a.csat_avg, 100, "one satisfied CSAT answer")
        self.assertTrue(self.customer_a.nps_last_survey_date)
        first.sent_date = self.past(40)
        second = self.sent_request(self.customer_a2)
        second._nps_record_answer(score=5, csat_score=2)
        self.assertEqual(
            self.company_a.nps_last_score, 5, "the company counts all contacts"
        )
        self.assertEqual(self.company_a.nps_trend, -4)
        self.assertEqual(self.company_a.nps_category, "detractor")
        self.assertEqual(
            (self.company_a.csat_avg, self.company_a.csat_answer_count),
            (50, 2),
            "one of the company's two CSAT answers is a 4 or 5",
        )
        self.assertEqual(self.company_a.nps_answer_count, 2)
        self.assertEqual(
            self.customer_a.nps_last_score, 9, "a contact counts its own answers"
        )
        self.assertEqual(self.customer_a2.nps_trend, 0)

    def test_csat_only_from_csat_campaigns(self):
        """A campaign asking the 0-10 score alone gives no CSAT: the score
        is not taken for one, and a CSAT answer is refused."""
        self.campaign.measure = "nps"
        request = self.sent_request()
        with self.assertRaises(UserError):
            request._nps_record_answer(score=9, csat_score=5)
        self.assertEqual(request.state, "sent", "nothing recorded")
        request._nps_record_answer(score=9)
        self.assertEqual(
            (self.customer_a.csat_avg, self.customer_a.csat_answer_count), (0, 0)
        )
        self.assertEqual(self.customer_a.nps_last_score, 9)

    def test_answer_posted_on_ticket(self):
        request = self.sent_request()
        request._nps_record_answer(score=6, comment="Too slow")
        ticket = request.ticket_id
        self.assertEqual((ticket.nps_score, ticket.nps_category), (6, "detractor"))
        self.assertEqual(ticket.nps_comment, "Too slow")
        message = ticket.message_ids[0]
        self.assertIn("6", message.body)
        self.assertIn("Too slow", message.body)

    def test_detractor_activity_for_account_manager(self):
        request = self.sent_request()
        request._nps_record_answer(score=2, comment="Nobody called back")
        activity = self.activity_of(request)
        self.assertTrue(activity, "a detractor answer creates a follow-up")
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertEqual(
            activity.res_model, "nps.followup", "the activity is on the case"
        )
        self.assertEqual(activity.res_id, request.followup_ids.id)
        self.assertEqual(
            activity.summary,
            "Follow up with Acme Telecom Client — NPS score dropped to 2",
        )
        self.assertIn("Nobody called back", str(activity.note))
        self.assertIn(
            f"/odoo/helpdesk.ticket/{request.ticket_id.id}", str(activity.note)
        )
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("nps_satisfaction.mail_activity_type_nps_followup"),
        )

    def test_detractor_activity_falls_back_to_team_leader_then_campaign(self):
        request = self.sent_request(self.customer_b)
        request._nps_record_answer(score=1)
        self.assertEqual(self.activity_of(request).user_id, self.team_leader)
        self.campaign.user_id = self.manager
        self.team.user_id = False
        customer = self.make_customers(1, "lone")
        request = self.sent_request(customer)
        request._nps_record_answer(score=1)
        self.assertEqual(self.activity_of(request).user_id, self.manager)

    def test_no_activity_for_promoter_and_passive(self):
        for partner, score in ((self.customer_a, 10), (self.customer_b, 7)):
            request = self.sent_request(partner)
            request._nps_record_answer(score=score)
            self.assertFalse(self.activity_of(request), f"no follow-up for {score}")

    def test_one_activity_per_detractor_answer(self):
        self.campaign.allow_answer_change = True
        request = self.sent_request()
        request._nps_record_answer(score=3)
        request._nps_record_answer(score=2)
        self.assertEqual(len(request.followup_ids), 1, "one case per answer")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "nps.followup"),
                ("res_id", "=", request.followup_ids.id),
            ]
        )
        self.assertEqual(len(activities), 1)

    def test_post_installation_extra_questions(self):
        project = self.env["project.project"].create(
            {"name": "Fibre install", "partner_id": self.customer_b.id}
        )
        project.stage_id = self.env.ref("project.project_project_stage_2")
        request = project.nps_request_ids
        request.scheduled_date = self.past(1)
        self.dispatch()
        self.assertFalse(request.user_input_id, "no survey answer before an answer")
        remaining = request._nps_page_questions()
        self.assertEqual(len(remaining), 2, "two short questions after the score")
        request._nps_record_answer(score=8)
        answer = request.user_input_id
        self.assertEqual(answer.state, "done", "only optional questions remain: done")
        choice = self.env.ref(
            "nps_satisfaction.survey_post_installation_q_schedule_yes"
        )
        improve = self.env.ref("nps_satisfaction.survey_post_installation_q_improve")
        request._nps_record_answer(
            extra={choice.question_id: choice.id, improve: "Call before coming"}
        )
        self.assertEqual(
            answer.user_input_line_ids.question_id,
            request.campaign_id.score_question_id | choice.question_id | improve,
            "the further answers added to it",
        )
        self.assertEqual(project.nps_score, 8)

    def test_counting_a_survey_without_an_unconfirmed_answer_is_refused(self):
        """A manager's *Count this answer* on a survey no browser answered
        tells him so, as it does on an answered one."""
        request = self.sent_request()
        with self.assertRaisesRegex(UserError, "no answer to count"):
            request.with_user(self.manager).action_count_answer()
        request._nps_record_answer(score=9)
        with self.assertRaisesRegex(UserError, "no answer to count"):
            request.with_user(self.manager).action_count_answer()
