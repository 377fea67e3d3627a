from odoo.tests import tagged

from .common import NpsCase

QUESTION = {
    "en_US": "On a scale of 0 to 10, how likely are you to recommend us to a "
    "colleague or partner?",
    "fr_FR": "Sur une échelle de 0 à 10, quelle est la probabilité que vous nous "
    "recommandiez à un collègue ou partenaire ?",
}


@tagged("post_install", "-at_install")
class TestSeedWording(NpsCase):
    """The words of the seeds: the NPS question, the survey email's subject
    (about the customer's request, never the campaign's internal name) and
    the account manager's task, each in its reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("fr_FR", "de_DE"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["nps_satisfaction"], ["fr_FR", "de_DE"]
        )

    def test_question_in_the_seeds_words(self):
        for xmlid in ("survey_post_ticket_q_score", "survey_post_installation_q_score"):
            question = self.env.ref(f"nps_satisfaction.{xmlid}")
            for lang, expected in QUESTION.items():
                self.assertEqual(
                    question.with_context(lang=lang).title,
                    expected,
                    f"{xmlid} in {lang}",
                )
            german = question.with_context(lang="de_DE").title
            self.assertIn("Kollegen oder Partner", german, xmlid)
            self.assertIn("0 bis 10", german, xmlid)

    def test_survey_subject_names_the_request(self):
        self.campaign.name = "Q3 internal retention push"
        request = self.sent_request()
        self.assertEqual(
            request.mail_id.subject,
            f"Your request {request.ticket_id.number}: how did we do?",
        )
        self.assertNotIn("retention", request.mail_id.subject, "internal name")

    def test_survey_subject_and_question_in_the_customers_language(self):
        self.customer_a.lang = "fr_FR"
        request = self.sent_request()
        mail = request.mail_id
        self.assertEqual(
            mail.subject,
            f"Votre demande {request.ticket_id.number} : qu'en avez-vous pensé ?",
        )
        self.assertIn("collègue ou partenaire", mail.body_html)

    def test_reminder_subject_names_the_request(self):
        self.campaign.write({"reminder_delay_days": 3, "max_reminders": 1})
        request = self.sent_request()
        request.sent_date = self.past(4)
        self.env["nps.dispatch"]._cron_remind()
        self.assertEqual(request.reminder_count, 1)
        self.assertEqual(
            request.mail_id.subject,
            f"Reminder: how did we do on your request {request.ticket_id.number}?",
        )

    def test_project_survey_subject_names_the_project(self):
        project = self.env["project.project"].create(
            {"name": "Fibre install Lyon", "partner_id": self.customer_b.id}
        )
        project.stage_id = self.env.ref("project.project_project_stage_2")
        request = project.nps_request_ids
        request.scheduled_date = self.past(1)
        self.dispatch()
        self.assertEqual(
            request.mail_id.subject,
            "Your project Fibre install Lyon: how did we do?",
        )

    def test_account_managers_task_in_his_language(self):
        """The task is worded in the account manager's language, not in the
        language of whoever recorded the answer."""
        self.account_manager.lang = "fr_FR"
        request = self.sent_request()
        request.with_context(lang="en_US")._nps_record_answer(score=3)
        activity = self.activity_of(request)
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertEqual(
            activity.summary, "Suivi avec Acme Telecom Client — score NPS tombé à 3"
        )

    def test_account_managers_task_in_english(self):
        request = self.sent_request()
        request._nps_record_answer(score=5)
        self.assertEqual(
            self.activity_of(request).summary,
            "Follow up with Acme Telecom Client — NPS score dropped to 5",
        )
