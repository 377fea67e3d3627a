from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import score_tools

#: the faces of the 1-5 CSAT answers, from very dissatisfied to very satisfied
CSAT_FACES = {
    1: "\U0001f620",
    2: "\U0001f641",
    3: "\U0001f610",
    4: "\U0001f642",
    5: "\U0001f600",
}


class NpsCampaign(models.Model):
    """The scales a campaign asks: the 0-10 recommendation score (NPS), the
    1-5 satisfaction with the service (CSAT), or both; the survey questions
    that ask them, and their one-click cells in the email and on the pages.
    The CSAT is the share of 4 and 5 answers (``score_tools.csat``)."""

    # split by what things are (STYLE.md): one file per concern of the campaign
    _inherit = "nps.campaign"  # pylint: disable=consider-merging-classes-inherited

    measure = fields.Selection(
        selection=[
            ("nps", "NPS (0-10)"),
            ("csat", "CSAT (1-5)"),
            ("both", "NPS and CSAT"),
        ],
        string="Asks",
        default="nps",
        required=True,
        tracking=True,
        help="NPS: the 0-10 recommendation question, in the email. CSAT: the "
        "1-5 satisfaction question, in the email, reported as the share of 4 "
        "and 5 answers. Both: the email offers the 0-10 score and the answer "
        "page then asks the 1-5 satisfaction question beside the comment.",
    )
    # stored, like the score question: every answer reads it
    csat_question_id = fields.Many2one(
        comodel_name="survey.question",
        string="CSAT question",
        compute="_compute_survey_questions",
        store=True,
        help="The survey's 1-5 question that gives the CSAT: the one whose "
        "satisfaction role is CSAT score.",
    )
    lead_question_id = fields.Many2one(
        comodel_name="survey.question",
        string="Question of the email",
        compute="_compute_lead_question_id",
        help="The question whose scale the email offers as one-click cells: "
        "the 0-10 score, or the CSAT question of a CSAT campaign.",
    )
    csat_display = fields.Selection(
        selection=[("stars", "Stars"), ("faces", "Faces")],
        string="CSAT shown as",
        default="stars",
        required=True,
    )
    csat = fields.Float(
        string="CSAT (%)",
        compute="_compute_figures",
        aggregator=False,
        help="Share of the CSAT answers (1-5) that are 4 or 5.",
    )
    csat_answer_count = fields.Integer(
        string="CSAT answers",
        compute="_compute_figures",
        help="Answers with a 1-5 satisfaction, which the CSAT counts.",
    )

    @api.depends(
        "measure",
        "survey_id.question_and_page_ids.is_page",
        "survey_id.question_and_page_ids.nps_role",
        "survey_id.question_and_page_ids.question_type",
        "survey_id.question_and_page_ids.scale_min",
        "survey_id.question_and_page_ids.scale_max",
    )
    def _compute_survey_questions(self):
        """The score, CSAT and comment questions of the campaign's survey:
        each by its satisfaction role; without one, the first scale question
        is the score and a 1-5 one the CSAT. A scale the campaign does not
        ask has no question."""
        for campaign in self:
            questions = campaign.survey_id.question_and_page_ids.filtered(
                lambda q: not q.is_page
            )
            scales = questions.filtered(lambda q: q.question_type == "scale")
            score = csat = questions.browse()
            if campaign._nps_asks(score_tools.NPS):
                score = (
                    questions.filtered(lambda q: q.nps_role == "score")[:1]
                    or scales.filtered(lambda q: q.nps_role != "csat")[:1]
                )
            if campaign._nps_asks(score_tools.CSAT):
                csat = (
                    questions.filtered(lambda q: q.nps_role == "csat")[:1]
                    or (
                        scales.filtered(
                            lambda q, score=score: q != score
                            and not q.nps_role
                            and (q.scale_min, q.scale_max)
                            == score_tools.SCALES[score_tools.CSAT]
                        )[:1]
                    )
                )
            campaign.score_question_id = score
            campaign.csat_question_id = csat
            campaign.comment_question_id = questions.filtered(
                lambda q: q.nps_role == "comment"
            )[:1]

    @api.depends("measure", "score_question_id", "csat_question_id")
    def _compute_lead_question_id(self):
        for campaign in self:
            campaign.lead_question_id = (
                campaign.csat_question_id
                if campaign._nps_lead_measure() == score_tools.CSAT
                else campaign.score_question_id
            )

    @api.constrains("survey_id", "measure")
    def _check_score_question(self):
        for campaign in self:
            if campaign._nps_asks(score_tools.NPS):
                question = campaign.score_question_id
                if not question:
                    raise ValidationError(
                        self.env._(
                            "The survey %(survey)s has no 0-10 scale question to "
                            "give the score.",
                            survey=campaign.survey_id.title,
                        )
                    )
                question._nps_check_score_scale()
            if campaign._nps_asks(score_tools.CSAT):
                question = campaign.csat_question_id
                if not question:
                    raise ValidationError(campaign._nps_no_csat_question_message())
                question._nps_check_csat_scale()

    def _nps_no_csat_question_message(self):
        self.ensure_one()
        return self.env._(
            "The survey %(survey)s has no 1-5 satisfaction question to give the "
            "CSAT: add a scale question from 1 to 5 with the satisfaction role "
            "CSAT score.",
            survey=self.survey_id.title,
        )

    def _nps_asks(self, measure):
        """Whether this campaign asks the scale ``measure`` (``nps``: the
        0-10 score, ``csat``: the 1-5 satisfaction)."""
        self.ensure_one()
        return self.measure in (measure, "both")

    def _nps_lead_measure(self):
        """The scale the email offers as one-click cells and the answer page
        asks first: the 0-10 score, unless the campaign asks CSAT alone. A
        campaign asking both offers the 0-10 score: it gives the category
        that drives the follow-up of a detractor, the reasons asked and the
        customer's health, so it is the answer every customer who clicks
        gives; and the links of the emails sent before the campaign asked
        CSAT keep their meaning. The 1-5 question follows on the answer
        page, beside the comment."""
        self.ensure_one()
        return score_tools.CSAT if self.measure == "csat" else score_tools.NPS

    def _scale_cells(self, base_url=None, token=None, selected=None, measure=None):
        """The score buttons of the scale ``measure`` (the campaign's lead
        scale by default), in the campaign's display style: a list of dicts
        with score, the form field and URL parameter (``score`` or ``csat``),
        url, label, colour, icon url, the symbol drawn above the label
        (``stars``: a star, or the face of a CSAT answer) and whether the
        score is the selected one. Shared by the email and the pages."""
        self.ensure_one()
        measure = measure or self._nps_lead_measure()
        if measure == score_tools.CSAT:
            return self._nps_csat_cells(base_url, token, selected)
        colours = score_tools.gradient(self.color_low, self.color_high, 11)
        cells = []
        for score in range(score_tools.SCORE_MIN, score_tools.SCORE_MAX + 1):
            category = score_tools.classify(score)
            url = f"{base_url or ''}/nps/{token}?score={score}" if token else ""
            cell = {
                "score": score,
                "field": "score",
                "url": url,
                "label": str(score),
                "category": category,
                "colour": colours[score] if self.display_style == "gradient" else "",
                "icon_url": "",
                "selected": selected == score,
                "stars": "",
            }
            if self.display_style == "stars":
                cell["stars"] = "\u2605"
            elif self.display_style == "icons" and token and self[f"icon_{category}"]:
                cell["icon_url"] = f"{base_url or ''}/nps/{token}/icon/{category}"
            cells.append(cell)
        return cells

    def _nps_csat_cells(self, base_url=None, token=None, selected=None):
        """The 1-5 CSAT buttons (see ``_scale_cells``): as many stars as the
        rating, or a face from very dissatisfied to very satisfied."""
        self.ensure_one()
        param = score_tools.SCALE_PARAMS[score_tools.CSAT]
        cells = []
        for score in range(score_tools.CSAT_MIN, score_tools.CSAT_MAX + 1):
            cells.append(
                {
                    "score": score,
                    "field": param,
                    "url": f"{base_url or ''}/nps/{token}?{param}={score}"
                    if token
                    else "",
                    "label": str(score),
                    "category": score_tools.csat_level(score),
                    "colour": "",
                    "icon_url": "",
                    "selected": selected == score,
                    "stars": CSAT_FACES[score]
                    if self.csat_display == "faces"
                    else "\u2605" * score,
                }
            )
        return cells
