from urllib.parse import urlencode

from odoo import http
from odoo.http import request
from odoo.tools import email_normalize
from odoo.tools.mail import single_email_re
from odoo.tools.misc import get_lang

from odoo.addons.nps_satisfaction.controllers.main import NpsController
from odoo.addons.nps_satisfaction.tools import text_tools, token_tools

MAX_NAME = 128


class OnboardingController(http.Controller):
    # --- Helpers ---

    def _onboarding_member_sudo(self, course_id, token):
        """The enrolment of a token in this course, or an empty recordset.
        The token alone identifies the learner; the course must match it."""
        members_sudo = request.env["slide.channel.partner"].sudo()
        if not token_tools.is_token(token):
            return members_sudo.browse()
        return members_sudo.search(
            [
                ("nps_access_token", "=", token),
                ("channel_id", "=", course_id),
                ("channel_id.active", "=", True),
            ],
            limit=1,
        )

    def _onboarding_company_sudo(self, token):
        partners_sudo = request.env["res.partner"].sudo()
        if not token_tools.is_token(token):
            return partners_sudo.browse()
        return partners_sudo.search(
            [("nps_onboarding_token", "=", token), ("is_company", "=", True)],
            limit=1,
        )

    def _onboarding_lang(self, partner=None):
        if partner and partner.lang:
            return partner.lang
        return get_lang(request.env).code

    def _onboarding_render(self, template, values, lang, status=200):
        html = (
            request.env["ir.ui.view"]
            .sudo()
            .with_context(lang=lang)
            ._render_template(template, dict(values, lang=lang))
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

    def _onboarding_error(self, status, title, message, lang, company=None):
        return self._onboarding_render(
            "nps_satisfaction.nps_page_error",
            {
                "status": status,
                "title": title,
                "message": message,
                "company": company or request.env.company,
            },
            lang,
            status=status,
        )

    def _onboarding_not_found(self, lang=None):
        lang = lang or self._onboarding_lang()
        env = request.env(context=dict(request.env.context, lang=lang))
        return self._onboarding_error(
            404,
            env._("Link not found"),
            env._(
                "This onboarding link is unknown or no longer valid. Please "
                "check that the whole link was copied, or ask your account "
                "manager for a new one."
            ),
            lang,
        )

    @staticmethod
    def _onboarding_qr(url):
        return NpsController._nps_qr_response(url, "png", "private")

    def _onboarding_sign_in(self, user):
        """Open a session for this portal user (no password: the caller has
        checked the personal token)."""
        session = request.session
        session["pre_login"] = user.login
        session["pre_uid"] = user.id
        session.finalize(request.env)
        request.env = request.env(user=user.id)

    # --- Personal access link ---

    @http.route(
        "/onboarding/<int:course_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def onboarding_access(self, course_id, token, **kwargs):
        """Sign the learner of this token in and open the course. Refused
        for another course's token, for an internal user's contact and when
        someone else is signed in; nothing is written then."""
        member_sudo = self._onboarding_member_sudo(course_id, token)
        if not member_sudo:
            return self._onboarding_not_found()
        partner = member_sudo.partner_id
        lang = self._onboarding_lang(partner)
        env = request.env(context=dict(request.env.context, lang=lang))
        company = partner.company_id or request.env.company
        user = partner._nps_portal_user()
        if not user:
            return self._onboarding_error(
                403,
                env._("Please sign in"),
                env._(
                    "This link cannot sign you in. Please sign in with your "
                    "account, then open the course."
                ),
                lang,
                company,
            )
        current = request.env.user
        if not current._is_public() and current != user:
            return self._onboarding_error(
                403,
                env._("Signed in as someone else"),
                env._(
                    "This link belongs to another person. Please sign out, "
                    "then open the link again."
                ),
                lang,
                company,
            )
        course_url = member_sudo.channel_id.website_url or "/slides"
        if current != user:
            if user._mfa_url():
                # two-factor authentication is never bypassed by a link
                return request.redirect(
                    "/web/login?" + urlencode({"redirect": course_url})
                )
            self._onboarding_sign_in(user)
        return request.redirect(course_url)

    @http.route(
        "/onboarding/<int:course_id>/<string:token>/qr",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def onboarding_access_qr(self, course_id, token, **kwargs):
        member_sudo = self._onboarding_member_sudo(course_id, token)
        if not member_sudo:
            return self._onboarding_not_found()
        return self._onboarding_qr(member_sudo.nps_access_url)

    # --- Company link ---

    @http.route(
        "/onboarding/join/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def onboarding_join(self, token, name=None, email=None, **kwargs):
        """Join a company's onboarding: the GET asks for a name and an email,
        the POST adds the contact to the company, enrols it and emails its
        personal links (which prove the address before anyone signs in)."""
        company_sudo = self._onboarding_company_sudo(token)
        if not company_sudo:
            return self._onboarding_not_found()
        lang = self._onboarding_lang(company_sudo)
        env = request.env(context=dict(request.env.context, lang=lang))
        courses = company_sudo._nps_onboarding_courses()
        values = {
            "customer": company_sudo,
            "company": company_sudo.company_id or request.env.company,
            "courses": courses.with_context(lang=lang),
            "token": token,
            "csrf_token": request.csrf_token(),
            "name": name if isinstance(name, str) else "",
            "email": email if isinstance(email, str) else "",
            "error": False,
            "done": False,
        }
        if request.httprequest.method == "POST":
            if request.httprequest.files:
                # a file where a name or an email is expected
                values["error"] = env._("Please give your name and a valid email.")
                return self._onboarding_render(
                    "nps_elearning.onboarding_page_join", values, lang, status=400
                )
            name = text_tools.plain_text(name).strip()[:MAX_NAME]
            normalized = email_normalize(text_tools.plain_text(email))
            if not name or not normalized or not single_email_re.match(normalized):
                values["error"] = env._("Please give your name and a valid email.")
                return self._onboarding_render(
                    "nps_elearning.onboarding_page_join", values, lang, status=400
                )
            company_sudo.with_context(lang=lang)._nps_join_onboarding(
                name, normalized, lang
            )
            values["done"] = True
        return self._onboarding_render(
            "nps_elearning.onboarding_page_join", values, lang
        )

    @http.route(
        "/onboarding/join/<string:token>/qr",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def onboarding_join_qr(self, token, **kwargs):
        company_sudo = self._onboarding_company_sudo(token)
        if not company_sudo:
            return self._onboarding_not_found()
        return self._onboarding_qr(company_sudo.nps_onboarding_join_url)
