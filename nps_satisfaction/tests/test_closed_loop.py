from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestFollowup(NpsCase):
    """A detractor's answer is a tracked case: deadline, escalation, closing
    with root cause and outcome, then a follow-up survey that measures."""

    def detractor(self, partner=None, score=2):
        request = self.sent_request(partner or self.customer_a)
        request._nps_record_answer(score=score, comment="Slow")
        return request

    def test_detractor_opens_a_case_with_a_deadline(self):
        self.campaign.followup_sla_days = 3
        request = self.detractor()
        case = request.followup_ids
        self.assertEqual(len(case), 1, "one case per detractor answer")
        self.assertEqual((case.state, case.kind), ("open", "detractor"))
        self.assertEqual(case.user_id, self.account_manager)
        self.assertEqual(
            (case.partner_id, case.commercial_partner_id, case.ticket_id),
            (self.customer_a, self.company_a, request.ticket_id),
        )
        self.assertEqual((case.score, case.comment), (2, "Slow"))
        self.assertEqual(
            case.date_deadline,
            fields.Date.context_today(request) + timedelta(days=3),
        )
        self.assertEqual(self.activity_of(request).date_deadline, case.date_deadline)
        self.assertFalse(case.overdue)

    def test_reasons_reported_like_scores(self):
        reason = self.env.ref("nps_satisfaction.reason_price")
        request = self.sent_request(self.customer_b)
        request._nps_record_answer(score=5, reasons=reason)
        self.assertEqual(request.reason_ids, reason)
        rows = dict(
            self.env["nps.request"]._read_group(
                [("reason_ids", "!=", False)], ["reason_ids"], ["__count"]
            )
        )
        self.assertEqual(rows, {reason: 1})
        self.assertEqual(self.company_b.nps_followup_count, 1)

    def test_reasons_must_be_offered_by_the_campaign(self):
        self.campaign.reason_ids = self.env.ref("nps_satisfaction.reason_price")
        request = self.sent_request(self.customer_b)
        request._nps_record_answer(
            score=5, reasons=self.env.ref("nps_satisfaction.reason_competence")
        )
        self.assertFalse(request.reason_ids)

    def test_overdue_escalated_once_to_team_leader(self):
        request = self.detractor()
        case = request.followup_ids
        case.date_deadline = fields.Date.today() - timedelta(days=1)
        self.assertTrue(case.overdue)
        Followup = self.env["nps.followup"]
        self.assertIn(case, Followup.search([("overdue", "=", True)]))
        escalated = Followup._cron_escalate()
        self.assertEqual(escalated, case)
        self.assertTrue(case.escalated)
        self.assertEqual(case.escalated_user_id, self.team_leader)
        leader_activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "nps.followup"),
                ("res_id", "=", case.id),
                ("user_id", "=", self.team_leader.id),
            ]
        )
        self.assertEqual(len(leader_activities), 1)
        self.assertFalse(Followup._cron_escalate(), "escalated once, never again")
        leader_activities.action_feedback(feedback="Reminded Anna")
        self.assertEqual(case.state, "open", "the escalation done closes nothing")

    def test_close_wizard_records_cause_outcome_and_schedules_survey(self):
        followup_campaign = self.env.ref("nps_satisfaction.campaign_followup")
        request = self.detractor()
        action = request.followup_ids.action_close()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.root_cause_id = self.env.ref("nps_satisfaction.reason_response_time")
        wizard.outcome = "resolved"
        wizard.note = "Called, fixed the routing"
        wizard.save().action_close()
        case = request.followup_ids
        self.assertEqual(case.state, "done")
        self.assertEqual(case.outcome, "resolved")
        self.assertEqual(case.action_taken, "Called, fixed the routing")
        self.assertFalse(
            self.activity_of(request).active, "the activity is marked done"
        )
        self.assertIn("Response time", self.activity_of(request).feedback)
        followup = self.env["nps.request"].search(
            [("origin_request_id", "=", request.id)]
        )
        self.assertEqual(len(followup), 1, "one follow-up survey")
        self.assertEqual(case.survey_request_id, followup)
        self.assertEqual(followup.campaign_id, followup_campaign)
        self.assertEqual(
            followup.state, "scheduled", "the quiet period is bypassed once"
        )
        self.assertGreaterEqual(
            followup.scheduled_date,
            fields.Datetime.now()
            + timedelta(days=followup_campaign.send_delay_days - 1),
        )
        with self.assertRaises(UserError):
            self.env["nps.followup.close"].create(
                {
                    "followup_id": case.id,
                    "root_cause_id": wizard.root_cause_id.id,
                    "outcome": "resolved",
                }
            ).action_close()

    def test_activity_done_in_chatter_records_work_not_the_close(self):
        """Marking the case's activity done (the chatter's *Done*) records
        the work: the case goes in progress, no follow-up survey yet, and
        the account manager's next step is to record the outcome. Only the
        close wizard closes the case."""
        request = self.detractor()
        case = request.followup_ids
        self.activity_of(request).with_user(self.account_manager).action_feedback(
            feedback="Visited them"
        )
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(case.action_taken, "Visited them")
        self.assertFalse(
            self.env["nps.request"].search([("origin_request_id", "=", request.id)]),
            "no follow-up survey before the outcome",
        )
        next_step = case.activity_ids
        self.assertEqual(len(next_step), 1)
        self.assertEqual(next_step.user_id, self.account_manager)
        self.assertIn("outcome", next_step.summary)
        self.close_case(request, "Visited them", user=self.account_manager)
        self.assertEqual(case.state, "done")
        self.assertFalse(case.activity_ids, "nothing left to do")
        self.assertTrue(
            self.env["nps.request"].search([("origin_request_id", "=", request.id)])
        )

    def test_done_and_schedule_next_opens_the_close_wizard(self):
        request = self.detractor()
        case = request.followup_ids
        action = (
            self.activity_of(request)
            .with_user(self.account_manager)
            .action_feedback_schedule_next(feedback="Called")
        )
        self.assertEqual(action["res_model"], "nps.followup.close")
        self.assertEqual(action["context"]["default_followup_id"], case.id)
        self.assertEqual(
            action["views"],
            [(False, "form")],
            "regression: the web client opens the action of an activity's "
            "button as returned (views, not view_mode) and failed on it",
        )
        self.assertEqual(case.state, "in_progress", "not closed by the click")

    def test_recovered_detractor(self):
        request = self.detractor()
        self.close_case(request, "Fixed")
        followup = self.env["nps.request"].search(
            [("origin_request_id", "=", request.id)]
        )
        followup.scheduled_date = fields.Datetime.now() - timedelta(minutes=1)
        self.dispatch()
        self.assertEqual(followup.state, "sent")
        followup._nps_record_answer(score=9)
        self.assertTrue(request.followup_ids.recovered)
        self.env.flush_all()
        [(closure, recovery)] = self.env["nps.report"]._read_group(
            [("request_id", "=", request.id)],
            [],
            ["followup_closed:avg", "recovery:avg"],
        )
        self.assertEqual((closure, recovery), (100, 100))

    def test_not_recovered_when_still_detractor(self):
        request = self.detractor()
        self.close_case(request, "Tried")
        followup = self.env["nps.request"].search(
            [("origin_request_id", "=", request.id)]
        )
        followup.scheduled_date = fields.Datetime.now() - timedelta(minutes=1)
        self.dispatch()
        followup._nps_record_answer(score=4)
        self.assertFalse(request.followup_ids.recovered)

    def test_detractor_reopens_ticket_when_asked(self):
        self.campaign.reopen_ticket_on_detractor = True
        request = self.detractor()
        self.assertFalse(request.ticket_id.stage_id.closed, "the ticket is reopened")
        self.assertEqual(request.state, "answered", "the answer stays")

    def test_ticket_stays_closed_by_default(self):
        request = self.detractor()
        self.assertTrue(request.ticket_id.stage_id.closed)


@tagged("post_install", "-at_install")
class TestAlerts(NpsCase):
    def answer(self, partner, score, comment=None, csat_score=None):
        request = self.sent_request(partner)
        request._nps_record_answer(score=score, comment=comment, csat_score=csat_score)
        request.sent_date = self.past(100)  # the next one is out of quiet period
        return request

    def alerts(self, partner):
        return self.env["nps.followup"].search(
            [
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("kind", "!=", "detractor"),
            ]
        )

    def test_downgrade_alerts_once(self):
        self.answer(self.customer_a, 10)
        second = self.answer(self.customer_a, 8)
        self.assertEqual(second.followup_ids.kind, "downgrade")
        self.assertEqual(self.activity_of(second).user_id, self.account_manager)
        self.assertEqual(
            self.activity_of(second).activity_type_id,
            self.env.ref("nps_satisfaction.mail_activity_type_nps_alert"),
        )
        self.assertEqual(second.followup_ids.state, "open")
        self.close_case(second, "Called them")
        self.assertEqual(second.followup_ids.state, "done")
        self.assertFalse(
            self.env["nps.request"].search([("origin_request_id", "=", second.id)]),
            "a follow-up survey comes after a detractor only",
        )
        third = self.answer(self.customer_a, 8)
        self.assertFalse(third.followup_ids, "the same level again: no new alert")
        self.assertEqual(len(self.alerts(self.customer_a)), 1, "never a flood")

    def test_alert_notifies_campaign_followers(self):
        self.campaign.message_subscribe(partner_ids=self.manager.partner_id.ids)
        self.answer(self.customer_a, 10)
        self.answer(self.customer_a, 7)
        message = self.campaign.message_ids[:1]
        self.assertIn("Satisfaction alert", message.subject)
        self.assertIn(self.manager.partner_id, message.notified_partner_ids)

    def test_drop_of_points_within_a_category(self):
        self.env.company.nps_health_drop_points = 2
        self.answer(self.customer_a, 8)
        second = self.answer(self.customer_a, 7)
        self.assertFalse(second.followup_ids, "a 1-point drop")
        third = self.answer(self.customer_a, 10)
        fourth = self.answer(self.customer_a, 9)
        self.assertFalse(third.followup_ids or fourth.followup_ids)
        self.env.company.nps_health_drop_points = 1
        fifth = self.answer(self.customer_a, 9)
        self.assertFalse(fifth.followup_ids, "no drop from 9 to 9")

    def test_detractor_followup_is_the_alert(self):
        self.answer(self.customer_a, 10)
        second = self.answer(self.customer_a, 2)
        self.assertEqual(
            second.followup_ids.kind,
            "detractor",
            "the detractor follow-up already alerts",
        )
        self.assertEqual(second.followup_ids.state, "open")

    def test_keyword_alerts_whatever_the_score(self):
        request = self.answer(
            self.customer_b, 10, comment="Super, mais nous allons RÉSILIER en mars"
        )
        self.assertEqual(request.followup_ids.kind, "keyword")
        self.assertEqual(
            request.followup_ids.keywords,
            "résiliation, résilier",
            "one stem: the listed noun found in the verb's form too",
        )
        german = self.answer(self.customer_a, 9, comment="Wir wollen kündigen.")
        self.assertEqual(german.followup_ids.kind, "keyword")
        calm = self.answer(
            self.make_customers(1, "calm"), 9, comment="Cancún was lovely, thanks"
        )
        self.assertFalse(calm.followup_ids, "whole words only")

    def test_csat_falling_under_threshold(self):
        self.env.company.nps_health_csat_min = 60
        self.env.company.nps_health_drop_points = 0
        self.answer(self.customer_b, 9, csat_score=5)
        second = self.answer(self.customer_b, 7, csat_score=2)
        self.assertEqual(second.followup_ids.kind, "downgrade", "the first reason")
        partner = self.make_customers(1, "csat")
        self.answer(partner, 8, csat_score=4)
        third = self.answer(partner, 8, csat_score=3)
        self.assertEqual(third.followup_ids.kind, "low_csat", "CSAT 50% under 60%")
        self.close_case(third, "Called")
        fourth = self.answer(partner, 8, csat_score=5)
        self.assertFalse(fourth.followup_ids, "66.7%: over the threshold again")
        fifth = self.answer(partner, 8, csat_score=1)
        self.assertEqual(fifth.followup_ids.kind, "low_csat", "50%: under again")
        self.close_case(fifth, "Called again")
        sixth = self.answer(partner, 8, csat_score=2)
        self.assertFalse(sixth.followup_ids, "40%: still under, no new alert")


@tagged("post_install", "-at_install")
class TestPromoterAndPhone(NpsCase):
    def test_promoter_thank_you_when_configured(self):
        request = self.sent_request(self.customer_b)
        request._nps_record_answer(score=10)
        mails = self.env["mail.mail"].search([("res_id", "=", request.id)])
        self.assertEqual(len(mails), 1, "only the survey without a template")
        self.campaign.promoter_template_id = self.env.ref(
            "nps_satisfaction.mail_template_nps_promoter"
        )
        other = self.sent_request(self.customer_a)
        other._nps_record_answer(score=9)
        mails = self.env["mail.mail"].search(
            [("model", "=", "nps.request"), ("res_id", "=", other.id)]
        )
        self.assertEqual(len(mails), 2)
        self.assertIn("Thank you", mails.sorted("id")[-1].subject)

    def test_phone_answer_on_a_sent_survey(self):
        request = self.sent_request(self.customer_b)
        wizard = Form(
            self.env["nps.phone.answer"]
            .with_user(self.agent)
            .with_context(
                active_model="helpdesk.ticket", active_id=request.ticket_id.id
            )
        )
        self.assertEqual(wizard.request_id, request)
        self.assertFalse(wizard.score, "no score chosen before the customer gave one")
        self.assertFalse(wizard.csat_score)
        wizard.score = "6"
        wizard.comment = "Said on the phone"
        wizard.save().action_record()
        self.assertEqual(request.state, "answered")
        self.assertEqual((request.score, request.channel), (6, "phone"))
        self.assertEqual(request.answer_recorded_by_id, self.agent)

    def test_phone_answer_without_survey_creates_one(self):
        ticket = self.make_tickets(self.customer_b)
        ticket.write(
            {"nps_skip_survey": True, "nps_skip_reason": "Asked by phone instead"}
        )
        request = self.close(ticket)
        self.assertEqual(request.state, "skipped")
        wizard = Form(
            self.env["nps.phone.answer"].with_context(
                active_model="helpdesk.ticket", active_id=ticket.id
            )
        )
        self.assertFalse(wizard.request_id)
        self.assertEqual(wizard.campaign_id, self.campaign)
        wizard.score = "10"
        wizard.save().action_record()
        answered = ticket.nps_request_ids.filtered(lambda r: r.state == "answered")
        self.assertEqual(answered.channel, "phone")
        self.assertEqual(answered.user_input_id.nps_score, 10)

    def test_phone_answer_takes_the_customer_of_the_ticket(self):
        """The wizard's customer comes from the browser: an agent recording
        an answer on his own ticket cannot put it on another customer."""
        ticket = self.make_tickets(self.customer_b)
        ticket.write({"nps_skip_survey": True, "nps_skip_reason": "By phone"})
        self.close(ticket)
        wizard = (
            self.env["nps.phone.answer"]
            .with_user(self.agent)
            .create(
                {
                    "ticket_id": ticket.id,
                    "partner_id": self.customer_a.id,
                    "campaign_id": self.campaign.id,
                    "score": "0",
                }
            )
        )
        wizard.action_record()
        answered = ticket.nps_request_ids.filtered(lambda r: r.state == "answered")
        self.assertEqual(answered.partner_id, self.customer_b, "the ticket's customer")
        self.assertFalse(
            self.env["nps.request"].search(
                [("partner_id", "=", self.customer_a.id), ("state", "=", "answered")]
            ),
            "nothing recorded for the customer the browser named",
        )

    def test_phone_answer_refuses_a_campaign_of_another_kind(self):
        periodic = self.campaign.copy({"name": "Twice a year", "trigger": "periodic"})
        ticket = self.make_tickets(self.customer_b)
        ticket.write({"nps_skip_survey": True, "nps_skip_reason": "By phone"})
        self.close(ticket)
        before = self.env["nps.request"].search_count([])
        wizard = (
            self.env["nps.phone.answer"]
            .with_user(self.agent)
            .create({"ticket_id": ticket.id, "campaign_id": periodic.id, "score": "0"})
        )
        with self.assertRaises(UserError):
            wizard.action_record()
        self.assertEqual(self.env["nps.request"].search_count([]), before)

    def test_phone_answer_on_another_tickets_survey_refused(self):
        """A survey named by the browser must be the document's own."""
        other = self.sent_request(self.customer_a)
        ticket = self.make_tickets(self.customer_b)
        wizard = (
            self.env["nps.phone.answer"]
            .with_user(self.agent)
            .create({"ticket_id": ticket.id, "request_id": other.id, "score": "0"})
        )
        with self.assertRaises(UserError):
            wizard.action_record()
        self.assertEqual(other.state, "sent", "nothing written")

    def test_phone_answer_refuses_bad_score(self):
        request = self.sent_request(self.customer_b)
        with self.assertRaises(ValueError), self.cr.savepoint():
            self.env["nps.phone.answer"].create(
                {"request_id": request.id, "score": "11"}
            )
        wizard = self.env["nps.phone.answer"].create({"request_id": request.id})
        with self.assertRaisesRegex(UserError, "between 0 and 10"):
            wizard.action_record()
        self.assertEqual(request.state, "sent", "nothing written")


@tagged("post_install", "-at_install")
class TestDashboard(NpsCase):
    def test_figures_and_lists(self):
        promoter = self.sent_request(self.customer_b)
        promoter._nps_record_answer(score=10)
        detractor = self.sent_request(self.customer_a)
        detractor._nps_record_answer(score=1)
        dashboard = self.env["nps.dashboard"].create({"period": "30"})
        self.assertAlmostEqual(dashboard.nps, 0.0, msg="one promoter, one detractor")
        self.assertEqual(dashboard.answer_count, 2)
        self.assertEqual(dashboard.followup_count, 1)
        self.assertEqual(dashboard.followup_ids, detractor.followup_ids)
        self.assertIn(self.company_a, dashboard.at_risk_ids)
        self.assertEqual(dashboard.response_rate, 100.0)

    def test_query_count_independent_of_answers(self):
        def count_queries():
            dashboard = self.env["nps.dashboard"].create({})
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(9):
                dashboard.invalidate_recordset()
                dashboard.read(["nps", "followup_count", "at_risk_count"])

        count_queries()
        customers = self.make_customers(15, prefix="dash")
        requests = self.close(self.make_tickets(customers))
        self.dispatch()
        for index, request in enumerate(requests):
            request._nps_record_answer(score=index % 11)
        count_queries()
