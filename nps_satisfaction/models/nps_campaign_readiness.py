from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools import score_tools

#: what in a mail template's body gives the customer his survey link: the
#: score buttons, the answer link, or a link written by hand
SURVEY_LINK_MARKERS = ("_nps_mail_scale(", "_nps_answer_url(", "/nps/")


class NpsCampaign(models.Model):
    """Whether a campaign can go live: its email carries the survey link and
    its survey has the questions of the scales it asks (the 0-10 score, the
    1-5 CSAT). An active campaign must be ready; the
    preview (``nps.campaign.preview``) lists what is missing."""

    # split by what things are (STYLE.md): one file per concern of the campaign
    _inherit = "nps.campaign"  # pylint: disable=consider-merging-classes-inherited

    def _nps_readiness_problems(self):
        """What keeps this campaign from going live, as sentences; empty
        when it is ready."""
        self.ensure_one()
        problems = []
        template_sudo = self.mail_template_id.sudo()
        body = template_sudo.body_html or ""
        if template_sudo and not any(m in body for m in SURVEY_LINK_MARKERS):
            problems.append(
                self.env._(
                    "The email template %(template)s carries no survey link: "
                    "add the score buttons (object._nps_mail_scale()) or the "
                    "answer link (object._nps_answer_url()).",
                    template=template_sudo.name,
                )
            )
        if self._nps_asks(score_tools.NPS) and not self.score_question_id:
            problems.append(
                self.env._(
                    "The survey %(survey)s has no 0-10 score question.",
                    survey=self.survey_id.title,
                )
            )
        if self._nps_asks(score_tools.CSAT) and not self.csat_question_id:
            problems.append(self._nps_no_csat_question_message())
        if self._nps_lead_measure() == score_tools.CSAT and "score_question_id" in body:
            # an email written for the 0-10 question: the CSAT campaign's
            # email would show no question above its 1-5 buttons
            problems.append(
                self.env._(
                    "The email template %(template)s shows the 0-10 question "
                    "(score_question_id), which this CSAT campaign does not "
                    "ask: show the question of the email "
                    "(object.campaign_id.lead_question_id) instead.",
                    template=template_sudo.name,
                )
            )
        return problems

    @api.constrains("active", "mail_template_id", "survey_id", "measure")
    def _check_ready_to_go_live(self):
        for campaign in self.filtered("active"):
            problems = campaign._nps_readiness_problems()
            if problems:
                raise ValidationError(
                    self.env._(
                        "The campaign %(campaign)s cannot be active: %(problems)s",
                        campaign=campaign.name,
                        problems=" ".join(problems),
                    )
                )

    def action_preview(self):
        """The email and the answer page as a customer will get them, and a
        test email to the current user (``nps.campaign.preview``)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview and test"),
            "res_model": "nps.campaign.preview",
            "view_mode": "form",
            "target": "new",
            "context": {"default_campaign_id": self.id},
        }
