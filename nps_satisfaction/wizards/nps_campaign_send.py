from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval


class NpsCampaignSend(models.TransientModel):
    """Send a campaign to chosen customers (a list or a domain), through the
    same requests, throttling and reports as the automatic triggers."""

    _name = "nps.campaign.send"
    _description = "Send a satisfaction survey"

    campaign_id = fields.Many2one(
        comodel_name="nps.campaign",
        required=True,
        domain=[("trigger", "in", ("manual", "periodic"))],
    )
    partner_ids = fields.Many2many(comodel_name="res.partner", string="Customers")
    partner_domain = fields.Char(
        string="Or customers matching",
        help="A domain on contacts, used when no customer is listed.",
    )
    recipient_count = fields.Integer(compute="_compute_recipient_count")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "res.partner" and context.get("active_ids"):
            values["partner_ids"] = [fields.Command.set(context["active_ids"])]
        if "campaign_id" in fields_list and not values.get("campaign_id"):
            campaign = self.env["nps.campaign"].search(
                [("trigger", "=", "manual")], limit=1
            )
            values["campaign_id"] = campaign.id
        return values

    @api.depends("partner_ids", "partner_domain")
    def _compute_recipient_count(self):
        for wizard in self:
            try:
                wizard.recipient_count = len(wizard._recipients())
            except UserError:
                wizard.recipient_count = 0

    def _recipients(self):
        self.ensure_one()
        if self.partner_ids:
            return self.partner_ids
        if not self.partner_domain:
            return self.env["res.partner"]
        try:
            domain = Domain(safe_eval(self.partner_domain))
            return self.env["res.partner"].search(domain)
        except Exception as error:
            raise UserError(
                self.env._("The customer filter is not a valid domain: %s", error)
            ) from error

    def action_send(self):
        self.ensure_one()
        partners = self._recipients()
        if not partners:
            raise UserError(self.env._("Choose at least one customer."))
        now = fields.Datetime.now()
        schedule = self.env["nps.schedule"]
        # a periodic campaign's contacts of its roles, as its cron chooses
        recipients = schedule._nps_recipients(self.campaign_id, partners)
        requests = schedule.sudo()._nps_schedule(
            [
                {
                    "campaigns": self.campaign_id,
                    "partner": recipient,
                    "account": account,
                    "company": self.campaign_id.company_id,
                    "origin_date": now,
                }
                for recipient, account in recipients
            ]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_request"
        )
        action["domain"] = [("id", "in", requests.ids)]
        return action
