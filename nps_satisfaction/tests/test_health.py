from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

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
            (("detractor", 0, None, True), ("at_risk", "open_followup")),
            (("detractor", 0, None, False), ("at_risk", "detractor")),
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


@tagged("post_install", "-at_install")
class TestPartnerHealth(NpsCase):
    def test_detractor_answer_puts_company_at_risk(self):
        request = self.sent_request(self.customer_a)
        request._nps_record_answer(score=3, comment="Slow")
        self.assertEqual(self.company_a.nps_health, "at_risk")
        self.assertEqual(
            self.company_a.nps_health_reason,
            "open_followup",
            "the detractor's follow-up activity is open",
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
