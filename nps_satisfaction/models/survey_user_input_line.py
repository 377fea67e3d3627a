from odoo import api, fields, models


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    nps_answer_text = fields.Char(
        string="Answer",
        compute="_compute_nps_answer_text",
        # the chosen answer's text (survey.question.answer) is read for the
        # line: whoever reads the line (a record rule says who) reads it
        compute_sudo=True,
        help="The answer as the customer gave it: the text, the number or the choice.",
    )

    @api.depends(
        "answer_type",
        "value_char_box",
        "value_text_box",
        "value_numerical_box",
        "value_scale",
        "value_date",
        "value_datetime",
        "suggested_answer_id.value",
        "matrix_row_id.value",
    )
    def _compute_nps_answer_text(self):
        for line in self:
            # survey's own name of a line shortens a long text
            line.nps_answer_text = (
                line.value_text_box
                if line.answer_type == "text_box"
                else str(line.display_name)
            )
