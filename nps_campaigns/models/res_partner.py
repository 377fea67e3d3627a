from odoo import api, fields, models
from odoo.tools import email_normalize

from .nps_request import SURVEY_SLOT


class ResPartner(models.Model):
    _inherit = "res.partner"

    nps_contract_renewal_date = fields.Date(
        string="Contract renewal",
        index="btree_not_null",
        help="The date the customer's contract comes up for renewal.",
    )
    nps_newsletter_opt_out = fields.Boolean(
        string="No newsletters",
        index="btree_not_null",
        help="The customer asked not to receive newsletters; satisfaction "
        "surveys are governed separately by 'No satisfaction surveys'.",
    )
    nps_survey_url = fields.Char(
        string="Survey link",
        compute="_compute_nps_survey_url",
        help="In a newsletter: this recipient's personal survey link; empty "
        "when the recipient gets no survey.",
    )
    nps_survey_html = fields.Html(
        string="Survey buttons",
        compute="_compute_nps_survey_html",
        sanitize=False,
        help="In a newsletter: the question and the 0-10 buttons of this "
        "recipient's personal survey, put in the email once composed; empty "
        "when the recipient gets no survey (quiet period, survey opt-out).",
    )

    @api.depends_context("nps_mailing_id")
    def _compute_nps_survey_url(self):
        mailing_id = self.env.context.get("nps_mailing_id")
        partner_ids = [pid for pid in self.ids if isinstance(pid, int)]
        by_partner = {}
        if mailing_id and partner_ids:
            requests = (
                self.env["nps.request"]
                .sudo()
                .search(
                    [
                        ("mailing_id", "=", mailing_id),
                        ("partner_id", "in", partner_ids),
                        ("state", "in", ("sent", "answered")),
                    ]
                )
            )
            by_partner = {request.partner_id.id: request for request in requests}
        for partner in self:
            request = by_partner.get(partner.id)
            partner.nps_survey_url = request._nps_answer_url() if request else False

    @api.depends_context("nps_mailing_id")
    def _compute_nps_survey_html(self):
        # A slot, filled in with the recipient's buttons once the email is
        # composed, or emptied when the recipient gets no survey (see
        # mail.compose.message): the eleven links of every recipient need not
        # go through the rendering's link shortening and the sanitizing of
        # the chatter copy, and the rendering needs no query for them.
        slot = SURVEY_SLOT if self.env.context.get("nps_mailing_id") else False
        for partner in self:
            partner.nps_survey_html = slot

    def mail_allowed_qweb_expressions(self):
        # the survey placeholders are open to every mailing author, not only
        # to template editors: they only ever show the recipient's own survey
        return super().mail_allowed_qweb_expressions() + (
            "object.nps_survey_html",
            "object.nps_survey_url",
        )

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """Emails of the contacts who opted out of newsletters: mass_mailing
        cancels their mail (traced as an opt-out)."""
        partners = self.with_context(active_test=False).search(
            [("nps_newsletter_opt_out", "=", True), ("email", "!=", False)]
        )
        return {email_normalize(email) for email in partners.mapped("email")} - {False}
