"""The QR image of a survey link and the icons of its answer page."""

import base64

from odoo import http
from odoo.http import request

from ..tools import qr_tools, score_tools
from .survey_page import NpsSurveyPage


class NpsImagesController(NpsSurveyPage, http.Controller):
    @http.route(
        "/nps/<string:token>/qr",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def nps_qr(self, token, format="png", **kwargs):  # noqa: A002
        request_sudo = self._nps_request_sudo(token)
        if not request_sudo or not request_sudo._nps_is_open():
            return self._nps_not_found(request_sudo)
        return request.make_response(
            *qr_tools.qr_http(request_sudo._nps_answer_url(), format, "private")
        )

    @http.route(
        "/nps/<string:token>/icon/<string:category>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def nps_icon(self, token, category, **kwargs):
        request_sudo = self._nps_request_sudo(token)
        if not request_sudo or category not in score_tools.NPS_VALUES:
            raise request.not_found()
        image = request_sudo.campaign_id[f"icon_{category}"]
        if not image:
            raise request.not_found()
        return request.make_response(
            base64.b64decode(image),
            headers=[
                ("Content-Type", "image/png"),
                ("Cache-Control", "public, max-age=86400"),
            ],
        )
