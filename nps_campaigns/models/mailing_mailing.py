import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from odoo.addons.nps_satisfaction.tools import score_tools

from .nps_request import MailingSend

#: the placeholders that put a personal survey in a newsletter
SURVEY_PLACEHOLDERS = ("object.nps_survey_html", "object.nps_survey_url")

#: an HTML attribute, its name (group 1) and its value if any
_ATTRIBUTE_RE = re.compile(
    r"""\s+([^\s=/>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?"""
)
#: a ``<t>`` opening tag, its attributes (group 1), a closing slash (group 2)
_T_TAG_RE = re.compile(
    r"""<t((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(/?)>""",
    re.IGNORECASE,
)


def _strip_t_tag_attributes(html):
    """``html`` with only the QWeb directives (``t-*``) left on its ``<t>``
    tags. The mailing editor's conversion to inline CSS gives the ``<t>`` of
    a placeholder a ``style`` (and ``width``) attribute, which QWeb never
    outputs but for which Odoo refuses the mailing to an author who is no
    template editor ("Only members of Mail Template Editor group are allowed
    to edit templates containing sensible placeholders"), placeholders he
    may use or not."""

    def strip(match):
        directives = "".join(
            attribute.group(0)
            for attribute in _ATTRIBUTE_RE.finditer(match.group(1))
            if attribute.group(1).lower().startswith("t-")
        )
        return f"<t{directives}{match.group(2)}>"

    return _T_TAG_RE.sub(strip, html)


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    nps_segment_id = fields.Many2one(
        comodel_name="nps.segment",
        string="Segment",
        ondelete="restrict",
        index="btree_not_null",
        help="Send to this customer segment; the recipients are taken from it "
        "again when the mailing goes out.",
    )
    nps_campaign_id = fields.Many2one(
        comodel_name="nps.campaign",
        string="Survey campaign",
        ondelete="restrict",
        default=lambda self: self.env.ref(
            "nps_campaigns.campaign_newsletter", raise_if_not_found=False
        ),
        help="The satisfaction campaign of the survey the newsletter carries "
        "(its survey, quiet period and answer page). Put the survey in the "
        "body with the 'Survey buttons' or 'Survey link' placeholder of "
        "the contact.",
    )
    nps_uses_survey = fields.Boolean(
        string="Carries a survey",
        compute="_compute_nps_uses_survey",
        help="The body holds a survey placeholder: each recipient gets a "
        "personal survey when the mailing is sent.",
    )
    nps_request_ids = fields.One2many(
        comodel_name="nps.request",
        inverse_name="mailing_id",
        string="Surveys",
        groups="nps_satisfaction.group_nps_user",
    )
    nps_sent_count = fields.Integer(
        string="Surveys sent", compute="_compute_nps_figures"
    )
    nps_skipped_count = fields.Integer(
        string="Surveys skipped",
        compute="_compute_nps_figures",
        help="Recipients who got the newsletter without a survey (quiet "
        "period, survey opt-out...) or did not get it at all.",
    )
    nps_answered_count = fields.Integer(
        string="Answers", compute="_compute_nps_figures"
    )
    nps_response_rate = fields.Float(
        string="Response rate (%)",
        compute="_compute_nps_figures",
        aggregator=False,
        digits=(16, 1),
    )
    nps_score = fields.Float(
        string="NPS", compute="_compute_nps_figures", aggregator=False, digits=(16, 1)
    )

    @api.depends("body_html", "nps_campaign_id")
    def _compute_nps_uses_survey(self):
        for mailing in self:
            body = mailing.body_html or ""
            mailing.nps_uses_survey = bool(mailing.nps_campaign_id) and any(
                placeholder in body for placeholder in SURVEY_PLACEHOLDERS
            )

    def _compute_nps_figures(self):
        requests_sudo = self.env["nps.request"].sudo()
        by_state = {}
        for mailing, state, count in requests_sudo._read_group(
            [("mailing_id", "in", self.ids)], ["mailing_id", "state"], ["__count"]
        ):
            by_state.setdefault(mailing.id, {})[state] = count
        by_category = {}
        for mailing, category, count in requests_sudo._read_group(
            [("mailing_id", "in", self.ids), ("nps_category", "!=", False)],
            ["mailing_id", "nps_category"],
            ["__count"],
        ):
            by_category.setdefault(mailing.id, []).extend([category] * count)
        for mailing in self:
            states = by_state.get(mailing.id, {})
            answered = states.get("answered", 0)
            sent = answered + states.get("sent", 0) + states.get("expired", 0)
            mailing.nps_sent_count = sent
            mailing.nps_skipped_count = states.get("skipped", 0)
            mailing.nps_answered_count = answered
            mailing.nps_response_rate = 100.0 * answered / sent if sent else 0.0
            mailing.nps_score = score_tools.nps(by_category.get(mailing.id, [])) or 0.0

    @api.depends("nps_segment_id")
    def _compute_mailing_domain(self):
        with_segment = self.filtered(
            lambda m: m.nps_segment_id and m.mailing_model_name == "res.partner"
        )
        for mailing in with_segment:
            mailing.mailing_domain = repr(
                mailing.nps_segment_id._get_recipient_domain_list()
            )
        return super(MailingMailing, self - with_segment)._compute_mailing_domain()

    @api.constrains("nps_segment_id", "mailing_model_id")
    def _check_nps_segment_model(self):
        for mailing in self:
            if mailing.nps_segment_id and mailing.mailing_model_name != "res.partner":
                raise ValidationError(
                    self.env._(
                        "A mailing to a customer segment is sent to contacts: "
                        "choose Contact as the recipients of %(mailing)s.",
                        mailing=mailing.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partner_model = self.env["ir.model"]._get("res.partner")
        for vals in vals_list:
            if vals.get("nps_segment_id") and not vals.get("mailing_model_id"):
                vals["mailing_model_id"] = partner_model.id
            if vals.get("body_html"):
                vals["body_html"] = _strip_t_tag_attributes(vals["body_html"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("body_html"):
            vals = dict(vals, body_html=_strip_t_tag_attributes(vals["body_html"]))
        return super().write(vals)

    @api.onchange("nps_segment_id")
    def _onchange_nps_segment_id(self):
        if self.nps_segment_id:
            self.mailing_model_id = self.env["ir.model"]._get("res.partner")

    # --- Sending ---

    def _nps_sync_segment(self):
        """Take the recipients from the segment again (the customers' data,
        and a renewal window counted from today, may have changed)."""
        for mailing in self.filtered("nps_segment_id"):
            domain = repr(mailing.nps_segment_id._get_recipient_domain_list())
            if mailing.mailing_domain != domain:
                mailing.mailing_domain = domain

    def _get_recipients_domain(self):
        if self.nps_segment_id and self.mailing_model_name == "res.partner":
            self._nps_sync_segment()
            return Domain(self.nps_segment_id._get_recipient_domain())
        return super()._get_recipients_domain()

    def _action_send_mail(self, res_ids=None):
        plain = self.filtered(
            lambda m: not (m.nps_uses_survey and m.mailing_model_real == "res.partner")
        )
        if plain:
            super(MailingMailing, plain)._action_send_mail(res_ids=res_ids)
        for mailing in self - plain:
            mailing_res_ids = res_ids or mailing._get_remaining_recipients()
            if mailing_res_ids:
                self.env["nps.schedule"]._nps_schedule_mailing(mailing, mailing_res_ids)
            # the surveys are read and their block built once for the whole
            # mailing (per campaign, company and language), not per batch
            super(
                MailingMailing,
                mailing.with_context(
                    nps_mailing_id=mailing.id, nps_mailing_send=MailingSend()
                ),
            )._action_send_mail(res_ids=mailing_res_ids or None)
            self.env["nps.request"]._nps_link_mailing_traces(mailing)
        return True

    # --- Actions ---

    def action_view_nps_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_request"
        )
        action["domain"] = [("mailing_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_nps_answers(self):
        action = self.action_view_nps_requests()
        action["domain"] = [("mailing_id", "=", self.id), ("state", "=", "answered")]
        return action
