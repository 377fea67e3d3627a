"""What a survey request shows its customer: its public links (the answer
page, the opt-out), its QR code printed or mailed, the email's scale and
subject, and what its answer page still asks."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import qr_tools, score_tools

#: question types the answer page renders itself after the score
PAGE_QUESTION_TYPES = (
    "char_box",
    "text_box",
    "numerical_box",
    "scale",
    "simple_choice",
)


class NpsRequest(models.Model):
    _inherit = "nps.request"  # pylint: disable=consider-merging-classes-inherited

    further_answer_ids = fields.Many2many(
        comodel_name="survey.user_input.line",
        string="Further answers",
        compute="_compute_further_answer_ids",
        # the survey answer is out of a satisfaction user's reach; its lines
        # are his to read (a record rule: the satisfaction surveys' lines)
        compute_sudo=True,
        groups="nps_satisfaction.group_nps_user",
        help="The customer's answers to the survey's other questions than "
        "the score, the CSAT and the comment.",
    )

    @api.depends("user_input_id.user_input_line_ids")
    def _compute_further_answer_ids(self):
        for request in self:
            own = request._nps_own_questions()
            request.further_answer_ids = (
                request.user_input_id.user_input_line_ids.filtered(
                    lambda line, own=own: not line.skipped
                    and line.question_id not in own
                )
            )

    def _nps_own_questions(self):
        """The questions the campaign asks itself: score, CSAT, comment."""
        self.ensure_one()
        campaign = self.campaign_id
        return (
            campaign.score_question_id
            | campaign.csat_question_id
            | campaign.comment_question_id
        )

    # --- What the answer page asks ---

    def _nps_asks_reasons(self):
        """Whether the answer page asks this detractor or passive why (or,
        without a 0-10 score, a customer not satisfied: CSAT 1-3)."""
        self.ensure_one()
        if not self.campaign_id.reason_ids or self.reason_ids:
            return False
        category = self.nps_category
        csat = self.csat_score
        if self.provisional_state and not (category or csat):
            if self.provisional_measure == score_tools.CSAT:
                csat = self.provisional_score
            else:
                category = score_tools.classify(self.provisional_score)
        return score_tools.asks_reasons(category, csat)

    def _nps_asks_csat(self):
        """Whether the answer page still asks the 1-5 CSAT question after
        the 0-10 score (a campaign asking both)."""
        self.ensure_one()
        return self.campaign_id.measure == "both" and not self.csat_score

    def _nps_lead_value(self):
        """The answer on the campaign's lead scale (the score, or the CSAT of
        a CSAT campaign): what the pages show as the customer's score."""
        self.ensure_one()
        measure = self.campaign_id._nps_lead_measure()
        return self[score_tools.SCALE_FIELDS[measure]]

    def _nps_copy_to_survey_answer(self):
        """Write the answer's score, CSAT and comment into the survey
        answer's lines where they are missing or differ (a changed answer):
        one of the answer's effects, which the answer page leaves to their
        job. The request holds the answer; the survey answer holds it too,
        for Odoo's survey results, and its further questions."""
        self.ensure_one()
        user_input = self.user_input_id.sudo()
        if not user_input:
            return
        campaign = self.campaign_id
        lines = {
            line.question_id: line
            for line in user_input.user_input_line_ids
            if not line.skipped
        }
        answers = []
        for question, value in (
            (campaign.score_question_id, self.score if self.nps_category else None),
            (campaign.csat_question_id, self.csat_score or None),
            (campaign.comment_question_id, self.comment or None),
        ):
            if not question or value is None:
                continue
            line = lines.get(question)
            if line and line[f"value_{line.answer_type}"] == value:
                continue
            # as a string: the survey module takes a falsy 0 for "skipped"
            answers.append((question, str(value)))
        user_input._nps_save_lines(answers)

    def _nps_survey_answer_to_continue(self):
        """The survey answer Odoo's survey page continues, for the questions
        only it asks: made where missing, with the answer given so far, and
        asking only the questions left (not the score or the comment again:
        the request holds them)."""
        self.ensure_one()
        if not self.user_input_id:
            self.env["survey.user_input"].sudo()._nps_create_for(self.sudo())
        self._nps_copy_to_survey_answer()
        user_input = self.user_input_id.sudo()
        user_input.predefined_question_ids = self._nps_remaining_questions()
        return user_input

    def _nps_close_survey_answer(self):
        """Mark the survey answer done (Odoo's survey: its end, the message
        to the survey's followers) once no mandatory question is left (an
        optional one the customer left empty is skipped), unless questions
        only Odoo's survey page asks are left (that page marks it done): one
        of the answer's effects, which the answer page leaves to their
        job."""
        self.ensure_one()
        user_input = self.user_input_id.sudo()
        if (
            user_input
            and user_input.state != "done"
            and not self._nps_remaining_questions().filtered("constr_mandatory")
            # Odoo's survey page marks it done when it asks the rest
            and self._nps_page_questions() is not False
        ):
            user_input._mark_done()

    def _nps_remaining_questions(self):
        """The survey's questions, other than score, CSAT and comment, that
        are not answered yet (all of them before the survey answer exists).
        A score or CSAT question of a scale the campaign does not ask is not
        asked either."""
        self.ensure_one()
        campaign = self.campaign_id
        own = self._nps_own_questions()
        answered = self.user_input_id.user_input_line_ids.filtered(
            lambda line: not line.skipped
        ).question_id
        return campaign.survey_id.question_ids.filtered(
            lambda q: not q.is_page
            and q not in own
            and q not in answered
            and q.nps_role not in ("score", "csat")
        )

    def _nps_page_questions(self):
        """Remaining questions the answer page can ask itself; False when one
        of them needs Odoo's own survey page."""
        self.ensure_one()
        remaining = self._nps_remaining_questions()
        if any(q.question_type not in PAGE_QUESTION_TYPES for q in remaining):
            return False
        return remaining

    # --- Public links ---

    def _nps_base_url(self):
        self.ensure_one()
        return (
            self.company_id.get_base_url() if self.company_id else self.get_base_url()
        )

    def _nps_answer_url(self, score=None, measure=score_tools.NPS):
        """The answer link, with ``score`` preselected on the scale
        ``measure`` when given."""
        self.ensure_one()
        url = f"{self._nps_base_url()}/nps/{self.sudo().access_token}"
        if score is not None:
            url += f"?{score_tools.SCALE_PARAMS[measure]}={int(score)}"
        return url

    def _nps_optout_url(self):
        self.ensure_one()
        return f"{self._nps_base_url()}/nps/{self.sudo().access_token}/optout"

    def _nps_qr_data_uri(self, fmt="svg"):
        """The answer link as a QR image, inline (for reports)."""
        self.ensure_one()
        return qr_tools.qr_data_uri(self._nps_answer_url(), fmt)

    def _nps_check_print_qr(self):
        """A printed QR code answers as the customer: only satisfaction
        managers print one (an agent or a project user printing his own
        document's survey could answer it himself and count in his own
        figures). Raises AccessError for anyone else."""
        if not self.env.su and not self.env.user.has_group(
            "nps_satisfaction.group_nps_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only satisfaction managers print a survey's QR code: "
                    "whoever holds it answers as the customer."
                )
            )

    def _nps_printed_qr(self):
        """(answer link, QR image) of the printed QR report, for a
        satisfaction manager only (see ``_nps_check_print_qr``)."""
        self.ensure_one()
        self._nps_check_print_qr()
        return self._nps_answer_url(), self._nps_qr_data_uri("svg")

    def _nps_score_text(self):
        """The answer's scores in a few words, for the summaries and notes
        written about it: "NPS 7", "CSAT 2/5" or both ("-" unanswered)."""
        self.ensure_one()
        parts = []
        if self.nps_category:
            parts.append(self.env._("NPS %(score)s", score=self.score))
        if self.csat_score:
            parts.append(self.env._("CSAT %(score)s/5", score=self.csat_score))
        return ", ".join(parts) or "-"

    def _nps_mail_scale(self):
        """The score buttons of the email, as HTML (nps.mail.render)."""
        self.ensure_one()
        return self.env["nps.mail.render"]._nps_mail_scale(self)

    def _nps_mail_subject(self, reminder=False):
        """The subject of the survey email (nps.mail.render)."""
        self.ensure_one()
        return self.env["nps.mail.render"]._nps_mail_subject(self, reminder=reminder)
