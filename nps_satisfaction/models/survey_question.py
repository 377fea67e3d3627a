from odoo import fields, models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    nps_role = fields.Selection(
        selection=[("score", "NPS score"), ("comment", "NPS comment")],
        string="Satisfaction role",
        help="The question that gives a campaign's 0-10 score, or the one "
        "that holds the customer's free comment.",
    )
