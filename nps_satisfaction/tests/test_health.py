import importlib.util
import pathlib

from psycopg2 import IntegrityError

from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, mute_logger

from ..tools import health_tools
from .common import NpsCase


@tagged("post_install", "-at_install")
class TestHealthRule(NpsCase):
    """The health rule itself, as a pure function."""

    def test_no_answer_no_health(self):
        self.assertEqual(health_tools.health(False, 0, None, False), (False, False))

    def test_order_of_reasons(self):
        """The CSAT is a share (%) of satisfied answers, None without one; a
        CSAT of 0% is a CSAT, the lowest."""
        cases = [
            # the reason is what decided the state: a detractor account with
            # its case open is at risk for its NPS; the case alone is to watch
            (("detractor", 0, None, True), ("at_risk", "detractor")),
            (("detractor", 0, None, False), ("at_risk", "detractor")),
            (("detractor", -5, 30, True), ("at_risk", "detractor")),
            (("passive", -5, None, True), ("watch", "drop")),
            (("passive", 0, None, True), ("watch", "open_followup")),
            (("promoter", 0, 45, True), ("at_risk", "low_csat")),
            # one contact's open case does not put a satisfied account at risk
            (("promoter", 0, None, True), ("watch", "open_followup")),
            (("promoter", 0, 45, False), ("at_risk", "low_csat")),
            (("promoter", 0, 0.0, False), ("at_risk", "low_csat")),
            (("promoter", -3, 90, False), ("watch", "drop")),
            (("passive", 1, 80, False), ("watch", "passive")),
            (("promoter", -2, 90, False), ("healthy", "promoter")),
            (("promoter", -2, None, False), ("healthy", "promoter")),
            ((False, 0, 80, False), ("healthy", "satisfied")),
            ((False, 0, 40, False), ("at_risk", "low_csat")),
            ((False, 0, 80, True), ("watch", "open_followup")),
        ]
        for args, expected in cases:
            self.assertEqual(health_tools.health(*args), expected, f"health{args}")

    def test_thresholds_are_parameters(self):
        self.assertEqual(
            health_tools.health("promoter", -2, None, False, drop_points=2),
            ("watch", "drop"),
        )
        self.assertEqual(
            health_tools.health("promoter", -5, None, False, drop_points=0),
            ("healthy", "promoter"),
            "a drop threshold of 0 ignores drops",
        )
        self.assertEqual(
            health_tools.health("promoter", 0, 75, False, csat_min=80),
            ("at_risk", "low_csat"),
        )


class HealthCase(NpsCase):
    def answer(self, partner, score):
        """An answer of ``partner``, given now, through a survey opened
        without email (the quiet period of the account plays no part)."""
        request = self.env["nps.request"].create(
            {"campaign_id": self.campaign.id, "partner_id": partner.id}
        )
        request._nps_open_without_email("email")
        request._nps_record_answer(score=score)
        return request


@tagged("post_install", "-at_install")
class TestPartnerHealth(HealthCase):
    def test_detractor_answer_puts_company_at_risk(self):
        request = self.sent_request(self.customer_a)
        request._nps_record_answer(score=3, comment="Slow")
        self.assertTrue(request.sudo().followup_ids, "the detractor's case is open")
        self.assertEqual(self.company_a.nps_health, "at_risk")
        self.assertEqual(
            self.company_a.nps_health_reason,
            "detractor",
            "at risk for the detractor account; its open case alone is to watch",
        )

    def test_the_reason_is_what_decided_the_state(self):
        """Regression: a detractor account with its case open read "A
        follow-up is open", which alone puts a customer under watch (README,
        *Account NPS and health*): its reason is its account NPS. A promoter
        account with one contact's case open is under watch for that case."""
        for contact, score in ((self.customer_a, 3), (self.customer_a2, 2)):
            self.answer(contact, score)
        company = self.company_a
        self.assertEqual(
            (company.nps_account_nps, company.nps_account_respondents), (-100, 2)
        )
        self.assertEqual(company.nps_followup_count, 2, "the two cases are open")
        self.assertEqual(
            (company.nps_health, company.nps_health_reason), ("at_risk", "detractor")
        )
        for contact in (self.customer_a, self.customer_a2):
            self.assertEqual(
                (contact.nps_health, contact.nps_health_reason),
                ("at_risk", "detractor"),
                contact.name,
            )

        colleagues = self.env["res.partner"].create(
            [
                {"name": name, "parent_id": self.company_b.id, "email": email}
                for name, email in (
                    ("Bea Beta", "bea@beta.example.com"),
                    ("Ben Beta", "ben@beta.example.com"),
                )
            ]
        )
        company = self.company_b
        for contact, score in zip(
            self.customer_b | colleagues, (10, 10, 4), strict=True
        ):
            self.answer(contact, score)
        self.assertAlmostEqual(company.nps_account_nps, 100 / 3)
        self.assertEqual(company.nps_account_category, "promoter")
        self.assertAlmostEqual(company.nps_account_trend, -2, msg="no drop to watch")
        self.assertEqual(company.nps_followup_count, 1, "Ben's case is open")
        self.assertEqual(
            (company.nps_health, company.nps_health_reason), ("watch", "open_followup")
        )

    def test_done_followup_leaves_the_detractor_reason(self):
        request = self.sent_request(self.customer_a)
        request._nps_record_answer(score=3)
        self.close_case(request, "Called")
        self.assertEqual(
            (self.company_a.nps_health, self.company_a.nps_health_reason),
            ("at_risk", "detractor"),
        )

    def test_promoter_is_healthy_then_drop_is_watched(self):
        first = self.sent_request(self.customer_a)
        first._nps_record_answer(score=10)
        self.assertEqual(self.customer_a.nps_health, "healthy")
        first.sent_date = self.past(200)  # out of the quiet period
        second = self.sent_request(self.customer_a)
        second._nps_record_answer(score=9)
        self.assertEqual(self.customer_a.nps_health, "healthy", "a 1-point drop")
        second.sent_date = self.past(100)
        self.env.company.nps_health_drop_points = 1
        third = self.sent_request(self.customer_a)
        third._nps_record_answer(score=8)
        self.assertEqual(
            (self.customer_a.nps_health, self.customer_a.nps_health_reason),
            ("watch", "drop"),
        )

    def test_customer_without_answer_has_no_health(self):
        self.assertFalse(self.company_b.nps_health)


@tagged("post_install", "-at_install")
class TestHealthKanbanTour(HealthCase, HttpCase):
    def test_customers_at_risk_say_why(self):
        """The satisfaction user's *Customer health*, in the browser: the
        cards of detractor accounts with their cases open say "Account NPS:
        detractor" (they said "A follow-up is open") and show the account
        NPS, also over a single contact (that line was hidden)."""
        for contact, score in (
            (self.customer_a, 3),
            (self.customer_a2, 2),
            (self.customer_b, 4),
        ):
            self.answer(contact, score)
        self.assertEqual(self.company_b.nps_followup_count, 1)
        self.assertEqual(self.company_b.nps_account_respondents, 1)
        self.start_tour(
            "/odoo/action-nps_satisfaction.action_nps_customer_health",
            "nps_customer_health",
            login=self.nps_user.login,
        )


@tagged("post_install", "-at_install")
class TestHealthReasonMigration(NpsCase):
    """The upgrade to 19.0.4.6.0 (migrations/19.0.4.6.0/post-migrate.py):
    a detractor account with its case open, stored as at risk for "A
    follow-up is open", reads its account NPS again."""

    def test_stored_reason_is_read_again(self):
        path = (
            pathlib.Path(__file__).resolve().parents[1]
            / "migrations"
            / "19.0.4.6.0"
            / "post-migrate.py"
        )
        spec = importlib.util.spec_from_file_location("nps_health_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.sent_request(self.customer_a)._nps_record_answer(score=3)
        self.sent_request(self.customer_b)._nps_record_answer(score=10)
        self.env.flush_all()
        # what the previous version stored
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET nps_health_reason = 'open_followup'"
                " WHERE id IN %s",
                (self.customer_a.id, self.company_a.id),
            )
        )
        self.env.invalidate_all()
        migration.migrate(self.env.cr, "19.0.4.5.0")
        self.env.invalidate_all()
        for partner in (self.customer_a, self.company_a):
            self.assertEqual(
                (partner.nps_health, partner.nps_health_reason),
                ("at_risk", "detractor"),
                partner.name,
            )
        self.assertEqual(
            (self.company_b.nps_health, self.company_b.nps_health_reason),
            ("healthy", "promoter"),
        )


@tagged("post_install", "-at_install")
class TestServiceType(NpsCase):
    def test_shipped_service_types_and_partner_count(self):
        sip = self.env.ref("nps_satisfaction.service_type_sip_trunk")
        fibre = self.env.ref("nps_satisfaction.service_type_fibre")
        self.company_a.nps_service_type_ids = sip | fibre
        self.company_b.nps_service_type_ids = sip
        self.assertEqual(sip.partner_count, 2)
        self.assertEqual(fibre.partner_count, 1)
        action = fibre.action_view_partners()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.company_a
        )

    def test_codes_are_unique(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.env["nps.service.type"].create({"name": "Dup", "code": "SIP"})
            self.env.flush_all()
