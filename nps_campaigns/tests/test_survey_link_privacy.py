from unittest.mock import patch

from odoo.service.model import call_kw
from odoo.tests import HttpCase, new_test_user, tagged

from .common import NpsCampaignsCase

#: what any mailing author may put in a newsletter: both placeholders
AUTHOR_BODY = (
    '<div><p>News</p><t t-out="object.nps_survey_html"/>'
    '<p>Or answer here: <t t-out="object.nps_survey_url"/></p></div>'
)
#: and a template editor the link in a link too
BODY = AUTHOR_BODY.replace(
    "</div>", '<p><a t-att-href="object.nps_survey_url">Answer</a></p></div>'
)
FIELDS = ["nps_survey_url", "nps_survey_html"]


@tagged("post_install", "-at_install")
class TestSurveyLinkPrivacy(NpsCampaignsCase, HttpCase):
    """A newsletter's personal survey links are only ever put in the email of
    their own recipient: no read of a contact gives one, whoever reads it
    and whatever the context says, and no composer but the mailing's own
    fills one in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        segment = cls.env["nps.segment"].create(
            {
                "name": "SIP trunk",
                "service_type_ids": [(6, 0, cls.sip.ids)],
                "zip_prefixes": "75,92",
            }
        )
        cls.recipients = (
            cls.paris
            | cls.paris_anna
            | cls.paris_paul
            | cls.nanterre
            | cls.nanterre_nora
        )
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Platform upgrade",
                "nps_segment_id": segment.id,
                "body_html": BODY,
            }
        )
        cls.mailing.action_send_mail()
        cls.requests = cls.mailing.nps_request_ids.filtered(lambda r: r.state == "sent")
        cls.tokens = set(cls.requests.sudo().mapped("access_token"))
        # Paul, Anna's colleague at Paris Telecom, has the portal; Ivan is an
        # employee with nothing but the internal user's rights
        cls.portal_paul = new_test_user(
            cls.env,
            login="nps_portal_paul",
            groups="base.group_portal",
            partner_id=cls.paris_paul.id,
        )
        cls.internal = new_test_user(
            cls.env,
            login="nps_internal_ivan",
            groups="base.group_user",
            name="Ivan Internal",
            email="ivan@example.com",
        )

    def setUp(self):
        super().setUp()
        self.assertEqual(
            len(self.tokens), len(self.recipients), "each recipient got a survey"
        )

    def assertNoToken(self, result, what):
        text = repr(result)
        leaked = sorted(token for token in self.tokens if token in text)
        self.assertFalse(leaked, f"{what} gives personal survey links")
        self.assertNotIn("/nps/", text.replace("/nps/[[nps-survey-link]]", ""), what)

    def rpc(self, user, method, args, kwargs=None):
        """``method`` of res.partner called as ``user`` the way the web
        client calls it, with the context naming the mailing."""
        context = {"nps_mailing_id": self.mailing.id}
        env = self.env(user=user)
        return call_kw(
            env["res.partner"], method, args, dict(kwargs or {}, context=context)
        )

    # --- Reading a contact ---

    def test_portal_colleague_reads_no_link(self):
        """Regression: a portal user read her colleague's survey link (and,
        with search_read, every colleague's) by naming the mailing in the
        context, then answered and opted out in his name."""
        anna = self.paris_anna.id
        calls = {
            "read": self.rpc(self.portal_paul, "read", [[anna], FIELDS]),
            "web_read": self.rpc(
                self.portal_paul,
                "web_read",
                [[anna]],
                {"specification": dict.fromkeys(FIELDS, {})},
            ),
            "search_read": self.rpc(
                self.portal_paul,
                "search_read",
                [[("commercial_partner_id", "=", self.paris.id)], FIELDS],
            ),
        }
        self.assertIn(
            anna,
            [row["id"] for row in calls["search_read"]],
            "Paul reads his colleagues' contacts",
        )
        for method, result in calls.items():
            self.assertNoToken(result, f"a portal colleague's {method}")

    def test_internal_user_reads_no_link(self):
        """Regression: an employee with only the internal user's rights read
        every recipient's survey link."""
        ids = self.recipients.ids
        calls = {
            "read": self.rpc(self.internal, "read", [ids, FIELDS]),
            "web_read": self.rpc(
                self.internal,
                "web_read",
                [ids],
                {"specification": dict.fromkeys(FIELDS, {})},
            ),
            "search_read": self.rpc(
                self.internal, "search_read", [[("id", "in", ids)], FIELDS]
            ),
        }
        self.assertEqual(len(calls["search_read"]), len(ids))
        for method, result in calls.items():
            self.assertNoToken(result, f"an internal user's {method}")

    def test_users_read_no_link(self):
        """A user's contact fields are readable through res.users too."""
        anna_user = new_test_user(
            self.env,
            login="nps_portal_anna",
            groups="base.group_portal",
            partner_id=self.paris_anna.id,
        )
        env = self.env(user=self.internal)
        result = call_kw(
            env["res.users"],
            "read",
            [anna_user.ids, FIELDS],
            {"context": {"nps_mailing_id": self.mailing.id}},
        )
        self.assertNoToken(result, "reading a user")

    def test_json_rpc_as_portal_colleague(self):
        """The reported call, over the web client's JSON-RPC route."""
        self.authenticate("nps_portal_paul", "nps_portal_paul")
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/search_read",
            {
                "model": "res.partner",
                "method": "search_read",
                "args": [[], FIELDS],
                "kwargs": {"context": {"nps_mailing_id": self.mailing.id}},
            },
        )
        self.assertIn(self.paris_anna.id, [row["id"] for row in result])
        self.assertNoToken(result, "JSON-RPC search_read as a portal colleague")

    def test_placeholders_listed_for_mailing_authors(self):
        """The mailing editor lists the placeholders a mailing author may use
        with an RPC call without ids (an @api.model method of Odoo's)."""
        env = self.env(user=self.marketer)
        allowed = call_kw(env["res.partner"], "mail_allowed_qweb_expressions", [], {})
        self.assertIn("object.nps_survey_url", allowed)
        self.assertIn("object.nps_survey_html", allowed)
        self.assertIn("object.name", allowed, "Odoo's own kept")
        # the editor's *Dynamic Placeholder* lists the allowed fields that are
        # searchable (web's dynamic_placeholder_popover.js filter)
        fields = env["res.partner"].fields_get(
            ["nps_survey_url", "nps_survey_html"], ["searchable", "type"]
        )
        for name in ("nps_survey_url", "nps_survey_html"):
            self.assertTrue(fields[name]["searchable"], f"{name} offered")
        self.assertFalse(
            env["res.partner"].search([("nps_survey_url", "!=", False)]),
            "no contact holds a survey link outside a newsletter's sending",
        )

    # --- Composing ---

    def test_each_email_has_its_own_link(self):
        mails = (
            self.env["mail.mail"].sudo().search([("mailing_id", "=", self.mailing.id)])
        )
        self.assertEqual(set(mails.mapped("res_id")), set(self.recipients.ids))
        for mail in mails:
            request = self.requests.filtered(
                lambda r, m=mail: r.partner_id.id == m.res_id
            )
            url = request._nps_answer_url()
            body = str(mail.body_html)
            self.assertIn(f"Or answer here: {url}</p>", body, "the link in the text")
            self.assertIn(f'href="{url}"', body, "the link in a link, not shortened")
            self.assertIn(f"{url}?score=10", body, "the buttons")
            self.assertEqual(
                {token for token in self.tokens if token in body},
                {request.sudo().access_token},
                "only the recipient's own survey",
            )
            self.assertNotIn("nps-survey", body, "no slot left behind")
            chatter = str(mail.mail_message_id.body) + str(mail.subject)
            self.assertNotIn("/nps/", chatter, "no link in the chatter copy")
            self.assertNotIn("nps-survey", chatter, "no slot in the chatter copy")

    def test_other_composer_gets_no_link(self):
        """An employee composing a mass email to a customer, with the
        mailing named in the context and the slots written in the body,
        sends no survey link (the customer's would reach him too)."""
        env = self.env(user=self.internal)
        ivan = self.internal.partner_id
        composer = (
            env["mail.compose.message"]
            .with_context(nps_mailing_id=self.mailing.id)
            .create(
                {
                    "composition_mode": "mass_mail",
                    "model": "res.partner",
                    "res_ids": self.paris_anna.ids,
                    "partner_ids": [(4, ivan.id)],
                    "subject": "Hello",
                    "body": "<p>Yours: [[nps-survey-block]] "
                    "/nps/[[nps-survey-link]]</p>",
                }
            )
        )
        composer.action_send_mail()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", ivan.ids), ("subject", "=", "Hello")])
        )
        self.assertTrue(mails, "the email went out")
        for mail in mails:
            self.assertNoToken(str(mail.body_html), "another composer")
            self.assertNotIn("nps-survey", str(mail.body_html), "slots emptied")

    def test_mailing_composer_with_extra_recipient_gets_no_link(self):
        """A marketer composing with the mailing itself, adding himself as a
        recipient of each email, gets no customer's link."""
        env = self.env(user=self.marketer)
        mark = self.marketer.partner_id
        composer = (
            env["mail.compose.message"]
            .with_context(nps_mailing_id=self.mailing.id)
            .create(
                {
                    "composition_mode": "mass_mail",
                    "model": "res.partner",
                    "res_ids": self.paris_anna.ids,
                    "mass_mailing_id": self.mailing.id,
                    "partner_ids": [(4, mark.id)],
                    "subject": "Hello again",
                    "body": AUTHOR_BODY,
                }
            )
        )
        composer.action_send_mail()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("recipient_ids", "in", mark.ids), ("subject", "=", "Hello again")]
            )
        )
        self.assertTrue(mails, "the email went out")
        for mail in mails:
            self.assertNoToken(str(mail.body_html), "the mailing with a recipient")
            self.assertNotIn("nps-survey", str(mail.body_html), "slots emptied")

    def test_recipient_without_survey_gets_no_link(self):
        """A recipient who gets no survey (here: the quiet period the first
        newsletter started, or an opt-out) gets the newsletter with neither a
        link nor what stood for it."""
        self.paris_anna.nps_opt_out = True
        mailing = self.mailing.copy({"body_html": AUTHOR_BODY})
        mailing.action_send_mail()
        reasons = set(mailing.nps_request_ids.mapped("skip_reason"))
        self.assertEqual(reasons, {"throttled", "customer_opt_out"})
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        self.assertEqual(len(mails), len(self.recipients))
        for mail in mails:
            body = str(mail.body_html)
            self.assertIn("Or answer here: </p>", body, "the newsletter goes out")
            self.assertNotIn("/nps/", body, "without a survey")
            self.assertNotIn("nps-survey", body, "nor a slot")

    # --- The mailing's other views ---

    def test_test_mail(self):
        """The marketer's test mail of a mailing with a survey goes out,
        with no survey (it has no recipient) and no slot."""
        mailing = self.mailing.copy({"body_html": AUTHOR_BODY})
        wizard = (
            self.env["mailing.mailing.test"]
            .with_user(self.marketer)
            .create({"email_to": "mark@example.com", "mass_mailing_id": mailing.id})
        )
        MailMail = type(self.env["mail.mail"])
        # the wizard deletes its mails once sent: keep them to read them
        with patch.object(MailMail, "unlink", lambda self: True):
            wizard.send_mail_test()
        mail = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        self.assertEqual(len(mail), 1)
        self.assertNotEqual(mail.state, "exception", mail.failure_reason)
        body = str(mail.body_html)
        self.assertIn("Or answer here: </p>", body)
        self.assertNotIn("/nps/", body)
        self.assertNotIn("nps-survey", body)

    def test_view_in_browser(self):
        """The mailing's web version, opened from a recipient's email, shows
        the newsletter without anyone's survey."""
        email = self.paris_anna.email
        response = self.url_open(self.mailing._get_view_url(email, self.paris_anna.id))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Or answer here:", response.text)
        self.assertNoToken(response.text, "the web version")
        self.assertNotIn("nps-survey", response.text)
