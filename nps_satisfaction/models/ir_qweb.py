from lxml import etree

from odoo import models


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Compile an inline template (an etree, as mail templates render
        theirs) once per batch instead of once per record.

        Odoo caches the compiled code of view templates only; rendering a
        mail template's body for N records compiles the same source N times,
        which is most of the cost of sending N surveys. Within a context
        holding ``nps_qweb_cache`` (a dict, set by the survey dispatch), the
        compiled code is reused for the same source and rendering options.
        """
        cache = self.env.context.get("nps_qweb_cache")
        if cache is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        options = self._get_template_cache_keys()
        key = (
            etree.tostring(template),
            tuple(self.env.context.get(k) or False for k in options),
        )
        if key not in cache:
            cache[key] = super()._compile(template)
        return cache[key]
