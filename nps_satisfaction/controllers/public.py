"""What every public page of the suite shares: a page rendered in the
visitor's language with the headers that keep it private, its error pages
and the refusal of a POST no visitor of such a page makes. The survey link's
pages (``survey_page``) and the onboarding links of ``nps_elearning`` use it.
"""

from odoo.http import request
from odoo.tools.misc import get_lang

#: a public page is personal: not cached, not indexed, its URL (a token)
#: never sent on as a referrer
SECURITY_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Robots-Tag", "noindex, nofollow"),
    ("Referrer-Policy", "no-referrer"),
]


class PublicPage:
    """A mixin of controllers serving public pages. Each says its own words
    for a link not found and for a refused POST (``_page_*_text``)."""

    def _page_lang(self, partner=None):
        """The language of ``partner`` (the customer or learner the link is
        for), else the visitor's."""
        if partner:
            # the partner's language alone: the pages show nothing else of
            # his record
            partner.fetch(["lang"])
            if partner.lang:
                return partner.lang
        return self._page_visitor_lang()

    def _page_visitor_lang(self):
        """The visitor's language: the one he chose on the website (its
        language selector's cookie), else his own when signed in, else his
        browser's."""
        chosen = request.cookies.get("frontend_lang")
        return get_lang(request.env, chosen).code

    def _page_env(self, lang):
        """An environment in ``lang``, for the page's messages."""
        return request.env(context=dict(request.env.context, lang=lang))

    def _page_render(self, template, values, lang, status=200):
        """The page of ``template`` in ``lang``; ``lang`` is given to the
        template unless ``values`` has its own."""
        html = (
            request.env["ir.ui.view"]
            .sudo()
            .with_context(lang=lang)
            ._render_template(template, {"lang": lang, **values})
        )
        return request.make_response(
            html,
            headers=[("Content-Type", "text/html; charset=utf-8"), *SECURITY_HEADERS],
            status=status,
        )

    def _page_error(self, status, title, message, lang, company=None):
        """The error page, under ``company`` (by default the current one)."""
        return self._page_render(
            "nps_satisfaction.nps_page_error",
            {
                "status": status,
                "title": title,
                "message": message,
                "company": request.env.company if company is None else company,
            },
            lang,
            status=status,
        )

    def _page_not_found(self, lang=None, company=None):
        lang = lang or self._page_lang()
        title, message = self._page_not_found_text(self._page_env(lang))
        return self._page_error(404, title, message, lang, company)

    def _page_refused_post(self, lang, company=None):
        """The error page of a POST no visitor of a public page makes, or
        None: a file where text is expected (400), or an employee signed in
        (403: the link is the customer's)."""
        if request.httprequest.files:
            title, message = self._page_file_text(self._page_env(lang))
            return self._page_error(400, title, message, lang, company)
        if request.env.user._is_internal():
            title, message = self._page_employee_text(self._page_env(lang))
            return self._page_error(403, title, message, lang, company)
        return None

    # --- Each page's words: (title, message) in ``env``'s language ---

    def _page_not_found_text(self, env):
        raise NotImplementedError

    def _page_file_text(self, env):
        raise NotImplementedError

    def _page_employee_text(self, env):
        raise NotImplementedError
