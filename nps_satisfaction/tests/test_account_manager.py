from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..models.res_partner import FIGURE_FIELDS
from .test_followup_case import AccountManagerCase

#: the customer's figures the contact form shows
FIGURES_SHOWN = [f"{name}_shown" for name in FIGURE_FIELDS]


class ContactCreatorCase(AccountManagerCase):
    """Customer A (account manager: a satisfaction user) and Sierra (account
    manager: a salesperson with the Internal User rights only) answered as
    detractors; Beta (no account manager) too. Ivan may create and edit
    contacts (*Contact Creation*) and has no satisfaction rights; Sofia
    edits contacts and is a satisfaction user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.intruder = new_test_user(
            env,
            login="ivan_contacts",
            groups="base.group_user,base.group_partner_manager",
            name="Ivan Contacts",
        )
        cls.nps_editor = new_test_user(
            env,
            login="sofia_nps_contacts",
            groups="base.group_user,base.group_partner_manager,"
            "nps_satisfaction.group_nps_user",
            name="Sofia Satisfaction",
        )
        # Ivan's own customer, which he manages
        cls.company_i = env["res.partner"].create(
            {
                "name": "India Imports",
                "is_company": True,
                "email": "office@india.example.com",
                "user_id": cls.intruder.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.request_a = self.detractor(self.customer_a, comment="Confidential A")
        self.request_b = self.detractor(self.customer_b, comment="Confidential B")
        self.request_s = self.detractor()
        self.env.flush_all()

    def as_user(self, user):
        return self.env(user=user)

    def satisfaction_data(self, user, requests):
        """What ``user`` reads of the requests' answers, follow-up cases and
        analysis rows, through the ORM calls the web client makes."""
        env = self.as_user(user)
        ids = requests.ids
        return {
            "requests": env["nps.request"].search_read(
                [("id", "in", ids)], ["score", "comment"]
            ),
            "cases": env["nps.followup"].search_read(
                [("request_id", "in", ids)], ["comment", "user_id"]
            ),
            "report": env["nps.report"].search_read(
                [("request_id", "in", ids)], ["score", "nps_value"]
            ),
        }

    def assertNothing(self, user, requests, msg):
        data = self.satisfaction_data(user, requests)
        self.assertEqual(data, {"requests": [], "cases": [], "report": []}, msg)
        for request in requests:
            with self.assertRaises(AccessError, msg=msg):
                request.with_user(user).read(["comment"])


@tagged("post_install", "-at_install")
class TestAccountManagerField(ContactCreatorCase):
    def test_making_oneself_salesperson_opens_no_answer(self):
        """Regression: the record rules keyed on the salesperson
        (``res.partner.user_id``), which anyone with Contact Creation sets on
        any contact: made A's and Beta's salesperson, Ivan read their
        confidential comments, cases and analysis rows."""
        for partner in (self.company_a, self.customer_b, self.company_b):
            partner.with_user(self.intruder).write({"user_id": self.intruder.id})
        self.env.flush_all()
        self.assertNothing(
            self.intruder,
            self.request_a | self.request_b,
            "a salesperson is not the account manager of the satisfaction data",
        )
        self.assertEqual(self.company_a.user_id, self.intruder, "his salesperson")
        self.assertEqual(
            self.company_a.nps_account_manager_id,
            self.account_manager,
            "not the account manager of its satisfaction data",
        )
        self.assertFalse(self.company_b.nps_account_manager_id)
        self.assertEqual(self.request_a.sudo().user_id, self.account_manager)

    def test_salesperson_change_is_noted_on_the_customer(self):
        self.company_a.with_user(self.intruder).write({"user_id": self.intruder.id})
        note = self.company_a.message_ids[:1]
        self.assertIn("Anna Account", str(note.body), "the account manager stays")

    def test_new_case_of_a_customer_goes_to_its_account_manager(self):
        """Ivan, Beta's salesperson now, is not given the follow-up case of
        its next detractor: the team leader keeps following Beta up."""
        self.company_b.with_user(self.intruder).user_id = self.intruder
        # another answer of Beta's, given now (no quiet period in the way)
        request = self.env["nps.request"].create(
            {
                "campaign_id": self.campaign.id,
                "partner_id": self.customer_b.id,
                "ticket_id": self.make_tickets(self.customer_b).id,
                "state": "scheduled",
            }
        )
        request._nps_open_without_email("email")
        request._nps_record_answer(score=1)
        self.assertEqual(request.followup_ids.user_id, self.team_leader)
        self.assertEqual(self.activity_of(request).user_id, self.team_leader)

    def test_moving_a_contact_with_answers_is_refused(self):
        """Regression: moving A's contact under Ivan's own company handed him
        her answers (they follow the company's account manager)."""
        Partner = self.env["res.partner"].with_user(self.intruder)
        alice = Partner.browse(self.customer_a.id)
        with self.assertRaises(AccessError):
            alice.write({"parent_id": self.company_i.id})
        with self.assertRaises(AccessError):
            alice.write({"commercial_partner_id": self.company_i.id})
        with self.assertRaises(AccessError, msg="out of A, then under his"):
            alice.write({"parent_id": False})
        self.assertEqual(self.customer_a.commercial_partner_id, self.company_a)
        self.assertNothing(self.intruder, self.request_a, "A's answers stay A's")
        # a contact without surveys moves freely
        arthur = Partner.browse(self.customer_a2.id)
        arthur.parent_id = self.company_i
        self.assertEqual(arthur.commercial_partner_id, self.company_i)

    def test_satisfaction_user_moves_a_contact_and_its_answers(self):
        alice = self.customer_a.with_user(self.nps_editor)
        alice.parent_id = self.company_i
        self.env.flush_all()
        self.assertEqual(self.request_a.sudo().user_id, self.intruder)
        self.assertTrue(
            self.satisfaction_data(self.intruder, self.request_a)["requests"]
        )

    def test_ordinary_user_cannot_set_the_account_manager(self):
        company = self.company_b.with_user(self.intruder)
        with self.assertRaises(AccessError):
            company.write({"nps_account_manager_id": self.intruder.id})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.intruder).create(
                {"name": "Made up", "nps_account_manager_id": self.intruder.id}
            )
        # what he read, written back unchanged (a form, a merge), passes
        self.company_a.with_user(self.intruder).write(
            {"nps_account_manager_id": self.account_manager.id, "phone": "+331"}
        )
        self.assertEqual(self.company_a.phone, "+331")
        fields = company.fields_get(["nps_account_manager_id"])
        self.assertTrue(fields["nps_account_manager_id"]["readonly"])
        fields = self.company_b.with_user(self.nps_editor).fields_get(
            ["nps_account_manager_id"]
        )
        self.assertFalse(fields["nps_account_manager_id"]["readonly"])

    def test_satisfaction_user_sets_the_account_manager_tracked(self):
        company = self.company_b.with_user(self.nps_editor).with_context(
            tracking_disable=False
        )
        company.nps_account_manager_id = self.intruder
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = company.sudo().message_ids.tracking_value_ids
        self.assertIn("nps_account_manager_id", tracked.field_id.mapped("name"))
        self.assertEqual(self.request_b.sudo().user_id, self.intruder)
        data = self.satisfaction_data(self.intruder, self.request_b)
        self.assertEqual(data["requests"][0]["comment"], "Confidential B")
        self.assertEqual(len(data["report"]), 1)
        # the case of the answer stays with whom it was given to, and the
        # account manager reads it (a case about a customer he manages)
        self.assertEqual(len(data["cases"]), 1)

    def test_contacts_follow_their_customers_account_manager(self):
        """The company's new account manager shows on its contacts too (the
        rules read the company's): those that had the previous one, or none;
        a contact given another one keeps his."""
        previous = self.company_b.nps_account_manager_id
        own = self.env["res.partner"].create(
            {"name": "Own manager", "parent_id": self.company_b.id}
        )
        own.sudo().nps_account_manager_id = self.salesman
        self.company_b.with_user(self.nps_editor).nps_account_manager_id = self.intruder
        followers = self.company_b.child_ids - own
        self.assertTrue(followers)
        for contact in followers:
            self.assertEqual(contact.nps_account_manager_id, self.intruder, previous)
        self.assertEqual(own.nps_account_manager_id, self.salesman)

    def test_salesperson_set_by_a_satisfaction_user_is_followed(self):
        self.company_b.with_user(self.nps_editor).user_id = self.intruder
        self.assertEqual(self.company_b.nps_account_manager_id, self.intruder)
        self.company_a.user_id = self.intruder  # the system (superuser)
        self.assertEqual(self.company_a.nps_account_manager_id, self.intruder)
        self.env.flush_all()
        self.assertEqual(
            len(self.satisfaction_data(self.intruder, self.request_a)["requests"]), 1
        )

    def test_new_customer_starts_with_its_salesperson(self):
        Partner = self.env["res.partner"].with_user(self.intruder)
        company = Partner.create(
            {"name": "Juliet Jets", "is_company": True, "user_id": self.intruder.id}
        )
        self.assertEqual(company.nps_account_manager_id, self.intruder)
        # a new contact of A (its salesperson comes from A's): A's account
        # manager, whoever creates it
        self.company_a.user_id = self.salesman
        self.company_a.nps_account_manager_id = self.account_manager
        contact = Partner.create({"name": "Ada Acme", "parent_id": self.company_a.id})
        self.assertEqual(contact.user_id, self.salesman)
        self.assertEqual(contact.nps_account_manager_id, self.account_manager)
        # a copy (a new customer) starts with its salesperson, not with the
        # account manager of the copied customer
        copy = self.company_a.copy()
        self.assertEqual(copy.nps_account_manager_id, self.salesman)


@tagged("post_install", "-at_install")
class TestCustomerFigures(ContactCreatorCase):
    def shown(self, partner, user):
        return partner.with_user(user).read(FIGURES_SHOWN)[0]

    def test_another_salespersons_customer_figures_are_refused(self):
        """Regression: every employee read every customer's health, last
        score, CSAT and account NPS on the contact."""
        company = self.company_a.with_user(self.salesman)
        for name in ("nps_health", "nps_last_score", "csat_avg", "nps_account_nps"):
            with self.assertRaises(AccessError, msg=name):
                company.read([name])
        self.assertFalse(
            any(self.shown(self.company_a, self.salesman)[f] for f in FIGURES_SHOWN),
            "the form shows him nothing of A",
        )
        Partner = self.env["res.partner"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Partner.search([("nps_health", "=", "at_risk")])
        at_risk = Partner.search([("nps_health_shown", "=", "at_risk")])
        self.assertIn(self.company_s, at_risk, "his customer at risk")
        self.assertNotIn(self.company_a, at_risk, "not another's")

    def test_becoming_salesperson_opens_no_figure(self):
        self.company_a.with_user(self.intruder).user_id = self.intruder
        self.assertFalse(self.shown(self.company_a, self.intruder)["nps_health_shown"])

    def test_own_customer_figures_readable(self):
        values = self.shown(self.company_s, self.salesman)
        self.assertEqual(values["nps_health_shown"], "at_risk")
        self.assertEqual(values["nps_last_score_shown"], 2)
        self.assertEqual(values["nps_account_respondents_shown"], 1)
        self.assertEqual(values["nps_account_nps_shown"], -100)
        # his customer's contact too
        self.assertEqual(
            self.shown(self.customer_s, self.salesman)["nps_category_shown"],
            "detractor",
        )

    def test_satisfaction_user_reads_every_customer(self):
        for partner in (self.company_a, self.company_b, self.company_s):
            values = self.shown(partner, self.nps_user)
            stored = partner.with_user(self.nps_user).read(list(FIGURE_FIELDS))[0]
            for name in FIGURE_FIELDS:
                self.assertEqual(values[f"{name}_shown"], stored[name], name)
            self.assertEqual(values["nps_health_shown"], "at_risk")

    def test_contact_form_of_another_customer_still_opens(self):
        form = Form(self.company_a.with_user(self.salesman))
        self.assertFalse(form.nps_health_shown)
        self.assertFalse(form.nps_last_score_shown)
        form = Form(self.company_s.with_user(self.salesman))
        self.assertEqual(form.nps_health_shown, "at_risk")
        arch = etree.fromstring(
            self.company_a.with_user(self.salesman).get_views([(False, "form")])[
                "views"
            ]["form"]["arch"]
        )
        names = set(arch.xpath("//field[not(ancestor::field)]/@name"))
        self.assertFalse(names & set(FIGURE_FIELDS), "no figure he cannot read")
        self.assertIn("nps_account_manager_id", names)


@tagged("post_install", "-at_install")
class TestMoveOverRpc(ContactCreatorCase, HttpCase):
    def test_linking_a_contact_under_his_company_is_refused(self):
        """The web client's way: A's contact linked to Ivan's company from the
        company's contacts (a command on ``child_ids``, which Odoo applies
        to the contact as the transaction's user)."""
        self.authenticate(self.intruder.login, self.intruder.login)
        with (
            self.assertRaises(JsonRpcException) as caught,
            mute_logger("odoo.http"),
        ):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.partner/write",
                {
                    "model": "res.partner",
                    "method": "write",
                    "args": [
                        [self.company_i.id],
                        {"child_ids": [(4, self.customer_a.id)]},
                    ],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(caught.exception))
        self.assertEqual(self.customer_a.commercial_partner_id, self.company_a)
