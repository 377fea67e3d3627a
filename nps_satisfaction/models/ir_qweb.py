from odoo import models
from odoo.http import request
from odoo.tools import lazy

from .nps_prompt import PROMPT_COOKIE


class IrQweb(models.AbstractModel):
    """The satisfaction prompt's values on the pages built on the portal's
    layout (``nps_satisfaction.nps_prompt``), read only when a page shows
    it."""

    _inherit = "ir.qweb"

    def _prepare_frontend_environment(self, values):
        irQweb = super()._prepare_frontend_environment(values)
        if "nps_prompt" not in values:
            values["nps_prompt"] = lazy(lambda: irQweb._nps_prompt())
        return irQweb

    def _nps_prompt(self):
        if not request or request.httprequest.cookies.get(PROMPT_COOKIE):
            return None
        return self.env["nps.prompt"]._nps_prompt_values()
