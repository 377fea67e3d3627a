from datetime import timedelta

from odoo import fields
from odoo.fields import Domain
from odoo.tests import new_test_user

from odoo.addons.nps_satisfaction.tests.common import NpsCase


class NpsCampaignsCase(NpsCase):
    """A crafted set of customer companies, each differing from the others
    on every criterion of a segment, with their contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_marketing_users()
        cls._setup_places()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.newsletter_campaign = cls.env.ref("nps_campaigns.campaign_newsletter")
        cls._setup_companies()
        cls._setup_contacts()

    # The helpers' names differ from NpsCase's (``_setup_users``...): the
    # base class calls its own from its setUpClass.

    @classmethod
    def _setup_marketing_users(cls):
        cls.marketer = new_test_user(
            cls.env,
            login="nps_marketer",
            groups="base.group_user,mass_mailing.group_mass_mailing_user",
            name="Mark Marketer",
            email="mark@example.com",
        )
        cls.account_manager_2 = new_test_user(
            cls.env,
            login="account_manager_2",
            groups="base.group_user",
            name="Bert Account",
            email="bert@example.com",
        )

    @classmethod
    def _setup_places(cls):
        """The service types, countries and states the segments select on."""
        env = cls.env
        cls.sip = env.ref("nps_satisfaction.service_type_sip_trunk")
        cls.pbx = env.ref("nps_satisfaction.service_type_hosted_pbx")
        cls.ucaas = env.ref("nps_satisfaction.service_type_ucaas")
        cls.fibre = env.ref("nps_satisfaction.service_type_fibre")
        cls.france = env.ref("base.fr")
        cls.germany = env.ref("base.de")
        cls.belgium = env.ref("base.be")
        cls.state_idf, cls.state_bw = env["res.country.state"].create(
            [
                {
                    "name": "NPS Ile-de-France",
                    "code": "NPSIDF",
                    "country_id": cls.france.id,
                },
                {"name": "NPS Bade", "code": "NPSBW", "country_id": cls.germany.id},
            ]
        )

    @classmethod
    def _setup_companies(cls):
        """Four companies, each differing from the others on every criterion."""
        # Paris: SIP trunk, promoter, healthy, renews in 10 days
        cls.paris = cls._make_company(
            "Paris Telecom",
            services=cls.sip,
            country=cls.france,
            state=cls.state_idf,
            zip_code="75001",
            user=cls.account_manager,
            category="promoter",
            score=9,
            health="healthy",
            renewal=cls.today + timedelta(days=10),
        )
        # Berlin: hosted PBX, detractor, at risk, renews in 100 days
        cls.berlin = cls._make_company(
            "Berlin Voice",
            services=cls.pbx,
            country=cls.germany,
            state=cls.state_bw,
            zip_code="10115",
            user=cls.account_manager_2,
            category="detractor",
            score=3,
            health="at_risk",
            renewal=cls.today + timedelta(days=100),
        )
        # Nanterre: SIP trunk and fibre, passive, watch, renewal already past
        cls.nanterre = cls._make_company(
            "Nanterre Fibre",
            services=cls.sip | cls.fibre,
            country=cls.france,
            state=False,
            zip_code="92000",
            user=cls.account_manager_2,
            category="passive",
            score=7,
            health="watch",
            renewal=cls.today - timedelta(days=5),
        )
        # Brussels: no service, never answered, no account manager
        cls.brussels = cls._make_company(
            "Brussels Cloud",
            services=cls.env["nps.service.type"],
            country=cls.belgium,
            state=False,
            zip_code="1000",
            user=cls.env["res.users"],
            category=False,
            score=0,
            health=False,
            renewal=False,
        )
        cls.companies = cls.paris | cls.berlin | cls.nanterre | cls.brussels

    @classmethod
    def _setup_contacts(cls):
        """The companies' contacts, one of Paris without an email."""
        Partner = cls.env["res.partner"]
        cls.paris_anna, cls.paris_paul = Partner.create(
            [
                {
                    "name": "Anna Paris",
                    "parent_id": cls.paris.id,
                    "email": "anna@paris.example.com",
                },
                {
                    "name": "Paul Paris",
                    "parent_id": cls.paris.id,
                    "email": "paul@paris.example.com",
                },
            ]
        )
        cls.paris_noemail = Partner.create(
            {"name": "Pierre Paris", "parent_id": cls.paris.id}
        )
        cls.berlin_lena = Partner.create(
            {
                "name": "Lena Berlin",
                "parent_id": cls.berlin.id,
                "email": "lena@berlin.example.com",
            }
        )
        cls.nanterre_nora = Partner.create(
            {
                "name": "Nora Nanterre",
                "parent_id": cls.nanterre.id,
                "email": "nora@nanterre.example.com",
            }
        )

    @classmethod
    def _make_company(
        cls,
        name,
        services,
        country,
        state,
        zip_code,
        user,
        category,
        score,
        health,
        renewal,
    ):
        slug = name.split()[0].lower()
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"office@{slug}.example.com",
                "nps_service_type_ids": [(6, 0, services.ids)],
                "country_id": country.id,
                "state_id": state and state.id,
                "zip": zip_code,
                "user_id": user.id,
                "nps_category": category,
                "nps_last_score": score,
                "nps_health": health,
                "nps_contract_renewal_date": renewal,
            }
        )

    def make_segment(self, **values):
        return self.env["nps.segment"].create({"name": "Test segment", **values})

    def segment_companies(self, segment):
        """The crafted companies the segment selects (other partners of the
        database are left aside)."""
        return self.env["res.partner"].search(
            segment._get_company_domain() & Domain("id", "in", self.companies.ids)
        )

    def segment_recipients(self, segment):
        return self.env["res.partner"].search(
            segment._get_recipient_domain()
            & Domain("commercial_partner_id", "in", self.companies.ids)
        )
