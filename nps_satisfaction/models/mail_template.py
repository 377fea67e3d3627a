import secrets

from lxml import etree, html

from odoo import api, models
from odoo.exceptions import UserError


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """Within a context holding ``nps_batch_render`` (set by the survey
        dispatch), render a QWeb body for all the records in one call.

        Odoo parses, compiles and renders the template once per record; for a
        batch of thousands of survey mails that is most of the rendering time.
        Here the body is wrapped in a loop over the records (``object`` is each
        record, as in Odoo's rendering) and rendered once; a random separator
        written after each iteration splits the result back into one body per
        record. Templates that assign variables (``t-set``) are rendered the
        stock way, since a value set for one record would leak into the next.
        """
        if (
            not self.env.context.get("nps_batch_render")
            or not template_src
            or len(res_ids) < 2
            or "t-set" in template_src
            or not self._has_unsafe_expression_template_qweb(template_src, model)
            or self._nps_render_restricted()
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        variables = self._render_eval_context()
        if add_context:
            variables.update(**add_context)
        variables["nps_batch_records"] = self.env[model].browse(res_ids)
        separator = f"nps-batch-{secrets.token_hex(16)}"
        root = html.fragment_fromstring(template_src, create_parent="div")
        loop = etree.Element("t", {"t-foreach": "nps_batch_records", "t-as": "object"})
        loop.text, root.text = root.text, None
        loop.extend(list(root))
        if len(loop):
            loop[-1].tail = (loop[-1].tail or "") + separator
        else:
            loop.text = (loop.text or "") + separator
        root.append(loop)
        try:
            rendered = self.env["ir.qweb"]._render(root, variables, **(options or {}))
        except Exception as error:
            raise UserError(
                self.env._("The email could not be rendered: %(error)s", error=error)
            ) from error
        # the wrapping <div> out, as Odoo does; one part per record, then ""
        parts = rendered[5:-6].split(separator)
        if len(parts) != len(res_ids) + 1 or parts[-1]:
            # the separator appeared in a record's own content: render the
            # stock way rather than give a record another's body
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        return dict(zip(res_ids, parts[:-1], strict=True))

    def _nps_render_restricted(self):
        """Whether Odoo renders templates for this user in restricted mode
        (the stock rendering then checks each expression)."""
        return (
            not self._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        )
