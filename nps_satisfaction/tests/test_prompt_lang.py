import html
import re
from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from .common import CUSTOMER_UA, NpsCase, NpsHttpMixin

PROMPT_FORM_RE = re.compile(r'class="o_nps_prompt_form" action="([^"]+)"')
RECORDED = {
    "fr_FR": "Votre note de 6 est enregistrée.",
    "de_DE": "Ihre Bewertung von 6 wurde gespeichert.",
}


def page_text(response):
    """The page's words, tags removed and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


@tagged("post_install", "-at_install")
class TestPromptLanguage(NpsHttpMixin, NpsCase, HttpCase):
    """Regression (user trial): the answer page the portal's prompt leads
    to read in the contact's language, not in the one the signed-in visitor
    chose (the website's language, else his own). A visitor signed in reads
    the survey's pages in his language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        langs = ["fr_FR", "de_DE"]
        for lang in langs:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], langs)
        if "website" in cls.env:
            # the website's pages keep its language selector's cookie to one
            # of its languages
            cls.env["website"].search([]).language_ids |= cls.env["res.lang"].search(
                [("code", "in", langs)]
            )
        cls.users = {
            login: new_test_user(
                cls.env, login=login, groups="base.group_portal", partner_id=partner.id
            )
            for login, partner in (
                ("lang_a", cls.customer_a),
                ("lang_a2", cls.customer_a2),
            )
        }

    def setUp(self):
        super().setUp()
        self.request = self.sent_request(self.customer_a)
        # clicked an hour after the email: not a scanner's haste
        self.request.sent_date -= timedelta(hours=1)

    def sign_in(self, login, website_lang=None):
        """Sign in; ``website_lang``: the language chosen with the
        website's language selector (its ``frontend_lang`` cookie)."""
        self.authenticate(login, login)
        self.opener.headers["User-Agent"] = CUSTOMER_UA
        if website_lang:
            self.opener.cookies.set("frontend_lang", website_lang)

    def click_prompt(self, score=6):
        page = self.url_open("/my")
        action = PROMPT_FORM_RE.search(page.text)
        self.assertTrue(action, "the prompt shows the customer's survey")
        response = self.opener.post(
            self.base_url() + action.group(1),
            data={"score": str(score), "channel": "web", "csrf_token": self.csrf(page)},
            timeout=30,
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        return response

    def test_prompt_answer_in_the_website_language_chosen(self):
        for contact_lang, chosen in (("fr_FR", "de_DE"), ("de_DE", "fr_FR")):
            with self.subTest(contact=contact_lang, chosen=chosen):
                self.users["lang_a"].lang = contact_lang
                self.sign_in("lang_a", website_lang=chosen)
                text = page_text(self.click_prompt())
                self.assertIn(RECORDED[chosen], text, "the visitor's language")
                self.assertNotIn(RECORDED[contact_lang], text)
                # the next click starts afresh
                self.request.invalidate_recordset()
                self.request.attempt_ids.unlink()

    def test_signed_in_colleague_reads_in_his_own_language(self):
        """A colleague of the contact signed in (his company's survey is
        his to read) opens the link: his own language."""
        self.users["lang_a"].lang = "fr_FR"
        self.users["lang_a2"].lang = "de_DE"
        self.sign_in("lang_a2")
        response = self.page_post(
            f"/nps/{self.request.sudo().access_token}", {"score": "6"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(RECORDED["de_DE"], page_text(response))

    def test_visitor_not_signed_in_reads_the_contacts_language(self):
        self.customer_a.lang = "fr_FR"
        session = self.customer_session()
        session.headers["Accept-Language"] = "de-DE"
        response = self.page_post(
            f"/nps/{self.request.sudo().access_token}", {"score": "6"}, session
        )
        self.assertIn(RECORDED["fr_FR"], page_text(response), "the email's reader")
