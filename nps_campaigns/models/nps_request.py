import re

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.nps_satisfaction.tools.groups import STAFF

#: where a recipient's token goes in a survey block built for many recipients
#: (URL-safe; only ever replaced in a block built with it)
TOKEN_SLOT = "NPS-TOKEN-SLOT"
#: what the "Survey buttons" placeholder renders in a newsletter, replaced by
#: the recipient's survey block once the email is composed (plain text: it
#: goes through Odoo's rendering, link shortening and sanitizing unchanged)
SURVEY_SLOT = "[[nps-survey-block]]"
#: what the "Survey link" placeholder renders in a newsletter, replaced by the
#: recipient's answer link once the email is composed. A local link of the
#: answer pages: Odoo makes it absolute in a link and never shortens it.
URL_SLOT = "/nps/[[nps-survey-link]]"
#: the link slot as it reaches the composed email: as rendered, or made
#: absolute by Odoo in a link
URL_SLOT_RE = re.compile(r"(?:https?://[^\s\"'<>]*?)?" + re.escape(URL_SLOT))


def _has_slot(html):
    return bool(html) and (SURVEY_SLOT in html or URL_SLOT in html)


def _fill_slots(html, block="", url=""):
    """``html`` with its survey slots replaced by ``block`` (the survey
    buttons) and ``url`` (the answer link), or emptied when not given."""
    filled = str(html)
    if URL_SLOT in filled:
        filled = URL_SLOT_RE.sub(lambda _match: str(escape(url)), filled)
    filled = filled.replace(SURVEY_SLOT, str(block))
    return Markup(filled) if isinstance(html, Markup) else filled


class NpsRequest(models.Model):
    _inherit = "nps.request"

    mailing_id = fields.Many2one(
        comodel_name="mailing.mailing",
        string="Newsletter",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The newsletter that carried this survey.",
        groups=STAFF,
    )
    utm_campaign_id = fields.Many2one(
        comodel_name="utm.campaign",
        string="Marketing campaign",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        groups=STAFF,
    )
    utm_source_id = fields.Many2one(
        comodel_name="utm.source",
        string="Source",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        groups=STAFF,
    )
    utm_medium_id = fields.Many2one(
        comodel_name="utm.medium",
        string="Medium",
        readonly=True,
        ondelete="set null",
        groups=STAFF,
    )
    mailing_trace_id = fields.Many2one(
        comodel_name="mailing.trace",
        string="Delivery",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        groups=STAFF,
    )
    mailing_trace_status = fields.Selection(
        related="mailing_trace_id.trace_status",
        string="Delivery status",
        help="Sent, opened, replied, bounced... as Odoo's mailing statistics "
        "record it.",
        groups=STAFF,
    )
    skip_reason = fields.Selection(
        selection_add=[
            ("newsletter_opt_out", "Newsletter opt-out"),
            ("duplicate_email", "Same email as another recipient"),
        ],
    )

    # --- Newsletters ---

    @api.model
    def _nps_link_mailing_traces(self, mailing):
        """Link the surveys of a mailing to their delivery traces, in one
        query for the whole mailing."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE nps_request r
                   SET mailing_trace_id = t.id
                  FROM mailing_trace t
                 WHERE r.mailing_id = %(mailing)s
                   AND r.mailing_trace_id IS NULL
                   AND t.mass_mailing_id = %(mailing)s
                   AND t.model = 'res.partner'
                   AND t.res_id = r.partner_id
                """,
                mailing=mailing.id,
            )
        )
        self.invalidate_model(["mailing_trace_id"])

    @api.model
    def _nps_fill_survey_slots(self, mailing_id, mail_values_all):
        """Put each recipient's survey block and answer link in the slots of
        their email (``mail_values_all``: the composer's values by contact
        id), and take the slots out of the copy kept in the chatter. A slot
        is emptied when the recipient gets no survey (quiet period, opt-out),
        when ``mailing_id`` is not given (the composer is not the mailing's
        own), or when the email goes to anyone but the contact: a personal
        link only ever reaches its customer. One query per batch; the block
        is built once per campaign, company and language for the whole
        mailing when the context holds a ``nps_survey_blocks`` dict."""
        partner_ids = [
            res_id
            for res_id, values in mail_values_all.items()
            if _has_slot(values.get("body_html"))
            and self._nps_mail_to_contact_only(res_id, values)
        ]
        by_partner = {}
        if mailing_id and partner_ids:
            requests_sudo = self.sudo().search(
                [
                    ("mailing_id", "=", mailing_id),
                    ("partner_id", "in", partner_ids),
                    ("state", "in", ("sent", "answered")),
                ]
            )
            by_partner = {
                request_sudo.partner_id.id: request_sudo
                for request_sudo in requests_sudo
            }
        templates = self.env.context.get("nps_survey_blocks", {})
        for res_id, values in mail_values_all.items():
            # the chatter copy and the subject (shared with the chatter) keep
            # no slot, and never get a personal link
            for field_name in ("body", "subject"):
                if _has_slot(values.get(field_name)):
                    values[field_name] = _fill_slots(values[field_name])
            body_html = values.get("body_html")
            if not _has_slot(body_html):
                continue
            request_sudo = by_partner.get(res_id)
            block = url = ""
            if request_sudo:
                lang = request_sudo.partner_id.lang or self.env.lang
                key = (request_sudo.campaign_id.id, request_sudo.company_id.id, lang)
                if key not in templates:
                    templates[key] = request_sudo.with_context(
                        lang=lang
                    )._nps_mailing_survey_template()[0]
                block = templates[key].replace(TOKEN_SLOT, request_sudo.access_token)
                url = request_sudo._nps_answer_url()
            values["body_html"] = _fill_slots(body_html, block=block, url=url)

    @api.model
    def _nps_mail_to_contact_only(self, res_id, values):
        """Whether the email of these composer values goes to the contact
        ``res_id`` and to no one else."""
        commands = [tuple(command) for command in values.get("recipient_ids") or []]
        return (
            commands == [(4, res_id)]
            and not values.get("email_to")
            and not values.get("email_cc")
        )

    def _nps_mailing_survey_html(self):
        """The survey block of a newsletter for this request."""
        self.ensure_one()
        html, _url = self._nps_mailing_survey_template()
        return Markup(html.replace(TOKEN_SLOT, self.sudo().access_token))

    def _nps_mailing_survey_template(self):
        """The survey block of a newsletter and the answer link, with a slot
        for the token: built once per campaign and company, then filled in for
        each recipient (a newsletter renders thousands of them).

        The block is the question and its buttons (0-10, or 1-5 for a CSAT
        campaign), each linking to the answer page with its score, in the
        campaign's display style."""
        self.ensure_one()
        campaign = self.campaign_id
        question = campaign.lead_question_id
        base_url = self._nps_base_url()
        cells = campaign._scale_cells(base_url=base_url, token=TOKEN_SLOT)
        buttons = Markup("").join(
            Markup(
                '<td><a href="{url}" style="display: block; padding: 8px 10px; '
                "border: 1px solid #d1d5db; border-radius: 4px; "
                "text-decoration: none; font-weight: bold; color: {fg}; "
                'background-color: {bg};">{icon}{stars}{label}</a></td>'
            ).format(
                url=cell["url"],
                fg="#ffffff" if cell["colour"] else "#1f2937",
                bg=cell["colour"] or "#ffffff",
                icon=Markup(
                    '<img src="{}" alt="{}" width="24" height="24"/><br/>'
                ).format(cell["icon_url"], cell["label"])
                if cell["icon_url"]
                else "",
                stars=Markup('<span style="color: #f5b301;">{}</span>').format(
                    cell["stars"]
                )
                if cell["stars"]
                else "",
                label=cell["label"],
            )
            for cell in cells
        )
        html = Markup(
            '<div class="o_nps_survey">'
            '<p style="font-weight: bold;">{title}</p>'
            '<table role="presentation" cellspacing="4" cellpadding="0">'
            "<tr>{buttons}</tr></table>"
            '<table role="presentation" style="width: 100%; max-width: 520px; '
            'font-size: 12px; color: #6b7280;"><tr><td>{low}</td>'
            '<td style="text-align: right;">{high}</td></tr></table></div>'
        ).format(
            title=escape(question.title or ""),
            buttons=buttons,
            low=question.scale_min_label or "",
            high=question.scale_max_label or "",
        )
        return str(html), f"{base_url}/nps/{TOKEN_SLOT}"
