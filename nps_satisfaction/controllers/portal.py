from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.nps_prompt import PROMPT_COOKIE, PROMPT_HIDE_DAYS


class NpsPortal(CustomerPortal):
    """``/my/satisfaction``: the signed-in customer's surveys, pending ones to
    answer and past answers. Record rules limit the search to the customer's
    own requests; the answer link is read with sudo only for those."""

    def _nps_portal_domain(self):
        return [
            ("partner_id", "=", request.env.user.partner_id.id),
            ("state", "in", ("sent", "answered", "expired")),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "nps_count" in counters:
            requests = request.env["nps.request"]
            values["nps_count"] = (
                requests.search_count(self._nps_portal_domain())
                if requests.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/satisfaction", "/my/satisfaction/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_satisfaction(self, page=1, **kwargs):
        requests = request.env["nps.request"]
        domain = self._nps_portal_domain()
        count = requests.search_count(domain)
        pager = self._nps_pager(count, page)
        surveys = requests.search(
            domain,
            order="state desc, sent_date desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "nps_satisfaction",
                "surveys": surveys,
                # the links of the customer's own surveys, and only those
                # what each survey is about, read with sudo: a ticket of a
                # colleague may be out of the customer's reach
                "about": {
                    survey.id: (
                        survey.sudo().ticket_id or survey.sudo().project_id
                    ).display_name
                    or ""
                    for survey in surveys
                },
                "campaign_names": {
                    survey.id: survey.sudo().campaign_id.name for survey in surveys
                },
                "answer_urls": {
                    survey.id: survey.sudo()._nps_answer_url()
                    for survey in surveys
                    if survey.state == "sent"
                },
                "pager": pager,
                "default_url": "/my/satisfaction",
            }
        )
        return request.render("nps_satisfaction.portal_my_satisfaction", values)

    def _nps_pager(self, count, page):
        from odoo.addons.portal.controllers.portal import pager as portal_pager

        return portal_pager(
            url="/my/satisfaction",
            total=count,
            page=page,
            step=self._items_per_page,
        )

    @http.route(
        "/my/satisfaction/prompt/dismiss",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
    )
    def portal_nps_prompt_dismiss(self, redirect=None, **kwargs):
        """Hide the satisfaction prompt in this browser for a while, then go
        back to the page it was closed on (a path of this site only). The
        survey itself stays open: its email and /my/satisfaction still lead
        to it."""
        target = redirect or "/my"
        if not target.startswith("/") or target.startswith(("//", "/\\")):
            target = "/my"
        response = request.redirect(target, local=True)
        response.set_cookie(
            PROMPT_COOKIE,
            "1",
            max_age=PROMPT_HIDE_DAYS * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.httprequest.scheme == "https",
        )
        return response
