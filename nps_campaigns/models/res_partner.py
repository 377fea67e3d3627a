from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import email_normalize

from .nps_request import SURVEY_SLOT, URL_SLOT


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
        search="_search_nps_survey_slot",
        help="In a newsletter: this recipient's personal survey link, put in "
        "the email once composed; empty when the recipient gets no survey "
        "(quiet period, survey opt-out).",
    )
    nps_survey_html = fields.Html(
        string="Survey buttons",
        compute="_compute_nps_survey_html",
        search="_search_nps_survey_slot",
        sanitize=False,
        help="In a newsletter: the question and the 0-10 buttons of this "
        "recipient's personal survey, put in the email once composed; empty "
        "when the recipient gets no survey (quiet period, survey opt-out).",
    )

    # The survey placeholders render slots, with no secret in them, filled in
    # with the recipient's survey once the email is composed, or emptied when
    # the recipient gets no survey (see mail.compose.message): a personal link
    # is never read from a contact, whoever reads it and whatever the context
    # says. The eleven links of every recipient need not go through the
    # rendering's link shortening and the sanitizing of the chatter copy
    # either, and the rendering needs no query for them.

    def _search_nps_survey_slot(self, operator, value):
        """No contact holds a survey of its own outside the sending of a
        newsletter. Searchable only so that the mailing editor's *Dynamic
        Placeholder* offers the two placeholders (it lists searchable fields
        alone)."""
        return Domain.FALSE

    @api.depends_context("nps_mailing_id")
    def _compute_nps_survey_url(self):
        slot = URL_SLOT if self.env.context.get("nps_mailing_id") else False
        for partner in self:
            partner.nps_survey_url = slot

    @api.depends_context("nps_mailing_id")
    def _compute_nps_survey_html(self):
        slot = SURVEY_SLOT if self.env.context.get("nps_mailing_id") else False
        for partner in self:
            partner.nps_survey_html = slot

    @api.model
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
