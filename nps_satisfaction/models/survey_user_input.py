from odoo import api, fields, models

from ..tools import score_tools

#: question types whose answer is one line (survey's _save_line_simple_answer)
SIMPLE_QUESTION_TYPES = (
    "char_box",
    "text_box",
    "scale",
    "numerical_box",
    "date",
    "datetime",
)
#: question types the answer page renders itself after the score
NPS_PAGE_QUESTION_TYPES = (
    "char_box",
    "text_box",
    "numerical_box",
    "scale",
    "simple_choice",
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

    def _nps_save_lines(self, answers):
        """Save ``answers``, (question, value) pairs, as survey's
        ``_save_lines`` does; the one-line answers to questions not answered
        yet are created in one batch, with survey's own line values."""
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
                    self._get_line_answer_values(
                        question, value, question.question_type
                    )
                )
            else:
                self._save_lines(question, value)
        if vals_list:
            self.env["survey.user_input.line"].create(vals_list)

    def _nps_remaining_questions(self):
        """The survey's questions, other than score and comment, that are not
        answered yet."""
        self.ensure_one()
        campaign = self.nps_request_id.campaign_id
        own = campaign.score_question_id | campaign.comment_question_id
        answered = self.user_input_line_ids.filtered(
            lambda line: not line.skipped
        ).question_id
        return self.survey_id.question_ids.filtered(
            lambda q: not q.is_page and q not in own and q not in answered
        )

    def _nps_page_questions(self):
        """Remaining questions the answer page can ask itself; False when one
        of them needs Odoo's own survey page."""
        self.ensure_one()
        remaining = self._nps_remaining_questions()
        if any(q.question_type not in NPS_PAGE_QUESTION_TYPES for q in remaining):
            return False
        return remaining
