"""What the pages of a survey link share: the request behind its token, the
visitor (this browser, this device, the signed-in customer), the page's
values and the page that follows a score. Used by the answer page, the
counter link, the opt-out and the QR images."""

import time

from odoo.http import request

from ..models.nps_answer_service import Poster
from ..tools import device_tools, score_tools, text_tools, token_tools
from .public import PublicPage

DEVICE_COOKIE = "nps_device"
#: the random nonce binding a one-click answer to the browser that made it
ANSWER_COOKIE = "nps_answer"


class NpsSurveyPage(PublicPage):
    # --- The request, its language, its error pages ---

    def _nps_request_sudo(self, token, lock=False):
        """The request of a token, or an empty recordset. The token is the
        only key: ids never appear in public URLs. ``lock``: its row locked
        as it is found, for a post that may record an answer (the lookup
        and the answer's lock in one query, ``nps.request._nps_lock``)."""
        requests_sudo = request.env["nps.request"].sudo()
        if not token_tools.is_token(token):
            return requests_sudo.browse()
        if lock:
            return requests_sudo._nps_lock_token(token)
        return requests_sudo.search([("access_token", "=", token)], limit=1)

    def _nps_lang(self, request_sudo=None):
        """The language of a survey's pages: the customer's, for whoever
        follows the link of his email; the visitor's when he is signed in
        (the customer on the portal, whose prompt leads here, reads the
        pages in the language he chose there), and on the counter's
        anonymous survey, which belongs to no customer (each of its steps
        speaks the visitor's language, as the counter page does)."""
        if request_sudo and request_sudo.state == "test":
            # the test an employee sent himself: the customer's page, as
            # its email, whoever is signed in
            return self._page_lang(request_sudo.partner_id)
        if (
            not request_sudo
            or request_sudo.anonymous
            or not request.env.user._is_public()
        ):
            return self._page_visitor_lang()
        return self._page_lang(request_sudo.partner_id)

    @staticmethod
    def _nps_company(request_sudo=None):
        """The company a page of ``request_sudo`` shows, None for the current
        one."""
        return request_sudo.company_id if request_sudo else None

    def _nps_env(self, request_sudo=None):
        """An environment in the customer's language, for messages."""
        return self._page_env(self._nps_lang(request_sudo))

    def _nps_error(self, status, title, message, request_sudo=None):
        return self._page_error(
            status,
            title,
            message,
            self._nps_lang(request_sudo),
            self._nps_company(request_sudo),
        )

    def _nps_not_found(self, request_sudo=None):
        return self._page_not_found(
            self._nps_lang(request_sudo), self._nps_company(request_sudo)
        )

    def _nps_refused_post(self, request_sudo=None):
        """The error page of a POST no customer makes, or None: a file where
        text is expected, or an employee signed in (his answer would count
        as the customer's: an answer the customer gave him by phone is
        recorded on the ticket, *Record a phone answer*)."""
        return self._page_refused_post(
            self._nps_lang(request_sudo), self._nps_company(request_sudo)
        )

    def _nps_refused_scanner(self, request_sudo):
        """The error page of a POST from a client with a mail scanner's
        signature (``nps.answer.attempt._nps_scanner``), or None: used where
        a post takes effect at once (the opt-out), since some scanners submit
        the forms of the pages they open. The customer is asked to open the
        link in a browser."""
        if not request_sudo.env["nps.answer.attempt"]._nps_scanner(
            request_sudo,
            request.httprequest.user_agent.string or "",
            request.httprequest.remote_addr or "",
        ):
            return None
        env = self._nps_env(request_sudo)
        return self._nps_error(
            403,
            env._("Please open this link in your browser"),
            env._(
                "This page was sent by an automated program (a link checker "
                "or a security filter), not by a web browser. Nothing was "
                "recorded: please open the link of the email in your web "
                "browser."
            ),
            request_sudo,
        )

    def _page_not_found_text(self, env):
        return env._("Survey not found"), env._(
            "This survey link is unknown or has expired. If you received "
            "it recently, please check that the whole link was copied."
        )

    def _page_file_text(self, env):
        return env._("Text expected"), env._(
            "This page takes text only. Nothing was recorded."
        )

    def _page_employee_text(self, env):
        return env._("Answers come from customers"), env._(
            "You are signed in as an employee: an answer given here "
            "would count as the customer's. Record an answer the "
            "customer gave you with Record a phone answer on the "
            "ticket or project. Nothing was recorded."
        )

    # --- The visitor ---

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

    def _nps_own_customer(self, request_sudo):
        """Whether the visitor is signed in as the survey's customer (the
        portal's prompt): no mail scanner is."""
        customer = self._nps_signed_in_customer(request_sudo)
        return customer is not None and customer == request_sudo.commercial_partner_id

    def _nps_session(self, token):
        """(nonce, hash) of this browser's answer cookie for ``token``; a new
        nonce when the browser has none. Only the keyed hash is stored."""
        nonce = request.httprequest.cookies.get(ANSWER_COOKIE) or ""
        fresh = not (32 <= len(nonce) <= 64 and nonce.isascii())
        if fresh:
            nonce = token_tools.new_token()
        secret = request.env["ir.config_parameter"].sudo().get_param("database.secret")
        return nonce, token_tools.keyed_hash(secret, f"{token}:{nonce}"), fresh

    def _nps_device(self, campaign=None):
        """The device answering the counter link (``device_tools.Device``,
        see ``device_tools.device_identity``), counted over the campaign's
        per-device period."""
        secret = request.env["ir.config_parameter"].sudo().get_param("database.secret")
        return device_tools.device_identity(
            secret,
            request.httprequest.remote_addr or "",
            request.httprequest.user_agent.string or "",
            request.httprequest.cookies.get(DEVICE_COOKIE) or "",
            campaign.public_rate_minutes if campaign else 0,
            time.time(),
        )

    def _nps_poster(self, request_sudo, session_hash, channel=None, scripted=False):
        """This browser as the poster of an answer (``nps.answer.service``):
        its answer cookie's hash, user agent and address, on the counter's
        survey its device. The answer's effects (the figures, the account
        manager's case and its email) are left to their job, run at once:
        the customer's page does not wait for them."""
        device = ""
        if request_sudo.anonymous:
            device = self._nps_device(request_sudo.campaign_id).key
        return Poster(
            channel=channel,
            browser=True,
            session_hash=session_hash or "",
            user_agent=request.httprequest.user_agent.string or "",
            remote_addr=request.httprequest.remote_addr or "",
            scripted=scripted,
            device_hash=device,
            defer_effects=True,
        )

    def _nps_viewer_answered(self, request_sudo, session_hash=None):
        """Whether the visitor gave the survey's answer: from this browser
        (``session_hash``, else the browser's answer cookie) or signed in as
        the customer."""
        if session_hash is None:
            _nonce, session_hash, fresh = self._nps_session(request_sudo.access_token)
            if fresh:
                session_hash = None
        return self._nps_own_customer(request_sudo) or request_sudo.env[
            "nps.answer.service"
        ]._nps_answered_by(request_sudo, self._nps_poster(request_sudo, session_hash))

    # --- The pages ---

    @staticmethod
    def _nps_auto_proof(token):
        """The value the answer page's script posts as ``auto`` (keyed with
        the database secret): its one-click score may be counted after the
        settle delay, where a score posted by a client that never ran the
        script waits for that browser's confirmation."""
        secret = request.env["ir.config_parameter"].sudo().get_param("database.secret")
        return token_tools.keyed_hash(secret, f"{token}:script")

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
            "privacy_notice": campaign.with_context(lang=lang)._nps_privacy_notice(
                anonymous=request_sudo.anonymous
            ),
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
            # the text fields' limits, the server's (text_tools)
            "max_line": text_tools.MAX_LINE,
            "max_text": text_tools.MAX_TEXT,
            **values,
        }

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
        return self._page_render(
            "nps_satisfaction.nps_page_test",
            self._nps_values(request_sudo, shown_score=score),
            lang,
        )

    def _nps_survey_page_redirect(self, request_sudo):
        """To Odoo's survey page, for the questions only it asks, once the
        answer counts and for the browser that gave it (its survey answer
        holds the answer so far and asks only the questions left)."""
        answer = request_sudo._nps_survey_answer_to_continue()
        return request.redirect(
            f"/survey/start/{answer.survey_id.access_token}"
            f"?answer_token={answer.access_token}"
        )

    def _nps_next_page(self, request_sudo, lang, nonce=None, session_hash=None):
        """After the score: the comment and remaining questions, Odoo's own
        survey page for question types this page does not ask, or thanks.
        An answered survey opened by another browser than the one that
        answered (a forwarded mail, a colleague, a link checker) gets a plain
        thank-you: neither the score nor the comment are shown to it."""
        if request_sudo.state == "answered" and not self._nps_viewer_answered(
            request_sudo, session_hash
        ):
            return self._page_render(
                "nps_satisfaction.nps_page_thanks",
                self._nps_values(request_sudo, answer_hidden=True),
                lang,
            )
        # the page's script confirms a provisional score on a real gesture
        confirm_nonce = nonce if request_sudo.provisional_state else None
        page_questions = request_sudo._nps_page_questions()
        if page_questions is False:
            if request_sudo.state == "answered":
                # the browser that answered (see above)
                return self._nps_survey_page_redirect(request_sudo)
            # questions only Odoo's survey page asks: after the answer counts
            # (its comment step), never for a score not confirmed yet
            page_questions = request_sudo.env["survey.question"]
        if (
            page_questions
            or (
                not request_sudo.comment
                and request_sudo.campaign_id.comment_question_id
            )
            or request_sudo._nps_asks_reasons()
            or request_sudo._nps_asks_csat()
        ):
            return self._page_render(
                "nps_satisfaction.nps_page_more",
                self._nps_values(
                    request_sudo,
                    questions=page_questions.with_context(lang=lang),
                    confirm_nonce=confirm_nonce,
                ),
                lang,
            )
        return self._page_render(
            "nps_satisfaction.nps_page_thanks",
            self._nps_values(request_sudo, confirm_nonce=confirm_nonce),
            lang,
        )
