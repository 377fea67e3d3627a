import html
import re

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import NpsCase


class AccountManagerCase(NpsCase):
    """A salesperson with only the *Internal User* rights manages one
    customer, whose contact answers as a detractor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.salesman = new_test_user(
            env,
            login="sam_sales",
            groups="base.group_user",
            name="Sam Sales",
            email="sam@example.com",
        )
        cls.company_s = env["res.partner"].create(
            {
                "name": "Sierra Logistics",
                "is_company": True,
                "email": "office@sierra.example.com",
                "user_id": cls.salesman.id,
            }
        )
        cls.customer_s = env["res.partner"].create(
            {
                "name": "Sue Sierra",
                "parent_id": cls.company_s.id,
                "email": "sue@sierra.example.com",
            }
        )

    def detractor(self, partner=None, score=2, comment="Nobody called back"):
        request = self.sent_request(partner or self.customer_s)
        request.with_context(mail_notify_force_send=False)._nps_record_answer(
            score=score, comment=comment
        )
        return request


@tagged("post_install", "-at_install")
class TestFollowupCase(AccountManagerCase):
    def test_case_assigned_with_odoo_notification(self):
        """Regression: the activity was created silently on the ticket, so the
        account manager got no email and could not open it."""
        request = self.detractor()
        case = request.followup_ids
        self.assertEqual(case.user_id, self.salesman)
        activity = self.activity_of(request)
        self.assertEqual((activity.res_model, activity.res_id), (case._name, case.id))
        self.assertEqual(activity.user_id, self.salesman)
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "nps.followup"),
                ("res_id", "=", case.id),
                ("partner_ids", "in", self.salesman.partner_id.ids),
            ]
        )
        self.assertEqual(len(notice), 1, "the assignee is notified once")
        self.assertIn("assigned to you", notice.subject)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.id)])
        self.assertTrue(mail, "an email, as the assignee's preference is email")
        self.assertIn(self.salesman.partner_id, mail.recipient_ids)
        self.assertIn(
            f"/mail/view?model=nps.followup&amp;res_id={case.id}",
            str(mail.body_html),
            "the email links to the case",
        )

    def test_inbox_preference_is_honoured(self):
        self.salesman.notification_type = "inbox"
        request = self.detractor()
        case = request.followup_ids
        notice = (
            self.env["mail.message"]
            .search([("model", "=", "nps.followup"), ("res_id", "=", case.id)])
            .filtered(lambda m: self.salesman.partner_id in m.partner_ids)
        )
        self.assertTrue(notice)
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id", "in", notice.ids)]),
            "an inbox notification, no email",
        )
        notification = notice.notification_ids.filtered(
            lambda n: n.res_partner_id == self.salesman.partner_id
        )
        self.assertEqual(notification.notification_type, "inbox")

    def test_account_manager_works_and_closes_his_case(self):
        followup_campaign = self.env.ref("nps_satisfaction.campaign_followup")
        request = self.detractor()
        case = request.followup_ids.with_user(self.salesman)
        case.check_access("write")
        case.read(["name", "score", "comment", "history_ids", "open_ticket_summary"])
        self.assertEqual(case.history_ids, request, "his customer's answers")
        case.action_start()
        self.assertEqual(case.state, "in_progress")
        case.message_post(
            body="Called Sue, the trunk was misrouted", message_type="comment"
        )
        action = case.action_close()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        wizard.root_cause_id = self.env.ref("nps_satisfaction.reason_response_time")
        wizard.outcome = "resolved"
        wizard.note = "Rerouted the trunk"
        wizard.save().action_close()
        self.assertEqual(case.state, "done")
        self.assertEqual(case.action_taken, "Rerouted the trunk")
        self.assertFalse(self.activity_of(request).active, "the activity is done")
        survey = self.env["nps.request"].search(
            [("origin_request_id", "=", request.id)]
        )
        self.assertEqual(survey.campaign_id, followup_campaign)
        self.assertEqual(survey.state, "scheduled")
        self.assertEqual(case.sudo().survey_request_id, survey)
        self.assertEqual(self.company_s.nps_health_reason, "detractor")

    def test_account_manager_reads_answers_never_writes_them(self):
        request = self.detractor()
        as_salesman = request.with_user(self.salesman)
        as_salesman.read(["score", "comment", "nps_category"])
        with self.assertRaises(AccessError):
            as_salesman.write({"score": 10})
        with self.assertRaises(AccessError):
            as_salesman.read(["access_token"])
        with self.assertRaises(AccessError):
            self.env["nps.followup"].with_user(self.salesman).create(
                {"request_id": request.id, "kind": "detractor"}
            )
        with self.assertRaises(AccessError):
            request.followup_ids.with_user(self.salesman).unlink()
        case = request.followup_ids.with_user(self.salesman)
        for values in (
            {"state": "done"},
            {"request_id": self.sent_request(self.customer_b).id},
            {"recovered": True},
        ):
            with self.assertRaises(AccessError, msg=f"{values} only by the flow"):
                case.write(values)
        self.assertEqual(case.state, "open")

    def test_account_manager_sees_his_customer_on_the_contact(self):
        self.detractor()
        company = self.company_s.with_user(self.salesman)
        company.read(["nps_health_shown", "nps_last_score_shown", "nps_followup_count"])
        self.assertEqual(company.nps_health_shown, "at_risk")
        self.assertEqual(company.nps_followup_count, 1)
        self.assertEqual(len(company.nps_history_ids), 1)

    def test_other_customers_cases_are_out_of_reach(self):
        mine = self.detractor()
        other = self.detractor(self.customer_a)
        Followup = self.env["nps.followup"].with_user(self.salesman)
        self.assertEqual(Followup.search([]), mine.followup_ids)
        with self.assertRaises(AccessError):
            other.followup_ids.with_user(self.salesman).read(["comment"])
        with self.assertRaises(AccessError):
            other.with_user(self.salesman).read(["score"])
        self.assertFalse(self.company_a.with_user(self.salesman).nps_history_ids)

    def test_assignee_who_is_not_the_account_manager(self):
        """The helpdesk team leader receives the case of a customer without
        account manager: he works it though he manages no one."""
        request = self.detractor(self.customer_b)
        case = request.followup_ids
        self.assertEqual(case.user_id, self.team_leader)
        case.with_user(self.team_leader).read(["name", "comment"])
        self.close_case(request, "Called Bob", user=self.team_leader)
        self.assertEqual(case.state, "done")

    def test_tell_the_customer_dialog_has_a_title(self):
        """Regression: the *Tell the customer* dialog was titled "Odoo" (its
        action had no name); its title is the button's, in the user's
        language."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        case = self.detractor().followup_ids.with_user(self.salesman)
        self.assertEqual(case.action_tell_customer()["name"], "Tell the customer")
        self.assertEqual(
            case.with_context(lang="fr_FR").action_tell_customer()["name"],
            "Informer le client",
        )

    def test_done_activity_reads_as_french_in_the_chatter(self):
        """Regression: the chatter said "Suivi de satisfaction terminée":
        Odoo writes "<activity type> terminée" (an *activité*, feminine) and
        a *suivi* is masculine. The activity types are named after feminine
        nouns in French, which Odoo's words agree with."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["mail", "nps_satisfaction"], ["fr_FR"]
        )
        request = self.detractor()
        activity = self.activity_of(request)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("nps_satisfaction.mail_activity_type_nps_followup"),
        )
        activity.with_user(self.salesman).with_context(lang="fr_FR").action_feedback(
            feedback="Client rappelé"
        )
        case = request.sudo().followup_ids
        texts = [
            html.unescape(re.sub(r"<[^>]+>", " ", m.body)) for m in case.message_ids
        ]
        done = [" ".join(text.split()) for text in texts if "terminé" in text]
        self.assertTrue(done, "the chatter says the activity is done")
        self.assertIn("Action de suivi de satisfaction terminée", done[0])
        escalation = self.env.ref("nps_satisfaction.mail_activity_type_nps_escalation")
        self.assertEqual(
            escalation.with_context(lang="fr_FR").name, "Escalade d'un suivi en retard"
        )

    def test_tell_the_customer_in_his_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        self.customer_s.lang = "fr_FR"
        request = self.detractor()
        case = request.followup_ids.with_user(self.salesman)
        case.action_taken = "Rerouted the trunk"
        action = case.action_tell_customer()
        composer = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        self.assertIn(self.customer_s, composer.partner_ids)
        self.assertEqual(composer.subject, "Ce que nous avons fait suite à votre avis")
        self.assertIn("Rerouted the trunk", str(composer.body))
        composer.save().action_send_mail()
        message = case.message_ids.filtered(
            lambda m: m.subject == "Ce que nous avons fait suite à votre avis"
        )
        self.assertEqual(len(message), 1)
        self.assertIn(self.customer_s, message.partner_ids)

    def test_case_links_its_ticket_for_whoever_may_open_it(self):
        """Regression: the case's ticket was shown to helpdesk users only, so
        the account manager, who may read his customer's ticket, had no link
        to it."""
        case = self.detractor().followup_ids
        self.assertTrue(case.ticket_id)
        self.assertTrue(case.with_user(self.salesman).ticket_readable)
        self.assertTrue(case.with_user(self.agent).ticket_readable)
        arch = (
            self.env["nps.followup"]
            .with_user(self.salesman)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="ticket_id"', arch, "the link is in his form")
        case.activity_ids.with_user(self.salesman).action_feedback(feedback="Called")
        outcome = case.activity_ids
        self.assertEqual(outcome.summary, "Record the outcome of the follow-up")
        self.assertIn("(Close the follow-up)", str(outcome.note), "as the button reads")

    def test_account_manager_cannot_push_his_deadline_or_hand_over(self):
        """Regression (attack trial): the account manager, a plain internal
        user, moved his case's deadline years away (so it never escalated)
        or handed it to someone else over RPC; the satisfaction team may."""
        case = self.detractor().followup_ids
        deadline = case.date_deadline
        for values in ({"date_deadline": "2030-01-01"}, {"user_id": self.agent.id}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                case.with_user(self.salesman).write(values)
        self.assertEqual((case.date_deadline, case.user_id), (deadline, self.salesman))
        case.with_user(self.nps_user).write({"date_deadline": "2030-01-01"})
        self.assertEqual(str(case.date_deadline), "2030-01-01")
        case.with_user(self.salesman).write({"action_taken": "Called Sue"})

    def test_portal_customer_cannot_read_the_case(self):
        portal = new_test_user(
            self.env,
            login="sue_portal",
            groups="base.group_portal",
            partner_id=self.customer_s.id,
        )
        request = self.detractor()
        with self.assertRaises(AccessError):
            request.followup_ids.with_user(portal).read(["action_taken"])
        with self.assertRaises(AccessError):
            request.with_user(portal).read(["followup_ids"])

    def test_case_cancelled_then_reopened(self):
        request = self.detractor()
        case = request.followup_ids
        case.action_cancel()
        self.assertEqual(case.state, "cancelled")
        self.assertFalse(case.activity_ids, "nothing left to do")
        self.assertEqual(self.company_s.nps_health_reason, "detractor")
        case.action_reopen()
        self.assertEqual(case.state, "open")
        self.assertEqual(self.company_s.nps_followup_count, 1)
        self.assertEqual(
            (self.company_s.nps_health, self.company_s.nps_health_reason),
            ("at_risk", "detractor"),
            "at risk for the detractor account, its case open or not",
        )


@tagged("post_install", "-at_install")
class TestFollowupTour(AccountManagerCase, HttpCase):
    def test_account_manager_closes_the_case_from_the_email(self):
        """A detractor answers; the account manager, a plain internal user,
        receives the email, opens the case from its link, logs the call and
        closes the case: the follow-up survey is scheduled."""
        request = self.detractor()
        case = request.followup_ids
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "nps.followup"),
                ("res_id", "=", case.id),
                ("recipient_ids", "in", self.salesman.partner_id.ids),
            ]
        )
        self.assertEqual(len(mail), 1, "the assignment email")
        link = re.search(r'href="[^"]*?(/mail/view\?[^"]+)"', str(mail.body_html))
        self.assertTrue(link, "the email links to the case")
        self.start_tour(
            html.unescape(link.group(1)),
            "nps_followup_account_manager",
            login=self.salesman.login,
        )
        self.assertEqual(case.state, "done")
        self.assertEqual(case.outcome, "resolved")
        self.assertEqual(case.action_taken, "Rerouted the trunk")
        self.assertTrue(
            case.message_ids.filtered(lambda m: "the trunk was misrouted" in m.body),
            "the call is logged on the case",
        )
        survey = self.env["nps.request"].search(
            [("origin_request_id", "=", request.id)]
        )
        self.assertEqual(survey.state, "scheduled", "the follow-up survey is scheduled")


@tagged("post_install", "-at_install")
class TestFollowupReachTour(AccountManagerCase, HttpCase):
    def test_account_manager_opens_the_case_links_and_works_its_activity(self):
        """The account manager, a plain internal user, opens his case's answer
        and its ticket (read only, with its history), marks the case's
        activity done (the case goes in progress, the next step is his), then
        records the outcome from that next step's *Done & Schedule Next*: the
        case is done and links to its follow-up survey."""
        request = self.detractor()
        case = request.followup_ids
        ticket = request.ticket_id
        ticket.name = "Line down at the depot"
        ticket.with_user(self.agent).message_post(
            body="Rerouted the calls to the mobile", message_type="comment"
        )
        self.start_tour(
            f"/odoo/nps.followup/{case.id}",
            "nps_followup_reach",
            login=self.salesman.login,
        )
        self.assertEqual(case.state, "done")
        self.assertEqual(
            case.root_cause_id, self.env.ref("nps_satisfaction.reason_response_time")
        )
        self.assertEqual(case.outcome, "resolved")
        self.assertEqual(case.action_taken, "Rerouted the trunk")
        activities = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("res_model", "=", "nps.followup"), ("res_id", "=", case.id)])
        )
        self.assertIn(
            "Record the outcome of the follow-up",
            activities.mapped("summary"),
            "marking the activity done gave him the next step",
        )
        self.assertFalse(activities.filtered("active"), "nothing left to do")
        self.assertTrue(
            case.message_ids.filtered(lambda m: "the trunk was misrouted" in m.body),
            "the work done is on the case",
        )
        self.assertEqual(
            ticket.name, "Line down at the depot", "the ticket is his to read"
        )
        survey = self.env["nps.request"].search(
            [("origin_request_id", "=", request.id)]
        )
        self.assertEqual(survey.state, "scheduled", "the follow-up survey is scheduled")
        self.assertEqual(case.survey_request_id, survey)
