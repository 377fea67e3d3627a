from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import NpsCampaignsCase


@tagged("post_install", "-at_install")
class TestSegment(NpsCampaignsCase):
    def assertSelects(self, segment, expected, msg):
        self.assertEqual(
            self.segment_companies(segment), expected, f"{msg}: wrong companies"
        )

    def test_no_criterion_selects_every_company(self):
        self.assertSelects(self.make_segment(), self.companies, "empty segment")

    def test_own_company_is_no_customer(self):
        """The database's own company (a company partner too) is in no
        segment, nor are its people."""
        own = self.env.company.partner_id
        self.assertTrue(own.is_company)
        own.child_ids = [(0, 0, {"name": "Eve Own", "email": "eve@own.example"})]
        segment = self.make_segment()
        companies = self.env["res.partner"].search(segment._get_company_domain())
        self.assertIn(self.paris, companies)
        self.assertNotIn(own, companies)
        recipients = self.env["res.partner"].search(segment._get_recipient_domain())
        self.assertFalse(recipients & (own | own.child_ids))

    def test_contacts_are_not_customers(self):
        segment = self.make_segment()
        found = self.env["res.partner"].search(segment._get_company_domain())
        self.assertNotIn(self.paris_anna, found, "a contact is not a customer")

    def test_service_types_or_within(self):
        self.assertSelects(
            self.make_segment(service_type_ids=[(6, 0, self.sip.ids)]),
            self.paris | self.nanterre,
            "SIP trunk",
        )
        self.assertSelects(
            self.make_segment(service_type_ids=[(6, 0, (self.sip | self.pbx).ids)]),
            self.paris | self.berlin | self.nanterre,
            "SIP trunk or hosted PBX",
        )

    def test_country_and_state(self):
        self.assertSelects(
            self.make_segment(country_ids=[(6, 0, self.france.ids)]),
            self.paris | self.nanterre,
            "France",
        )
        self.assertSelects(
            self.make_segment(country_ids=[(6, 0, (self.germany | self.belgium).ids)]),
            self.berlin | self.brussels,
            "Germany or Belgium",
        )
        self.assertSelects(
            self.make_segment(state_ids=[(6, 0, self.state_idf.ids)]),
            self.paris,
            "Ile-de-France",
        )

    def test_zip_prefixes(self):
        self.assertSelects(
            self.make_segment(zip_prefixes="75, 101"),
            self.paris | self.berlin,
            "postcodes 75* or 101*",
        )
        self.assertSelects(
            self.make_segment(zip_prefixes="9"), self.nanterre, "postcodes 9*"
        )
        self.assertSelects(
            self.make_segment(zip_prefixes="1001"),
            self.env["res.partner"],
            "a prefix is not a substring: 1001 matches neither 1000 nor 10115",
        )

    def test_account_managers(self):
        self.assertSelects(
            self.make_segment(user_ids=[(6, 0, self.account_manager_2.ids)]),
            self.berlin | self.nanterre,
            "account manager Bert",
        )

    def test_nps_categories(self):
        segment = self.make_segment(nps_categories="promoter,detractor")
        self.assertSelects(segment, self.paris | self.berlin, "promoters or detractors")
        self.assertTrue(segment.nps_promoter and segment.nps_detractor)
        self.assertFalse(segment.nps_passive)
        segment.write({"nps_passive": True, "nps_promoter": False})
        self.assertEqual(
            segment.nps_categories, "passive,detractor", "the tick boxes set the field"
        )
        self.assertSelects(segment, self.berlin | self.nanterre, "after the ticks")

    def test_score_max(self):
        self.assertSelects(
            self.make_segment(nps_score_max="7"),
            self.berlin | self.nanterre,
            "last score at most 7 (Brussels never answered: not selected)",
        )
        self.assertSelects(
            self.make_segment(nps_score_max="0"),
            self.env["res.partner"],
            "a score of 0 is a real threshold, not 'any'",
        )

    def test_health_states(self):
        segment = self.make_segment(health_at_risk=True, health_watch=True)
        self.assertEqual(segment.health_states, "watch,at_risk")
        self.assertSelects(segment, self.berlin | self.nanterre, "watch or at risk")

    def test_renewal_within_days(self):
        self.assertSelects(
            self.make_segment(renewal_within_days=30),
            self.paris,
            "renewal within 30 days (a past renewal does not count)",
        )
        self.assertSelects(
            self.make_segment(renewal_within_days=100),
            self.paris | self.berlin,
            "renewal within 100 days, the last day included",
        )

    def test_criteria_combine_with_and(self):
        self.assertSelects(
            self.make_segment(
                service_type_ids=[(6, 0, self.sip.ids)],
                country_ids=[(6, 0, self.france.ids)],
                nps_categories="passive",
            ),
            self.nanterre,
            "SIP trunk AND France AND passive",
        )
        self.assertSelects(
            self.make_segment(
                service_type_ids=[(6, 0, self.sip.ids)],
                country_ids=[(6, 0, self.germany.ids)],
            ),
            self.env["res.partner"],
            "SIP trunk AND Germany: nobody",
        )
        self.assertSelects(
            self.make_segment(
                service_type_ids=[(6, 0, (self.sip | self.pbx).ids)],
                zip_prefixes="75,10",
                health_states="healthy,at_risk",
                renewal_within_days=120,
            ),
            self.paris | self.berlin,
            "OR within each criterion, AND between them",
        )

    def test_contact_rule_all(self):
        segment = self.make_segment(service_type_ids=[(6, 0, self.sip.ids)])
        self.assertEqual(
            self.segment_recipients(segment),
            self.paris
            | self.paris_anna
            | self.paris_paul
            | self.nanterre
            | self.nanterre_nora,
            "all contacts with an email of the selected companies",
        )

    def test_contact_rule_main(self):
        segment = self.make_segment(
            service_type_ids=[(6, 0, self.sip.ids)], contact_rule="main"
        )
        self.assertEqual(
            self.segment_recipients(segment),
            self.paris | self.nanterre,
            "only the companies' main address",
        )

    def test_bounced_contacts_left_out(self):
        self.paris_paul.message_bounce = 2
        segment = self.make_segment(service_type_ids=[(6, 0, self.sip.ids)])
        self.assertNotIn(self.paris_paul, self.segment_recipients(segment))
        segment.exclude_bounced = False
        self.assertIn(self.paris_paul, self.segment_recipients(segment))

    def test_partner_count_and_action(self):
        segment = self.make_segment(
            service_type_ids=[(6, 0, self.sip.ids)],
            zip_prefixes="75,92",
            country_ids=[(6, 0, self.france.ids)],
        )
        self.assertEqual(segment.partner_count, 2, "Paris and Nanterre")
        self.assertEqual(segment.recipient_count, 5, "2 companies and 3 contacts")
        action = segment.action_view_partners()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]),
            self.paris | self.nanterre,
            "the button shows the segment's companies",
        )

    def test_partner_count_queries_do_not_grow(self):
        """Counting a segment costs the same few queries whatever the number
        of customers it selects."""
        segment = self.make_segment(
            service_type_ids=[(6, 0, self.sip.ids)], zip_prefixes="75"
        )

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            count = segment.partner_count
            return count, self.env.cr.sql_log_count - before

        count_small, queries_small = count_queries()
        self.env["res.partner"].create(
            [
                {
                    "name": f"Paris branch {index}",
                    "is_company": True,
                    "zip": f"75{index:03d}",
                    "nps_service_type_ids": [(6, 0, self.sip.ids)],
                }
                for index in range(200)
            ]
        )
        count_large, queries_large = count_queries()
        self.assertEqual(count_large, count_small + 200)
        self.assertEqual(
            queries_large,
            queries_small,
            "partner_count must not run more queries for more customers",
        )
        # reading the segment's criteria (a few many2many) and one count each
        self.assertLessEqual(queries_small, 10, "a handful of queries in all")

    def test_invalid_keys_refused(self):
        with self.assertRaises(ValidationError):
            self.make_segment(nps_categories="promoter,fan")

    def test_renewal_window_not_negative(self):
        with self.assertRaises(ValidationError):
            self.make_segment(renewal_within_days=-1)

    def test_mailing_domain_follows_segment(self):
        segment = self.make_segment(service_type_ids=[(6, 0, self.sip.ids)])
        mailing = self.env["mailing.mailing"].create(
            {"subject": "Hello", "nps_segment_id": segment.id, "body_html": "<p>Hi</p>"}
        )
        self.assertEqual(mailing.mailing_model_name, "res.partner")
        recipients = self.env["res.partner"].search(mailing._get_recipients_domain())
        self.assertEqual(
            recipients & (self.companies | self.companies.child_ids),
            self.paris
            | self.paris_anna
            | self.paris_paul
            | self.nanterre
            | self.nanterre_nora,
        )
        # the customer data changes after the mailing was prepared
        self.berlin.nps_service_type_ids = [(4, self.sip.id)]
        recipients = self.env["res.partner"].search(mailing._get_recipients_domain())
        self.assertIn(self.berlin_lena, recipients, "recipients taken again at send")
        self.assertIn("commercial_partner_id", mailing.mailing_domain)

    def test_renewal_window_moves_with_today(self):
        segment = self.make_segment(renewal_within_days=5)
        self.assertFalse(self.segment_companies(segment))
        self.paris.nps_contract_renewal_date = self.today + timedelta(days=5)
        self.assertEqual(self.segment_companies(segment), self.paris)

    def test_segments_of_another_company_hidden(self):
        other = self.env["res.company"].create({"name": "Other telco"})
        own = self.make_segment(name="Ours")
        theirs = self.make_segment(name="Theirs", company_id=other.id)
        shared = self.make_segment(name="Shared", company_id=False)
        visible = (
            self.env["nps.segment"]
            .with_user(self.marketer)
            .search([("id", "in", (own | theirs | shared).ids)])
        )
        self.assertEqual(
            visible, own | shared, "a user sees their companies' and shared segments"
        )

    def test_marketer_manages_segments_nps_user_reads(self):
        segment = self.make_segment().with_user(self.marketer)
        segment.name = "Renamed by marketing"
        readable = self.make_segment().with_user(self.nps_user)
        self.assertTrue(readable.partner_count >= 0)
        with self.assertRaises(AccessError):
            readable.name = "Not allowed"

    def test_live_count_in_the_form(self):
        """The count follows the criteria while the segment is edited, before
        it is saved."""
        with Form(self.env["nps.segment"]) as form:
            form.name = "Live"
            form.zip_prefixes = "75,92,101"
            form.service_type_ids.add(self.sip)
            form.service_type_ids.add(self.pbx)
            self.assertEqual(form.partner_count, 3, "Paris, Nanterre, Berlin")
            form.country_ids.add(self.france)
            self.assertEqual(form.partner_count, 2, "Berlin drops out")
            form.nps_promoter = True
            self.assertEqual(form.partner_count, 1, "Paris only")
