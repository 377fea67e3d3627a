import base64
import io
import json
import xmlrpc.client
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.nps_demo_termination import TERMINATIONS
from .common import NpsCase

#: the options of Odoo's import for a CSV file written by a billing system
IMPORT_OPTIONS = {
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {},
    "encoding": "utf-8",
    "separator": ",",
    "quoting": '"',
    "date_format": "%Y-%m-%d",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": False,
    "has_headers": True,
    "keep_matches": False,
    "limit": 2000,
    "skip": 0,
    "tracking_disable": True,
}


class TerminationCase(NpsCase):
    """Customer A (Acme) is managed by Sam, a salesperson with only the
    *Internal User* rights; customer B (Beta) by nobody."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sam = new_test_user(
            cls.env, login="churn_sam", groups="base.group_user", name="Sam Sales"
        )
        cls.company_a.nps_account_manager_id = cls.sam
        cls.oscar = new_test_user(
            cls.env, login="churn_oscar", groups="base.group_user", name="Oscar"
        )
        cls.portal = new_test_user(
            cls.env,
            login="churn_portal",
            groups="base.group_portal",
            partner_id=cls.customer_a.id,
        )
        cls.price = cls.env.ref("nps_satisfaction.nps_termination_reason_price")
        cls.competitor = cls.env.ref(
            "nps_satisfaction.nps_termination_reason_competitor"
        )
        cls.sip = cls.env.ref("nps_satisfaction.service_type_sip_trunk")
        cls.fibre = cls.env.ref("nps_satisfaction.service_type_fibre")
        cls.company_a.nps_service_type_ids = cls.sip | cls.fibre

    def import_csv(self, user, text, fields_=None, lang=None):
        wizard = (
            self.env["base_import.import"]
            .with_user(user)
            .with_context(lang=lang or user.lang)
            .create(
                {
                    "res_model": "nps.termination",
                    "file": text.encode(),
                    "file_name": "terminations.csv",
                    "file_type": "text/csv",
                }
            )
        )
        preview = wizard.parse_preview(dict(IMPORT_OPTIONS))
        self.assertFalse(preview.get("error"), preview.get("error"))
        matched = ["/".join(match) for match in preview["matches"].values()]
        result = wizard.execute_import(
            fields_ or matched, preview["headers"], dict(IMPORT_OPTIONS)
        )
        return matched, result

    @contextmanager
    def refused(self, pattern, msg=None):
        """A ValidationError whose message matches ``pattern``, its changes
        rolled back (``assertRaises``' savepoint, which ``assertRaisesRegex``
        lacks: a refused create would stay in the database)."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern, msg)

    def terminate(self, partner, user=None, **values):
        env = self.env(user=user) if user else self.env
        return env["nps.termination"].create(
            {"partner_id": partner.id, "reason_id": self.price.id, **values}
        )


@tagged("post_install", "-at_install")
class TestTermination(TerminationCase):
    def test_a_contact_stands_for_his_customer(self):
        termination = self.terminate(self.customer_a)
        self.assertEqual(
            termination.partner_id, self.company_a, "the company gave notice"
        )
        self.assertEqual(termination.user_id, self.sam, "its account manager")
        self.assertEqual(
            termination.notice_date, fields.Date.context_today(termination)
        )
        self.assertEqual(termination.state, "notice")
        self.assertEqual(
            termination.service_type_ids,
            self.sip | self.fibre,
            "the services lost default to the customer's",
        )
        termination.partner_id = self.customer_b
        self.assertEqual(termination.partner_id, self.company_b)

    def test_end_date_before_notice_is_refused(self):
        with self.refused("comes before its notice date"):
            self.terminate(
                self.company_a,
                notice_date=date(2025, 3, 1),
                end_date=date(2025, 2, 28),
            )
        termination = self.terminate(
            self.company_a, notice_date=date(2025, 3, 1), end_date=date(2025, 3, 1)
        )
        with self.refused("Acme Telecom Client"):
            termination.notice_date = date(2025, 4, 1)

    def test_buttons_move_the_state(self):
        termination = self.terminate(self.company_a)
        termination.action_withdraw()
        self.assertEqual(termination.state, "withdrawn", "the customer stayed")
        termination.action_done()
        self.assertEqual(termination.state, "withdrawn", "a withdrawn notice stays")
        termination.action_reset_notice()
        self.assertEqual(termination.state, "notice")
        termination.action_done()
        self.assertEqual(
            (termination.state, termination.end_date),
            ("done", fields.Date.context_today(termination)),
            "left today, without an end date",
        )
        later = self.terminate(
            self.company_b,
            notice_date=date(2025, 1, 10),
            end_date=date(2025, 6, 30),
        )
        later.action_done()
        self.assertEqual(later.end_date, date(2025, 6, 30), "its end date kept")

    def test_back_to_notice_forgets_the_day_he_left(self):
        """*Left* without an end date sets it to the day the customer left;
        *Back to notice* (he has not left) clears that date. An end date
        planned or typed by hand is the contract's: it stays."""
        today = fields.Date.context_today(self.env["nps.termination"])
        termination = self.terminate(self.company_a, notice_date=date(2025, 3, 1))
        termination.action_done()
        self.assertEqual(termination.end_date, today, "left today")
        termination.action_reset_notice()
        self.assertEqual(termination.state, "notice")
        self.assertFalse(termination.end_date, "the day he left is no longer true")
        termination.end_date = date(2025, 6, 30)
        termination.action_done()
        termination.action_reset_notice()
        self.assertEqual(termination.end_date, date(2025, 6, 30), "planned: kept")
        termination.end_date = False
        termination.action_done()
        termination.end_date = date(2025, 5, 2)
        termination.action_reset_notice()
        self.assertEqual(termination.end_date, date(2025, 5, 2), "typed: kept")
        termination.action_withdraw()
        termination.action_reset_notice()
        self.assertEqual(termination.end_date, date(2025, 5, 2), "withdrawn: kept")

    def test_one_open_notice_per_customer(self):
        """A second open notice of the same customer (or of one of his
        contacts, who stands for him) is refused; once the first is
        withdrawn or done, a new one is taken, and the first cannot go back
        to notice while the new one is open."""
        first = self.terminate(self.company_a, notice_date=date(2025, 3, 1))
        for partner in (self.company_a, self.customer_a):
            with self.refused(
                "Acme Telecom Client already has an open notice, given on 03/01/2025",
            ):
                self.terminate(partner, notice_date=date(2025, 4, 1))
        self.assertTrue(self.terminate(self.company_b), "another customer's: fine")
        first.action_withdraw()
        second = self.terminate(self.customer_a, notice_date=date(2025, 9, 1))
        with self.refused("already has an open notice"):
            first.action_reset_notice()
        second.action_done()
        first.action_reset_notice()
        self.assertEqual(first.state, "notice")
        with self.refused("already has an open notice"):
            second.write({"state": "notice"})

    def test_one_open_notice_per_customer_and_company(self):
        """A customer shared between companies (no company of his own) may
        give notice to each of them: one open notice per company."""
        other = self.env["res.company"].create({"name": "Elsewhere Telecom"})
        self.terminate(self.company_b, notice_date=date(2025, 3, 1))
        theirs = self.terminate(
            self.company_b, notice_date=date(2025, 3, 2), company_id=other.id
        )
        self.assertEqual(theirs.company_id, other)
        with self.refused("already has an open notice"):
            self.terminate(
                self.company_b, notice_date=date(2025, 3, 3), company_id=other.id
            )

    def test_absurd_dates_are_refused(self):
        """A notice or an end date before 1970 or more than ten years ahead
        is a typing error: refused, saying the dates a termination takes."""
        today = fields.Date.context_today(self.env["nps.termination"])
        limit = today + relativedelta(years=10)
        for field in ("notice_date", "end_date"):
            for day in (
                date(1, 1, 1),
                date(1969, 12, 31),
                limit + timedelta(days=1),
                date(9999, 12, 31),
            ):
                values = {"notice_date": date(1970, 1, 1), field: day}
                with self.refused("from 01/01/1970 to", msg=f"{field} {day}"):
                    self.terminate(self.company_a, **values)
        termination = self.terminate(
            self.company_a, notice_date=date(1970, 1, 1), end_date=limit
        )
        with self.refused("from 01/01/1970 to"):
            termination.end_date = date(9999, 12, 31)

    def test_the_note_is_cleaned_and_bounded(self):
        """The note loses its control characters (NUL, which no text
        column stores, escapes, bidirectional overrides) and has at most
        5,000 characters of text."""
        termination = self.terminate(
            self.company_a, note="<p>Called\x00 him\x1b[2J back \u202egnol</p>"
        )
        self.assertEqual(str(termination.note), "<p>Called him[2J back gnol</p>")
        termination.note = "<p>" + "x" * 5000 + "</p>"
        with self.refused("at most 5000 characters"):
            termination.note = "<p>" + "x" * 5001 + "</p>"
        with self.refused("at most 5000 characters"):
            self.terminate(self.company_b, note="<p></p>" * 20000)

    def test_the_account_manager_follows_the_customer(self):
        termination = self.terminate(self.company_a, user_id=self.oscar.id)
        self.assertEqual(termination.user_id, self.sam, "a given user_id is ignored")
        self.company_a.nps_account_manager_id = self.oscar
        self.assertEqual(termination.user_id, self.oscar)
        termination.write({"user_id": self.sam.id})
        self.assertEqual(termination.user_id, self.oscar)

    def test_the_customer_form_shows_his_terminations(self):
        termination = self.terminate(self.company_a)
        for partner in (self.company_a, self.customer_a):
            self.assertEqual(partner.nps_termination_ids, termination, partner.name)
            self.assertEqual(partner.nps_termination_count, 1, partner.name)
            self.assertTrue(partner.nps_termination_open, partner.name)
        self.assertFalse(self.company_b.nps_termination_count)
        termination.action_withdraw()
        self.company_a.invalidate_recordset()
        self.assertFalse(self.company_a.nps_termination_open, "withdrawn")
        action = self.customer_a.action_view_nps_terminations()
        self.assertEqual(
            self.env["nps.termination"].search(action["domain"]), termination
        )

    def test_record_a_termination_from_the_form_as_account_manager(self):
        """Sam, with only the Internal User rights, clicks *Record a
        termination* on his customer's contact and saves the form."""
        contact = self.customer_a.with_user(self.sam)
        self.assertTrue(contact.nps_may_record_termination)
        self.assertFalse(self.company_b.with_user(self.sam).nps_may_record_termination)
        self.assertFalse(
            self.company_a.with_user(self.oscar).nps_may_record_termination
        )
        self.assertTrue(
            self.company_b.with_user(self.nps_user).nps_may_record_termination
        )
        action = contact.action_nps_record_termination()
        self.assertEqual(action["res_model"], "nps.termination")
        Termination = self.env["nps.termination"].with_user(self.sam)
        with Form(Termination.with_context(**action["context"])) as form:
            form.reason_id = self.competitor
            form.end_date = fields.Date.context_today(Termination) + timedelta(days=90)
        termination = form.record
        self.assertEqual(termination.partner_id, self.company_a)
        self.assertEqual(termination.reason_id, self.competitor)
        self.assertEqual(termination.user_id, self.sam)

    def test_the_follow_up_case_shows_the_notice(self):
        request = self.sent_request(self.customer_a)
        request._nps_record_answer(score=2, comment="We are leaving")
        case = request.sudo().followup_ids
        self.assertTrue(case)
        self.assertFalse(case.termination_open)
        termination = self.terminate(self.company_a)
        case.invalidate_recordset()
        self.assertEqual(case.termination_ids, termination)
        self.assertTrue(case.termination_open, "the case's banner: notice given")
        self.assertEqual(termination.followup_ids, case, "the customer's cases")
        case_as_sam = case.with_user(self.sam)
        self.assertEqual(case_as_sam.termination_ids, termination)
        termination.action_done()
        case.invalidate_recordset()
        self.assertFalse(case.termination_open)

    def test_reason_names_are_cleaned_and_bounded(self):
        """A reason's name is one line without control characters, of at
        most 64 characters (as the comment themes' words): a NUL made a
        database error."""
        Reason = self.env["nps.termination.reason"].with_user(self.manager)
        reason = Reason.create(
            {"name": "Price\x00 rise\u202e\n", "description": "Too\x00 dear\x07"}
        )
        self.assertEqual(reason.name, "Price rise")
        self.assertEqual(reason.description, "Too dear")
        self.env["res.lang"]._activate_lang("fr_FR")
        reason.update_field_translations("name", {"fr_FR": "Hausse\x00 du prix"})
        self.assertEqual(reason.with_context(lang="fr_FR").name, "Hausse du prix")
        with self.refused("at most 64 characters"):
            reason.update_field_translations("name", {"fr_FR": "y" * 65})
        reason.name = "x" * 64
        with self.refused("at most 64 characters"):
            reason.name = "x" * 65
        with self.refused("A reason needs a name"):
            Reason.create({"name": "\x00\x1b"})

    def test_shipped_reasons(self):
        Reason = self.env["nps.termination.reason"]
        for code in ("price", "quality", "support", "competitor", "moved", "other"):
            reason = self.env.ref(
                f"nps_satisfaction.nps_termination_reason_{code}",
                raise_if_not_found=False,
            )
            self.assertTrue(reason, code)
        self.assertTrue(Reason._fields["name"].translate, "the names translate")


@tagged("post_install", "-at_install")
class TestTerminationAccess(TerminationCase):
    """An account manager with only the Internal User rights reads, records
    and changes his customers' terminations, no one else's; other internal
    users read none; portal users nothing at all."""

    def test_account_manager_works_his_customers_terminations(self):
        termination = self.terminate(self.customer_a, user=self.sam)
        as_sam = termination.with_user(self.sam)
        self.assertEqual(as_sam.read(["state"])[0]["state"], "notice")
        as_sam.write({"note": "<p>Called, offered a discount</p>"})
        as_sam.message_post(body="Meeting next week", message_type="comment")
        as_sam.action_withdraw()
        self.assertEqual(termination.state, "withdrawn")
        self.assertEqual(
            self.env["nps.termination"].with_user(self.sam).search([]), termination
        )

    def test_account_manager_is_refused_another_customers(self):
        theirs = self.terminate(self.company_b)
        Termination = self.env["nps.termination"].with_user(self.sam)
        self.assertFalse(Termination.search([]), "B's is out of his reach")
        with self.assertRaises(AccessError):
            Termination.browse(theirs.id).read(["state"])
        with self.assertRaises(AccessError):
            Termination.browse(theirs.id).write({"note": "<p>x</p>"})
        with self.assertRaises(AccessError):
            self.terminate(self.company_b, user=self.sam)
        with self.assertRaises(AccessError):
            # naming himself does not make B his
            self.terminate(self.company_b, user=self.sam, user_id=self.sam.id)
        mine = self.terminate(self.company_a, user=self.sam)
        with self.assertRaises(AccessError):
            mine.with_user(self.sam).write({"partner_id": self.company_b.id})
        with self.assertRaises(AccessError):
            mine.with_user(self.sam).unlink()

    def test_no_one_moves_a_termination_out_of_his_companies(self):
        """A termination moved to a company the writer does not work in
        would leave his figures and appear in that company's: refused (the
        rules are checked before a write, so after it too)."""
        other = self.env["res.company"].create({"name": "Elsewhere Telecom"})
        mine = self.terminate(self.company_a, user=self.sam)
        for user in (self.sam, self.nps_user):
            with self.assertRaises(AccessError):
                mine.with_user(user).write({"company_id": other.id})
            self.assertEqual(mine.company_id, self.env.company)
        self.nps_user.company_ids |= other
        tracked = mine.with_user(self.nps_user).with_context(tracking_disable=False)
        tracked.with_context(allowed_company_ids=(self.env.company | other).ids).write(
            {"company_id": other.id}
        )
        self.env.cr.precommit.run()
        self.assertEqual(mine.sudo().company_id, other, "within his companies: moved")
        self.assertIn(
            "company_id",
            mine.sudo().message_ids.tracking_value_ids.field_id.mapped("name"),
            "the move is in the chatter",
        )

    def test_a_customer_with_terminations_is_not_moved_under_another(self):
        """A customer with a notice becoming a contact of another customer
        would put his notice under that customer's name: a satisfaction
        user's decision, as for a contact with surveys."""
        ours = self.env["res.partner"].create(
            {"name": "Trojan Co", "is_company": True, "user_id": self.sam.id}
        )
        self.terminate(ours, user=self.sam)
        with self.assertRaises(AccessError):
            ours.with_user(self.sam).write(
                {"parent_id": self.company_b.id, "is_company": False}
            )
        self.assertEqual(ours.commercial_partner_id, ours)
        # a satisfaction user with the right to edit contacts may
        self.nps_user.group_ids |= self.env.ref("base.group_partner_manager")
        ours.with_user(self.nps_user).write(
            {"parent_id": self.company_b.id, "is_company": False}
        )
        self.assertEqual(ours.commercial_partner_id, self.company_b)

    def test_other_internal_users_read_nothing(self):
        termination = self.terminate(self.company_a)
        Termination = self.env["nps.termination"].with_user(self.oscar)
        self.assertFalse(Termination.search([]))
        with self.assertRaises(AccessError):
            Termination.browse(termination.id).read(["state"])
        with self.assertRaises(AccessError):
            self.terminate(self.company_a, user=self.oscar)
        self.assertFalse(self.company_a.with_user(self.oscar).nps_termination_ids)

    def test_portal_users_read_nothing(self):
        termination = self.terminate(self.company_a)
        Termination = self.env["nps.termination"].with_user(self.portal)
        with self.assertRaises(AccessError):
            Termination.search([])
        with self.assertRaises(AccessError):
            Termination.browse(termination.id).read(["state", "note"])
        with self.assertRaises(AccessError):
            self.terminate(self.company_a, user=self.portal)

    def test_satisfaction_users_work_every_termination(self):
        theirs = self.terminate(self.company_b)
        as_user = theirs.with_user(self.nps_user)
        as_user.write({"end_date": theirs.notice_date + timedelta(days=30)})
        as_user.action_done()
        self.assertEqual(theirs.state, "done")
        with self.assertRaises(AccessError):
            as_user.unlink()
        theirs.with_user(self.manager).unlink()
        self.assertFalse(theirs.exists())


@tagged("post_install", "-at_install")
class TestTerminationImport(TerminationCase):
    """Terminations imported with Odoo's import (a CSV from the billing
    system): the README's columns, as a satisfaction user and as an account
    manager."""

    def test_import_as_satisfaction_user(self):
        text = (
            "Customer,Notice date,Reason,Status,Services lost\n"
            'Acme Telecom Client,2025-03-01,Price,Left,"SIP trunk,Fibre"\n'
            "Beta Networks,2025-04-15,Gone to a competitor,notice,\n"
        )
        matched, result = self.import_csv(self.nps_user, text)
        self.assertEqual(
            matched,
            ["partner_id", "notice_date", "reason_id", "state", "service_type_ids"],
            "the columns are the fields' labels",
        )
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["nps.termination"].browse(result["ids"])
        self.assertEqual(
            [(t.partner_id, t.notice_date, t.reason_id, t.state) for t in imported],
            [
                (self.company_a, date(2025, 3, 1), self.price, "done"),
                (self.company_b, date(2025, 4, 15), self.competitor, "notice"),
            ],
        )
        self.assertEqual(imported[0].service_type_ids, self.sip | self.fibre)

    def test_import_by_external_id(self):
        self.env["ir.model.data"].create(
            {
                "module": "billing",
                "name": "customer_4711",
                "model": "res.partner",
                "res_id": self.company_b.id,
            }
        )
        text = (
            "Customer/External ID,Notice date,Reason\n"
            "billing.customer_4711,2025-05-02,Support\n"
        )
        _matched, result = self.import_csv(
            self.nps_user, text, ["partner_id/id", "notice_date", "reason_id"]
        )
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["nps.termination"].browse(result["ids"])
        self.assertEqual(imported.partner_id, self.company_b)
        self.assertEqual(
            imported.reason_id,
            self.env.ref("nps_satisfaction.nps_termination_reason_support"),
        )

    def test_import_as_account_manager_his_customers_only(self):
        mine = (
            "Customer,Notice date,Reason,Status\n"
            "Acme Telecom Client,2025-03-01,Price,notice\n"
        )
        _matched, result = self.import_csv(self.sam, mine)
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["nps.termination"].browse(result["ids"])
        self.assertEqual(imported.partner_id, self.company_a)
        self.assertEqual(imported.user_id, self.sam)

        theirs = (
            "Customer,Notice date,Reason,Status\n"
            "Acme Telecom Client,2025-06-01,Price,notice\n"
            "Beta Networks,2025-06-01,Price,notice\n"
        )
        _matched, result = self.import_csv(self.sam, theirs)
        self.assertTrue(result["messages"], "B's line is refused")
        self.assertFalse(result["ids"])
        self.assertFalse(
            self.env["nps.termination"].search(
                [("notice_date", "=", date(2025, 6, 1))]
            ),
            "nothing of the refused file is imported",
        )


#: the README's example, the reasons by their external ids (any language;
#: the column's technical name matches in every language)
README_CSV = (
    "Customer,Notice date,End date,reason_id/id,Status\n"
    "Acme Telecom Client,2025-03-01,2025-05-31,"
    "nps_satisfaction.nps_termination_reason_price,notice\n"
    "Beta Networks,2025-04-15,2025-04-30,"
    "nps_satisfaction.nps_termination_reason_competitor,done\n"
)
#: the README's example, the reasons by their English names
README_CSV_NAMES = (
    "Customer,Notice date,End date,Reason,Status\n"
    "Acme Telecom Client,2025-03-01,2025-05-31,Price,notice\n"
    "Beta Networks,2025-04-15,,Gone to a competitor,done\n"
)


@tagged("post_install", "-at_install")
class TestTerminationImportLanguages(TerminationCase):
    """The README's CSV imported by a French user, and the messages of a
    file with bad rows: which row, which column, why, in his language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        cls.francois = new_test_user(
            cls.env,
            login="churn_francois",
            groups="base.group_user,nps_satisfaction.group_nps_user",
            name="François",
            lang="fr_FR",
        )

    def assert_imported(self, result):
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["nps.termination"].browse(result["ids"])
        self.assertEqual(
            [(t.partner_id, t.reason_id, t.state) for t in imported],
            [
                (self.company_a, self.price, "notice"),
                (self.company_b, self.competitor, "done"),
            ],
        )

    def test_readme_csv_as_a_french_user(self):
        matched, result = self.import_csv(self.francois, README_CSV)
        self.assertEqual(
            matched,
            ["partner_id", "notice_date", "end_date", "reason_id/id", "state"],
            "the English titles match in French too",
        )
        self.assert_imported(result)

    def test_reason_names_in_any_language(self):
        """A reason's name matches in any installed language: the billing
        system's English names for a French user, French ones for an
        English user."""
        _matched, result = self.import_csv(self.francois, README_CSV_NAMES)
        self.assert_imported(result)
        self.env["nps.termination"].browse(result["ids"]).unlink()
        french = README_CSV_NAMES.replace(",Price,", ",Prix,").replace(
            "Gone to a competitor", "Parti chez un concurrent"
        )
        _matched, result = self.import_csv(self.nps_user, french, lang="en_US")
        self.assert_imported(result)

    def messages(self, user, text, lang=None):
        _matched, result = self.import_csv(user, text, lang=lang)
        self.assertIn("ids", result, result)
        self.assertFalse(result["ids"], "nothing of a file with a bad row")
        return [
            (m["rows"]["from"] + 1, m.get("field"), m["message"])
            for m in result["messages"]
        ]

    def test_bad_rows_say_which_row_and_why(self):
        messages = self.messages(
            self.nps_user,
            "Customer,Notice date,End date,Reason,Status\n"
            "Nobody Ltd,2025-03-01,,Price,notice\n"
            "Beta Networks,2025-04-15,2025-01-01,Price,done\n"
            "Acme Telecom Client,2025-04-15,,Nonsense,done\n"
            "Acme Telecom Client,2025-04-15,,Price,gone\n"
            "Acme Telecom Client,1969-12-31,,Price,done\n",
            lang="en_US",
        )
        self.assertEqual(
            [(row, field) for row, field, _m in messages],
            [
                (1, "partner_id"),
                (2, "end_date"),
                (3, "reason_id"),
                (4, "state"),
                (5, "notice_date"),
            ],
        )
        texts = dict(((row, field), text) for row, field, text in messages)
        self.assertEqual(
            texts[1, "partner_id"],
            "Row 1, Customer: no customer is named “Nobody Ltd”.",
        )
        self.assertEqual(
            texts[2, "end_date"],
            "Row 2, End date: The end date (01/01/2025) of Beta Networks's "
            "termination comes before its notice date (04/15/2025): the "
            "contract ends on or after the day the notice is given.",
        )
        self.assertRegex(
            texts[3, "reason_id"],
            r"^Row 3, Reason: no reason is named “Nonsense”; the reasons: Price, "
            r"Quality of the service, .*, Other \(or their external ids, such as "
            r"nps_satisfaction\.nps_termination_reason_price\)\.$",
        )
        self.assertEqual(
            texts[4, "state"],
            "Row 4, Status: “gone” is not a status: notice, withdrawn or done "
            "(or Notice given, Withdrawn (stayed), Left).",
        )
        self.assertRegex(
            texts[5, "notice_date"],
            r"^Row 5, Notice date: 12/31/1969 is out of range; a termination's "
            r"dates go from 01/01/1970 to \d\d/\d\d/\d{4} \(ten years from today\)\.$",
        )

    def test_bad_rows_in_the_users_language(self):
        messages = self.messages(
            self.francois,
            "partner_id/id,Notice date,reason_id/id,Status\n"
            "billing.nobody,2025-03-01,nps_satisfaction.nope,notice\n",
        )
        self.assertEqual(
            [(row, field) for row, field, _m in messages],
            [(1, "partner_id"), (1, "reason_id")],
        )
        self.assertEqual(
            messages[0][2],
            "Ligne 1, Client : aucun client n'a l'identifiant externe "
            "« billing.nobody ».",
        )
        self.assertIn(
            "Ligne 1, Raison : aucune raison n'a l'identifiant externe", messages[1][2]
        )

    def test_one_open_notice_per_customer_in_a_file(self):
        self.terminate(self.company_b, notice_date=date(2025, 3, 1))
        messages = self.messages(
            self.nps_user,
            "Customer,Notice date,Reason,Status\n"
            "Acme Telecom Client,2025-03-01,Price,notice\n"
            "Acme Telecom Client,2025-04-01,Price,notice\n"
            "Acme Telecom Client,2024-04-01,Price,done\n"
            "Beta Networks,2025-05-01,Price,notice\n",
            lang="en_US",
        )
        self.assertEqual(
            messages,
            [
                (
                    2,
                    "partner_id",
                    "Row 2, Customer: Acme Telecom Client has another open "
                    "notice on row 1 of the file.",
                ),
                (
                    4,
                    "partner_id",
                    "Row 4, Customer: Beta Networks already has an open notice, "
                    "given on 03/01/2025: withdraw it or mark it left before "
                    "recording another (one open notice per customer).",
                ),
            ],
        )

    def test_another_account_managers_notice_is_not_told(self):
        """Sam imports a line of Beta, not his customer, who has an open
        notice: refused as out of his reach, without a word of that
        notice."""
        self.terminate(self.company_b, notice_date=date(2025, 3, 1))
        _matched, result = self.import_csv(
            self.sam,
            "Customer,Notice date,Reason,Status\n"
            "Beta Networks,2025-05-01,Price,notice\n",
            lang="en_US",
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        for message in result["messages"]:
            self.assertNotIn("open notice", message["message"])
            self.assertNotIn("03/01/2025", message["message"])


@tagged("post_install", "-at_install")
class TestTerminationTour(TerminationCase, HttpCase):
    def test_account_manager_records_a_termination_from_the_form(self):
        """The README's walk-through, in the browser, as Sam (Internal User
        rights only): *Record a termination* on his customer's form, a
        reason, saved, then *Withdrawn*."""
        self.start_tour(
            f"/odoo/res.partner/{self.company_a.id}",
            "nps_termination_account_manager",
            login=self.sam.login,
        )
        termination = self.env["nps.termination"].search(
            [("partner_id", "=", self.company_a.id)]
        )
        self.assertEqual(
            (termination.reason_id, termination.state, termination.user_id),
            (self.competitor, "withdrawn", self.sam),
        )

    @mute_logger("odoo.http")
    def test_a_rejected_end_date_is_corrected(self):
        """An end date before the notice date is refused on save; the date
        typed next is the one saved and shown. (The refusal is logged by
        the server as a warning: it is this test's expected outcome.)"""
        termination = self.terminate(
            self.company_a, notice_date=date(2025, 3, 1), end_date=date(2025, 5, 31)
        )
        self.start_tour(
            f"/odoo/action-nps_satisfaction.action_nps_termination/{termination.id}",
            "nps_termination_rejected_end_date",
            login=self.nps_user.login,
        )
        self.assertEqual(termination.end_date, date(2025, 4, 30))


@tagged("post_install", "-at_install")
class TestTerminationApi(TerminationCase, HttpCase):
    """The README's external API examples, as the account manager with his
    API key: JSON-2 and XML-RPC ``create``; another's customer refused."""

    def setUp(self):
        super().setUp()
        self.key = (
            self.env(user=self.sam)["res.users.apikeys"]
            .with_user(self.sam)
            ._generate(
                scope="rpc",
                name="billing",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )

    def json2_create(self, vals_list):
        return self.url_open(
            "/json/2/nps.termination/create",
            data=json.dumps({"vals_list": vals_list}),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.key}",
            },
        )

    def test_json2_create(self):
        response = self.json2_create(
            [
                {
                    "partner_id": self.company_a.id,
                    "notice_date": "2025-03-01",
                    "reason_id": self.competitor.id,
                }
            ]
        )
        self.assertEqual(response.status_code, 200, response.text)
        termination = self.env["nps.termination"].browse(response.json())
        self.assertEqual(
            (termination.partner_id, termination.notice_date, termination.user_id),
            (self.company_a, date(2025, 3, 1), self.sam),
        )
        with mute_logger("odoo.http"):
            refused = self.json2_create([{"partner_id": self.company_b.id}])
        self.assertEqual(refused.status_code, 403, refused.text)
        self.assertFalse(
            self.env["nps.termination"].search([("partner_id", "=", self.company_b.id)])
        )

    def test_json2_second_open_notice_refused(self):
        """The API meets the same rule as the form: one open notice per
        customer, refused with its reason."""
        first = self.json2_create(
            [{"partner_id": self.company_a.id, "notice_date": "2025-03-01"}]
        )
        self.assertEqual(first.status_code, 200, first.text)
        with mute_logger("odoo.http"):
            second = self.json2_create(
                [{"partner_id": self.customer_a.id, "notice_date": "2025-04-01"}]
            )
        self.assertEqual(second.status_code, 422, second.text)
        self.assertIn("already has an open notice", second.json()["message"])

    def test_json2_control_characters_and_sizes(self):
        """Over the API too: a NUL or an escape in a note or a reason's name
        is removed (a NUL made a database error), a note or a name too long
        refused with its reason."""
        response = self.json2_create(
            [{"partner_id": self.company_a.id, "note": "<p>Calls\u0000 \u001bthem</p>"}]
        )
        self.assertEqual(response.status_code, 200, response.text)
        [termination_id] = response.json()
        self.assertEqual(
            str(self.env["nps.termination"].browse(termination_id).note),
            "<p>Calls them</p>",
        )
        with mute_logger("odoo.http"):
            refused = self.url_open(
                "/json/2/nps.termination/write",
                data=json.dumps(
                    {"ids": [termination_id], "vals": {"note": "x" * 10**5}}
                ),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.key}",
                },
            )
        self.assertEqual(refused.status_code, 422, refused.text)
        self.assertIn("at most 5000 characters", refused.json()["message"])
        manager_key = (
            self.env(user=self.manager)["res.users.apikeys"]
            .with_user(self.manager)
            ._generate(
                scope="rpc",
                name="setup",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {manager_key}",
        }
        response = self.url_open(
            "/json/2/nps.termination.reason/create",
            data=json.dumps({"vals_list": [{"name": "Mer\u0000ger"}]}),
            headers=headers,
        )
        self.assertEqual(response.status_code, 200, response.text)
        reason = self.env["nps.termination.reason"].browse(response.json())
        self.assertEqual(reason.name, "Merger")
        with mute_logger("odoo.http"):
            too_long = self.url_open(
                "/json/2/nps.termination.reason/create",
                data=json.dumps({"vals_list": [{"name": "x" * 10_000}]}),
                headers=headers,
            )
        self.assertEqual(too_long.status_code, 422, too_long.text)
        self.assertIn("at most 64 characters", too_long.json()["message"])

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_xmlrpc_create(self):
        """XML-RPC, deprecated in Odoo 19 (removed in 22), still works."""
        uid = self.xmlrpc_common.authenticate(get_db_name(), "churn_sam", self.key, {})
        self.assertEqual(uid, self.sam.id)
        [termination_id] = self.xmlrpc_object.execute_kw(
            get_db_name(),
            uid,
            self.key,
            "nps.termination",
            "create",
            [[{"partner_id": self.company_a.id, "notice_date": "2025-03-01"}]],
        )
        termination = self.env["nps.termination"].browse(termination_id)
        self.assertEqual(termination.partner_id, self.company_a)
        with (
            mute_logger("odoo.http"),
            self.assertRaisesRegex(xmlrpc.client.Fault, "have 'create' access"),
        ):
            self.xmlrpc_object.execute_kw(
                get_db_name(),
                uid,
                self.key,
                "nps.termination",
                "create",
                [[{"partner_id": self.company_b.id}]],
            )


@tagged("post_install", "-at_install")
class TestTerminationPrivacy(TerminationCase):
    """A customer's export holds his terminations; anonymising him keeps
    them (the churn figures count them) without their texts."""

    def test_export_holds_the_terminations(self):
        self.terminate(
            self.company_a,
            notice_date=date(2025, 3, 1),
            note="<p>Moving to a cheaper offer</p>",
        )
        action = self.company_a.with_user(self.manager).action_nps_export_data()
        export = self.env["nps.privacy.export"].search([], order="id desc", limit=1)
        self.assertIn(f"id={export.id}", action["url"])
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(export.data)))
        document = json.loads(archive.read("satisfaction.json"))
        self.assertEqual(len(document["terminations"]), 1)
        [row] = document["terminations"]
        self.assertEqual(row["notice_date"], "2025-03-01")
        self.assertEqual(row["reason"], "Price")
        self.assertEqual(row["state"], "Notice given")
        self.assertEqual(row["services"], ["SIP trunk", "Fibre"])
        self.assertIn("cheaper offer", row["note"])

    def test_anonymise_keeps_the_termination_without_its_texts(self):
        termination = self.terminate(
            self.company_a, note="<p>Mr Acme's private number: 0612345678</p>"
        )
        termination.message_post(
            body="He said 0612345678 again", message_type="comment"
        )
        # what an API or a billing integration posts: message_post's default
        termination.message_post(body="CEO's phone: 0612345678")
        wizard = (
            self.env["nps.privacy.anonymize"]
            .with_user(self.manager)
            .create({"partner_id": self.company_a.id})
        )
        wizard.action_anonymize()
        self.assertTrue(termination.exists(), "the termination stays")
        self.assertEqual(termination.partner_id, self.company_a)
        self.assertEqual(termination.state, "notice")
        self.assertFalse(termination.note, "its note is emptied")
        bodies = " ".join(str(body) for body in termination.message_ids.mapped("body"))
        self.assertNotIn("0612345678", bodies)


@tagged("post_install", "-at_install")
class TestDemoTerminations(NpsCase):
    """The demo's terminations over the year: customers saved by a
    follow-up, customers gone, one still under notice."""

    def test_demo_terminations(self):
        Partner = self.env["res.partner"]
        customers = {
            name: Partner.create({"name": name, "is_company": True})
            for name, *_rest in TERMINATIONS
        }
        cases = {}
        for name, _days, _notice, _reason, state, _note in TERMINATIONS:
            if state != "withdrawn":
                continue
            contact = Partner.create(
                {
                    "name": f"Claire {name}",
                    "parent_id": customers[name].id,
                    "email": "claire@customer.example",
                }
            )
            request = self.sent_request(contact)
            request._nps_record_answer(score=2)
            cases[name] = self.close_case(request, "Offered a new price")
        terminations = self.env["nps.demo"]._generate_terminations()
        by_customer = {t.partner_id: t for t in terminations}
        self.assertEqual(set(by_customer), set(customers.values()))
        today = fields.Date.context_today(terminations)
        for name, days, notice_days, reason, state, _note in TERMINATIONS:
            termination = by_customer[customers[name]]
            self.assertEqual(termination.state, state, name)
            self.assertEqual(
                termination.reason_id,
                self.env.ref(f"nps_satisfaction.nps_termination_reason_{reason}"),
            )
            self.assertEqual(
                termination.end_date - termination.notice_date,
                timedelta(days=notice_days),
            )
            if state == "withdrawn":
                case = cases[name]
                self.assertEqual(
                    termination.notice_date,
                    case.done_date.date() - timedelta(days=5),
                    "notice given, then the follow-up kept the customer",
                )
                self.assertIn(case, termination.followup_ids)
            else:
                self.assertEqual(termination.notice_date, today - timedelta(days=days))
            if state == "done":
                self.assertLessEqual(termination.end_date, today, "gone by now")
        self.assertEqual(
            [state for *_rest, state, _note in TERMINATIONS].count("done"), 3
        )
