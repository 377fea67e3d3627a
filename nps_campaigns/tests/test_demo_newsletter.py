from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import NpsCampaignsCase


@tagged("post_install", "-at_install")
class TestDemoNewsletter(NpsCampaignsCase):
    """The demo's newsletter, sent a week ago: its answers are the
    customers' answers, on their forms, in their health and risk as in the
    churn figures (a newsletter's answer counted in the analysis and not
    on the form made a detractor account there a promoter here)."""

    def test_answers_count_on_the_customers(self):
        segment = self.env["nps.segment"].create(
            {
                "name": "SIP trunk, crafted",
                "service_type_ids": [(6, 0, self.sip.ids)],
                "zip_prefixes": "75,92",
            }
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Platform upgrade",
                "nps_segment_id": segment.id,
                "nps_campaign_id": self.newsletter_campaign.id,
                "body_html": '<div><t t-out="object.nps_survey_html"/></div>',
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "nps_campaigns",
                "name": "test_demo_mailing",
                "model": "mailing.mailing",
                "res_id": mailing.id,
            }
        )
        # seed 3: answers from Paris and Nanterre
        self.env["nps.demo"]._generate_newsletter(
            "nps_campaigns.test_demo_mailing", seed=3
        )
        answered = mailing.nps_request_ids.filtered(lambda r: r.state == "answered")
        customers = answered.commercial_partner_id
        self.assertTrue(customers, "the seed answers")
        today = fields.Date.today()
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, category, account_nps FROM (%s) rows",
                self.env["nps.churn"]._nps_rows_sql(
                    today - timedelta(days=365), today, 0
                ),
            )
        )
        churn = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for customer in customers:
            customer.invalidate_recordset()
            category, nps = churn[customer.id]
            self.assertEqual(
                (customer.nps_account_category, round(customer.nps_account_nps, 6)),
                (category, round(nps, 6)),
                customer.name,
            )
            self.assertEqual(
                customer.nps_account_respondents,
                len(
                    answered.filtered(
                        lambda r, c=customer: r.commercial_partner_id == c
                    )
                ),
            )
            last = customer.nps_health_history_ids[:1]
            self.assertEqual(last.health, customer.nps_health, customer.name)
            self.assertLess(last.date, fields.Datetime.now() - timedelta(days=4))
