"""The opt-out link of a survey email: no more satisfaction surveys."""

from odoo import http
from odoo.http import request

from .survey_page import NpsSurveyPage


class NpsOptoutController(NpsSurveyPage, http.Controller):
    @http.route(
        "/nps/<string:token>/optout",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def nps_optout(self, token, **kwargs):
        """Unsubscribe from satisfaction surveys. The GET only asks; the
        customer's POST records it (most link scanners only GET; a POST with
        a scanner's signature is refused)."""
        request_sudo = self._nps_request_sudo(token)
        # the link of a survey that went out (a skipped or scheduled one was
        # never sent), and never the counter's shared anonymous customer
        if (
            not request_sudo
            or request_sudo.state not in ("sent", "answered", "expired", "test")
            or request_sudo.anonymous
        ):
            return self._nps_not_found(request_sudo or None)
        if self._nps_foreign_user(request_sudo):
            env = self._nps_env(request_sudo)
            return self._nps_error(
                403,
                env._("Not your survey"),
                env._(
                    "This survey was sent to another customer. Please sign "
                    "out, or open the link from your own email. Nothing was "
                    "recorded."
                ),
                request_sudo,
            )
        lang = self._nps_lang(request_sudo)
        done = False
        if request.httprequest.method == "POST" and request_sudo.state == "test":
            return self._nps_test_page(request_sudo, None)
        if request.httprequest.method == "POST":
            refused = self._nps_refused_post(request_sudo) or self._nps_refused_scanner(
                request_sudo
            )
            if refused:
                return refused
            request_sudo.partner_id._nps_opt_out_from_survey(lang)
            done = True
        return self._page_render(
            "nps_satisfaction.nps_page_optout",
            self._nps_values(request_sudo, done=done),
            lang,
        )
