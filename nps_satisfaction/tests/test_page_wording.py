import re

from odoo.tests import HttpCase, tagged

from .common import NpsCase, NpsHttpMixin


def page_text(response):
    """The page's words, tags removed and spaces collapsed."""
    body = re.sub(r"(?s)<(script|style).*?</\1>", " ", response.text)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@tagged("post_install", "-at_install")
class TestPageWording(NpsHttpMixin, NpsCase, HttpCase):
    """The answer page reads as a native speaker writes, in German and in
    French: the sentence that confirms the score is a whole sentence."""

    def answered_page(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], [lang])
        self.customer_a.lang = lang
        request = self.sent_request(self.customer_a)
        url = f"/nps/{request.sudo().access_token}"
        response = self.page_post(url, {"score": "9"}, self.customer_session())
        self.assertEqual(response.status_code, 200)
        return page_text(response)

    def test_german_confirmation_is_a_sentence(self):
        text = self.answered_page("de_DE")
        self.assertIn("Ihre Bewertung von 9 wurde gespeichert.", text)

    def test_french_confirmation_is_a_sentence(self):
        text = self.answered_page("fr_FR")
        self.assertIn("Votre note de 9 est enregistrée.", text)

    def test_ticket_survey_status_in_the_users_language(self):
        """The ticket's *Survey status* reads in German for a German agent
        (its states are the survey request's, translated)."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["de_DE"])
        labels = dict(
            self.env["helpdesk.ticket"]
            .with_context(lang="de_DE")
            .fields_get(["nps_request_state"], ["selection"])["nps_request_state"][
                "selection"
            ]
        )
        self.assertEqual(labels["skipped"], "Ausgelassen")
