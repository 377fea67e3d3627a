from odoo.tests import HttpCase, tagged

from .common import NpsCase, NpsHttpMixin


class EffectsMixin:
    def wakeups(self):
        cron = self.env.ref("nps_satisfaction.ir_cron_nps_answer_effects")
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])


@tagged("post_install", "-at_install")
class TestAnswerEffectsJob(EffectsMixin, NpsHttpMixin, NpsCase, HttpCase):
    """The customer's answer page records the answer and leaves its effects
    to their job, woken at once; the job applies them."""

    def test_page_answer_leaves_its_effects_to_the_job(self):
        request = self.sent_request()
        url = f"/nps/{request.sudo().access_token}"
        self.env["ir.cron.trigger"].search([]).unlink()
        self.answer(url, 2, self.customer_session())
        request.invalidate_recordset()
        self.assertEqual((request.state, request.score), ("answered", 2))
        self.assertTrue(request.effects_pending, "the effects wait for their job")
        self.assertFalse(request.sudo().followup_ids, "no case yet")
        self.assertEqual(self.wakeups(), 1, "the page woke the job up")
        commercial = request.commercial_partner_id
        self.assertFalse(commercial.nps_last_score, "figures not refreshed yet")

        self.apply_effects()
        request.invalidate_recordset()
        self.assertFalse(request.effects_pending)
        self.assertTrue(request.effects_date)
        self.assertEqual(
            request.sudo().followup_ids.kind, "detractor", "the job opened the case"
        )
        self.assertTrue(self.activity_of(request), "with its activity")
        commercial.invalidate_recordset()
        self.assertEqual(commercial.nps_last_score, 2, "and refreshed the figures")
        self.assertTrue(request.nps_message_ids, "and posted on the ticket")

    def test_one_wakeup_pending_for_many_answers(self):
        requests = self.sent_request() | self.sent_request(self.customer_b)
        self.env["ir.cron.trigger"].search([]).unlink()
        for request in requests:
            self.answer(
                f"/nps/{request.sudo().access_token}", 9, self.customer_session()
            )
        self.assertEqual(
            self.wakeups(), 1, "the second answer found the job woken already"
        )
        requests.invalidate_recordset()
        self.assertEqual(requests.mapped("effects_pending"), [True, True])
        self.apply_effects()
        requests.invalidate_recordset()
        self.assertEqual(requests.mapped("effects_pending"), [False, False])


@tagged("post_install", "-at_install")
class TestAnswerEffects(EffectsMixin, NpsCase):
    """Effects applied once per answer, with a constant number of queries."""

    def test_agent_or_job_answer_applies_effects_at_once(self):
        request = self.sent_request()
        request._nps_record_answer(score=1, comment="Bad")
        self.assertFalse(request.effects_pending)
        self.assertTrue(request.sudo().followup_ids, "the case is opened at once")

    def test_effects_once_per_answer(self):
        request = self.sent_request()
        ticket = request.ticket_id
        request._nps_record_answer(score=3)
        posts = len(request.nps_message_ids)
        self.assertEqual(posts, 1, "the answer is posted on the ticket")
        case = request.sudo().followup_ids
        self.assertEqual(len(case), 1)
        # applying again does nothing: nothing is pending
        self.env["nps.answer.effects"]._nps_apply(request)
        # a comment added later is the same answer: no second post, no case
        request._nps_record_answer(comment="Still waiting for a call.")
        self.assertFalse(request.effects_pending)
        self.assertEqual(len(request.nps_message_ids), posts)
        self.assertEqual(request.sudo().followup_ids, case)
        self.assertEqual(len(ticket.message_ids & request.nps_message_ids), 1)

    def open_request(self, customer):
        request = self.env["nps.request"].create(
            {
                "campaign_id": self.campaign.id,
                "partner_id": customer.id,
                "state": "scheduled",
            }
        )
        request._nps_open_without_email("email")
        return request

    def effects_queries(self, history):
        """Queries of the effects of a detractor's answer, for a customer
        with ``history`` earlier answers."""
        customer = self.make_customers(1, f"history{history}")
        for _i in range(history):
            self.open_request(customer)._nps_record_answer(score=8)
        request = self.open_request(customer)
        request.with_context(nps_defer_effects=True)._nps_record_answer(score=2)
        self.assertTrue(request.effects_pending)
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.env["nps.answer.effects"]._nps_apply(request)
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - start
        self.assertTrue(request.sudo().followup_ids)
        return queries

    def test_effects_query_count_does_not_grow_with_history(self):
        # a first run warms what any answer reads once (activity types, ...)
        self.effects_queries(0)
        short = self.effects_queries(1)
        long = self.effects_queries(8)
        self.assertLessEqual(
            long,
            short,
            f"the effects took {long} queries after 8 answers, {short} after one",
        )


@tagged("post_install", "-at_install")
class TestEffectsWording(NpsCase):
    """Regressions of the user trial: what the effects write reads in its
    reader's language and tells the answer as it is now."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])

    def test_ticket_note_in_its_agents_language(self):
        """The answer's note on a French agent's ticket was English."""
        self.agent.lang = "fr_FR"
        request = self.sent_request()
        request._nps_record_answer(score=2, comment="Personne ne rappelle")
        notes = request.ticket_id.message_ids.filtered(
            lambda m: "Personne ne rappelle" in str(m.body)
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("a répondu à l'enquête de satisfaction", str(notes.body))
        self.assertIn("Détracteur", str(notes.body))
        self.assertNotIn("answered the satisfaction survey", str(notes.body))

    def test_case_activity_tells_the_comment_that_came_after_the_score(self):
        """The comment came a moment after the score that opened the case:
        the account manager's activity said only the score."""
        request = self.sent_request()
        request._nps_record_answer(score=2)
        activity = self.activity_of(request)
        self.assertTrue(activity, "the detractor's case and its activity")
        self.assertNotIn("Nous pensons résilier", str(activity.note))
        request._nps_record_answer(comment="Nous pensons résilier")
        self.assertIn("Nous pensons résilier", str(activity.note))
