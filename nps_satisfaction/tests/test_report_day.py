import importlib.util
import pathlib
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..report.nps_report_day import DIMENSIONS, MEASURES
from ..tools import stats_tools
from .common import NpsCase

#: the groupings and measures of the NPS graphs, the pivot and the dashboard
MEASURES_READ = (
    "__count",
    "nps_value:avg",
    "nps_value:count",
    "nps_margin:avg",
    "answered:avg",
    "answer_count:sum",
    "csat:avg",
    "csat_score:avg",
    "score:avg",
    "comment_count:sum",
)
GROUPINGS = (
    (),
    ("date:month",),
    ("team_id", "date:quarter"),
    ("company_id", "campaign_id", "trigger"),
    ("pilot",),
    ("date:day",),
)


@tagged("post_install", "-at_install")
class TestReportDay(NpsCase):
    """The figures by day (nps.report.day) equal, after every change of a
    survey, the figures read from the surveys themselves, and nps.report
    reads from them where it may."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.make_customers(cls, 6, prefix="day")
        tickets = cls.make_tickets(cls, cls.customers)
        cls.requests = cls.close(cls, tickets)
        cls.env["nps.dispatch"]._nps_dispatch_due()
        for request, score, csat, comment in zip(
            cls.requests,
            (10, 9, 7, 3, 0),
            (5, None, 3, 1, 4),
            ("Great", "", "Fine", "Nobody called", ""),
            strict=False,
        ):
            request._nps_record_answer(score=score, csat_score=csat, comment=comment)
        # spread over three months, one survey still waiting
        for request, days in zip(cls.requests, (0, 0, 40, 40, 80, 80), strict=True):
            moment = fields.Datetime.now() - timedelta(days=days)
            request.write({"sent_date": moment})
        cls.env.flush_all()

    # --- Checks ---

    def assertSummaryMatchesSurveys(self):
        """Each key's sums in nps.report.day equal those computed anew from
        every survey (its fresh rows and its compacted one summed)."""
        self.assertSummaryMatches(
            "nps_report_day",
            DIMENSIONS,
            MEASURES,
            "row_count",
            self.env["nps.report.day"]._nps_sums_sql(SQL("SELECT * FROM nps_request")),
        )

    def assertReportsMatch(self, env=None, domain=()):
        """nps.report gives the same figures from the summary as from its
        rows, for the groupings of the graphs, the pivot and the dashboard,
        and it read them from the summary."""
        report = (env or self.env)["nps.report"]
        day = self.env["nps.report.day"]
        for groupby in GROUPINGS:
            self.assertIsNotNone(
                day._nps_summary_domain(report, domain, groupby, MEASURES_READ),
                groupby,
            )
            summed = report._read_group(domain, groupby, MEASURES_READ)
            read = report.with_context(nps_report_no_summary=True)._read_group(
                domain, groupby, MEASURES_READ
            )
            self.assertEqual(len(summed), len(read), groupby)
            for row_summed, row_read in zip(
                sorted(summed, key=str), sorted(read, key=str), strict=True
            ):
                for value_summed, value_read in zip(row_summed, row_read, strict=True):
                    self.assertIs(type(value_summed), type(value_read), groupby)
                    if isinstance(value_read, float):
                        self.assertAlmostEqual(value_summed, value_read, msg=groupby)
                    else:
                        self.assertEqual(value_summed, value_read, groupby)

    def assertAllMatch(self):
        self.assertSummaryMatchesSurveys()
        self.assertReportsMatch()

    # --- The summary follows the surveys ---

    def test_answers_are_summed(self):
        self.assertAllMatch()
        [(nps, count, answers)] = self.env["nps.report"]._read_group(
            [], [], ["nps_value:avg", "__count", "answer_count:sum"]
        )
        self.assertEqual(
            self.env["nps.report"]._read_group(
                [], [], ["nps_value:avg", "__count", "answer_count:sum"]
            ),
            [(nps, count, answers)],
        )
        request = self.sent_request(self.customer_b)
        request._nps_record_answer(score=10, csat_score=5, comment="Quick")
        self.env.flush_all()
        [(_nps, count_after, answers_after)] = self.env["nps.report"]._read_group(
            [], [], ["nps_value:avg", "__count", "answer_count:sum"]
        )
        self.assertEqual((count_after, answers_after), (count + 1, answers + 1))
        self.assertAllMatch()

    def test_a_changed_answer_moves_its_figures(self):
        request = self.requests[0]
        request._nps_change_answer(
            {"score": 2, "nps_category": "detractor", "csat_score": 1, "comment": ""}
        )
        self.assertAllMatch()

    def test_expired_and_undeliverable_surveys(self):
        waiting = self.requests[5]
        self.assertEqual(waiting.state, "sent")
        waiting._nps_mark_expired()
        self.assertAllMatch()
        other = self.sent_request(self.customer_b)
        self.assertAllMatch()
        other._nps_mark_undeliverable("550 no such user")
        self.assertAllMatch()

    def test_company_and_team_changes(self):
        other = self.env["res.company"].create({"name": "Day Telco"})
        self.requests[:2].write({"company_id": other.id})
        self.assertAllMatch()
        # the team is the ticket's: the request's related column follows
        self.requests[2:4].ticket_id.write({"team_id": self.team_other.id})
        self.assertAllMatch()
        rows = dict(
            self.env["nps.report"]._read_group(
                [("team_id", "=", self.team_other.id)], ["team_id"], ["__count"]
            )
        )
        self.assertEqual(rows, {self.team_other: 2})

    def test_anonymised_and_deleted_surveys(self):
        anonymised = self.env.ref("nps_satisfaction.partner_nps_anonymised")
        self.env["nps.privacy"]._nps_anonymize(self.requests[:3], anonymised)
        self.assertAllMatch()
        self.requests[3].unlink()
        self.assertAllMatch()
        # a campaign deleted deletes its surveys in the database (cascade)
        campaign = self.campaign.copy({"name": "Day campaign"})
        self.env["nps.request"].create(
            [
                {
                    "campaign_id": campaign.id,
                    "partner_id": self.customer_b.id,
                    "state": "answered",
                    "sent_date": fields.Datetime.now(),
                    "answer_date": fields.Datetime.now(),
                    "score": score,
                    "nps_category": category,
                }
                for score, category in ((10, "promoter"), (1, "detractor"))
            ]
        )
        self.assertAllMatch()
        campaign.unlink()
        self.assertAllMatch()

    def test_compaction_keeps_the_figures(self):
        self.requests[0]._nps_change_answer({"score": 8, "nps_category": "passive"})
        self.env.flush_all()
        before = self.env["nps.report"]._read_group(
            [], ["date:month", "team_id"], MEASURES_READ
        )
        self.env["nps.report.day"]._cron_compact()
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FILTER (WHERE fresh), COUNT(*),"
                " COUNT(DISTINCT (%s)) FROM nps_report_day",
                SQL(", ").join(SQL.identifier(name) for name in DIMENSIONS),
            )
        )
        fresh, rows, keys = self.env.cr.fetchone()
        self.assertEqual(fresh, 0, "every row compacted")
        self.assertEqual(rows, keys, "one row per key")
        self.assertEqual(
            self.env["nps.report"]._read_group(
                [], ["date:month", "team_id"], MEASURES_READ
            ),
            before,
        )
        self.assertAllMatch()

    def test_migration_fills_the_summary(self):
        self.env.cr.execute(SQL("DELETE FROM nps_report_day"))
        path = (
            pathlib.Path(__file__).resolve().parents[1]
            / "migrations"
            / "19.0.7.0.0"
            / "post-migrate.py"
        )
        spec = importlib.util.spec_from_file_location("nps_day_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.6.0.0")
        self.env.cr.execute(
            SQL("SELECT COUNT(*) FILTER (WHERE fresh) FROM nps_report_day")
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "compacted rows")
        self.assertAllMatch()
        # twice: the same rows
        migration.migrate(self.env.cr, "19.0.6.0.0")
        self.assertAllMatch()

    # --- What nps.report reads from it ---

    def test_counts_by_category_match(self):
        """The counts of the dashboard's margin and of the drop alerts."""
        report = self.env["nps.report"]
        for groupby in ((), ("team_id",), ("date:day",), ("campaign_id", "date:day")):
            summed = report._nps_counts([], groupby)
            read = report.with_context(nps_report_no_summary=True)._nps_counts(
                [], groupby
            )
            self.assertEqual(summed, read, groupby)
        self.assertEqual(
            sum(counts.total for counts in summed.values()), 5, "five answers"
        )

    def test_a_filter_on_the_state_reads_the_surveys(self):
        report = self.env["nps.report"]
        domain = [("state", "=", "answered")]
        self.assertIsNone(
            self.env["nps.report.day"]._nps_summary_domain(
                report, domain, ["date:month"], ["__count"]
            )
        )
        self.assertEqual(
            sum(
                count
                for _month, count in report._read_group(
                    domain, ["date:month"], ["__count"]
                )
            ),
            5,
        )

    def test_margin_is_the_margin_of_the_counts(self):
        [(margin, promoters)] = self.env["nps.report"]._read_group(
            [("nps_category", "=", "promoter")], [], ["nps_margin:avg", "__count"]
        )
        self.assertFalse(margin, "one category: no margin")
        rows = self.env["nps.report"]._nps_counts([])
        [(margin,)] = self.env["nps.report"]._read_group([], [], ["nps_margin:avg"])
        self.assertAlmostEqual(margin, stats_tools.margin(rows[()]))
        self.assertTrue(promoters)

    def test_pivot_groupings_match(self):
        report = self.env["nps.report"]
        sets = [["team_id", "date:quarter"], ["team_id"], ["date:quarter"], []]
        aggregates = ["nps_value:avg", "nps_margin:avg", "answered:avg", "__count"]
        summed = report.formatted_read_grouping_sets([], sets, aggregates)
        read = report.with_context(
            nps_report_no_summary=True
        ).formatted_read_grouping_sets([], sets, aggregates)
        self.assertEqual(len(summed), len(read))
        for groups_summed, groups_read in zip(summed, read, strict=True):
            self.assertEqual(len(groups_summed), len(groups_read))
            for group_summed, group_read in zip(
                groups_summed, groups_read, strict=True
            ):
                self.assertEqual(group_summed.keys(), group_read.keys())
                for key, value in group_read.items():
                    if isinstance(value, float):
                        self.assertAlmostEqual(group_summed[key], value, msg=key)
                    else:
                        self.assertEqual(group_summed[key], value, key)

    def test_dashboard_figures_match(self):
        names = [
            "nps",
            "nps_previous",
            "nps_trend",
            "nps_margin",
            "nps_change_verdict",
            "response_rate",
            "csat",
            "sent_count",
            "answer_count",
        ]
        for period in ("30", "90", "365"):
            board = self.env["nps.dashboard"].create({"period": period})
            summed = board.read(names)[0]
            board = (
                self.env["nps.dashboard"]
                .with_context(nps_report_no_summary=True)
                .create({"period": period})
            )
            read = board.read(names)[0]
            for name in names:
                if isinstance(read[name], float):
                    self.assertAlmostEqual(summed[name], read[name], msg=name)
                else:
                    self.assertEqual(summed[name], read[name], name)

    def test_satisfaction_user_reads_his_companies_only(self):
        other = self.env["res.company"].create({"name": "Day Telco"})
        self.requests[:2].write({"company_id": other.id})
        self.env.flush_all()
        user = self.nps_user
        self.assertReportsMatch(env=self.env(user=user))
        [(count,)] = self.env(user=user)["nps.report"]._read_group([], [], ["__count"])
        self.assertEqual(
            count,
            self.env["nps.report"].search_count([("company_id", "!=", other.id)]),
            "the other company's surveys are not his",
        )

    def test_what_the_summary_cannot_give_reads_the_rows(self):
        report = self.env["nps.report"]
        day = self.env["nps.report.day"]
        self.assertIsNone(day._nps_summary_domain(report, [], ["service_type_id"], []))
        self.assertIsNone(day._nps_summary_domain(report, [], ["nps_category"], []))
        self.assertIsNone(
            day._nps_summary_domain(report, [("request_id", "=", 1)], [], ["__count"])
        )
        self.assertIsNone(
            day._nps_summary_domain(report, [], ["date:month"], ["recovery:avg"])
        )
        self.assertIsNone(
            day._nps_summary_domain(
                report.with_context(nps_report_no_summary=True), [], [], []
            )
        )
        # an account manager without satisfaction rights: his customers'
        # rows only, which the summary does not know
        manager = new_test_user(
            self.env, login="day_manager", groups="base.group_user", name="Dan"
        )
        self.assertIsNone(
            day._nps_summary_domain(report.with_user(manager), [], ["date:month"], [])
        )
        self.customers[:2].write({"nps_account_manager_id": manager.id})
        self.env.flush_all()
        [(count,)] = report.with_user(manager)._read_group([], [], ["__count"])
        self.assertEqual(count, 2, "his two customers' surveys")

    def test_nps_by_month_is_one_query(self):
        report = self.env["nps.report"].with_user(self.manager)
        report._read_group([], ["date:month"], ["nps_value:avg"])
        with self.assertQueryCount(1):
            report._read_group([], ["date:month"], ["nps_value:avg"])
