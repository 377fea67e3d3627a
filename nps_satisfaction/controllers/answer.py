"""The answer page of a survey link: the page, the score and further
answers it posts, and the confirmation of a one-click score."""

import hmac

from odoo import http
from odoo.http import request

from ..models.nps_answer_service import Posted
from ..tools import score_tools
from .survey_page import ANSWER_COOKIE, NpsSurveyPage


class NpsAnswerController(NpsSurveyPage, http.Controller):
    def _nps_lookup(self, token, lock=False):
        """(request, error response): the request behind a token when it can
        be answered, else the page to return. ``lock``: the request's row is
        locked as it is found (a post)."""
        request_sudo = self._nps_request_sudo(token, lock=lock)
        if request_sudo.state == "test":
            # a campaign's test email (nps.campaign.preview): the page shows,
            # nothing is recorded
            return request_sudo, None
        if not request_sudo or not request_sudo._nps_is_open():
            return request_sudo, self._nps_not_found(request_sudo)
        if self._nps_foreign_user(request_sudo):
            env = self._nps_env(request_sudo)
            return request_sudo, self._nps_error(
                403,
                env._("Not your survey"),
                env._(
                    "This survey was sent to another customer. Please sign "
                    "out, or open the link from your own email."
                ),
                request_sudo,
            )
        return request_sudo, None

    # --- Answer page ---

    @http.route(
        "/nps/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def nps_page(self, token, score=None, csat=None, **kwargs):
        """Show the answer page. A GET never records anything: link
        scanners fetch URLs; only the page's POST records a score. The
        score of the link (``score`` 0-10, or ``csat`` 1-5 for a CSAT
        campaign) is preselected."""
        request_sudo, error = self._nps_lookup(token)
        if error:
            return error
        lang = self._nps_lang(request_sudo)
        if request_sudo.state == "answered":
            return self._nps_next_page(request_sudo, lang)
        lead = request_sudo.campaign_id._nps_lead_measure()
        raw = score if lead == score_tools.NPS else csat
        try:
            selected = (
                score_tools.parse_score(raw, lead) if raw not in (None, "") else None
            )
        except ValueError:
            selected = None
        return self._page_render(
            "nps_satisfaction.nps_page_answer",
            self._nps_values(
                request_sudo,
                selected=selected,
                cells=request_sudo.campaign_id._scale_cells(
                    token=request_sudo.access_token, selected=selected
                ),
            ),
            lang,
        )

    def _nps_set_session(self, response, token, nonce):
        response.set_cookie(
            ANSWER_COOKIE,
            nonce,
            path=f"/nps/{token}",
            httponly=True,
            samesite="Lax",
            secure=request.httprequest.scheme == "https",
        )
        return response

    @http.route(
        "/nps/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def nps_submit(
        self,
        token,
        score=None,
        comment=None,
        step=None,
        auto=None,
        channel=None,
        csat=None,
        **kwargs,
    ):
        """Record the page's post (``nps.answer.service``): ``score`` 0-10,
        ``csat`` 1-5 (a CSAT campaign's score, or the question after the
        score), ``comment``, ticked ``reason``s, further questions
        (``q_<id>``). ``step``: ``more`` on the comment step; ``auto``: the
        page's script posted the link's score by itself; ``channel``:
        ``web`` from the portal's and website's prompt, else the email's
        (``_nps_posted_channel``)."""
        request_sudo, error = self._nps_lookup(token, lock=True)
        if error:
            return error
        if request_sudo.state == "test":
            lead = request_sudo.campaign_id._nps_lead_measure()
            return self._nps_test_page(
                request_sudo, score if lead == score_tools.NPS else csat
            )
        refused = self._nps_refused_post(request_sudo)
        if refused:
            return refused
        lang = self._nps_lang(request_sudo)
        request_lang = request_sudo.with_context(lang=lang)
        nonce, session_hash, fresh = self._nps_session(token)
        posted = Posted(
            score=score,
            csat_score=csat,
            comment=comment,
            extra=self._nps_posted_questions(kwargs),
            reasons=self._nps_posted_reasons(),
            step="more" if step == "more" else ("auto" if auto else "click"),
        )
        poster = self._nps_poster(
            request_sudo,
            session_hash,
            channel=self._nps_posted_channel(request_sudo, channel),
            scripted=self._nps_may_settle(request_sudo, auto),
        )
        outcome = request_lang.env["nps.answer.service"]._nps_answer(
            request_lang, posted, poster
        )
        if outcome.refused:
            return self._nps_error(
                outcome.status, outcome.title, outcome.message, request_sudo
            )
        response = self._nps_after_post(
            request_sudo, lang, posted.step, nonce, session_hash
        )
        if fresh:
            self._nps_set_session(response, token, nonce)
        return response

    def _nps_after_post(self, request_sudo, lang, step, nonce, session_hash):
        """The page after a post: thanks after the comment step of an
        answered survey (or Odoo's survey page for the questions only it
        asks), else the page that follows the score. The request's
        state is not read again: the cache holds what the service wrote, and
        a read in this REPEATABLE READ transaction would give the same."""
        if step == "more" and request_sudo.state == "answered":
            if request_sudo._nps_page_questions() is False:
                # questions only Odoo's survey page asks, now that the answer
                # counts (this browser's comment step confirmed it)
                return self._nps_survey_page_redirect(request_sudo)
            return self._page_render(
                "nps_satisfaction.nps_page_thanks", self._nps_values(request_sudo), lang
            )
        return self._nps_next_page(
            request_sudo, lang, nonce=nonce, session_hash=session_hash
        )

    @http.route(
        "/nps/<string:token>/confirm",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def nps_confirm(self, token, nonce=None, **kwargs):
        """Confirm this browser's one-click score: the page's script posts
        here on the customer's first click, tap or key (never a scanner's
        page load). Needs the answer cookie, the same nonce in the form and
        the CSRF token. Answers JSON ``{"confirmed": bool}``."""
        request_sudo, error = self._nps_lookup(token, lock=True)
        if error:
            return error
        cookie = request.httprequest.cookies.get(ANSWER_COOKIE) or ""
        confirmed = False
        if request_sudo.state == "test":
            cookie = ""
        refused = self._nps_refused_post(request_sudo)
        if refused:
            return refused
        if cookie and nonce and hmac.compare_digest(cookie, str(nonce)):
            _nonce, session_hash, _fresh = self._nps_session(token)
            request_lang = request_sudo.with_context(lang=self._nps_lang(request_sudo))
            outcome = request_lang.env["nps.answer.service"]._nps_answer(
                request_lang,
                Posted(step="confirm"),
                self._nps_poster(request_sudo, session_hash),
            )
            confirmed = outcome.kind == "recorded"
        return request.make_json_response(
            {"confirmed": confirmed}, headers=[("Cache-Control", "no-store")]
        )

    # --- What the page posts ---

    def _nps_may_settle(self, request_sudo, auto):
        """Whether a score posted now may be counted after the settle delay,
        unconfirmed: only when the page's script posted it (its keyed
        ``auto`` proof), or the customer is signed in."""
        return bool(
            auto
            and hmac.compare_digest(
                str(auto), self._nps_auto_proof(request_sudo.access_token)
            )
        ) or self._nps_own_customer(request_sudo)

    @staticmethod
    def _nps_posted_channel(request_sudo, channel):
        """The channel of a post: ``web`` (the portal's and website's
        prompt) only from the request's own contact signed in, the one
        ``nps.prompt`` offers the survey to; any other poster's answer keeps
        the link's channel (``email``), whatever the form says."""
        user = request.env.user
        prompted = (
            not user._is_public()
            and user.share
            and user.partner_id == request_sudo.partner_id
        )
        return "web" if channel == "web" and prompted else "email"

    @staticmethod
    def _nps_posted_reasons():
        """The ids of the reasons ticked on the page."""
        posted = set()
        for raw in request.httprequest.form.getlist("reason")[:50]:
            if str(raw).isdigit() and len(str(raw)) < 10:
                posted.add(int(raw))
        return tuple(posted)

    @staticmethod
    def _nps_posted_questions(form):
        """{question id: value} of the survey's further questions posted
        (``q_<id>``); the service checks each against its question."""
        return {
            int(key[2:]): value
            for key, value in form.items()
            if key.startswith("q_") and key[2:].isdigit() and len(key) < 12
        }
