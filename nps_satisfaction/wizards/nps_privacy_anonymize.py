from markupsafe import Markup

from odoo import api, fields, models


class NpsPrivacyAnonymize(models.TransientModel):
    """Anonymise a customer's satisfaction data on request, after a
    confirmation that says what will happen."""

    _name = "nps.privacy.anonymize"
    _description = "Anonymise a customer's satisfaction data"

    partner_id = fields.Many2one(
        comodel_name="res.partner", required=True, ondelete="cascade"
    )
    request_count = fields.Integer(string="Survey requests", compute="_compute_summary")
    comment_count = fields.Integer(string="Comments", compute="_compute_summary")
    attribution_id = fields.Many2one(
        comodel_name="res.partner",
        string="Answers then count for",
        compute="_compute_summary",
        help="The scores stay in the figures: for a contact of a company, as "
        "the company's; otherwise for no customer.",
    )
    anonymous = fields.Boolean(compute="_compute_summary")

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.partner"]._nps_check_privacy_access()
        return super().create(vals_list)

    @api.depends("partner_id")
    def _compute_summary(self):
        anonymised = self.env.ref("nps_satisfaction.partner_nps_anonymised")
        for wizard in self:
            requests = wizard.partner_id._nps_privacy_requests()
            target = wizard.partner_id._nps_privacy_target()
            wizard.request_count = len(requests)
            wizard.comment_count = len(requests.filtered("comment"))
            wizard.anonymous = target == anonymised
            wizard.attribution_id = False if wizard.anonymous else target

    def action_anonymize(self):
        self.ensure_one()
        self.env["res.partner"]._nps_check_privacy_access()
        partner = self.partner_id
        requests = partner._nps_privacy_requests()
        target = partner._nps_privacy_target()
        counts = self.env["nps.privacy"]._nps_anonymize(requests, target)
        # the terminations stay with the customer (the churn figures count
        # them), without their texts
        terminations = self.env["nps.privacy"]._nps_forget_termination_texts(
            partner._nps_privacy_terminations()
        )
        if target == self.env.ref("nps_satisfaction.partner_nps_anonymised"):
            attribution = self.env._("they now count for no customer")
        else:
            attribution = self.env._(
                "they now count for %(company)s", company=target.display_name
            )
        # a satisfaction administrator may not edit contacts: the trace is
        # posted in their name all the same
        partner.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=Markup("<p>%s</p>")
            % self.env._(
                "Satisfaction data anonymised on request by %(user)s: "
                "%(requests)s survey requests detached from this customer "
                "(%(attribution)s), %(comments)s comments and %(texts)s "
                "free-text answers removed, %(mails)s survey emails deleted, "
                "%(closed)s open surveys closed, the notes of %(terminations)s "
                "terminations removed. Scores and terminations stay in the "
                "figures.",
                user=self.env.user.name,
                requests=counts.get("requests", 0),
                attribution=attribution,
                comments=counts.get("comments", 0),
                texts=counts.get("free_texts", 0),
                mails=counts.get("mails", 0),
                closed=counts.get("closed", 0),
                terminations=terminations,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
