import importlib.util
import pathlib

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..report.nps_theme_day import DIMENSIONS, MEASURES
from .test_theme_report import MONTH_A, ThemeAnswersCase


@tagged("post_install", "-at_install")
class TestThemeDay(ThemeAnswersCase):
    """The comment themes by day (nps.theme.day) equal, after every change
    of an answer or of its themes, the sums recomputed from every answer,
    and the themes' figures read from them equal those read from the
    answers (the dashboard's *What detractors talk about*)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.customer)
        cls.periods = (
            cls.month_a,
            cls.month_b,
            (today - relativedelta(days=89), today),
        )

    # --- Checks ---

    def assertSummaryMatchesAnswers(self):
        """Each key's sums in nps.theme.day equal those computed anew from
        every answer and its themes."""
        day = self.env["nps.theme.day"]
        self.assertSummaryMatches(
            "nps_theme_day",
            DIMENSIONS,
            MEASURES,
            "answer_count",
            day._nps_sums_sql(day._nps_themes_sql("nps_request_theme_rel")),
        )

    def assertFiguresMatch(self, env=None):
        """The themes' figures of each period, read from the summaries,
        equal those read from the answers."""
        report = (env or self.env)["nps.theme.report"]
        for period in self.periods:
            domain = [("date", ">=", period[0]), ("date", "<=", period[1])]
            self.assertIsNotNone(
                self.env["nps.theme.day"]._nps_summary_domain(report, domain)
            )
            summed = report._nps_theme_figures(*period)
            read = report.with_context(nps_report_no_summary=True)._nps_theme_figures(
                *period
            )
            self.assertEqual(set(summed), set(read), period)
            for theme, figures in read.items():
                for name, value in figures._asdict().items():
                    if isinstance(value, float):
                        self.assertAlmostEqual(
                            getattr(summed[theme], name), value, msg=name
                        )
                    else:
                        self.assertEqual(getattr(summed[theme], name), value, name)

    def assertAllMatch(self):
        self.assertSummaryMatchesAnswers()
        self.assertFiguresMatch()

    # --- The summary follows the answers and their themes ---

    def test_inserted_answers_are_summed(self):
        self.assertAllMatch()
        self.assertFiguresMatch(env=self.env(user=self.telco_user))

    def test_themes_added_and_removed(self):
        request = self.requests_a[6]
        request.write(
            {
                "theme_ids": [
                    Command.link(self.themes["billing"].id),
                    Command.unlink(self.themes["network"].id),
                ]
            }
        )
        self.assertAllMatch()
        self.requests_b._nps_tag_themes()
        self.assertAllMatch()

    def test_changed_answers_move_their_themes(self):
        self.requests_a[0]._nps_change_answer(
            {"score": 1, "nps_category": "detractor", "comment": ""}
        )
        self.assertAllMatch()
        self.requests_a[:3].write({"company_id": self.env.company.id})
        self.assertAllMatch()
        self.requests_b[:2].write({"sent_date": fields.Datetime.now()})
        self.assertAllMatch()
        self.env.cr.execute(
            SQL(
                "UPDATE nps_request SET state = 'expired' WHERE id = %s",
                self.requests_b[0].id,
            )
        )
        self.env.invalidate_all()
        # no path of the suite takes an answer back (a survey has a
        # comment only once answered, which the figures' totals count on):
        # the summary alone is checked after this plain SQL
        self.assertSummaryMatchesAnswers()

    def test_anonymised_and_deleted_answers(self):
        anonymised = self.env.ref("nps_satisfaction.partner_nps_anonymised")
        self.env["nps.privacy"]._nps_anonymize(self.requests_a[:2], anonymised)
        self.assertAllMatch()
        self.requests_a[6].unlink()
        self.assertAllMatch()
        # a campaign deleted deletes its answers, and their themes, in the
        # database (cascade)
        campaign = self.campaign.copy({"name": "Theme day campaign"})
        self.env.cr.execute(
            SQL(
                "UPDATE nps_request SET campaign_id = %s WHERE id IN %s",
                campaign.id,
                tuple(self.requests_b.ids),
            )
        )
        self.env.invalidate_all()
        self.assertAllMatch()
        campaign.unlink()
        self.assertAllMatch()

    def test_a_deleted_theme_leaves_the_figures(self):
        theme = self.env["nps.theme"].create({"name": "Short-lived"})
        self.requests_a[:4].write({"theme_ids": [Command.link(theme.id)]})
        self.assertAllMatch()
        theme.unlink()
        self.assertAllMatch()

    def test_compaction_keeps_the_figures(self):
        self.requests_a[7]._nps_change_answer({"score": 8, "nps_category": "passive"})
        self.env.flush_all()
        before = self.env["nps.theme.report"]._nps_theme_figures(*self.periods[2])
        self.env["nps.theme.day"]._cron_compact()
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FILTER (WHERE fresh), COUNT(*),"
                " COUNT(DISTINCT (%s)) FROM nps_theme_day",
                SQL(", ").join(SQL.identifier(name) for name in DIMENSIONS),
            )
        )
        fresh, rows, keys = self.env.cr.fetchone()
        self.assertEqual(fresh, 0, "every row compacted")
        self.assertEqual(rows, keys, "one row per key")
        self.assertEqual(
            self.env["nps.theme.report"]._nps_theme_figures(*self.periods[2]), before
        )
        self.assertAllMatch()

    def test_migration_fills_the_summary(self):
        self.env.cr.execute(SQL("DELETE FROM nps_theme_day"))
        path = (
            pathlib.Path(__file__).resolve().parents[1]
            / "migrations"
            / "19.0.7.0.0"
            / "post-migrate.py"
        )
        spec = importlib.util.spec_from_file_location("nps_theme_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.6.0.0")
        self.assertAllMatch()
        migration.migrate(self.env.cr, "19.0.6.0.0")
        self.assertAllMatch()

    # --- Who reads it ---

    def test_the_figures_come_from_the_summary(self):
        """Emptied, the summary gives no theme: the figures were its."""
        period = self.periods[2]
        self.assertTrue(self.env["nps.theme.report"]._nps_theme_figures(*period))
        self.env.cr.execute(SQL("DELETE FROM nps_theme_day"))
        self.assertFalse(self.env["nps.theme.report"]._nps_theme_figures(*period))
        self.assertTrue(
            self.env["nps.theme.report"]
            .with_context(nps_report_no_summary=True)
            ._nps_theme_figures(*period)
        )

    def test_account_manager_reads_the_rows(self):
        """An account manager's rule is on his customers, which the summary
        does not know: his figures read his rows."""
        report = self.env(user=self.am)["nps.theme.report"]
        self.assertIsNone(self.env["nps.theme.day"]._nps_summary_domain(report, []))
        figures = report._nps_theme_figures(*self.periods[0])
        self.assertEqual(
            sorted(theme.name for theme in figures),
            sorted(
                theme.name
                for _score, _comment, keys, managed in MONTH_A
                if managed
                for theme in (self.themes[key] for key in keys)
            ),
        )

    def test_a_filter_on_the_customer_reads_the_rows(self):
        report = self.env["nps.theme.report"]
        self.assertIsNone(
            self.env["nps.theme.day"]._nps_summary_domain(
                report, [("partner_id", "=", self.customer.id)]
            )
        )
