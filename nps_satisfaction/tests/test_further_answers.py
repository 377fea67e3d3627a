from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestFurtherAnswers(NpsCase):
    """Regression (user trial): a satisfaction user without Surveys rights
    could not see the further answers of an installation survey (was the
    installation on the agreed date, what could we have done better) on
    the request or the project: they are survey answer lines
    (``survey.user_input.line``), which only Surveys users read. A record
    rule lets satisfaction users read the lines of the satisfaction
    surveys' answers, and only those."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["project.project"].create(
            {"name": "Fibre install", "partner_id": cls.customer_b.id}
        )
        cls.project.stage_id = cls.env.ref("project.project_project_stage_2")
        cls.request = cls.project.nps_request_ids
        cls.request.scheduled_date = cls.past(cls, 1)
        cls.env["nps.dispatch"]._nps_dispatch_due()
        cls.yes = cls.env.ref(
            "nps_satisfaction.survey_post_installation_q_schedule_yes"
        )
        cls.improve = cls.env.ref("nps_satisfaction.survey_post_installation_q_improve")
        cls.request._nps_record_answer(
            score=8,
            comment="Fine overall",
            extra={cls.yes.question_id: cls.yes.id, cls.improve: "Call before coming"},
        )

    def further_answers(self, record, field, user):
        """{question: answer} of ``record``'s further answers, as ``user``
        reads them (the form's list: question and answer)."""
        lines = record.with_user(user)[field]
        return {
            values["question_id"][1]: values["nps_answer_text"]
            for values in lines.read(["question_id", "nps_answer_text"])
        }

    def test_satisfaction_user_reads_the_further_answers(self):
        self.assertFalse(
            self.nps_user.has_group("survey.group_survey_user"), "no Surveys rights"
        )
        expected = {
            "Was the installation done on the agreed date?": "Yes",
            "What could we have done better?": "Call before coming",
        }
        self.assertEqual(
            self.further_answers(self.request, "further_answer_ids", self.nps_user),
            expected,
            "on the request: the answers other than the score and the comment",
        )
        self.assertEqual(
            self.further_answers(self.project, "nps_further_answer_ids", self.nps_user),
            expected,
            "on the project's Satisfaction tab",
        )

    def test_forms_open_for_a_satisfaction_user(self):
        """The request's and the project's forms, as the satisfaction user
        opens them, show the further answers."""
        form = Form(self.request.with_user(self.nps_user))
        self.assertEqual(len(form.further_answer_ids), 2)
        project_user = new_test_user(
            self.env,
            login="nps_project_user",
            groups="base.group_user,project.group_project_user,"
            "nps_satisfaction.group_nps_user",
        )
        form = Form(self.project.with_user(project_user))
        self.assertEqual(len(form.nps_further_answer_ids), 2)

    def test_lines_of_other_surveys_stay_out_of_reach(self):
        other = self.env["survey.survey"].create({"title": "Staff canteen"})
        question = self.env["survey.question"].create(
            {"survey_id": other.id, "title": "Lunch?", "question_type": "char_box"}
        )
        answer = other._create_answer(email="staff@example.com")
        answer._save_lines(question, "Too salty")
        lines = self.env["survey.user_input.line"].with_user(self.nps_user)
        self.assertFalse(
            lines.search([("id", "in", answer.user_input_line_ids.ids)]),
            "a survey of no satisfaction campaign",
        )
        with self.assertRaises(AccessError):
            answer.user_input_line_ids.with_user(self.nps_user).read(["value_char_box"])

    def test_agents_and_account_managers_read_no_lines(self):
        lines = self.request.user_input_id.user_input_line_ids
        with self.assertRaises(AccessError):
            lines.with_user(self.agent).read(["value_char_box"])
