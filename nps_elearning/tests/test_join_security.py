import email
import re
from email import policy
from unittest.mock import patch

import lxml.html
import psycopg2

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.nps_satisfaction.tests.hostile import digest

from .common import LinkCase

INVITATION = "nps_elearning.mail_template_onboarding_invitation"
FORM_ERROR = "Please give your name and a valid email."
#: a name that, kept as typed, ends the invitation's headers and starts its
#: body with the attacker's text
INJECTED_NAME = (
    "X\nReply-To: attacker@evil.example\n\nURGENT: verify at http://evil.example"
)
#: a line of a mail's header section: a header's name, or its folded part
HEADER_LINE = re.compile(rb"[!-9;-~]+:|[ \t]")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
TABLES = ("nps_onboarding_join", "res_partner", "slide_channel_partner", "mail_mail")


@tagged("post_install", "-at_install")
class TestJoinFormSecurity(LinkCase):
    """The company join link against a stranger: no mail header forged
    through the name, no answer that tells which addresses the customer
    uses, no overlong address taken, no raw name in the account manager's
    notification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.open_company_link()
        cls.company_a.nps_onboarding_join_limit = 100

    def join(self, name, email):
        page = self.url_open(self.join_url)
        self.assertEqual(page.status_code, 200)
        return self.url_open(
            self.join_url,
            data={"csrf_token": self.csrf(page), "name": name, "email": email},
        )

    def request(self, email):
        return self.env["nps.onboarding.join"].search([("email", "=", email)])

    def state(self):
        self.env.flush_all()
        return digest(self.env.cr, TABLES)

    def wire(self, mails):
        """The messages these queued mails put on the wire, as the SMTP
        server receives them, parsed back with Python's email module."""
        server_class = type(self.env["ir.mail_server"])
        sent = []

        def send_email(server, message, *args, **kwargs):
            # what Odoo's send_email does before handing it to smtplib
            message = server._prepare_email_message__(message, None)[2]
            sent.append(message.as_bytes())
            return message["Message-Id"]

        with (
            patch.object(server_class, "_disable_send", return_value=False),
            patch.object(server_class, "_connect__", return_value=None),
            patch.object(server_class, "send_email", send_email),
        ):
            mails.send(raise_exception=True)
        return [
            (raw, email.message_from_bytes(raw, policy=policy.default)) for raw in sent
        ]

    # --- Header injection through the name ---

    def test_a_name_with_line_breaks_never_reaches_a_mail_header(self):
        """Regression: the join form kept CR/LF in the name, which became
        the learner's name in the invitation's To header: the mail's
        headers ended early, a Reply-To of the attacker's was added and the
        body started with his text."""
        address = "mallory@acme.example.com"
        response = self.join(INJECTED_NAME, address)
        self.assertEqual(response.status_code, 200)
        learner = self.request(address).learner_id
        self.assertTrue(learner, "an address of a known domain is admitted at once")
        mails = self.mails(INVITATION, learner)
        self.assertTrue(mails, "the invitation is queued")
        messages = self.wire(mails)
        self.assertEqual(len(messages), len(mails), "every invitation is sent")
        for raw, message in messages:
            for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
                self.assertFalse(
                    re.search(b"[\r\n]", line), f"a bare CR or LF in {line[:80]!r}"
                )
                self.assertTrue(
                    HEADER_LINE.match(line), f"neither a header nor a fold: {line!r}"
                )
            for header, value in message.items():
                self.assertFalse(
                    CONTROL.search(str(value)), f"{header} holds a control character"
                )
            self.assertEqual(
                [to.addr_spec for to in message["To"].addresses],
                [address],
                "the invitation goes to the address typed, and to it only",
            )
            self.assertNotIn(
                "evil.example",
                "".join(str(value) for value in message.get_all("Reply-To", [])),
                "no Reply-To of the attacker's",
            )
            body = message.get_body(("plain",)).get_content().lstrip()
            self.assertFalse(
                body.startswith("URGENT"), "the body is the invitation's own"
            )
            self.assertIn("onboarding", body.lower())
        self.assertFalse(CONTROL.search(learner.name), "the learner's name")

    def test_the_join_request_cleans_its_name(self):
        """The model is safe too, whoever creates or renames a request: the
        name becomes one bounded line."""
        join = self.env["nps.onboarding.join"].create(
            {
                "customer_id": self.company_a.id,
                "name": "Eve\r\nBcc: x@evil.example\x00\u2028\u202e" + "e" * 5000,
                "email": "eve@elsewhere.example.net",
            }
        )
        self.assertFalse(CONTROL.search(join.name), repr(join.name[:60]))
        self.assertTrue(join.name.startswith("Eve Bcc: x@evil.example"))
        self.assertLessEqual(len(join.name), 128, "the name is cut")
        join.write({"name": "Eve\nReply-To: a@evil.example"})
        self.assertEqual(join.name, "Eve Reply-To: a@evil.example")
        with self.assertRaises(ValidationError):
            join.write({"email": "a" * 300 + "@elsewhere.example.net"})

    # --- One answer whatever the address ---

    def answer(self, response, email):
        """The page's content, the address typed left out."""
        self.assertEqual(response.status_code, 200)
        wrap = lxml.html.fromstring(response.text).get_element_by_id("wrap")
        return lxml.html.tostring(wrap, encoding="unicode").replace(email, "EMAIL")

    def test_the_answer_tells_nothing_of_the_address(self):
        """Regression: the join page said "Check your inbox" to a known
        contact or an address of the customer's domains and "Request sent"
        to anyone else: a stranger could test which addresses the customer
        uses. One page now, while each outcome still happens."""
        addresses = {
            "contact": "arthur@acme.example.com",
            "domain": "zoe@acme.example.com",
            "stranger": "eve@elsewhere.example.net",
        }
        answers = {
            who: self.answer(self.join("Some One", address), address)
            for who, address in addresses.items()
        }
        self.assertEqual(answers["contact"], answers["stranger"], "contact/stranger")
        self.assertEqual(answers["domain"], answers["stranger"], "domain/stranger")
        self.assertNotIn("o_onboarding_join", answers["stranger"], "no form again")
        # the same address again, while it waits: the same page
        again = self.join("Some One", addresses["stranger"])
        self.assertEqual(self.answer(again, addresses["stranger"]), answers["stranger"])
        # what really happened
        self.assertEqual(self.request(addresses["contact"]).admitted_by, "contact")
        self.assertTrue(self.mails(INVITATION, self.arthur), "the contact's links")
        zoe = self.request(addresses["domain"])
        self.assertEqual(zoe.admitted_by, "domain")
        self.assertTrue(self.mails(INVITATION, zoe.learner_id), "the learner's links")
        eve = self.request(addresses["stranger"])
        self.assertEqual(len(eve), 1)
        self.assertEqual(eve.state, "pending")
        self.assertEqual(eve.activity_ids.user_id, self.salesman, "for the manager")
        self.assertFalse(
            self.env["mail.mail"].search([("email_to", "ilike", "elsewhere")]),
            "nothing emailed to the stranger",
        )

    def test_the_one_answer_speaks_the_customers_language(self):
        lang = self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_elearning"], ["fr_FR"])
        self.env["website"].get_current_website().language_ids |= lang
        self.company_a.lang = "fr_FR"
        addresses = ("zoe@acme.example.com", "eve@elsewhere.example.net")
        answers = [
            self.answer(self.join("Some One", address), address)
            for address in addresses
        ]
        self.assertEqual(answers[0], answers[1], "one page in French too")
        self.assertIn("Merci", answers[0])
        self.assertIn("peut rejoindre la prise en main de", answers[0])

    def test_the_german_answer_is_one_sentence(self):
        """Regression: the German page read "Falls ... teilnehmen darf an
        der Einführung von ..., ist ...": the answer is one sentence to
        translate, the address and the customer its placeholders, and the
        German puts its verb at the end."""
        lang = self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["nps_elearning"], ["de_DE"])
        self.env["website"].get_current_website().language_ids |= lang
        self.company_a.lang = "de_DE"
        address = "eve@elsewhere.example.net"
        answer = self.answer(self.join("Some One", address), address)
        text = " ".join(lxml.html.fromstring(answer).text_content().split())
        self.assertIn(
            f"Falls EMAIL an der Einführung von {self.company_a.name} teilnehmen "
            "darf, ist ein persönlicher Link zu den Kursen",
            text,
        )
        self.assertIn("<strong>EMAIL</strong>", answer, "the address in bold")

    # --- Overlong values ---

    @mute_logger("odoo.http")
    def test_an_overlong_email_gets_the_form_error_and_writes_nothing(self):
        """Regression: the form took a 5,000-character address (an address
        is at most 254 characters)."""
        for email_address in (
            "a" * 4990 + "@acme.example.com",
            "a" * 238 + "@acme.example.com",
        ):
            before = self.state()
            response = self.join("Zoe New", email_address)
            self.assertEqual(response.status_code, 400, len(email_address))
            self.assertIn(FORM_ERROR, response.text, "the form's own error")
            self.assertIn('name="email"', response.text, "the form again")
            self.assertEqual(self.state(), before, f"{len(email_address)}: nothing")

    def test_the_longest_email_is_taken(self):
        email_address = "a" * 237 + "@acme.example.com"
        self.assertEqual(len(email_address), 254)
        self.assertEqual(self.join("Zoe New", email_address).status_code, 200)
        self.assertEqual(self.request(email_address).state, "approved")

    def test_an_overlong_name_is_cut(self):
        response = self.join("Zoe " + "n" * 5000, "zoe@acme.example.com")
        self.assertEqual(response.status_code, 200)
        request = self.request("zoe@acme.example.com")
        self.assertEqual(len(request.name), 128)
        self.assertEqual(request.learner_id.name, request.name)

    # --- The account manager's notification ---

    def test_the_account_manager_gets_one_bounded_line(self):
        """Regression: the name typed went verbatim (line breaks, any length)
        into the subject of the account manager's activity and of its
        notification."""
        response = self.join(
            "Eve\r\nBcc: boss@evil.example\n\u202e" + "E" * 5000,
            "eve@elsewhere.example.net",
        )
        self.assertEqual(response.status_code, 200)
        request = self.request("eve@elsewhere.example.net")
        activity = request.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        self.assertFalse(CONTROL.search(activity.summary), repr(activity.summary))
        self.assertTrue(activity.summary.startswith("Eve Bcc: boss@evil.example"))
        self.assertLessEqual(len(activity.summary), 120, activity.summary)
        notifications = self.env["mail.message"].search(
            [
                ("model", "=", "nps.onboarding.join"),
                ("res_id", "=", request.id),
                ("subject", "!=", False),
            ]
        )
        self.assertTrue(notifications, "the account manager is notified")
        for subject in notifications.mapped("subject"):
            self.assertFalse(CONTROL.search(subject), repr(subject))
            self.assertLessEqual(len(subject), 300, subject)


@tagged("post_install", "-at_install")
class TestJoinLimitParallel(TransactionCase):
    """The company link's daily limit counts parallel posts: a second
    transaction waits for the first on the customer's row (and, under
    Odoo's REPEATABLE READ, is run again to count what the first committed);
    a lock that only selected the row let 15 parallel posts pass a limit of
    10. Two real database connections show the second one waiting."""

    def test_parallel_joins_of_one_customer_wait_for_each_other(self):
        customer_id = self.env.ref("base.main_partner").id  # visible to both

        def join(env, email):
            env["nps.onboarding.join"]._nps_join(
                env["res.partner"].browse(customer_id), "Parallel", email
            )

        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            join(self.env(cr=cr1), "first@elsewhere.example.net")
            cr2.execute("SET LOCAL lock_timeout = '200ms'")
            with (
                self.assertRaises(psycopg2.errors.LockNotAvailable),
                mute_logger("odoo.sql_db"),
            ):
                join(self.env(cr=cr2), "second@elsewhere.example.net")
            cr1.rollback()
            cr2.rollback()
