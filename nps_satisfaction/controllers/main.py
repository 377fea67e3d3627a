import base64
import hmac
import logging
import time

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.misc import get_lang

from ..tools import qr_tools, scanner_tools, score_tools, text_tools, token_tools

_logger = logging.getLogger(__name__)

MAX_COMMENT = 5000
DEVICE_COOKIE = "nps_device"
#: the random nonce binding a one-click answer to the browser that made it
ANSWER_COOKIE = "nps_answer"


class NpsController(http.Controller):
    # --- Helpers ---

    def _nps_request_sudo(self, token):
        """The request of a token, or an empty recordset. The token is the
        only key: ids never appear in public URLs."""
        if not token_tools.is_token(token):
            return request.env["nps.request"].sudo().browse()
        return (
            request.env["nps.request"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )

    def _nps_lang(self, request_sudo=None):
        partner = request_sudo.partner_id if request_sudo else None
        if partner:
            # the customer's language alone: the pages show nothing else of
            # the customer's record
            partner.fetch(["lang"])
            if partner.lang:
                return partner.lang
        return get_lang(request.env).code

    def _nps_render(self, template, values, lang, status=200):
        html = (
            request.env["ir.ui.view"]
            .sudo()
            .with_context(lang=lang)
            ._render_template(template, values)
        )
        return request.make_response(
            html,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Cache-Control", "no-store"),
                ("X-Robots-Tag", "noindex, nofollow"),
                ("Referrer-Policy", "no-referrer"),
            ],
            status=status,
        )

    def _nps_env(self, request_sudo=None):
        """An environment in the customer's language, for messages."""
        lang = self._nps_lang(request_sudo)
        return request.env(context=dict(request.env.context, lang=lang))

    def _nps_error(self, status, title, message, request_sudo=None):
        lang = self._nps_lang(request_sudo)
        return self._nps_render(
            "nps_satisfaction.nps_page_error",
            {
                "status": status,
                "title": title,
                "message": message,
                "lang": lang,
                "company": request_sudo.company_id
                if request_sudo
                else request.env.company,
            },
            lang,
            status=status,
        )

    def _nps_not_found(self, request_sudo=None):
        env = self._nps_env(request_sudo)
        return self._nps_error(
            404,
            env._("Survey not found"),
            env._(
                "This survey link is unknown or has expired. If you received "
                "it recently, please check that the whole link was copied."
            ),
            request_sudo,
        )

    def _nps_signed_in_customer(self, request_sudo):
        """The customer (commercial entity) the visitor is signed in as, or
        None: a visitor not signed in, an employee, or the counter's
        anonymous survey, which belongs to no customer."""
        user = request.env.user
        if user._is_public() or not user.share or request_sudo.anonymous:
            return None
        return user.partner_id.commercial_partner_id

    def _nps_foreign_user(self, request_sudo):
        """A signed-in customer opening another customer's survey."""
        customer = self._nps_signed_in_customer(request_sudo)
        return customer is not None and customer != request_sudo.commercial_partner_id

    def _nps_refused_post(self, request_sudo=None):
        """The error page of a POST no customer makes, or None: a file where
        text is expected, or an employee signed in (his answer would count
        as the customer's: an answer the customer gave him by phone is
        recorded on the ticket, *Record a phone answer*)."""
        if request.httprequest.files:
            env = self._nps_env(request_sudo)
            return self._nps_error(
                400,
                env._("Text expected"),
                env._("This page takes text only. Nothing was recorded."),
                request_sudo,
            )
        user = request.env.user
        if not user._is_public() and not user.share:
            env = self._nps_env(request_sudo)
            return self._nps_error(
                403,
                env._("Answers come from customers"),
                env._(
                    "You are signed in as an employee: an answer given here "
                    "would count as the customer's. Record an answer the "
                    "customer gave you with Record a phone answer on the "
                    "ticket or project. Nothing was recorded."
                ),
                request_sudo,
            )
        return None

    def _nps_values(self, request_sudo, **values):
        campaign = request_sudo.campaign_id
        lang = self._nps_lang(request_sudo)
        asks_csat = request_sudo._nps_asks_csat()
        return {
            "nps_request": request_sudo,
            "campaign": campaign.with_context(lang=lang),
            "company": request_sudo.company_id or request.env.company,
            "token": request_sudo.access_token,
            "lang": lang,
            "csrf_token": request.csrf_token(),
            "privacy_notice": campaign.with_context(lang=lang).privacy_notice_display,
            "question": campaign.lead_question_id.with_context(lang=lang),
            "shown_score": request_sudo._nps_lead_value()
            if request_sudo.state == "answered"
            else request_sudo.provisional_score,
            # a campaign asking both: the 1-5 question after the 0-10 score
            "csat_question": asks_csat
            and campaign.csat_question_id.with_context(lang=lang),
            "csat_cells": asks_csat and campaign._scale_cells(measure=score_tools.CSAT),
            "test": request_sudo.state == "test",
            # what the page's script posts as ``auto``: a client that never
            # ran the script (that only posts the form) does not have it
            "auto_proof": self._nps_auto_proof(request_sudo.access_token),
            **values,
        }

    @staticmethod
    def _nps_auto_proof(token):
        """The value the answer page's script posts as ``auto`` (keyed with
        the database secret): its one-click score may be counted after the
        settle delay, where a score posted by a client that never ran the
        script waits for that browser's confirmation."""
        secret = request.env["ir.config_parameter"].sudo().get_param("database.secret")
        return token_tools.keyed_hash(secret, f"{token}:script")

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
        return self._nps_render(
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

    def _nps_session(self, token):
        """(nonce, hash) of this browser's answer cookie for ``token``; a new
        nonce when the browser has none. Only the keyed hash is stored."""
        nonce = request.httprequest.cookies.get(ANSWER_COOKIE) or ""
        fresh = not (32 <= len(nonce) <= 64 and nonce.isascii())
        if fresh:
            nonce = token_tools.new_token()
        secret = request.env["ir.config_parameter"].sudo().get_param("database.secret")
        return nonce, token_tools.keyed_hash(secret, f"{token}:{nonce}"), fresh

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
            response = self._nps_render(
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

    def _nps_own_customer(self, request_sudo):
        """Whether the visitor is signed in as the survey's customer (the
        portal's prompt): no mail scanner is."""
        customer = self._nps_signed_in_customer(request_sudo)
        return customer is not None and customer == request_sudo.commercial_partner_id

    def _nps_viewer_answered(self, request_sudo, session_hash=None):
        """Whether the visitor gave the survey's answer: from this browser
        (``session_hash``, else the browser's answer cookie) or signed in as
        the customer."""
        if session_hash is None:
            _nonce, session_hash, fresh = self._nps_session(request_sudo.access_token)
            if fresh:
                session_hash = None
        return self._nps_own_customer(request_sudo) or self._nps_answered_here(
            request_sudo, session_hash
        )

    def _nps_answered_here(self, request_sudo, session_hash):
        """Whether this browser gave the survey's answer: its session's
        score is the one that counted, or, on the counter link, the answer
        came from this device."""
        if request_sudo.anonymous:
            _cookie, _network, device = self._nps_device(request_sudo.campaign_id)
            return bool(request_sudo.device_hash) and hmac.compare_digest(
                request_sudo.device_hash, device
            )
        return request_sudo.env["nps.answer.attempt"]._nps_counted_for(
            request_sudo, session_hash
        )

    @staticmethod
    def _nps_scale_message(env, measure):
        """What the page says to a visitor who sent no score, or one off the
        scale ``measure``."""
        if measure == score_tools.CSAT:
            return env._(
                "Please choose a rating between 1 and 5. Nothing was recorded."
            )
        return env._("Please choose a score between 0 and 10. Nothing was recorded.")

    def _nps_test_page(self, request_sudo, score):
        """What a campaign's test email leads to after a click: the page
        that says nothing was recorded."""
        try:
            score = score_tools.parse_score(
                score, request_sudo.campaign_id._nps_lead_measure()
            )
        except ValueError:
            score = None
        lang = self._nps_lang(request_sudo)
        return self._nps_render(
            "nps_satisfaction.nps_page_test",
            self._nps_values(request_sudo, shown_score=score),
            lang,
        )

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

    def _nps_next_page(self, request_sudo, lang, nonce=None, session_hash=None):
        """After the score: the comment and remaining questions, Odoo's own
        survey page for question types this page does not ask, or thanks.
        An answered survey opened by another browser than the one that
        answered (a forwarded mail, a colleague, a link checker) gets a plain
        thank-you: neither the score nor the comment are shown to it."""
        if request_sudo.state == "answered" and not self._nps_viewer_answered(
            request_sudo, session_hash
        ):
            return self._nps_render(
                "nps_satisfaction.nps_page_thanks",
                self._nps_values(request_sudo, answer_hidden=True),
                lang,
            )
        # the page's script confirms a provisional score on a real gesture
        confirm_nonce = nonce if request_sudo.provisional_state else None
        remaining = request_sudo._nps_remaining_questions()
        page_questions = request_sudo._nps_page_questions()
        if remaining and page_questions is False:
            # questions only Odoo's survey page asks: its survey answer now
            answer = request_sudo.user_input_id or request.env[
                "survey.user_input"
            ].sudo()._nps_create_for(request_sudo)
            return request.redirect(
                f"/survey/start/{answer.survey_id.access_token}"
                f"?answer_token={answer.access_token}"
            )
        if (
            page_questions
            or (
                not request_sudo.comment
                and request_sudo.campaign_id.comment_question_id
            )
            or request_sudo._nps_asks_reasons()
            or request_sudo._nps_asks_csat()
        ):
            return self._nps_render(
                "nps_satisfaction.nps_page_more",
                self._nps_values(
                    request_sudo,
                    questions=page_questions.with_context(lang=lang),
                    confirm_nonce=confirm_nonce,
                ),
                lang,
            )
        return self._nps_render(
            "nps_satisfaction.nps_page_thanks",
            self._nps_values(request_sudo, confirm_nonce=confirm_nonce),
            lang,
        )

    # --- Counter link: anonymous answers, rate-limited per device ---

    def _nps_campaign_by_public_token(self, token):
        campaigns = request.env["nps.campaign"].sudo()
        if not token_tools.is_token(token):
            return campaigns.browse()
        return campaigns.search([("public_token", "=", token)], limit=1)

    def _nps_device(self, campaign=None):
        """(cookie value, network hash, device hash) of the answering device,
        keyed with the database secret, so no address is stored in clear.

        The device is its cookie only when the server issued that cookie
        (signed) longer ago than the campaign's per-device period; a younger
        one, or none, or one the client made up, counts as the device's
        network and browser. Fresh cookies fetched before each post are then
        one device, not a new one every time (two phones with the same
        browser on the same network within the period count as one: the
        price of it)."""
        secret = request.env["ir.config_parameter"].sudo().get_param("database.secret")
        address = request.httprequest.remote_addr or ""
        # the network by its prefix (/24, /64): one abuser is one network
        network = token_tools.keyed_hash(secret, scanner_tools.network_prefix(address))
        user_agent = request.httprequest.user_agent.string or ""
        browser = token_tools.keyed_hash(secret, f"{address} {user_agent}")
        now = time.time()
        cookie = request.httprequest.cookies.get(DEVICE_COOKIE) or ""
        issued = token_tools.device_cookie_issued(secret, cookie)
        if issued is None or issued > now + 60:
            cookie = token_tools.new_device_cookie(secret, now)
            return cookie, network, f"{network}:{browser}"
        minutes = campaign.public_rate_minutes if campaign else 0
        if now - issued < max(minutes, 1) * 60:
            return cookie, network, f"{network}:{browser}"
        return cookie, network, f"{network}:{token_tools.keyed_hash(secret, cookie)}"

    def _nps_counter_values(self, campaign, **values):
        lang = get_lang(request.env).code
        campaign = campaign.with_context(lang=lang)
        return {
            "campaign": campaign,
            "company": campaign.company_id or request.env.company,
            "lang": lang,
            "csrf_token": request.csrf_token(),
            # the counter's answers are anonymous: no customer record, no
            # email to unsubscribe from (a campaign's own notice stands)
            "privacy_notice": campaign.privacy_notice
            or campaign.env._(
                "Your answer is anonymous: it is kept without your name or "
                "address, only to improve our service, and never shared with "
                "third parties."
            ),
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
        cookie, _network, _device = self._nps_device(campaign)
        response = self._nps_render(
            "nps_satisfaction.nps_page_counter",
            self._nps_counter_values(
                campaign,
                cells=campaign._scale_cells(),
                selected=None,
            ),
            get_lang(request.env).code,
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
        campaign = self._nps_campaign_by_public_token(token)
        if not campaign:
            return self._nps_not_found()
        env = self._nps_env()
        lead = campaign._nps_lead_measure()
        try:
            score = score_tools.parse_score(
                score if lead == score_tools.NPS else csat, lead
            )
        except ValueError:
            return self._nps_error(
                400, env._("Invalid score"), self._nps_scale_message(env, lead)
            )
        refused = self._nps_refused_post()
        if refused:
            return refused
        _cookie, network, device = self._nps_device(campaign)
        campaign_sudo = campaign.sudo()
        verdict = campaign_sudo._nps_counter_check(device, network)
        request_sudo = (
            campaign_sudo._nps_create_anonymous(device) if verdict != "device" else None
        )
        if not request_sudo:
            return self._nps_error(
                429,
                env._("Thank you, you already answered"),
                env._(
                    "An answer was recorded from this device a moment ago. "
                    "Nothing more was recorded."
                ),
            )
        if verdict == "ceiling":
            # kept for a manager's review, not counted: the visitor is thanked
            # (no comment asked: it would go to an answer not counted yet)
            request_sudo.env["nps.answer.attempt"]._nps_hold(
                request_sudo,
                score,
                request_sudo.env._("Over its network's hourly ceiling"),
                measure=lead,
            )
            lang = get_lang(request.env).code
            return self._nps_render(
                "nps_satisfaction.nps_page_thanks",
                self._nps_values(request_sudo, shown_score=score),
                lang,
            )
        else:
            request_sudo._nps_record_answer(
                channel="qr", **{score_tools.SCALE_FIELDS[lead]: score}
            )
        return self._nps_next_page(request_sudo, get_lang(request.env).code)

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
        return self._nps_qr_response(campaign._nps_public_url(), format, "public")

    # --- QR code and icons ---

    @staticmethod
    def _nps_qr_response(url, fmt, cache):
        """The QR image of ``url``, SVG when asked, else PNG; ``cache`` is
        ``public`` or ``private`` (a personal link)."""
        content, mimetype = qr_tools.qr_image(url, "svg" if fmt == "svg" else "png")
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Cache-Control", f"{cache}, max-age=3600"),
            ],
        )

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
        return self._nps_qr_response(request_sudo._nps_answer_url(), format, "private")

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

    # --- Opt-out ---

    @http.route(
        "/nps/<string:token>/optout",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def nps_optout(self, token, **kwargs):
        """Unsubscribe from satisfaction surveys. The GET only asks; the
        customer's POST records it (link scanners only GET)."""
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
            refused = self._nps_refused_post(request_sudo)
            if refused:
                return refused
            partner = request_sudo.partner_id
            # once: a second POST (a double click, a replay) changes nothing
            if not partner.nps_opt_out:
                partner.nps_opt_out = True
                partner.message_post(
                    body=self._nps_env(request_sudo)._(
                        "Opted out of satisfaction surveys from the survey email."
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            done = True
        return self._nps_render(
            "nps_satisfaction.nps_page_optout",
            self._nps_values(request_sudo, done=done),
            lang,
        )
