from urllib.parse import urlencode

from markupsafe import Markup, escape

from odoo import http
from odoo.http import request
from odoo.tools import email_normalize
from odoo.tools.mail import single_email_re

from odoo.addons.nps_satisfaction.controllers.public import (
    SECURITY_HEADERS,
    PublicPage,
)
from odoo.addons.nps_satisfaction.tools import qr_tools, text_tools, token_tools

from ..models.nps_onboarding_join import MAX_EMAIL, MAX_NAME


class OnboardingController(PublicPage, http.Controller):
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

    def _onboarding_join_done_message(self, env, email, customer):
        """The join page's one answer, a sentence of the customer's language
        whatever its word order (German puts the verb after the customer's
        name): one term with the address and the customer as placeholders,
        which a page's text split around its values could not give."""
        sentence = escape(
            env._(
                "If %(email)s may join the onboarding of %(customer)s, a "
                "personal link to the courses is on its way to this address. "
                "Otherwise, your request waits for the approval of your "
                "account manager."
            )
        )
        return sentence % {
            "email": Markup("<strong>%s</strong>") % email,
            "customer": customer.name,
        }

    def _onboarding_render_site(self, template, values, lang, status=200):
        """A page of the website (its layout, header and footer), in the
        learner's language when the website offers it."""
        if lang in request.website.language_ids.mapped("code"):
            request.update_context(lang=lang)
        return request.render(
            template,
            dict(values, lang=lang),
            status=status,
            headers=list(SECURITY_HEADERS),
        )

    def _page_not_found_text(self, env):
        return env._("Link not found"), env._(
            "This onboarding link is unknown or no longer valid. Please "
            "check that the whole link was copied, or ask your account "
            "manager for a new one."
        )

    def _page_file_text(self, env):
        return env._("Unexpected file"), env._("This page takes no file.")

    def _page_employee_text(self, env):
        return env._("Signed in as an employee"), env._(
            "This link is the customer's: an employee signed in cannot "
            "use it. Please sign out, or open it in another browser."
        )

    @staticmethod
    def _onboarding_join_email(email):
        """The posted address, normalised; False unless it is one valid
        address. A control character or a space inside it, or more than the
        254 characters an address may have (RFC 5321), refuses it: an
        address is never cut."""
        if not isinstance(email, str) or len(email) > MAX_EMAIL:
            return False
        email = email.strip()
        if email != text_tools.single_line(email) or " " in email:
            return False
        normalized = email_normalize(email)
        if not normalized or not single_email_re.match(normalized):
            return False
        return normalized

    @staticmethod
    def _onboarding_qr(url):
        return request.make_response(*qr_tools.qr_http(url, "png", "private"))

    def _onboarding_gone(self, member_sudo, lang, company):
        """The clear page of an expired or revoked personal link."""
        env = self._page_env(lang)
        if member_sudo._nps_link_state() == "revoked":
            title = env._("Link revoked")
            message = env._(
                "This link no longer works. Please ask your account manager "
                "to send you a new one."
            )
        else:
            title = env._("Link expired")
            message = env._(
                "This link has expired. Please ask your account manager to "
                "send you a new one; if you already chose a password, sign in "
                "with your email and open the course."
            )
        return self._page_error(410, title, message, lang, company)

    # --- Personal access link ---

    def _onboarding_signed_in(self, partner, users, course_url, lang, company):
        """The page of a personal link that signs nobody in, or None: the
        learner is an employee (403), or the visitor is signed in already,
        as the learner (his course) or as someone else (403)."""
        env = self._page_env(lang)
        if users.filtered(lambda u: not u.share):
            return self._page_error(
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
        if current._is_public():
            return None
        if current.partner_id == partner:
            return request.redirect(course_url)
        return self._page_error(
            403,
            env._("Signed in as someone else"),
            env._(
                "This link belongs to another person. Please sign out, "
                "then open the link again."
            ),
            lang,
            company,
        )

    def _onboarding_sign_in(self, partner, users, course_url):
        """Odoo's own sign-in, back to the course: the login page when the
        learner has a password, else the sign-up page to choose one."""
        user = users.filtered("active")[:1]
        if user.login_date:
            return request.redirect(
                "/web/login?" + urlencode({"login": user.login, "redirect": course_url})
            )
        partner.sudo().signup_prepare()
        signup_url = (
            partner.sudo()
            .with_context(relative_url=True)
            ._get_signup_url_for_action(url=course_url)[partner.id]
        )
        return request.redirect(signup_url)

    @http.route(
        "/onboarding/<int:course_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        multilang=False,
        sitemap=False,
    )
    def onboarding_access(self, course_id, token, **kwargs):
        """The learner's personal link. The GET only shows a page with a
        button (a mail scanner that fetches the link, or runs the page,
        signs nobody in); the button's POST sends the learner to Odoo's own
        sign-in: the login page when he has a password, else Odoo's sign-up
        page (``auth_signup``) to choose one, which signs him in through
        Odoo's authentication (login log, rate limit, two-factor)."""
        member_sudo = self._onboarding_member_sudo(course_id, token)
        if not member_sudo:
            return self._page_not_found()
        partner = member_sudo.partner_id
        lang = self._page_lang(partner)
        company = member_sudo.nps_company_id or request.env.company
        if member_sudo._nps_link_state() != "valid":
            return self._onboarding_gone(member_sudo, lang, company)
        users = partner.with_context(active_test=False).user_ids
        course_url = member_sudo.channel_id.website_url or "/slides"
        signed_in = self._onboarding_signed_in(
            partner, users, course_url, lang, company
        )
        if signed_in:
            return signed_in
        if request.httprequest.method == "POST":
            refused = self._page_refused_post(lang, company)
            if refused:
                return refused
            return self._onboarding_sign_in(partner, users, course_url)
        return self._onboarding_render_site(
            "nps_elearning.onboarding_page_access",
            {
                "member": member_sudo.with_context(lang=lang),
                "company": company,
                "csrf_token": request.csrf_token(),
                "action": request.httprequest.path,
            },
            lang,
        )

    @http.route(
        "/onboarding/<int:course_id>/<string:token>/unsubscribe",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def onboarding_unsubscribe(self, course_id, token, **kwargs):
        """No more onboarding emails. The GET only asks; the learner's POST
        records it, once (link scanners only GET). Works with an expired or
        revoked link too."""
        member_sudo = self._onboarding_member_sudo(course_id, token)
        if not member_sudo:
            return self._page_not_found()
        partner = member_sudo.partner_id
        lang = self._page_lang(partner)
        company = member_sudo.nps_company_id or request.env.company
        done = False
        if request.httprequest.method == "POST":
            refused = self._page_refused_post(lang, company)
            if refused:
                return refused
            if not partner.nps_onboarding_opt_out:
                partner.nps_onboarding_opt_out = True
                env = self._page_env(lang)
                partner.message_post(
                    body=env._("Unsubscribed from the onboarding emails."),
                    subtype_xmlid="mail.mt_note",
                )
            done = True
        return self._page_render(
            "nps_elearning.onboarding_page_unsubscribe",
            {
                "member": member_sudo.with_context(lang=lang),
                "company": company,
                "csrf_token": request.csrf_token(),
                "action": request.httprequest.path,
                "done": done,
            },
            lang,
        )

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
            return self._page_not_found()
        return self._onboarding_qr(member_sudo.nps_access_url)

    # --- Company link ---

    @http.route(
        "/onboarding/join/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        multilang=False,
        sitemap=False,
    )
    def onboarding_join(self, token, name=None, email=None, **kwargs):
        """Join a company's onboarding: the GET asks for a name and an email;
        the POST files a join request, admitted at once for a contact of the
        customer or an address of its known domains (the personal links go
        to that address, which proves it), else left to the account
        manager's approval. The visitor gets the same page either way, so
        the link tells no stranger which addresses the customer uses. The
        name and the address are made one line (they reach mail headers);
        an address longer than an email can be is refused. The link may be
        switched off, and takes a limited number of requests a day."""
        company_sudo = self._onboarding_company_sudo(token)
        if not company_sudo:
            return self._page_not_found()
        lang = self._page_lang(company_sudo)
        env = self._page_env(lang)
        company = company_sudo.company_id or request.env.company
        if not company_sudo.nps_onboarding_join_active:
            return self._page_error(
                410,
                env._("Link switched off"),
                env._(
                    "This onboarding link no longer works. Please ask your "
                    "account manager for a personal invitation."
                ),
                lang,
                company,
            )
        courses = company_sudo._nps_onboarding_courses()
        values = {
            "customer": company_sudo,
            "company": company,
            "courses": courses.with_context(lang=lang),
            "token": token,
            "csrf_token": request.csrf_token(),
            "name": text_tools.single_line(name, MAX_NAME)
            if isinstance(name, str)
            else "",
            "email": text_tools.single_line(email, MAX_EMAIL)
            if isinstance(email, str)
            else "",
            "error": False,
            "done": False,
        }
        if request.httprequest.method == "POST":
            return self._onboarding_join_post(
                company_sudo, courses, values, email, lang
            )
        return self._onboarding_render_site(
            "nps_elearning.onboarding_page_join", values, lang
        )

    def _onboarding_join_post(self, company_sudo, courses, values, email, lang):
        """The page after the join form's POST: the form again with an error
        (a file, no name, not one valid address), too many requests today,
        or the one answer whether admitted or pending."""
        env = self._page_env(lang)
        normalized = self._onboarding_join_email(email)
        if request.httprequest.files or not values["name"] or not normalized:
            # a file where a name or an email is expected, or a missing one
            values["error"] = env._("Please give your name and a valid email.")
            return self._onboarding_render_site(
                "nps_elearning.onboarding_page_join", values, lang, status=400
            )
        if not courses:
            return self._onboarding_render_site(
                "nps_elearning.onboarding_page_join", values, lang
            )
        join = (
            request.env["nps.onboarding.join"]
            .with_context(lang=lang)
            ._nps_join(company_sudo, values["name"], normalized, lang)
        )
        if not join:
            return self._page_error(
                429,
                env._("Too many requests today"),
                env._(
                    "This link took as many requests as it may today. "
                    "Please try again tomorrow, or ask your account manager."
                ),
                lang,
                values["company"],
            )
        # one answer whether admitted or pending: no oracle of addresses
        values.update(
            done=True,
            email=normalized,
            done_message=self._onboarding_join_done_message(
                env, normalized, company_sudo
            ),
        )
        return self._onboarding_render_site(
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
            return self._page_not_found()
        return self._onboarding_qr(company_sudo.nps_onboarding_join_url)
