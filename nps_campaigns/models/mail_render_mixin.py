import re

from markupsafe import escape

from odoo import api, models

from .nps_request import SURVEY_SLOT, URL_SLOT

#: a ``t-out`` of a survey placeholder (the expression in group 3), as Odoo's
#: rendering without QWeb finds one (``_render_template_qweb_regex``)
_PLACEHOLDER_RE = re.compile(
    r"""<(\w+)[\s|\n]+t-out=[\s|\n]*(\'|\")(object\.nps_survey_(?:html|url))(\2)"""
    r"""[\s|\n]*((\/>)|(>[\s|\n]*([^<>]*?))[\s|\n]*<\/\1>)""",
    re.DOTALL,
)
#: what each survey placeholder renders in a newsletter's send
_SLOTS = {"object.nps_survey_html": SURVEY_SLOT, "object.nps_survey_url": URL_SLOT}


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

    @api.model
    def _render_template_qweb_regex(self, template_src, model, res_ids):
        """In a newsletter's send, the survey placeholders render the same
        slot for every contact (``res.partner.nps_survey_html``): put in
        once, rather than read from each recipient, before Odoo renders the
        rest for each of them."""
        if model == "res.partner" and self.env.context.get("nps_mailing_id"):
            template_src = _PLACEHOLDER_RE.sub(_render_slot, template_src)
        return super()._render_template_qweb_regex(template_src, model, res_ids)


def _render_slot(match):
    """A placeholder's ``t-out`` as Odoo renders it, with its slot."""
    tag, value = match.group(1), escape(_SLOTS[match.group(3)])
    return value if tag.lower() == "t" else f"<{tag}>{value}</{tag}>"
