from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

#: the token the preview's answer page shows in its links: no survey has it
PREVIEW_TOKEN = "preview"


class NpsCampaignPreview(models.TransientModel):
    """A campaign as a chosen customer will get it, before it goes live: the
    email (his language, his name, the scale, the privacy notice) and the
    answer page behind it; and that same email sent as a test to the current
    user through the normal mail queue, whose link shows the page and records
    nothing."""

    _name = "nps.campaign.preview"
    _description = "Preview of a satisfaction campaign"

    campaign_id = fields.Many2one(
        comodel_name="nps.campaign", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="As customer",
        help="The email and the page as this customer will see them.",
    )
    lang = fields.Char(string="Language", compute="_compute_preview")
    subject = fields.Char(compute="_compute_preview")
    body_html = fields.Html(string="Email", compute="_compute_preview", sanitize=False)
    page_html = fields.Html(
        string="Answer page", compute="_compute_preview", sanitize=False
    )
    problems = fields.Text(
        string="Before going live",
        compute="_compute_preview",
        help="What keeps the campaign from being active.",
    )
    date_note = fields.Char(
        string="Survey day",
        compute="_compute_preview",
        help="When a campaign triggered by a date on the customer surveys "
        "this customer.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        campaign = self.env["nps.campaign"].browse(values.get("campaign_id"))
        if "partner_id" in fields_list and not values.get("partner_id"):
            last = (
                self.env["nps.request"]
                .sudo()
                .search(
                    [
                        ("campaign_id", "=", campaign.id),
                        ("state", "in", ("sent", "answered", "expired")),
                    ],
                    limit=1,
                )
            )
            values["partner_id"] = (last.partner_id or self.env.user.partner_id).id
        return values

    @api.depends("campaign_id", "partner_id")
    def _compute_preview(self):
        # what the dialog says, read first: the requests rendered are
        # unlinked, and an unlink empties the whole cache, with it the values
        # of a dialog not saved yet (the customer the user has just chosen,
        # in the form's onchange, came back as the default one, and the
        # dialog then saved and tested that one)
        chosen = {wizard: (wizard.campaign_id, wizard.partner_id) for wizard in self}
        previews = {}
        requests_sudo = self.env["nps.request"].sudo()
        for wizard, (campaign, partner) in chosen.items():
            partner = partner or self.env.user.partner_id
            previews[wizard] = {
                "lang": False,
                "subject": False,
                "body_html": False,
                "page_html": False,
            }
            if not campaign.mail_template_id or not campaign.lead_question_id:
                continue
            # a request of this customer for the time of the rendering: the
            # template renders records; it leaves no trace
            request_sudo = (
                self.env["nps.schedule"].sudo()._nps_create_test(campaign, partner)
            )
            requests_sudo |= request_sudo
            rendered = self.env["nps.mail.render"]._nps_render_template(
                request_sudo, campaign.mail_template_id.sudo()
            )[request_sudo.id]
            lang = partner.lang or self.env.lang or "en_US"
            previews[wizard] = {
                "lang": self.env["res.lang"]._lang_get(lang).name or lang,
                "subject": rendered.get("subject"),
                "body_html": rendered.get("body_html"),
                "page_html": self._nps_page_html(request_sudo, lang),
            }
        requests_sudo.unlink()
        # after the unlink: the dialog's own values back in the cache (a
        # saved dialog's are read again from the database), then the preview
        for wizard, (campaign, partner) in chosen.items():
            if not wizard.id:
                wizard.update({"campaign_id": campaign, "partner_id": partner})
        for wizard, (campaign, partner) in chosen.items():
            partner = partner or self.env.user.partner_id
            wizard.update(
                dict(
                    previews[wizard],
                    problems="\n".join(campaign._nps_readiness_problems()),
                    date_note=campaign._nps_date_note(partner),
                )
            )

    @api.model
    def _nps_page_html(self, request_sudo, lang):
        """The answer page of ``request_sudo`` as its customer opens it from
        the email, with nothing selected."""
        campaign = request_sudo.campaign_id.with_context(lang=lang)
        html = (
            self.env["ir.ui.view"]
            .sudo()
            .with_context(lang=lang)
            ._render_template(
                "nps_satisfaction.nps_page_answer",
                {
                    "nps_request": request_sudo,
                    "campaign": campaign,
                    "company": request_sudo.company_id or self.env.company,
                    "token": PREVIEW_TOKEN,
                    "lang": lang,
                    "csrf_token": "",
                    "privacy_notice": campaign.privacy_notice_display,
                    "question": campaign.lead_question_id,
                    "shown_score": None,
                    "selected": None,
                    "preview": True,
                    "cells": campaign._scale_cells(token=PREVIEW_TOKEN),
                },
            )
        )
        return Markup(html)

    def action_send_test(self):
        """Send the email the chosen customer would get (his language, his
        name, the subject, the scale the campaign asks) to the current user,
        through the normal mail queue, marked as a test; its link shows the
        customer's answer page and records nothing (a request in state
        ``test``, counted nowhere). The wizard stays open on that customer."""
        self.ensure_one()
        user = self.env.user
        if not user.email:
            raise UserError(
                self.env._("Your user has no email address: set one to get a test.")
            )
        campaign = self.campaign_id
        if not campaign.mail_template_id:
            raise UserError(self.env._("The campaign has no email template."))
        partner = self.partner_id or user.partner_id
        request_sudo = (
            self.env["nps.schedule"].sudo()._nps_create_test(campaign, partner)
        )
        dispatch = self.env["nps.dispatch"]
        # rendered as the customer's survey email, then addressed to the user
        mails = dispatch._nps_queue_mails(request_sudo)
        # the test banner speaks to the user, in his language
        test_env = self.with_context(lang=user.lang).env
        for mail in mails:
            mail.write(
                {
                    "email_to": user.email_formatted,
                    "subject": test_env._("[Test] %(subject)s", subject=mail.subject),
                    "body_html": Markup(
                        '<p style="padding: 8px; background-color: #fff3cd; '
                        'color: #664d03;">%s</p>'
                    )
                    % test_env._(
                        "A test of the campaign %(campaign)s: its links show "
                        "the answer page and record nothing.",
                        campaign=campaign.name,
                    )
                    + Markup(mail.body_html or ""),
                }
            )
        dispatch._nps_link_mails(request_sudo, mails)
        # no "next" action: the wizard stays open on the chosen customer
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "A test email is on its way to %(email)s.", email=user.email
                ),
            },
        }
