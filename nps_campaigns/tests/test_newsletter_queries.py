import re

from odoo.tests import tagged

from .common import NpsCampaignsCase

TOKEN_RE = re.compile(r"/nps/([\w-]+)\?score=")
BODY = "<div><h1>Crowd news</h1><p>We upgraded the platform.</p>{survey}</div>"
SURVEY = '<t t-out="object.nps_survey_html"/>'
#: the most queries the survey may add to a newsletter's send, whatever its
#: number of recipients: deciding and creating the surveys (the existing ones,
#: the send policy's facts, the insert), filling each batch's mails (one
#: query a batch) and linking the surveys to their delivery traces
SURVEY_QUERY_BUDGET = 16


@tagged("post_install", "-at_install")
class TestNewsletterQueries(NpsCampaignsCase):
    """A newsletter's survey costs the same number of queries for 5
    recipients as for 25, and each mail carries its recipient's own
    survey."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.crowd = cls.env["res.partner"].create(
            [
                {
                    "name": f"Crowd customer {index}",
                    "is_company": True,
                    "email": f"crowd{index}@example.com",
                }
                for index in range(29)
            ]
        )
        # two for warming up the caches, then 5 and 25 for the counts (the
        # first 5 counted again among the 25, quiet by then)
        cls.warmup, cls.crowd = cls.crowd[:4], cls.crowd[4:]
        cls.contact_model = cls.env["ir.model"]._get("res.partner")

    def make_mailing(self, survey=True):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Crowd news",
                "mailing_model_id": self.contact_model.id,
                "body_html": BODY.format(survey=SURVEY if survey else ""),
            }
        )

    def send_counting(self, partners, survey):
        """The queries of sending a newsletter to ``partners``, with or
        without the survey, from the send to the last write."""
        mailing = self.make_mailing(survey=survey)
        self.env.flush_all()
        queries = self.env.cr.sql_log_count
        mailing.action_send_mail(res_ids=partners.ids)
        self.env.flush_all()
        return self.env.cr.sql_log_count - queries

    def survey_queries(self, partners):
        return self.send_counting(partners, survey=True) - self.send_counting(
            partners, survey=False
        )

    def test_survey_queries_do_not_grow_with_recipients(self):
        self.survey_queries(self.warmup[:2])
        self.survey_queries(self.warmup[2:])
        few = self.survey_queries(self.crowd[:5])
        many = self.survey_queries(self.crowd)
        self.assertEqual(
            many, few, "the survey's queries do not grow with the recipients"
        )
        self.assertLessEqual(few, SURVEY_QUERY_BUDGET)

    def test_each_mail_opens_its_recipients_survey(self):
        quiet = self.crowd[3]
        self.sent_request(quiet)  # a post-ticket survey just went out
        opted_out = self.crowd[7]
        opted_out.nps_opt_out = True
        mailing = self.make_mailing()
        mailing.action_send_mail(res_ids=self.crowd.ids)
        mails = {
            mail.res_id: mail
            for mail in self.env["mail.mail"]
            .sudo()
            .search([("mailing_id", "=", mailing.id)])
        }
        traces = {
            trace.res_id: trace
            for trace in self.env["mailing.trace"].search(
                [("mass_mailing_id", "=", mailing.id)]
            )
        }
        requests = {request.partner_id: request for request in mailing.nps_request_ids}
        self.assertEqual(set(requests), set(self.crowd), "one survey each")
        for partner in self.crowd:
            body = str(mails[partner.id].body_html)
            self.assertIn("Crowd news", body, "every recipient gets the newsletter")
            request = requests[partner]
            self.assertEqual(request.mailing_trace_id, traces[partner.id])
            tokens = set(TOKEN_RE.findall(body))
            if partner in quiet | opted_out:
                self.assertEqual(request.state, "skipped")
                self.assertFalse(tokens, "without the survey")
                continue
            self.assertEqual(request.state, "sent", request.skip_reason)
            self.assertEqual(tokens, {request.sudo().access_token}, partner.name)
            # the answer page finds the request by the token alone
            found = (
                self.env["nps.request"]
                .sudo()
                .search([("access_token", "=", tokens.pop())])
            )
            self.assertEqual(found, request)
        self.assertEqual(requests[quiet].skip_reason, "throttled")
        self.assertEqual(requests[opted_out].skip_reason, "customer_opt_out")
        answered = requests[self.crowd[0]]
        answered._nps_record_answer(score=9, channel="email")
        self.assertEqual(answered.channel, "campaign", "the newsletter's answer")
        mailing.invalidate_recordset()
        self.assertEqual(mailing.nps_sent_count, len(self.crowd) - 2)
        self.assertEqual(mailing.nps_answered_count, 1)
