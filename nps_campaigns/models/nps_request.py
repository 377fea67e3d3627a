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


class MailingSend:
    """What the send of a newsletter reads once for all its batches of mails:
    its surveys by contact (``nps.request._nps_mailing_surveys``) and the
    survey block of each campaign, company and language. In the send's
    context (``nps_mailing_send``), where it is compared by identity: an
    environment compares its context with the others' at each switch, a
    dict's entries one by one."""

    __slots__ = ("blocks", "surveys")

    def __init__(self):
        self.surveys = None
        self.blocks = {}


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
        """Link the surveys of a mailing to their delivery traces: the pairs
        read in two queries, written in a third, whatever the number of
        recipients. (One UPDATE joining the traces took a time growing with
        the square of the recipients: just inserted, the surveys of the
        mailing have no statistics yet, and PostgreSQL looked them all up
        again for each trace.)"""
        self.flush_model(["mailing_id", "partner_id", "mailing_trace_id"])
        self.env["mailing.trace"].flush_model(["mass_mailing_id", "model", "res_id"])
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT partner_id, id FROM nps_request"
                " WHERE mailing_id = %s AND mailing_trace_id IS NULL",
                mailing.id,
            )
        )
        requests = dict(cr.fetchall())
        if not requests:
            return
        cr.execute(
            SQL(
                "SELECT res_id, id FROM mailing_trace"
                " WHERE mass_mailing_id = %s AND model = 'res.partner'",
                mailing.id,
            )
        )
        traces = {
            requests[partner_id]: trace_id
            for partner_id, trace_id in cr.fetchall()
            if partner_id in requests
        }
        if not traces:
            return
        cr.execute(
            SQL(
                """
                UPDATE nps_request r
                   SET mailing_trace_id = v.trace_id
                  FROM unnest(%s::int4[], %s::int4[]) AS v(id, trace_id)
                 WHERE r.id = v.id
                """,
                list(traces),
                list(traces.values()),
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
        link only ever reaches its customer. No query and no record per
        recipient: the mailing's surveys are read once, the block and the
        link built once per campaign, company and language, for the whole
        send when its context holds a ``MailingSend`` (``nps_mailing_send``),
        then only the token changes."""
        send = self.env.context.get("nps_mailing_send") or MailingSend()
        for res_id, values in mail_values_all.items():
            # the chatter copy and the subject (shared with the chatter) keep
            # no slot, and never get a personal link
            for field_name in ("body", "subject"):
                if _has_slot(values.get(field_name)):
                    values[field_name] = _fill_slots(values[field_name])
            body_html = values.get("body_html")
            if not _has_slot(body_html):
                continue
            block = url = ""
            if mailing_id and self._nps_mail_to_contact_only(res_id, values):
                if send.surveys is None:
                    send.surveys = self._nps_mailing_surveys(mailing_id)
                if res_id in send.surveys:
                    block, url = self._nps_survey_parts(send, *send.surveys[res_id])
            values["body_html"] = _fill_slots(body_html, block=block, url=url)

    @api.model
    def _nps_survey_parts(self, send, key, request_id, token):
        """The survey block and the answer link of the survey ``request_id``
        (its ``token``), from the block of its campaign, company and
        language (``key``) built once for the send."""
        if key not in send.blocks:
            send.blocks[key] = (
                self.sudo()
                .browse(request_id)
                .with_context(lang=key[-1])
                ._nps_mailing_survey_template()
            )
        return (part.replace(TOKEN_SLOT, token) for part in send.blocks[key])

    @api.model
    def _nps_mailing_surveys(self, mailing_id):
        """``{contact id: ((campaign, company, language), request id,
        token)}`` of the surveys the mailing sends (sent, or answered
        already: a second send of the mailing), in one plain query for the
        whole send."""
        self.flush_model(["mailing_id", "partner_id", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT r.partner_id, r.state, r.campaign_id, r.company_id,
                       r.id, r.access_token, p.lang
                  FROM nps_request r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.mailing_id = %s
                """,
                mailing_id,
            )
        )
        return {
            partner_id: ((campaign_id, company_id, lang or self.env.lang), id_, token)
            for partner_id, state, campaign_id, company_id, id_, token, lang in (
                self.env.cr.fetchall()
            )
            if state in ("sent", "answered")
        }

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
