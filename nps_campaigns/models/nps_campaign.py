from odoo import fields, models


class NpsCampaign(models.Model):
    _inherit = "nps.campaign"

    newsletter_throttles = fields.Boolean(
        string="Newsletter surveys delay other surveys",
        help="A survey sent with a newsletter of this campaign counts in the "
        "customer's quiet period of every other campaign. Off by default: "
        "a newsletter never holds back a post-ticket survey.",
    )
    mailing_ids = fields.One2many(
        comodel_name="mailing.mailing",
        inverse_name="nps_campaign_id",
        string="Newsletters",
    )
    mailing_count = fields.Integer(
        string="Newsletters count", compute="_compute_mailing_count"
    )

    def _compute_mailing_count(self):
        counts = dict(
            self.env["mailing.mailing"]
            .sudo()
            ._read_group(
                [("nps_campaign_id", "in", self.ids)], ["nps_campaign_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.mailing_count = counts.get(campaign, 0)

    def action_view_mailings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mass_mailing.mailing_mailing_action_mail"
        )
        action["domain"] = [("nps_campaign_id", "=", self.id)]
        action["context"] = {
            "default_nps_campaign_id": self.id,
            "default_mailing_type": "mail",
        }
        return action
