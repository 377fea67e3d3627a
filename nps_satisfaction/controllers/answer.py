"""The answer page of a survey link: the page, the score and further
answers it posts, and the confirmation of a one-click score."""

import hmac

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..tools import score_tools, text_tools
from .survey_page import ANSWER_COOKIE, NpsSurveyPage

MAX_COMMENT = 5000


class NpsAnswerController(NpsSurveyPage, http.Controller):
    def _nps_lookup(self, token):
        """(request, error response): the request behind a token when it can
        be answered, else the page to return."""
        request_sudo = self._nps_request_sudo(token)
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
        # the answer's effects (the figures, the account manager's case and
        # its email) are applied by their job, run at once: the customer's
        # page does not wait for them (nps.answer.effects)
        return request_sudo.with_context(nps_defer_effects=True), None

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
        """Record the answer posted by the page: ``score`` (0-10), ``csat``
        (1-5: the one-click score of a CSAT campaign, or the question after
        the score of a campaign asking both), ``comment`` and the survey's
        further questions (``q_<id>``).
        ``channel`` is ``web`` when the score comes from the prompt on the
        portal and the website (``nps_prompt``), else the email's page.

        Mail security scanners open links, some run the page's script or
        replay its POST. So the score the page posts by itself (``auto``) is
        only provisional, bound to this browser by a cookie nonce; it becomes
        the answer when the same browser confirms it (the comment step, a
        click or a key on the page, another score clicked), or after the
        settle delay unless it is suspect (``nps.request``)."""
        request_sudo, error = self._nps_lookup(token)
        if error:
            return error
        campaign = request_sudo.campaign_id
        lead = campaign._nps_lead_measure()
        if request_sudo.state == "test":
            return self._nps_test_page(
                request_sudo, score if lead == score_tools.NPS else csat
            )
        refused = self._nps_refused_post(request_sudo)
        if refused:
            return refused
        lang = self._nps_lang(request_sudo)
        env = self._nps_env(request_sudo)
        # each scale the campaign asks, from its own field; another scale's
        # field (an old link, a crafted post) is not the campaign's question
        posted = {}
        for measure, raw in ((score_tools.NPS, score), (score_tools.CSAT, csat)):
            if raw in (None, "") or not campaign._nps_asks(measure):
                posted[measure] = None
                continue
            try:
                posted[measure] = score_tools.parse_score(raw, measure)
            except ValueError:
                return self._nps_error(
                    400,
                    env._("Invalid score"),
                    self._nps_scale_message(env, measure),
                    request_sudo,
                )
        score = posted[lead]
        nonce, session_hash, fresh = self._nps_session(token)
        attempts = request_sudo.with_context(lang=lang).env["nps.answer.attempt"]
        own = attempts._nps_owns(request_sudo, session_hash)
        answered = request_sudo.state == "answered"
        if score is None and not answered and not own:
            return self._nps_error(
                400,
                env._("No score"),
                self._nps_scale_message(env, lead),
                request_sudo,
            )
        comment = text_tools.plain_text(comment, MAX_COMMENT)
        extra = self._nps_extra_answers(request_sudo, kwargs)
        reasons = self._nps_posted_reasons(request_sudo)
        answer = dict(comment=comment, extra=extra, reasons=reasons)
        if lead == score_tools.NPS and posted[score_tools.CSAT] is not None:
            # the CSAT question asked after the score (a campaign asking both)
            answer["csat_score"] = posted[score_tools.CSAT]
        request_lang = request_sudo.with_context(lang=lang)
        visitor = (
            session_hash,
            request.httprequest.user_agent.string,
            request.httprequest.remote_addr,
        )
        # may this score be counted after the settle delay, unconfirmed? Only
        # when the page's script posted it, or the customer is signed in
        may_settle = bool(
            auto
            and hmac.compare_digest(
                str(auto), self._nps_auto_proof(request_sudo.access_token)
            )
        ) or self._nps_own_customer(request_sudo)
        try:
            if own and (
                step == "more"
                or (
                    not auto and attempts._nps_owns_scripted(request_sudo, session_hash)
                )
            ):
                # this browser's next step (the comment; another score where
                # the page's script posted the first one): it confirms this
                # browser's own score, never another's. A client that never
                # ran the script posting the form again only replaces its
                # unconfirmed score
                attempts._nps_confirm(request_lang, *visitor, score=score, **answer)
            elif score is not None:
                # a score, provisional until this browser confirms it; a
                # change of an answer too, where the campaign allows one
                attempts._nps_record(
                    request_lang,
                    score,
                    *visitor,
                    channel="web" if channel == "web" else "email",
                    measure=lead,
                    may_settle=may_settle,
                )
            elif answered and not attempts._nps_scanner(request_sudo, *visitor[1:]):
                # the comment step after the answer: the comment and further
                # answers only, never the score; and only from the browser
                # whose score counted (another holder of the link adds nothing)
                if not self._nps_answered_here(request_sudo, session_hash):
                    return self._nps_error(
                        403,
                        env._("Answered from another browser"),
                        env._(
                            "This survey was answered from another browser: "
                            "only that browser can add to the answer. Nothing "
                            "was recorded."
                        ),
                        request_sudo,
                    )
                request_lang._nps_record_answer(channel="email", **answer)
        except UserError as exc:
            return self._nps_error(400, env._("Not recorded"), str(exc), request_sudo)
        request_sudo.invalidate_recordset(["state"])
        if step == "more" and request_sudo.state == "answered":
            response = self._page_render(
                "nps_satisfaction.nps_page_thanks", self._nps_values(request_sudo), lang
            )
        else:
            response = self._nps_next_page(
                request_sudo, lang, nonce=nonce, session_hash=session_hash
            )
        if fresh:
            self._nps_set_session(response, token, nonce)
        return response

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
        request_sudo, error = self._nps_lookup(token)
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
            attempts = request_sudo.env["nps.answer.attempt"]
            if attempts._nps_owns(request_sudo, session_hash):
                lang = self._nps_lang(request_sudo)
                confirmed = attempts._nps_confirm(
                    request_sudo.with_context(lang=lang),
                    session_hash,
                    request.httprequest.user_agent.string,
                    request.httprequest.remote_addr,
                )
        return request.make_json_response(
            {"confirmed": confirmed}, headers=[("Cache-Control", "no-store")]
        )

    # --- What the page posts ---

    def _nps_posted_reasons(self, request_sudo):
        """The reasons ticked on the page, among those the campaign offers."""
        posted = set()
        for raw in request.httprequest.form.getlist("reason")[:50]:
            if str(raw).isdigit() and len(str(raw)) < 10:
                posted.add(int(raw))
        if not posted:
            return request.env["nps.reason"].sudo()
        return request_sudo.campaign_id.reason_ids.filtered(lambda r: r.id in posted)

    def _nps_extra_answers(self, request_sudo, form):
        questions = request_sudo._nps_remaining_questions()
        extra = {}
        for question in questions:
            raw = form.get(f"q_{question.id}")
            if raw in (None, ""):
                continue
            raw = text_tools.plain_text(str(raw), MAX_COMMENT)
            if question.question_type in ("numerical_box", "scale", "simple_choice"):
                try:
                    value = (
                        float(raw)
                        if question.question_type == "numerical_box"
                        else int(raw)
                    )
                except ValueError:
                    continue
                if question.question_type == "simple_choice" and (
                    value not in question.suggested_answer_ids.ids
                ):
                    continue
                if question.question_type == "scale" and not (
                    question.scale_min <= value <= question.scale_max
                ):
                    continue
                extra[question] = value
            else:
                extra[question] = raw
        return extra
