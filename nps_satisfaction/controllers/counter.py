"""The counter link: a campaign's public QR code at a counter or on a
receipt, answered anonymously by anyone, rate-limited per device."""

from odoo import http
from odoo.http import request

from ..models.nps_answer_service import Posted, Poster
from ..tools import qr_tools, score_tools, token_tools
from .survey_page import DEVICE_COOKIE, NpsSurveyPage


class NpsCounterController(NpsSurveyPage, http.Controller):
    def _nps_campaign_by_public_token(self, token):
        campaigns = request.env["nps.campaign"].sudo()
        if not token_tools.is_token(token):
            return campaigns.browse()
        return campaigns.search([("public_token", "=", token)], limit=1)

    def _nps_counter_values(self, campaign, **values):
        lang = self._page_lang()
        campaign = campaign.with_context(lang=lang)
        return {
            "campaign": campaign,
            "company": campaign.company_id or request.env.company,
            "lang": lang,
            "csrf_token": request.csrf_token(),
            # the counter's answers are anonymous: no customer record, no
            # email to unsubscribe from (a campaign's own notice stands)
            "privacy_notice": campaign._nps_privacy_notice(anonymous=True),
            "question": campaign.lead_question_id,
            "action_url": f"/nps/c/{campaign.public_token}",
            **values,
        }

    @http.route(
        "/nps/c/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def nps_counter_page(self, token, **kwargs):
        """The counter page: anyone may answer, anonymously."""
        campaign = self._nps_campaign_by_public_token(token)
        if not campaign:
            return self._nps_not_found()
        cookie = self._nps_device(campaign).cookie
        response = self._page_render(
            "nps_satisfaction.nps_page_counter",
            self._nps_counter_values(
                campaign,
                cells=campaign._scale_cells(),
                selected=None,
            ),
            self._page_lang(),
        )
        response.set_cookie(
            DEVICE_COOKIE,
            cookie,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
        )
        return response

    @http.route(
        "/nps/c/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def nps_counter_submit(self, token, score=None, csat=None, **kwargs):
        """Record a score given at the counter, anonymously, once per device
        over the campaign's period (``nps.campaign._nps_counter_check``)."""
        campaign = self._nps_campaign_by_public_token(token)
        if not campaign:
            return self._nps_not_found()
        env = self._nps_env()
        service = env["nps.answer.service"]
        lead = campaign._nps_lead_measure()
        try:
            score = score_tools.parse_score(
                score if lead == score_tools.NPS else csat, lead
            )
        except ValueError:
            return self._nps_error(
                400, env._("Invalid score"), service._nps_scale_message(lead)
            )
        refused = self._nps_refused_post()
        if refused:
            return refused
        request_sudo, held, error = self._nps_counter_request(campaign)
        if error:
            return error
        outcome = service._nps_answer(
            request_sudo,
            Posted(**{score_tools.SCALE_FIELDS[lead]: score}),
            Poster(channel="qr", held=held),
        )
        lang = self._page_lang()
        if outcome.kind == "held":
            # kept for a manager's review, not counted: the visitor is thanked
            # (no comment asked: it would go to an answer not counted yet)
            return self._page_render(
                "nps_satisfaction.nps_page_thanks",
                self._nps_values(request_sudo, shown_score=score),
                lang,
            )
        return self._nps_next_page(request_sudo, lang)

    def _nps_counter_request(self, campaign):
        """(survey, why held, error page): the anonymous survey this device
        answers, and why its score is held for a review instead of counted
        (its network is over the hourly ceiling); or the page saying why no
        answer is taken now."""
        env = self._nps_env()
        device = self._nps_device(campaign)
        campaign_sudo = campaign.sudo()
        verdict = campaign_sudo._nps_counter_check(
            device.key, device.network, device.issuer, device.issued
        )
        if verdict == "busy":
            response = self._nps_error(
                503,
                env._("One moment, please"),
                env._(
                    "Several answers are arriving at this very moment. Nothing "
                    "was recorded: please send your score again."
                ),
            )
            response.headers["Retry-After"] = "2"
            return None, "", response
        request_sudo = (
            campaign_sudo._nps_create_anonymous(
                device.key, device.issuer, device.issued
            )
            if verdict != "device"
            else None
        )
        if not request_sudo:
            return (
                None,
                "",
                self._nps_error(
                    429,
                    env._("Thank you, you already answered"),
                    env._(
                        "An answer was recorded from this device a moment ago. "
                        "Nothing more was recorded."
                    ),
                ),
            )
        held = verdict == "ceiling" and env._("Over its network's hourly ceiling")
        return request_sudo, held or "", None

    @http.route(
        "/nps/c/<string:token>/qr",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def nps_counter_qr(self, token, format="png", **kwargs):  # noqa: A002
        campaign = self._nps_campaign_by_public_token(token)
        if not campaign:
            return self._nps_not_found()
        return request.make_response(
            *qr_tools.qr_http(campaign._nps_public_url(), format, "public")
        )
