import re

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import NpsCampaignsCase

TOKEN_RE = re.compile(r"/nps/([\w-]+)\?score=")


@tagged("post_install", "-at_install")
class TestMailing(NpsCampaignsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.segment_sip = cls.env["nps.segment"].create(
            {"name": "SIP trunk", "service_type_ids": [(6, 0, cls.sip.ids)]}
        )
        # the crafted SIP trunk customers only, whatever else the database holds
        cls.recipients = (
            cls.paris
            | cls.paris_anna
            | cls.paris_paul
            | cls.nanterre
            | cls.nanterre_nora
        )

    def make_mailing(self, body=None, **values):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Platform upgrade",
                "nps_segment_id": self.segment_sip.id,
                "body_html": body
                or '<div><p>News</p><t t-out="object.nps_survey_html"/></div>',
                **values,
            }
        )

    def send(self, mailing):
        mailing.action_send_mail(res_ids=None)
        return self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])

    def mails_by_partner(self, mailing):
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        return {mail.res_id: mail for mail in mails}

    def requests_by_partner(self, mailing):
        return {request.partner_id: request for request in mailing.nps_request_ids}

    def restrict_to_crafted(self):
        """Leave out of the segment every partner not crafted by the test."""
        self.segment_sip.zip_prefixes = "75,92"

    # --- Sending ---

    def test_each_recipient_gets_a_personal_survey(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing()
        self.assertTrue(mailing.nps_uses_survey)
        self.send(mailing)
        mails = self.mails_by_partner(mailing)
        self.assertEqual(
            set(mails), set(self.recipients.ids), "one mail per segment contact"
        )
        requests = self.requests_by_partner(mailing)
        self.assertEqual(set(requests), set(self.recipients), "one survey each")
        tokens = set()
        for partner, request in requests.items():
            self.assertEqual(request.state, "sent", request.skip_reason)
            self.assertEqual(request.channel, "campaign")
            self.assertFalse(
                request.user_input_id, "the survey answer waits for the customer"
            )
            found = set(TOKEN_RE.findall(str(mails[partner.id].body_html)))
            self.assertEqual(
                found,
                {request.sudo().access_token},
                f"{partner.name}'s mail links to their own survey only",
            )
            tokens |= found
            self.assertNotIn("nps-survey", str(mails[partner.id].body_html))
            chatter_copy = str(mails[partner.id].mail_message_id.body)
            self.assertIn("News", chatter_copy)
            self.assertNotIn(
                "/nps/", chatter_copy, "no personal link in the chatter copy"
            )
            self.assertNotIn("nps-survey", chatter_copy, "no slot left behind")
        self.assertEqual(len(tokens), len(self.recipients), "a unique token each")

    def test_delivery_tracked_by_mailing_traces(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing()
        self.send(mailing)
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        self.assertEqual(set(traces.mapped("res_id")), set(self.recipients.ids))
        self.assertEqual(set(traces.mapped("trace_status")), {"outgoing"})
        anna_trace = traces.filtered(lambda t: t.res_id == self.paris_anna.id)
        request = self.requests_by_partner(mailing)[self.paris_anna]
        self.assertEqual(request.mailing_trace_id, anna_trace, "survey and delivery")
        anna_trace.set_opened()
        mailing.invalidate_recordset()
        self.assertEqual(mailing.opened, 1, "Odoo's statistics still work")
        self.assertEqual(request.mailing_trace_status, "open")
        self.requests_by_partner(mailing)[
            self.paris_paul
        ].mailing_trace_id.set_bounced()
        mailing.invalidate_recordset()
        self.assertEqual(mailing.bounced, 1)

    def test_survey_links_are_not_shortened(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing(
            body='<div><a href="https://example.com/news">News</a>'
            '<t t-out="object.nps_survey_html"/></div>'
        )
        mail = self.send(mailing)[:1]
        self.assertIn("/r/", str(mail.body_html), "other links are tracked")
        self.assertRegex(str(mail.body_html), TOKEN_RE, "survey links stay personal")

    def test_links_of_other_mailings_are_shortened(self):
        """Regression: any link holding "/nps" in any of Odoo's mailings,
        with or without a survey, was left unshortened (and untracked)."""
        self.restrict_to_crafted()
        mailing = self.make_mailing(
            body='<div><a href="https://example.com/nps/annual-report">Report</a></div>'
        )
        self.assertFalse(mailing.nps_uses_survey)
        body = str(self.send(mailing)[:1].body_html)
        self.assertIn("/r/", body, "tracked as any link")
        self.assertNotIn("example.com/nps/annual-report", body)

    def test_survey_url_placeholder(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing(
            body='<div><p>Answer here: <t t-out="object.nps_survey_url"/></p></div>'
        )
        self.assertTrue(mailing.nps_uses_survey)
        self.send(mailing)
        mails = self.mails_by_partner(mailing)
        request = self.requests_by_partner(mailing)[self.paris_anna]
        self.assertIn(
            f"/nps/{request.sudo().access_token}",
            str(mails[self.paris_anna.id].body_html),
        )

    def test_mailing_without_placeholder_creates_no_survey(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing(body="<div><p>Just news</p></div>")
        self.assertFalse(mailing.nps_uses_survey)
        mails = self.send(mailing)
        self.assertEqual(len(mails), len(self.recipients))
        self.assertFalse(mailing.nps_request_ids)

    def test_mailing_domain_synced_at_send(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing()
        self.berlin.write({"nps_service_type_ids": [(4, self.sip.id)], "zip": "75015"})
        self.send(mailing)
        self.assertIn(self.berlin_lena.id, self.mails_by_partner(mailing))

    # --- Opt-outs, blacklist, quiet period ---

    def test_blacklisted_recipient_gets_nothing(self):
        self.restrict_to_crafted()
        self.env["mail.blacklist"].sudo()._add(self.paris_paul.email)
        mailing = self.make_mailing()
        self.send(mailing)
        trace = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id), ("res_id", "=", self.paris_paul.id)]
        )
        self.assertEqual(trace.trace_status, "cancel")
        self.assertEqual(trace.failure_type, "mail_bl")
        request = self.requests_by_partner(mailing)[self.paris_paul]
        self.assertEqual(
            (request.state, request.skip_reason), ("skipped", "blacklisted")
        )
        self.assertFalse(request.user_input_id)

    def test_newsletter_opt_out_gets_nothing(self):
        self.restrict_to_crafted()
        self.paris_paul.nps_newsletter_opt_out = True
        mailing = self.make_mailing()
        self.send(mailing)
        trace = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id), ("res_id", "=", self.paris_paul.id)]
        )
        self.assertEqual(trace.trace_status, "cancel")
        self.assertEqual(trace.failure_type, "mail_optout")
        request = self.requests_by_partner(mailing)[self.paris_paul]
        self.assertEqual(request.skip_reason, "newsletter_opt_out")

    def test_survey_opt_out_gets_newsletter_without_survey(self):
        self.restrict_to_crafted()
        self.paris_anna.nps_opt_out = True
        mailing = self.make_mailing()
        self.send(mailing)
        mail = self.mails_by_partner(mailing)[self.paris_anna.id]
        self.assertIn("News", str(mail.body_html), "the newsletter goes out")
        self.assertNotIn("/nps/", str(mail.body_html), "without a survey")
        request = self.requests_by_partner(mailing)[self.paris_anna]
        self.assertEqual(request.skip_reason, "customer_opt_out")

    def test_quiet_period_gets_newsletter_without_survey(self):
        self.restrict_to_crafted()
        self.sent_request(self.nanterre_nora)  # a post-ticket survey just went out
        mailing = self.make_mailing()
        self.send(mailing)
        mails = self.mails_by_partner(mailing)
        requests = self.requests_by_partner(mailing)
        for partner in self.nanterre | self.nanterre_nora:
            self.assertNotIn("/nps/", str(mails[partner.id].body_html))
            self.assertEqual(requests[partner].skip_reason, "throttled")
        self.assertIn("/nps/", str(mails[self.paris_anna.id].body_html))

    def test_newsletter_does_not_throttle_post_ticket_survey(self):
        self.restrict_to_crafted()
        self.send(self.make_mailing())
        request = self.close(self.make_tickets(self.paris_anna))
        self.assertEqual(request.state, "scheduled", request.skip_reason)
        self.assertEqual(self.dispatch(), request, "the post-ticket survey goes out")

    def test_campaign_can_make_newsletter_throttle(self):
        self.restrict_to_crafted()
        self.newsletter_campaign.newsletter_throttles = True
        self.send(self.make_mailing())
        request = self.close(self.make_tickets(self.paris_anna))
        self.assertEqual(request.skip_reason, "throttled")

    def test_second_send_keeps_existing_surveys(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing()
        self.send(mailing)
        before = mailing.nps_request_ids
        self.env["nps.schedule"]._nps_schedule_mailing(mailing, self.recipients.ids)
        mailing.invalidate_recordset()
        self.assertEqual(mailing.nps_request_ids, before, "no second survey")

    # --- Answers and figures ---

    def test_answers_attributed_to_mailing(self):
        self.restrict_to_crafted()
        campaign = self.env["utm.campaign"].create({"title": "Spring upgrade"})
        mailing = self.make_mailing(campaign_id=campaign.id)
        self.send(mailing)
        requests = self.requests_by_partner(mailing)
        requests[self.paris_anna]._nps_record_answer(score=10, channel="email")
        requests[self.paris_paul]._nps_record_answer(score=9, channel="email")
        requests[self.nanterre_nora]._nps_record_answer(score=2, channel="email")
        answered = requests[self.paris_anna]
        self.assertEqual(answered.state, "answered")
        self.assertEqual(answered.user_input_id.nps_score, 10, "survey answer made")
        self.assertFalse(requests[self.paris].user_input_id, "none for the silent")
        self.assertEqual(
            answered.channel, "campaign", "still counted as the newsletter's"
        )
        self.assertEqual(answered.utm_source_id, mailing.source_id)
        self.assertEqual(answered.utm_campaign_id, campaign)
        self.assertEqual(answered.user_input_id.nps_request_id.mailing_id, mailing)
        self.assertEqual(self.paris_anna.nps_last_score, 10, "the customer's figures")
        mailing.invalidate_recordset()
        self.assertEqual(mailing.nps_sent_count, 5)
        self.assertEqual(mailing.nps_answered_count, 3)
        self.assertAlmostEqual(mailing.nps_response_rate, 60.0)
        self.assertAlmostEqual(mailing.nps_score, 100.0 * (2 - 1) / 3, places=1)
        action = mailing.action_view_nps_answers()
        self.assertEqual(
            self.env["nps.request"].search(action["domain"]),
            requests[self.paris_anna]
            | requests[self.paris_paul]
            | requests[self.nanterre_nora],
        )

    def test_mailing_form_shows_figures(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing()
        self.send(mailing)
        self.requests_by_partner(mailing)[self.paris_anna]._nps_record_answer(score=4)
        view = self.env.ref("mass_mailing.view_mail_mass_mailing_form")
        data = mailing.with_user(self.marketer).web_read(
            {"nps_answered_count": {}, "nps_response_rate": {}, "nps_score": {}}
        )[0]
        self.assertEqual(data["nps_answered_count"], 1)
        self.assertAlmostEqual(data["nps_response_rate"], 20.0)
        self.assertAlmostEqual(data["nps_score"], -100.0)
        arch = mailing.get_views([(view.id, "form")])["views"]["form"]["arch"]
        for name in (
            "nps_answered_count",
            "nps_response_rate",
            "nps_score",
            "nps_segment_id",
        ):
            self.assertIn(f'name="{name}"', arch, f"{name} on the mailing form")

    def test_marketer_opens_the_mailing_form(self):
        """An email marketer without satisfaction rights opens a sent
        mailing's form and sees its figures."""
        self.restrict_to_crafted()
        mailing = self.make_mailing()
        self.send(mailing)
        form = Form(mailing.with_user(self.marketer))
        self.assertEqual(form.nps_sent_count, 5)
        self.assertEqual(form.nps_segment_id, self.segment_sip)

    def test_marketer_can_send(self):
        self.restrict_to_crafted()
        mailing = self.make_mailing().with_user(self.marketer)
        mailing.action_send_mail()
        self.assertEqual(mailing.sudo().nps_sent_count, len(self.recipients))

    # --- The editor's body ---

    def test_marketer_saves_the_editors_placeholder(self):
        """Regression: the editor's conversion to inline CSS gives the
        placeholder's <t> a style; Odoo refused the mailing to an author who
        is no template editor."""
        style = 'style="box-sizing:border-box;padding:0px;" width="100%"'
        editor_body = (
            f'<div><p>News</p><p><t t-out="object.nps_survey_html" {style}/></p>'
            f'<p><t t-out="object.name" {style}></t></p></div>'
        )
        mailing = self.make_mailing().with_user(self.marketer)
        mailing.write({"body_arch": editor_body, "body_html": editor_body})
        created = mailing.create(
            {
                "subject": "Copy",
                "nps_segment_id": self.segment_sip.id,
                "body_arch": editor_body,
                "body_html": editor_body,
            }
        )
        for saved in mailing | created:
            self.assertIn('t-out="object.nps_survey_html"', saved.body_html)
            self.assertIn('t-out="object.name"', saved.body_html)
            self.assertNotRegex(saved.body_html, r"<t [^>]*(style|width)")
            self.assertTrue(saved.nps_uses_survey)

    def test_marketer_still_needs_rights_for_other_expressions(self):
        body = '<div><t t-out="object.email" style="padding:0px;"/></div>'
        mailing = self.make_mailing().with_user(self.marketer)
        with self.assertRaises(AccessError):
            mailing.write({"body_html": body})


@tagged("post_install", "-at_install")
class TestAccountManagerNewsletterLinks(TransactionCase):
    """An account manager with only *Internal User* rights sees no link to
    the newsletters on a survey or a campaign: he cannot open them."""

    def test_no_newsletter_link(self):
        manager = new_test_user(
            self.env, login="news_links_am", groups="base.group_user"
        )
        for model in ("nps.request", "nps.campaign"):
            arch = (
                self.env[model]
                .with_user(manager)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertNotIn('name="mailing_id"', arch, model)
            self.assertNotIn('name="action_view_mailings"', arch, model)
