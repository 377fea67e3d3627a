import re
from datetime import timedelta

import lxml.html

from odoo import fields, http
from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import TransactionCase


class OnboardingCase(TransactionCase):
    """Shared set-up: two onboarding courses of two articles each (hosted
    PBX, SIP trunk), a customer company with two contacts with email and one
    without, a second customer, their account manager and the project stage
    that completes an installation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.email = "care@telco.example.com"
        cls._setup_references()
        cls.account_manager = new_test_user(
            cls.env,
            login="onb_account_manager",
            groups="base.group_user,nps_satisfaction.group_nps_user",
            name="Anna Account",
            email="anna@example.com",
        )
        cls.course_pbx = cls.make_course(
            "Hosted PBX basics",
            cls.pbx,
            ["Plug in your phone", "Your voicemail"],
        )
        cls.course_sip = cls.make_course(
            "SIP trunk basics", cls.sip, ["Register your PBX", "Number porting"]
        )
        cls._setup_customers()

    @classmethod
    def _setup_references(cls):
        """The shipped service types, campaign and project stages."""
        env = cls.env
        cls.pbx = env.ref("nps_satisfaction.service_type_hosted_pbx")
        cls.sip = env.ref("nps_satisfaction.service_type_sip_trunk")
        cls.fibre = env.ref("nps_satisfaction.service_type_fibre")
        cls.campaign = env.ref("nps_elearning.campaign_course_completed")
        cls.stage_done = env["project.project.stage"].search(
            [("nps_done", "=", True)], limit=1
        )
        cls.stage_open = env["project.project.stage"].search(
            [("nps_done", "=", False)], limit=1
        )

    @classmethod
    def _setup_customers(cls):
        """Customer A (two contacts with email, one without) and B."""
        Partner = cls.env["res.partner"]
        cls.company_a = Partner.create(
            {
                "name": "Acme Offices",
                "is_company": True,
                "email": "office@acme.example.com",
                "user_id": cls.account_manager.id,
            }
        )
        cls.alice, cls.arthur, cls.nomail = Partner.create(
            [
                {
                    "name": "Alice Acme",
                    "parent_id": cls.company_a.id,
                    "email": "alice@acme.example.com",
                },
                {
                    "name": "Arthur Acme",
                    "parent_id": cls.company_a.id,
                    "email": "arthur@acme.example.com",
                },
                {"name": "No Mail Acme", "parent_id": cls.company_a.id},
            ]
        )
        cls.company_b = Partner.create(
            {
                "name": "Beta Networks",
                "is_company": True,
                "email": "hq@beta.example.com",
            }
        )
        cls.bob = Partner.create(
            {
                "name": "Bob Beta",
                "parent_id": cls.company_b.id,
                "email": "bob@beta.example.com",
            }
        )

    @classmethod
    def make_course(cls, name, service_type, slide_names, **values):
        course = cls.env["slide.channel"].create(
            {
                "name": name,
                "channel_type": "training",
                "enroll": "invite",
                "visibility": "members",
                "is_published": True,
                "nps_onboarding": True,
                "nps_service_type_ids": [(6, 0, service_type.ids)],
                "nps_campaign_id": cls.campaign.id,
                "nps_stall_days": 7,
                "nps_max_reminders": 2,
                **values,
            }
        )
        cls.env["slide.slide"].create(
            [
                {
                    "name": slide_name,
                    "channel_id": course.id,
                    "sequence": index,
                    "slide_category": "article",
                    "is_published": True,
                    "html_content": f"<p>{slide_name}</p>",
                }
                for index, slide_name in enumerate(slide_names)
            ]
        )
        return course

    def make_project(self, partner, **values):
        return self.env["project.project"].create(
            {
                "name": f"Installation {partner.name}",
                "partner_id": partner.id,
                "stage_id": self.stage_open.id,
                **values,
            }
        )

    @classmethod
    def members(cls, course=None, partners=None):
        """The customers' onboarding enrolments (not the courses' staff)."""
        domain = [("nps_onboarding", "=", True), ("nps_source", "!=", False)]
        if course:
            domain.append(("channel_id", "=", course.id))
        if partners:
            domain.append(("partner_id", "in", partners.ids))
        return (
            cls.env["slide.channel.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(domain)
        )

    def mails(self, template_xmlid, partners=None):
        template = self.env.ref(template_xmlid)
        domain = [("subject", "ilike", template.subject.split(":")[0])]
        mails = self.env["mail.mail"].sudo().search(domain)
        if partners:
            mails = mails.filtered(lambda m: m.recipient_ids & partners)
        return mails

    def complete(self, member, count=None):
        """Mark the first ``count`` slides (all by default) of the member's
        course completed for its contact, as the eLearning player does."""
        slides = member.channel_id.slide_ids.filtered(lambda s: not s.is_category)
        slides = slides.sorted("sequence")[: count or len(slides)]
        self.env["slide.slide.partner"].sudo().create(
            [
                {
                    "slide_id": slide.id,
                    "partner_id": member.partner_id.id,
                    "completed": True,
                }
                for slide in slides
            ]
        )
        member.invalidate_recordset()

    def past(self, days):
        return fields.Datetime.now() - timedelta(days=days)


class LinkCase(OnboardingCase, HttpCase):
    """Helpers of the public pages' tests: the browser's session, the
    page's CSRF token, Odoo's sign-up form."""

    TICKET = "Acme router down"

    @classmethod
    def open_company_link(cls):
        """Customer A with the hosted PBX course, its company link, a
        salesperson (Internal User only) as its account manager and a
        ticket of one of its contacts."""
        cls.company_a.nps_service_type_ids = cls.pbx
        cls.company_a.action_nps_onboarding_link()
        cls.join_url = f"/onboarding/join/{cls.company_a.nps_onboarding_token}"
        cls.salesman = new_test_user(
            cls.env, login="onb_sales_link", groups="base.group_user"
        )
        cls.company_a.user_id = cls.salesman
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": cls.TICKET, "description": "No line", "partner_id": cls.alice.id}
        )

    def session_uid(self):
        """The user of this browser session (None when public)."""
        sid = self.opener.cookies.get("session_id")
        return sid and http.root.session_store.get(sid).uid

    def csrf(self, response):
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the page carries a form with a CSRF token")
        return match.group(1)

    def press_open(self, url):
        """Open a personal link and press its button, as the learner does:
        the response of the button's POST (not followed)."""
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return self.url_open(
            url, data={"csrf_token": self.csrf(page)}, allow_redirects=False
        )

    def sign_up(self, location, password):
        """Fill Odoo's own sign-up form behind ``location``: the final page."""
        page = self.url_open(location)
        self.assertEqual(page.status_code, 200, "Odoo's sign-up page")
        form = lxml.html.fromstring(page.text).xpath(
            "//form[hasclass('oe_signup_form')]"
        )
        self.assertTrue(form, page.text[-3000:])
        data = {
            field.get("name"): field.get("value") or ""
            for field in form[0].xpath(".//input[@name]")
        }
        self.assertTrue(data.get("token") and data.get("login"), data)
        data.update(password=password, confirm_password=password)
        return self.url_open("/web/signup", data=data)
