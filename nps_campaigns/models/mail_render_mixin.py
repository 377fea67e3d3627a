import re

from odoo import api, models


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _shorten_links(self, html, link_tracker_vals, blacklist=None, base_url=None):
        """The personal survey links of this database stay as they are: a
        short link per recipient and score would only fill the link
        trackers, and the answers are counted by the surveys themselves.
        Any other link is shortened as Odoo does (one of another site with
        "/nps/" in it too)."""
        # a pattern Odoo reads as "this URL, then /, ?, # or its end"
        base = re.escape((base_url or self.get_base_url()).rstrip("/"))
        blacklist = list(blacklist or []) + [f"^{base}/nps"]
        return super()._shorten_links(
            html, link_tracker_vals, blacklist=blacklist, base_url=base_url
        )
