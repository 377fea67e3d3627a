import importlib.util
import pathlib
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .test_health import HealthCase


def _load_migration():
    path = (
        pathlib.Path(__file__).resolve().parents[1]
        / "migrations"
        / "19.0.6.0.0"
        / "post-migrate.py"
    )
    spec = importlib.util.spec_from_file_location("nps_health_history_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


class HealthHistoryCase(HealthCase):
    def rows(self, partner):
        return self.env["nps.health.history"].search(
            [("partner_id", "=", partner.id)], order="date, id"
        )

    def values(self, rows):
        return [(row.health, row.reason, row.account_nps) for row in rows]

    def move_back(self, rows, days):
        """Date these history rows ``days`` earlier."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE nps_health_history SET date = date - %s WHERE id IN %s",
                timedelta(days=days),
                tuple(rows.ids),
            )
        )
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestHealthHistory(HealthHistoryCase):
    def test_a_change_of_health_writes_a_row(self):
        self.answer(self.customer_b, 3)
        self.assertEqual(
            self.values(self.rows(self.company_b)),
            [("at_risk", "detractor", -100.0)],
            "the customer's row: his health, its reason, his account NPS",
        )
        self.assertFalse(self.rows(self.customer_b), "a contact's own is not kept")
        self.assertEqual(
            self.company_b.nps_health_history_ids, self.rows(self.company_b)
        )
        private = self.make_customers(1, "private")
        self.answer(private, 10)
        self.assertEqual(
            self.values(self.rows(private)),
            [("healthy", "promoter", 100.0)],
            "an individual customer is his own customer",
        )

    def test_an_unchanged_health_writes_no_row(self):
        self.answer(self.customer_b, 3)
        self.answer(self.customer_b, 2)
        self.assertEqual(len(self.rows(self.company_b)), 1, "still at risk")
        (self.company_b | self.customer_b)._nps_refresh_stats()
        self.assertEqual(len(self.rows(self.company_b)), 1, "recomputed, unchanged")
        self.answer(self.customer_b, 10)
        self.assertEqual(
            self.values(self.rows(self.company_b))[1:],
            [("watch", "open_followup", 100.0)],
            "a promoter account with its cases open: the change is kept",
        )

    def test_health_at_a_past_date(self):
        """What was known 30 days ago: the answer given since does not
        count."""
        self.answer(self.customer_b, 10)
        self.move_back(self.rows(self.company_b), 60)
        self.answer(self.customer_b, 2)
        History = self.env["nps.health.history"]
        now = fields.Datetime.now()
        self.assertEqual(
            History._nps_health_at(self.company_b, now - timedelta(days=30)),
            {self.company_b.id: ("healthy", "promoter", 100.0)},
        )
        self.assertEqual(
            History._nps_health_at(self.company_b.ids, now),
            {self.company_b.id: ("at_risk", "detractor", -100.0)},
        )
        self.assertEqual(
            History._nps_health_at(self.company_b, now - timedelta(days=90)),
            {},
            "nothing known before the first row",
        )
        self.assertEqual(
            History._nps_health_at(self.company_b | self.company_a, now.date()),
            {self.company_b.id: ("at_risk", "detractor", -100.0)},
            "a date counts until its end; a customer without rows is left out",
        )

    def test_history_is_written_set_based(self):
        """Recomputing the health of 50 customers writes their 50 rows in
        one statement, not one per customer."""
        customers = self.make_customers(50, "batch")
        for customer in customers:
            request = self.env["nps.request"].create(
                {"campaign_id": self.campaign.id, "partner_id": customer.id}
            )
            request._nps_open_without_email("email")
            request.with_context(nps_defer_effects=True)._nps_record_answer(score=9)
        self.assertFalse(
            self.env["nps.health.history"].search_count(
                [("partner_id", "in", customers.ids)]
            ),
            "the answers' effects are still to come",
        )
        self.env.flush_all()
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            customers._nps_refresh_stats()
            self.env.flush_all()
        history_queries = [line for line in logs.output if "nps_health_history" in line]
        self.assertEqual(
            len(history_queries),
            1,
            "one INSERT for the batch:\n"
            + "\n".join(line[:200] for line in history_queries),
        )
        self.assertEqual(
            self.env["nps.health.history"].search_count(
                [("partner_id", "in", customers.ids)]
            ),
            50,
        )


@tagged("post_install", "-at_install")
class TestHealthHistoryAccess(HealthHistoryCase):
    def test_satisfaction_users_read_it_others_do_not(self):
        self.answer(self.customer_b, 3)
        rows = self.rows(self.company_b)
        self.assertEqual(
            self.env["nps.health.history"]
            .with_user(self.nps_user)
            .search([("partner_id", "=", self.company_b.id)]),
            rows,
        )
        internal = new_test_user(
            self.env, login="churn_internal", groups="base.group_user"
        )
        portal = new_test_user(
            self.env,
            login="churn_portal_history",
            groups="base.group_portal",
            partner_id=self.customer_b.id,
        )
        for user in (internal, portal):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["nps.health.history"].with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                rows.with_user(user).read(["health"])
        with self.assertRaises(AccessError):
            rows.with_user(self.manager).write({"health": "healthy"})


@tagged("post_install", "-at_install")
class TestHealthHistoryMigration(HealthHistoryCase):
    """The upgrade to 19.0.6.0.0 starts the history from today's values:
    one row per customer with a health, none for his contacts, nothing more
    when it runs again."""

    def test_history_starts_from_todays_values(self):
        private = self.make_customers(1, "private")
        self.answer(self.customer_b, 3)
        self.answer(self.customer_a, 10)
        self.answer(private, 8)
        self.env.flush_all()
        # the previous version had no history
        self.env.cr.execute("DELETE FROM nps_health_history")
        self.env.invalidate_all()
        migration = _load_migration()
        migration.migrate(self.env.cr, "19.0.5.0.0")
        self.env.invalidate_all()
        for customer, expected in (
            (self.company_b, ("at_risk", "detractor", -100.0)),
            (self.company_a, ("healthy", "promoter", 100.0)),
            (private, ("watch", "passive", 0.0)),
        ):
            self.assertEqual(
                self.values(self.rows(customer)), [expected], customer.name
            )
        self.assertFalse(self.rows(self.customer_b) | self.rows(self.customer_a))
        everything = self.env["nps.health.history"].search([])
        self.assertEqual(
            set(everything.partner_id.ids),
            set(
                self.env["res.partner"]
                .with_context(active_test=False)
                .search([("nps_health", "!=", False)])
                .filtered(lambda p: p.commercial_partner_id == p)
                .ids
            ),
            "every customer with a health, none other",
        )
        migration.migrate(self.env.cr, "19.0.5.0.0")
        self.assertEqual(
            self.env["nps.health.history"].search_count([]),
            len(everything),
            "run again, it adds nothing",
        )
