from datetime import timedelta

from odoo import api, fields, models

from ..tools import score_tools, token_tools

#: question types whose answer is one line (survey's _save_line_simple_answer)
SIMPLE_QUESTION_TYPES = (
    "char_box",
    "text_box",
    "scale",
    "numerical_box",
    "date",
    "datetime",
)


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    nps_request_id = fields.Many2one(
        comodel_name="nps.request",
        string="Satisfaction request",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    nps_score = fields.Integer(
        string="NPS score",
        compute="_compute_nps_score",
        store=True,
        aggregator="avg",
    )
    nps_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION,
        string="NPS category",
        compute="_compute_nps_score",
        store=True,
        index="btree_not_null",
    )

    @api.depends(
        "user_input_line_ids.value_scale",
        "user_input_line_ids.skipped",
        "user_input_line_ids.question_id.nps_role",
        "nps_request_id.campaign_id",
    )
    def _compute_nps_score(self):
        for answer in self:
            if not answer.user_input_line_ids:  # e.g. just sent
                answer.nps_score = 0
                answer.nps_category = False
                continue
            question = answer.nps_request_id.campaign_id.score_question_id
            lines = answer.user_input_line_ids.filtered(
                lambda line, q=question: not line.skipped
                and line.answer_type == "scale"
                and (
                    line.question_id == q if q else line.question_id.nps_role == "score"
                )
            )
            if lines:
                answer.nps_score = lines[0].value_scale
                answer.nps_category = score_tools.classify(lines[0].value_scale)
            else:
                answer.nps_score = 0
                answer.nps_category = False

    @api.model
    def _nps_create_for(self, requests):
        """The survey answer of each request, created in one batch and set on
        it; returns them, in order. Created when the customer answers (or an
        agent records the answer), not when the survey is sent: most
        customers never answer."""
        # the survey's questions, computed once per survey rather than by
        # survey.user_input's create for every answer
        predefined = {
            survey: [(6, 0, survey._prepare_user_input_predefined_questions().ids)]
            for survey in requests.campaign_id.survey_id
        }
        vals_list = []
        for request in requests:
            survey = request.campaign_id.survey_id
            vals_list.append(
                {
                    "survey_id": survey.id,
                    "predefined_question_ids": predefined[survey],
                    "partner_id": request.partner_id.id,
                    "email": request.partner_id.email,
                    "nickname": request.partner_id.name,
                    "nps_request_id": request.id,
                    # 256 random bits, where survey's default (a uuid4) has 122
                    "access_token": token_tools.new_token(),
                    "deadline": fields.Datetime.now()
                    + timedelta(days=request.campaign_id.expiry_days or 365),
                }
            )
        # no chatter on the answers at creation: they are created by the batch
        answers = (
            self.sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(vals_list)
        )
        for request, answer in zip(requests, answers, strict=True):
            request.user_input_id = answer
        return answers

    def _nps_save_lines(self, answers):
        """Save ``answers``, (question, value) pairs, as survey's
        ``_save_lines`` does; the one-line answers to questions not answered
        yet are created in one batch, with survey's own line values and the
        values of the line's stored related fields (its survey, its
        question's sequence), which the insert then holds: they are not
        written again by a second query."""
        self.ensure_one()
        answered = self.user_input_line_ids.question_id
        vals_list = []
        for question, value in answers:
            if (
                question.question_type in SIMPLE_QUESTION_TYPES
                and question not in answered
                and not (question.save_as_email or question.save_as_nickname)
            ):
                vals_list.append(
                    {
                        **self._get_line_answer_values(
                            question, value, question.question_type
                        ),
                        "survey_id": self.survey_id.id,
                        "question_sequence": question.sequence,
                    }
                )
            else:
                self._save_lines(question, value)
        if vals_list:
            self.env["survey.user_input.line"].create(vals_list)
