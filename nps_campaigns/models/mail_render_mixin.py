from odoo import api, models


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _shorten_links(self, html, link_tracker_vals, blacklist=None, base_url=None):
        """In a survey mailing, the personal survey links stay as they are:
        a short link per recipient and score would only fill the link
        trackers, and the answers are counted by the surveys themselves.
        Other mailings shorten every link as Odoo does."""
        if self.env.context.get("nps_mailing_id"):
            blacklist = list(blacklist or []) + ["/nps/"]
        return super()._shorten_links(
            html, link_tracker_vals, blacklist=blacklist, base_url=base_url
        )
