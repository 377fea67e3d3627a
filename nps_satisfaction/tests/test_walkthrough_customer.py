"""The customer's walk-throughs of the README, in Chromium, in French, German
and English: the survey email's score link answered with a comment, and the
satisfaction prompt of the portal answered the same way.

Each customer reads every step in his own language: the email, the page that
records his score and asks his comment, the thank-you page, and on the
portal the prompt's question."""

import html
import json
import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import NpsCase

#: what each language's customer reads, step by step
WORDING = {
    "fr_FR": {
        "subject": "avez-vous pensé",
        "question": "recommandiez",
        "recorded": "Merci ! Votre note de",
        "thanks": "Merci pour votre avis",
    },
    "de_DE": {
        "subject": "Wie zufrieden waren Sie",
        "question": "empfehlen",
        "recorded": "Vielen Dank! Ihre Bewertung von",
        "thanks": "Vielen Dank für Ihre Rückmeldung",
    },
    "en_US": {
        "subject": "how did we do",
        "question": "recommend",
        "recorded": "Thank you! Your score of",
        "thanks": "Thank you for your feedback",
    },
}

#: Chromium plays the customer in a frame of the host page: it opens
#: ``start``, clicks the score ``score`` where a prompt shows one, writes the
#: comment where the page asks one, and succeeds on the thank-you page; each
#: page must read in the customer's language.
DRIVER = """
const expect = %(expect)s;
const frame = document.createElement("iframe");
let step = "start";
const fail = (why) => console.error(why + " at step " + step + ": "
    + frame.contentDocument.body.innerText.slice(0, 400));
frame.addEventListener("load", () => {
    const doc = frame.contentDocument;
    const text = doc.body.innerText;
    const prompt = doc.querySelector(".o_nps_prompt");
    const comment = doc.querySelector("textarea[name=comment]");
    if (step === "start" && prompt) {
        if (!prompt.innerText.includes(expect.question)) {
            return fail("the prompt's question is not in the customer's language");
        }
        step = "scored";
        // as a person does, once the page has finished loading its scripts
        // (leaving it while they load makes them fail)
        const started = Date.now();
        const click = () => {
            // the website's and portal's pages mark their body once ready
            const ready = frame.contentDocument.body.getAttribute("is-ready");
            if (ready !== "true" && Date.now() - started < 10000) {
                return setTimeout(click, 100);
            }
            prompt.querySelector("button.o_nps_prompt_score[value='%(score)s']").click();
        };
        click();
    } else if (comment && step !== "commented") {
        if (!text.includes(expect.recorded)) {
            return fail("the comment page is not in the customer's language");
        }
        step = "commented";
        comment.value = %(comment)s;
        doc.querySelector("form.o_nps_form").submit();
    } else if (doc.querySelector(".o_nps_thanks")) {
        if (!text.includes(expect.thanks)) {
            return fail("the thank-you page is not in the customer's language");
        }
        if (step !== "commented") {
            return fail("thanked without being asked a comment");
        }
        console.log("test successful");
    } else if (!doc.querySelector("form[data-autosubmit]")) {
        fail("unexpected page");
    }
});
frame.src = %(start)s;
document.body.appendChild(frame);
"""


@tagged("post_install", "-at_install")
class TestCustomerWalkthrough(NpsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_FR", "de_DE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["nps_satisfaction"], ["fr_FR", "de_DE"]
        )
        if "website" in cls.env:
            # where Odoo's website is installed, its pages (the portal's
            # among them) speak only the languages the website offers: as an
            # administrator adds them (a website made after they were loaded
            # offers them already)
            cls.env["website"].search([]).language_ids |= cls.env["res.lang"].search(
                [("code", "in", ("fr_FR", "de_DE"))]
            )
        # Odoo's test browser is headless Chromium, on the scanner list by
        # default (whose clients never confirm): here it plays the customer
        cls.env.company.nps_scanner_signatures = False

    def customer(self, lang):
        return self.env["res.partner"].create(
            {
                "name": f"Customer {lang}",
                "email": f"customer.{lang.lower()}@example.com",
                "lang": lang,
                "parent_id": self.company_a.id,
            }
        )

    def drive(self, host, start, lang, score=None, comment="", login=None):
        code = DRIVER % {
            "expect": json.dumps(WORDING[lang]),
            "score": score,
            "comment": json.dumps(comment),
            "start": json.dumps(start),
        }
        self.browser_js(
            host, code, ready="document.readyState === 'complete'", login=login
        )

    def answer_the_email(self, lang):
        customer = self.customer(lang)
        request = self.sent_request(customer)
        mail = request.mail_id
        wording = WORDING[lang]
        self.assertIn(wording["subject"], mail.subject, "the subject")
        self.assertIn(wording["question"], str(mail.body_html), "the question")
        link = re.search(r'href="[^"]*?(/nps/[^"/?]+\?score=9)"', str(mail.body_html))
        self.assertTrue(link, "the email's score 9 opens the answer page")
        path = html.unescape(link.group(1))
        comment = f"Quick fix ({lang})"
        # hosted on the answer page without a score (a GET records nothing)
        self.drive(path.split("?")[0], path, lang, comment=comment)
        request.invalidate_recordset()
        self.assertEqual(request.state, "answered")
        self.assertEqual(request.score, 9)
        self.assertEqual(request.comment, comment)
        self.assertEqual(request.channel, "email")

    def test_french_customer_answers_the_email(self):
        self.answer_the_email("fr_FR")

    def test_german_customer_answers_the_email(self):
        self.answer_the_email("de_DE")

    def test_english_customer_answers_the_email(self):
        self.answer_the_email("en_US")

    def answer_the_prompt(self, lang):
        customer = self.customer(lang)
        user = new_test_user(
            self.env,
            login=f"walk_{lang.lower()}",
            groups="base.group_portal",
            partner_id=customer.id,
        )
        self.assertEqual(user.lang, lang)
        request = self.sent_request(customer)
        comment = f"Signed in ({lang})"
        self.drive("/my", "/my", lang, score=8, comment=comment, login=user.login)
        request.invalidate_recordset()
        self.assertEqual(request.state, "answered")
        self.assertEqual(request.score, 8)
        self.assertEqual(request.comment, comment)
        self.assertEqual(request.channel, "web", "answered from the prompt")

    def test_french_customer_answers_the_prompt(self):
        self.answer_the_prompt("fr_FR")

    def test_german_customer_answers_the_prompt(self):
        self.answer_the_prompt("de_DE")

    def test_english_customer_answers_the_prompt(self):
        self.answer_the_prompt("en_US")
