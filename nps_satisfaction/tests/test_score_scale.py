from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestScoreScale(NpsCase):
    """The email and the page offer a 0-10 score: a score question on
    another scale is refused with a clear message, never offered as 0-10
    (the 1-5 CSAT question of a campaign asking CSAT: test_csat_scale)."""

    def test_campaign_on_a_survey_scored_one_to_five_is_refused(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "Stars",
                "question_and_page_ids": [
                    (
                        0,
                        0,
                        {
                            "title": "How many stars?",
                            "question_type": "scale",
                            "scale_min": 1,
                            "scale_max": 5,
                        },
                    )
                ],
            }
        )
        with self.assertRaisesRegex(ValidationError, "score from 0 to 10"):
            self.campaign.copy(
                {"name": "Stars", "survey_id": survey.id, "measure": "nps"}
            )

    def test_score_question_keeps_its_scale(self):
        question = self.campaign.score_question_id
        self.assertEqual((question.scale_min, question.scale_max), (0, 10))
        with self.assertRaisesRegex(ValidationError, "score from 0 to 10"):
            question.scale_max = 5
        with self.assertRaisesRegex(ValidationError, "score from 0 to 10"):
            question.question_type = "numerical_box"

    def test_other_questions_may_have_their_own_scale(self):
        question = self.env["survey.question"].create(
            {
                "survey_id": self.survey.id,
                "title": "How easy was it?",
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 7,
                "sequence": 999,
            }
        )
        self.assertNotEqual(self.campaign.score_question_id, question)
