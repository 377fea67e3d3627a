import hashlib
import logging
import re
import secrets

from lxml import etree, html
from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

#: the language expression of the shipped templates, read without rendering
PARTNER_LANG_EXPRESSION = "{{object.partner_id.lang}}"
#: stands for a customer's token in the cached score buttons of the email
SCALE_TOKEN_PLACEHOLDER = "NPSTOKENPLACEHOLDER"
INDENTATION_BETWEEN_TAGS = re.compile(r">\s+<")


class NpsMailRender(models.AbstractModel):
    """Rendering a mail template for a batch of survey requests with Odoo's
    public rendering only: each template body (per language) becomes a QWeb
    view that ``ir.qweb`` compiles once and caches, rendered for the whole
    batch in one call. A service of the dispatch (``nps.dispatch``), which
    queues the mails."""

    _name = "nps.mail.render"
    _description = "Satisfaction survey mail rendering"

    @api.model
    def _nps_render_template(self, requests, template_sudo):
        """Subject, body and reply-to of the template for these requests,
        in each customer's language: {request id: {field: value}}.

        What ``mail.template._generate_template`` gives, in less time, with
        Odoo's public rendering only: the body is rendered as a QWeb view
        (``_nps_body_view``), which ``ir.qweb`` compiles once and caches,
        where an inline body is parsed and compiled again for every record;
        its score buttons are built once per campaign (``nps_scale_cache``);
        with the shipped language expression the language is read from the
        customer instead of rendered per record; relative links are made
        absolute only in bodies that have one."""
        template_sudo = template_sudo.with_context(nps_scale_cache={})
        if (template_sudo.lang or "").replace(" ", "") == PARTNER_LANG_EXPRESSION:
            by_lang = {}
            for request in requests:
                by_lang.setdefault(request.partner_id.lang or False, []).append(
                    request.id
                )
            groups = [
                (template_sudo.with_context(lang=lang) if lang else template_sudo, ids)
                for lang, ids in by_lang.items()
            ]
        else:
            groups = list(template_sudo._classify_per_lang(requests.ids).values())
        fields_to_render = ["subject"] + (
            ["reply_to"] if template_sudo.reply_to else []
        )
        options = {"post_process": False}
        rendered = {request_id: {} for request_id in requests.ids}
        for template, ids in groups:
            for field in fields_to_render:
                values = template._render_field(field, ids, options=options)
                for request_id, value in values.items():
                    rendered[request_id][field] = value
            view = self._nps_body_view(template)
            if view:
                bodies = self._nps_render_bodies(template, view, ids)
            else:
                bodies = template._render_field("body_html", ids, options=options)
            for request_id, body in bodies.items():
                rendered[request_id]["body_html"] = body
        for request in requests:
            body = rendered[request.id]["body_html"]
            # what mail.render.mixin._replace_local_links can change: relative
            # src/href/background ("/...") and CSS url(...)
            if body and ('="/' in body or "url(" in body):
                rendered[request.id]["body_html"] = template_sudo._replace_local_links(
                    body, request.get_base_url()
                )
        return rendered

    @api.model
    def _nps_body_view(self, template):
        """The template's body, in the template's language context, as a
        QWeb view (``ir.ui.view``) that ``ir.qweb`` compiles once and keeps
        compiled: one view per body text, found again by its key, replaced
        when the template's body changes. The view loops over the records
        (``object`` is each one, as in Odoo's rendering) and writes a
        separator after each body, so that a batch is rendered in one call
        (``_nps_render_bodies``). None when the body is to be rendered the
        stock way: a body that sets variables (a value set for one record
        could reach the next), and a user who may not edit templates, who
        renders in Odoo's restricted mode, whose checks only the stock
        rendering makes."""
        user = self.env.user
        if not (
            self.env.is_admin() or user.has_group("mail.group_mail_template_editor")
        ):
            return None
        source = template.body_html or ""
        if not source.strip() or "t-set" in source:
            return None
        lang = template.env.lang or "en_US"
        prefix = f"nps_satisfaction.mail_body_{template.id}_{lang}_"
        digest = hashlib.sha256(source.encode()).hexdigest()[:24]
        key = prefix + digest
        Views = self.env["ir.ui.view"].sudo().with_context(active_test=False)
        view = Views.search([("key", "=", key)], limit=1)
        if view:
            return view
        # the body parsed as Odoo's rendering parses it, written as the
        # view's XML inside the loop: the same tree, so the same output
        body = html.fragment_fromstring(source, create_parent="div")
        loop = etree.Element("t", {"t-foreach": "nps_records", "t-as": "object"})
        loop.text = body.text
        loop.extend(list(body))
        etree.SubElement(loop, "t", {"t-out": "nps_separator"})
        root = etree.Element("t", {"t-name": key})
        root.append(loop)
        # the previous body of this template and language: no longer used
        Views.search([("key", "=like", prefix.replace("_", "\\_") + "%")]).unlink()
        return Views.with_context(lang="en_US").create(
            {
                "name": f"Survey email body: {template.name} ({lang})",
                "type": "qweb",
                "key": key,
                "arch_db": etree.tostring(root, encoding="unicode"),
            }
        )

    @api.model
    def _nps_render_bodies(self, template, view, ids):
        """The bodies of these requests, rendered by the body's view in one
        call and split on a random separator; {request id: body}. A record
        whose own content holds the separator cannot be split safely: the
        batch is then rendered the stock way."""
        separator = f"nps-body-{secrets.token_hex(16)}"
        values = template._render_eval_context()
        # in the template's language context, as Odoo renders a template
        values.update(
            nps_records=template.env["nps.request"].browse(ids),
            nps_separator=separator,
        )
        try:
            rendered = template.env["ir.qweb"]._render(
                view.id, values, minimal_qcontext=True
            )
        except Exception as error:
            _logger.info("Failed to render template: %s", view.key, exc_info=True)
            raise UserError(
                self.env._("Failed to render template: %(view_ref)s", view_ref=view.key)
            ) from error
        parts = str(rendered).split(separator)
        if len(parts) != len(ids) + 1 or parts[-1]:
            return template._render_field(
                "body_html", ids, options={"post_process": False}
            )
        return {
            request_id: Markup(part)
            for request_id, part in zip(ids, parts, strict=False)
        }

    @api.model
    def _nps_mail_scale(self, request):
        """The score buttons of the email, as HTML. They differ between
        customers only by the token in their links: the view is rendered once
        per campaign and base URL within a batch (``nps_scale_cache`` in the
        context), and each customer's token is put in the links."""
        request.ensure_one()
        cache = self.env.context.get("nps_scale_cache")
        base_url = request._nps_base_url()
        key = (request.campaign_id.id, base_url)
        html = cache.get(key) if cache is not None else None
        if html is None:
            cells = request.campaign_id._scale_cells(
                base_url=base_url, token=SCALE_TOKEN_PLACEHOLDER
            )
            html = str(
                self.env["ir.qweb"]._render(
                    "nps_satisfaction.mail_scale", {"cells": cells}
                )
            )
            # the view's indentation out: a sixth of every email otherwise
            html = INDENTATION_BETWEEN_TAGS.sub("><", html)
            if cache is not None:
                cache[key] = html
        token = request.sudo().access_token
        return Markup(html.replace(SCALE_TOKEN_PLACEHOLDER, token))

    @api.model
    def _nps_mail_subject(self, request, reminder=False):
        """The subject of a survey email, in the language it is rendered in:
        it speaks to the customer about his request and its number, or his
        project and its name; never the campaign's internal name."""
        request.ensure_one()
        request_sudo = request.sudo()
        ticket, project = request_sudo.ticket_id, request_sudo.project_id
        if ticket:
            number = ticket.number if ticket.number not in (False, "/") else ticket.id
            if reminder:
                return self.env._(
                    "Reminder: how did we do on your request %(number)s?",
                    number=number,
                )
            return self.env._("Your request %(number)s: how did we do?", number=number)
        if project:
            if reminder:
                return self.env._(
                    "Reminder: how did we do on your project %(project)s?",
                    project=project.name,
                )
            return self.env._(
                "Your project %(project)s: how did we do?", project=project.name
            )
        company = request_sudo.company_id.name or ""
        if reminder:
            return self.env._(
                "Reminder: how was your experience with %(company)s?",
                company=company,
            )
        return self.env._(
            "Your experience with %(company)s: how did we do?", company=company
        )
