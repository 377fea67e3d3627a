import html
import re

from odoo.tests import HttpCase, tagged

from .common import CUSTOMER_UA, NpsCase, NpsHttpMixin

FIELD_RE = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')


def privacy_text(response):
    """The words of the page's privacy notice."""
    match = re.search(
        r'(?s)<footer class="o_nps_privacy">(.*?)</footer>', response.text
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def form_fields(response):
    """The names of what the page's form asks (CSRF and step aside)."""
    return sorted(
        set(FIELD_RE.findall(response.text)) - {"csrf_token", "step", "channel"}
    )


@tagged("post_install", "-at_install")
class TestCounterSteps(NpsHttpMixin, NpsCase, HttpCase):
    """Regression (user trial): after the score on the counter page, its
    second step (the comment) read in English for a French or German
    visitor, and showed the customer's privacy notice (in English, about his
    customer record and the emails' link) instead of the counter page's.
    Every step of the counter link speaks the visitor's language, asks what
    the email's answer page asks for the campaign, and shows the counter
    page's privacy notice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        langs = ["fr_FR", "de_DE"]
        for lang in langs:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], langs)

    def setUp(self):
        super().setUp()
        self.campaign.action_generate_public_link()
        self.url = f"/nps/c/{self.campaign.sudo().public_token}"

    def visitor(self, lang):
        """A phone at the counter whose browser asks for ``lang``."""
        session = self.customer_session(CUSTOMER_UA)
        session.headers["Accept-Language"] = f"{lang.replace('_', '-')},en;q=0.5"
        return session

    def counter_steps(self, lang, score=6):
        """(counter page, the step after the score) for a visitor in
        ``lang``."""
        session = self.use(self.visitor(lang))
        first = session.get(self.base_url() + self.url, timeout=30)
        self.assertEqual(first.status_code, 200)
        second = session.post(
            self.base_url() + self.url,
            data={"score": str(score), "csrf_token": self.csrf(first)},
            timeout=30,
        )
        self.assertEqual(second.status_code, 200, second.text[:300])
        return first, second

    def email_second_step(self, lang, score=6):
        """The step after the score on the email's answer page of the same
        campaign, for a customer in ``lang``."""
        self.customer_b.lang = lang
        request = self.sent_request(self.customer_b)
        url = f"/nps/{request.sudo().access_token}"
        return self.page_post(url, {"score": str(score)}, self.visitor(lang))

    def campaign_words(self, lang):
        """What the campaign's second step asks, in ``lang``."""
        campaign = self.campaign.with_context(lang=lang)
        return [
            campaign.csat_question_id.title,
            campaign.comment_question_id.title,
            *campaign.reason_ids.mapped("name"),
        ]

    def assert_second_step_in(self, lang):
        first, second = self.counter_steps(lang)
        text = html.unescape(second.text)
        self.assertIn('name="comment"', second.text, "the comment step follows")
        translated = self.campaign_words(lang)
        for words in translated:
            self.assertIn(words, text, f"the second step asks in {lang}")
        for words in set(self.campaign_words("en_US")) - set(translated):
            self.assertNotIn(words, text, f"nothing of the step in English ({lang})")
        self.assertEqual(
            form_fields(second),
            form_fields(self.email_second_step(lang)),
            "the counter's second step asks what the email's answer page asks",
        )
        self.assertEqual(
            privacy_text(second),
            privacy_text(first),
            "the counter page's privacy notice on its second step",
        )
        return first, second

    def test_second_step_in_french(self):
        first, _second = self.assert_second_step_in("fr_FR")
        self.assertIn("anonyme", privacy_text(first))

    def test_second_step_in_german(self):
        first, _second = self.assert_second_step_in("de_DE")
        self.assertIn("anonym", privacy_text(first))

    def test_thanks_after_the_comment_in_the_visitors_language(self):
        first, second = self.counter_steps("de_DE", score=9)
        action = re.search(r'class="o_nps_form" action="([^"]+)"', second.text)
        thanks = self.opener.post(
            self.base_url() + action.group(1),
            data={
                "comment": "Sehr freundlich am Schalter",
                "step": "more",
                "csrf_token": self.csrf(second),
            },
            timeout=30,
        )
        self.assertEqual(thanks.status_code, 200)
        self.assertIn("Vielen Dank für Ihre Rückmeldung!", html.unescape(thanks.text))
        self.assertEqual(privacy_text(thanks), privacy_text(first))
