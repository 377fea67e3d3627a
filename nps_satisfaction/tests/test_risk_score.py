import importlib.util
import pathlib
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..tools import risk_tools
from .test_health import HealthCase


class RiskCase(HealthCase):
    def drivers(self, partner):
        """``{code: (points, label_args)}`` of the customer's drivers now."""
        self.env.invalidate_all()
        found = partner._nps_risk_drivers()[partner.id]
        return {code: (points, args) for code, points, args in found}

    def customer(self, name):
        return self.env["res.partner"].create(
            {"name": name, "email": f"{name.lower().replace(' ', '.')}@example.com"}
        )

    def figures(self, partner, **values):
        """Store these satisfaction figures on the customer, as the answers
        would have (the signals the drivers read from them)."""
        partner.sudo().write(values)

    def reopen(self, ticket):
        self.close(ticket)
        ticket.write({"stage_id": self.stage_new.id})


@tagged("post_install", "-at_install")
class TestRiskDrivers(RiskCase):
    """Each driver of nps_satisfaction, on a small set of customers."""

    def test_answer_drivers(self):
        detractor, passive, dropped, low_csat, promoter = (
            self.customer(name) for name in ("Det", "Pas", "Drop", "Csat", "Prom")
        )
        self.figures(detractor, nps_account_category="detractor")
        self.figures(passive, nps_account_category="passive")
        self.figures(
            dropped,
            nps_account_category="promoter",
            nps_account_trend=-3.5,
            nps_account_respondents=2,
        )
        self.figures(
            low_csat, csat_avg=40.0, csat_answer_count=3, nps_account_category=False
        )
        self.figures(promoter, nps_account_category="promoter", nps_account_trend=-2)
        found = (
            detractor | passive | dropped | low_csat | promoter
        )._nps_risk_drivers()
        self.assertEqual(found[detractor.id], [("detractor", 60, {})])
        self.assertEqual(found[passive.id], [("passive", 30, {})])
        self.assertEqual(found[dropped.id], [("drop", 30, {"points": 3.5})])
        self.assertEqual(
            found[low_csat.id], [("low_csat", 60, {"csat": 40, "minimum": 60})]
        )
        self.assertEqual(found[promoter.id], [], "a drop of 2 is under the 3 to watch")

    def test_open_then_overdue_follow_up(self):
        customer = self.customer("Followed")
        request = self.answer(customer, 3)
        self.assertEqual(
            self.drivers(customer),
            {"detractor": (60, {}), "open_followup": (30, {"count": 1})},
            "the detractor answer opened its case",
        )
        request.sudo().followup_ids.date_deadline = fields.Date.today() - timedelta(
            days=1
        )
        self.assertEqual(
            self.drivers(customer)["overdue_followup"],
            (40, {"count": 1}),
            "past its deadline, the case is overdue",
        )
        self.assertNotIn("open_followup", self.drivers(customer))

    def test_silence_after_reminders(self):
        customer = self.customer("Silent")
        contact = self.env["res.partner"].create(
            {"name": "Sid Silent", "parent_id": customer.id}
        )
        now = fields.Datetime.now()
        Request = self.env["nps.request"]
        values = {"campaign_id": self.campaign.id, "partner_id": contact.id}
        Request.create(
            [
                # expired after a reminder, 10 and 170 days ago: silent twice
                dict(values, state="expired", reminder_count=1,
                     last_reminder_date=now - timedelta(days=10)),
                dict(values, state="expired", reminder_count=2,
                     last_reminder_date=now - timedelta(days=170)),
                # too long ago, never reminded, or still open
                dict(values, state="expired", reminder_count=1,
                     last_reminder_date=now - timedelta(days=200)),
                dict(values, state="expired", reminder_count=0),
                dict(values, state="sent", reminder_count=1,
                     last_reminder_date=now - timedelta(days=5)),
            ]
        )  # fmt: skip
        self.assertEqual(self.drivers(customer), {"silence": (15, {"count": 2})})

    def test_tickets_and_reopened_tickets(self):
        busy = self.customer("Busy")
        calm = self.customer("Calm")
        self.make_tickets([busy] * 3)
        self.make_tickets([calm] * 2)
        self.assertEqual(self.drivers(busy), {"tickets": (10, {"count": 3})})
        self.assertEqual(self.drivers(calm), {}, "2 tickets are not many")
        first, second = self.env["helpdesk.ticket"].search(
            [("partner_id", "=", calm.id)]
        )
        self.reopen(first)
        self.reopen(second)
        self.assertEqual(first.nps_reopen_count, 1)
        self.assertTrue(first.nps_last_reopen_date)
        drivers = self.drivers(calm)
        self.assertEqual(
            drivers["reopened_tickets"],
            (10, {"count": 2}),
            "5 points for each ticket reopened",
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET nps_last_reopen_date = "
                "nps_last_reopen_date - interval '91 days' WHERE id = %s",
                first.id,
            )
        )
        self.assertEqual(
            self.drivers(calm)["reopened_tickets"], (5, {"count": 1}), "90 days"
        )

    def test_weights_are_settings(self):
        customer = self.customer("Weighed")
        self.figures(customer, nps_account_category="detractor")
        self.env.company.nps_risk_detractor_points = 45
        customer.company_id = self.env.company
        customer._nps_refresh_risk()
        self.assertEqual(self.drivers(customer), {"detractor": (45, {})})
        self.assertEqual(customer.nps_risk_score, 45)
        self.assertEqual(customer.nps_risk_band, "watch", "45 is to watch")

    def test_drivers_in_words(self):
        customer = self.customer("Worded")
        self.figures(customer, nps_account_category="detractor")
        first, second = self.make_tickets([customer] * 2)
        self.reopen(first)
        self.reopen(second)
        customer._nps_refresh_risk()
        self.assertEqual(customer.nps_risk_score, 70)
        self.assertEqual(
            customer.nps_risk_drivers_shown,
            "+60 detractor account\n+10 reopened tickets in the last 90 days: 2",
        )


@tagged("post_install", "-at_install")
class TestRiskScore(RiskCase):
    def test_band_bounds_and_cap(self):
        for score, band in ((0, "healthy"), (29, "healthy"), (30, "watch")) + (
            (59, "watch"),
            (60, "at_risk"),
            (100, "at_risk"),
        ):
            self.assertEqual(risk_tools.band(score), band, score)
        self.assertEqual(
            risk_tools.score([("detractor", 60, {}), ("low_csat", 60, {})]),
            100,
            "the sum is capped at 100",
        )

    def test_band_agrees_with_health_for_one_signal(self):
        """With the default weights, the score's band of a signal alone is
        the health that signal gives."""
        cases = {
            "detractor": self.answer(self.customer("Det"), 2),
            "passive": self.answer(self.customer("Pas"), 7),
            "promoter": self.answer(self.customer("Pro"), 10),
        }
        for name, request in cases.items():
            customer = request.partner_id
            self.assertEqual(
                customer.nps_risk_band,
                customer.nps_health,
                f"{name}: {customer.nps_risk_drivers}",
            )
        # a detractor answer among promoters: its case alone, to watch
        company = self.env["res.partner"].create({"name": "Mixed", "is_company": True})
        contacts = self.env["res.partner"].create(
            [{"name": f"Mixed {i}", "parent_id": company.id} for i in range(3)]
        )
        self.answer(contacts[0], 10)
        self.answer(contacts[1], 10)
        self.answer(contacts[2], 3)
        self.assertEqual(company.nps_health, "watch")
        self.assertEqual((company.nps_risk_band, company.nps_risk_score), ("watch", 30))

    def test_drivers_are_set_based(self):
        """The queries do not grow with the number of customers."""
        customers = self.env["res.partner"]
        for index in range(20):
            customer = self.customer(f"Set {index}")
            self.answer(customer, index % 11)
            self.make_tickets(customer)
            customers |= customer

        def count(partners):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners._nps_risk_drivers()
            return self.env.cr.sql_log_count - before

        self.assertEqual(count(customers[:1]), count(customers))

    def test_history_gets_the_score(self):
        customer = self.customer("Storied")
        self.answer(customer, 3)
        rows = customer.nps_health_history_ids
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.risk_score, 90, "detractor 60 + its open case 30")
        self.assertEqual(rows.risk_score, customer.nps_risk_score)
        # the score alone changes (a ticket reopened): a row with it
        ticket = self.make_tickets(customer)
        self.reopen(ticket)
        rows = self.env["nps.health.history"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(rows), 2, "a row when only the score changed")
        self.assertEqual(rows[0].risk_score, 95)
        self.assertEqual(rows[0].health, rows[1].health)

    def test_daily_job(self):
        customer = self.customer("Dated")
        request = self.answer(customer, 3)
        request.sudo().followup_ids.date_deadline = fields.Date.today() - timedelta(
            days=2
        )
        self.assertEqual(customer.nps_risk_score, 90, "not yet seen overdue")
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", return_value=100.0
        ):
            self.env["res.partner"]._cron_nps_risk_score(batch_size=7)
        self.assertEqual(customer.nps_risk_score, 100, "60 + 40 for the overdue case")
        last = self.env["nps.health.history"].search(
            [("partner_id", "=", customer.id)], limit=1
        )
        self.assertEqual(last.risk_score, 100)
        cron = self.env.ref("nps_satisfaction.ir_cron_nps_risk_score")
        self.assertEqual(cron.code, "model._cron_nps_risk_score()")


@tagged("post_install", "-at_install")
class TestRiskAccess(RiskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = new_test_user(
            cls.env, login="risk_sales", groups="base.group_user", name="Sal Sales"
        )

    def _customers_mine_and_other(self):
        """Two customers of the salesman (a detractor, a promoter) and a
        detractor customer of nobody's."""
        mine = self.env["res.partner"].create(
            {"name": "Mine", "is_company": True, "user_id": self.sales.id}
        )
        mine_low = self.env["res.partner"].create(
            {"name": "Mine too", "is_company": True, "user_id": self.sales.id}
        )
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        self.answer(
            self.env["res.partner"].create({"name": "M", "parent_id": mine.id}), 2
        )
        self.answer(
            self.env["res.partner"].create({"name": "L", "parent_id": mine_low.id}), 10
        )
        self.answer(
            self.env["res.partner"].create({"name": "O", "parent_id": other.id}), 2
        )
        return mine, mine_low, other

    def test_account_manager_sees_his_customers_scores_only(self):
        mine, _mine_low, other = self._customers_mine_and_other()
        as_sales = self.env["res.partner"].with_user(self.sales)
        [shown] = as_sales.browse(mine.id).read(
            ["nps_risk_score_shown", "nps_risk_band_shown", "nps_risk_drivers_shown"]
        )
        self.assertEqual(shown["nps_risk_score_shown"], 90)
        self.assertEqual(shown["nps_risk_band_shown"], "at_risk")
        self.assertIn("+60 detractor account", shown["nps_risk_drivers_shown"])
        [hidden] = as_sales.browse(other.id).read(
            ["nps_risk_score_shown", "nps_risk_drivers_shown"]
        )
        self.assertEqual(
            (hidden["nps_risk_score_shown"], hidden["nps_risk_drivers_shown"]),
            (0, False),
            "another's customer: nothing",
        )
        with self.assertRaises(AccessError):
            as_sales.browse(mine.id).read(["nps_risk_score"])

    def test_account_manager_lists_his_customers_by_risk(self):
        mine, mine_low, other = self._customers_mine_and_other()
        as_sales = self.env["res.partner"].with_user(self.sales)
        # his list: his customers, the highest score first
        action = self.env.ref("nps_satisfaction.action_nps_my_customers_risk")
        domain = [
            ("nps_account_manager_id", "=", self.sales.id),
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
        ]
        self.assertIn("nps_account_manager_id", action.domain)
        found = as_sales.search(domain, order="nps_risk_score_shown desc, id")
        self.assertEqual(found, mine | mine_low)
        self.assertEqual(found[0], mine, "the highest score first")
        everyone = as_sales.search(
            [("id", "in", (mine | mine_low | other).ids)],
            order="nps_risk_score_shown desc, id",
        )
        self.assertEqual(
            everyone[-1], other, "another's customer is not ranked by his score"
        )
        self.assertEqual(
            as_sales.search(
                [
                    ("id", "in", (mine | other).ids),
                    ("nps_risk_band_shown", "=", "at_risk"),
                ]
            ),
            mine,
        )


@tagged("post_install", "-at_install")
class TestRiskAuc(RiskCase):
    """The churn analysis's AUC of the risk score, on a known ranking.

    ======  ========================  =====================  ============
    who     notice (days ago)         score rows (days ago)  known at ref
    ======  ========================  =====================  ============
    L1      40 (ref 70)               80 (100), 10 (50)      80
    L2      20 (ref 50)               40 (60)                40
    S1      stays (ref 30)            60 (100)               60
    S2      stays                     20 (200), 90 (10)      20
    S3      stays                     none                   0
    ======  ========================  =====================  ============

    Pairs (left, stayed) where the one who left scores higher: L1 over S1,
    S2, S3 (3), L2 over S2 and S3 (2), L2 under S1: AUC = 5 / 6.
    """

    def test_auc_on_a_known_ranking(self):
        table = {
            "L1": (40, [(80, 100), (10, 50)]),
            "L2": (20, [(40, 60)]),
            "S1": (None, [(60, 100)]),
            "S2": (None, [(20, 200), (90, 10)]),
            "S3": (None, []),
        }
        now = fields.Datetime.now()
        for name, (notice, rows) in table.items():
            customer = self.customer(f"Auc {name}")
            request = self.env["nps.request"].create(
                {"campaign_id": self.campaign.id, "partner_id": customer.id}
                | {"state": "sent"}
            )
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE nps_request SET create_date = %s WHERE id = %s",
                    now - timedelta(days=300),
                    request.id,
                )
            )
            for score, days in rows:
                self.env["nps.health.history"].create(
                    {
                        "partner_id": customer.id,
                        "date": now - timedelta(days=days),
                        "health": "watch",
                        "risk_score": score,
                    }
                )
            if notice:
                self.env["nps.termination"].create(
                    {
                        "partner_id": customer.id,
                        "notice_date": fields.Date.today() - timedelta(days=notice),
                    }
                )
        analysis = self.env["nps.churn.analysis"].create(
            {
                "date_from": fields.Date.today() - timedelta(days=365),
                "date_to": fields.Date.today(),
                "lead_days": 30,
            }
        )
        analysis.action_compute()
        self.assertEqual((analysis.customer_count, analysis.churned_count), (5, 2))
        self.assertAlmostEqual(analysis.auc, 5 / 6, places=2)
        scores = {
            line.partner_id.name: line.risk_score
            for line in self.env["nps.churn.line"].search(
                [("analysis_id", "=", analysis.id)]
            )
        }
        self.assertEqual(
            scores,
            {"Auc L1": 80, "Auc L2": 40, "Auc S1": 60, "Auc S2": 20, "Auc S3": 0},
            "each customer's score as known at his reference date",
        )


def _load_migration(name):
    path = (
        pathlib.Path(__file__).resolve().parents[1] / "migrations" / "19.0.6.0.0" / name
    )
    spec = importlib.util.spec_from_file_location(f"nps_risk_{path.stem}", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


@tagged("post_install", "-at_install")
class TestRiskMigration(RiskCase):
    """The upgrade to 19.0.6.0.0 computes every customer's score once and
    starts the history's score with it."""

    def test_scores_computed_and_history_started(self):
        self.answer(self.customer_b, 3)
        quiet = self.customer("Quiet reopener")
        ticket = self.make_tickets(quiet)
        self.reopen(ticket)
        self.env.flush_all()
        # the previous version had no history and no score
        self.env.cr.execute("DELETE FROM nps_health_history")
        self.env.cr.execute(
            "UPDATE res_partner SET nps_risk_score = 0, nps_risk_band = NULL, "
            "nps_risk_drivers = NULL"
        )
        self.env.invalidate_all()
        _load_migration("post-migrate.py").migrate(self.env.cr, "19.0.5.0.0")
        self.env.invalidate_all()
        self.assertEqual(
            (self.company_b.nps_risk_score, self.company_b.nps_risk_band),
            (90, "at_risk"),
        )
        History = self.env["nps.health.history"]
        rows = History.search([("partner_id", "=", self.company_b.id)])
        self.assertEqual(
            [(row.health, row.risk_score) for row in rows], [("at_risk", 90)]
        )
        rows = History.search([("partner_id", "=", quiet.id)])
        self.assertEqual(
            [(row.health, row.risk_score) for row in rows],
            [(False, 5)],
            "a score without a health starts its history too",
        )
        count = History.search_count([])
        _load_migration("end-risk.py").migrate(self.env.cr, "19.0.5.0.0")
        _load_migration("post-migrate.py").migrate(self.env.cr, "19.0.5.0.0")
        self.env.invalidate_all()
        self.assertEqual(History.search_count([]), count, "run again, nothing more")
