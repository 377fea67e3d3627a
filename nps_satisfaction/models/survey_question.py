from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import score_tools


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    nps_role = fields.Selection(
        selection=[
            ("score", "NPS score"),
            ("csat", "CSAT score"),
            ("comment", "NPS comment"),
        ],
        string="Satisfaction role",
        help="The question that gives a campaign's 0-10 score (NPS), the one "
        "that gives its 1-5 satisfaction with the service (CSAT), or the one "
        "that holds the customer's free comment.",
    )

    @api.constrains("question_type", "scale_min", "scale_max", "nps_role")
    def _check_nps_score_scale(self):
        """The score question of a campaign is offered as 0-10 in the email
        and on the page, its CSAT question as 1-5: neither can be given
        another scale."""
        campaigns = (
            self.env["nps.campaign"]
            .sudo()
            .with_context(active_test=False)
            .search([("survey_id", "in", self.survey_id.ids)])
        )
        (campaigns.score_question_id & self)._nps_check_score_scale()
        (campaigns.csat_question_id & self)._nps_check_csat_scale()

    def _nps_check_score_scale(self):
        for question in self:
            if question.question_type == "scale" and (
                question.scale_min,
                question.scale_max,
            ) == (score_tools.SCORE_MIN, score_tools.SCORE_MAX):
                continue
            raise ValidationError(
                self.env._(
                    "The question %(question)s gives the score of a satisfaction "
                    "campaign, which asks a score from 0 to 10: make it a scale "
                    "question from 0 to 10, or choose another survey.",
                    question=question.title,
                )
            )

    def _nps_check_csat_scale(self):
        for question in self:
            if question.question_type == "scale" and (
                question.scale_min,
                question.scale_max,
            ) == (score_tools.CSAT_MIN, score_tools.CSAT_MAX):
                continue
            raise ValidationError(
                self.env._(
                    "The question %(question)s gives the CSAT of a satisfaction "
                    "campaign, which asks a rating from 1 to 5: make it a scale "
                    "question from 1 to 5, or choose another survey.",
                    question=question.title,
                )
            )
