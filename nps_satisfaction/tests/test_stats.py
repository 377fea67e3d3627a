from collections import defaultdict
from datetime import date, timedelta

from odoo import fields
from odoo.tests import BaseCase, tagged
from odoo.tools import SQL

from ..tools import score_tools, stats_tools
from ..tools.stats_tools import Counts
from .common import NpsCase

SCORE_OF = {"promoter": 10, "passive": 8, "detractor": 3}


@tagged("post_install", "-at_install")
class TestStatsTools(BaseCase):
    """The margin of error and the test of a change, against numbers
    computed by hand."""

    def test_nps_and_variance(self):
        # 6 promoters, 2 passives, 2 detractors: p = .6, d = .2
        counts = Counts(6, 2, 2)
        self.assertAlmostEqual(stats_tools.nps(counts), 40.0)
        self.assertAlmostEqual(stats_tools.variance(counts), 0.8 - 0.16)
        self.assertIsNone(stats_tools.nps(Counts()))
        self.assertIsNone(stats_tools.variance(Counts()))
        self.assertEqual(stats_tools.variance(Counts(7, 0, 0)), 0.0)
        # 1 promoter, 1 detractor: each answer +1 or -1, mean 0: variance 1
        self.assertAlmostEqual(stats_tools.variance(Counts(1, 0, 1)), 1.0)

    def test_margin(self):
        # 1.96 * 100 * sqrt(.64 / 10) = 49.58
        self.assertAlmostEqual(stats_tools.margin(Counts(6, 2, 2)), 49.5845, 3)
        # 50/30/20 of 100: var = .7 - .09 = .61; 196 * sqrt(.0061) = 15.31
        self.assertAlmostEqual(stats_tools.margin(Counts(50, 30, 20)), 15.3081, 3)
        # 3/1/1: var = .8 - .16 = .64; 196 * sqrt(.128) = 70.12
        self.assertAlmostEqual(stats_tools.margin(Counts(3, 1, 1)), 70.1231, 3)

    def test_margin_needs_answers_and_variance(self):
        self.assertIsNone(stats_tools.margin(Counts()), "no answer")
        self.assertIsNone(stats_tools.margin(Counts(1, 0, 0)), "one answer")
        self.assertIsNone(
            stats_tools.margin(Counts(2, 0, 2)),
            f"under {stats_tools.MIN_ANSWERS} answers, even with variance",
        )
        self.assertIsNone(
            stats_tools.margin(Counts(12, 0, 0)), "all promoters: no ±0 certainty"
        )
        self.assertIsNotNone(stats_tools.margin(Counts(4, 0, 1)))

    def test_counts_of_categories(self):
        categories = ["promoter", "detractor", False, "passive", "promoter"]
        self.assertEqual(Counts.of(categories), Counts(2, 1, 1))
        self.assertEqual(Counts(1, 2, 3) + Counts(1, 0, 1), Counts(2, 2, 4))
        self.assertEqual(
            stats_tools.nps(Counts.of(categories)),
            score_tools.nps(c for c in categories if c),
            "the same NPS as the definition's",
        )

    def test_significant_drop(self):
        # NPS 30 (var .61) -> -10 (var .69) over 100 answers each:
        # SE = 100 * sqrt(.0061 + .0069) = 11.40; z = 40 / 11.40 = 3.51
        comparison = stats_tools.compare(Counts(50, 30, 20), Counts(30, 30, 40))
        self.assertAlmostEqual(comparison.delta, -40.0)
        self.assertAlmostEqual(comparison.z, 3.5082, 3)
        self.assertAlmostEqual(comparison.threshold, 22.3475, 3)
        self.assertEqual(comparison.verdict, stats_tools.SIGNIFICANT)
        self.assertTrue(comparison.is_drop)
        rise = stats_tools.compare(Counts(30, 30, 40), Counts(50, 30, 20))
        self.assertEqual(rise.verdict, stats_tools.SIGNIFICANT)
        self.assertFalse(rise.is_drop, "a rise is no drop")

    def test_small_sample_drop_is_noise(self):
        # NPS 40 (var .64) -> 0 (var .8) over 5 answers each:
        # SE = 100 * sqrt(.128 + .16) = 53.67; z = 40 / 53.67 = 0.75
        comparison = stats_tools.compare(Counts(3, 1, 1), Counts(2, 1, 2))
        self.assertAlmostEqual(comparison.delta, -40.0)
        self.assertAlmostEqual(comparison.z, 0.7454, 3)
        self.assertEqual(comparison.verdict, stats_tools.NOISE)
        self.assertFalse(comparison.is_drop)
        # the same shares over 20 times the answers: significant
        large = stats_tools.compare(Counts(60, 20, 20), Counts(40, 20, 40))
        self.assertEqual(large.verdict, stats_tools.SIGNIFICANT)

    def test_not_enough_answers(self):
        comparison = stats_tools.compare(Counts(4, 0, 0), Counts(0, 0, 4))
        self.assertEqual(comparison.verdict, stats_tools.NOT_ENOUGH)
        self.assertAlmostEqual(comparison.delta, -200.0)
        self.assertFalse(comparison.is_drop)
        empty = stats_tools.compare(Counts(), Counts(9, 1, 0))
        self.assertEqual(empty.verdict, stats_tools.NOT_ENOUGH)
        self.assertIsNone(empty.delta)

    def test_zero_variance_on_one_side_takes_the_pooled_variance(self):
        # 5 promoters (no variance) -> 1 promoter, 4 detractors (var .64):
        # pooled 6/0/4: var = 1 - .04 = .96; SE = 100 * sqrt(.96/5 + .64/5)
        # = 56.57 and z = 160 / 56.57 = 2.83 (the unpooled 35.78 would say 4.47)
        comparison = stats_tools.compare(Counts(5, 0, 0), Counts(1, 0, 4))
        self.assertAlmostEqual(comparison.z, 2.8284, 3)
        self.assertEqual(comparison.verdict, stats_tools.SIGNIFICANT)
        # 5 promoters -> 4 promoters, 1 passive: pooled var .09, after .16:
        # SE = 22.36, z = 20 / 22.36 = 0.89
        small = stats_tools.compare(Counts(5, 0, 0), Counts(4, 1, 0))
        self.assertAlmostEqual(small.z, 0.8944, 3)
        self.assertEqual(small.verdict, stats_tools.NOISE)

    def test_zero_variance_on_both_sides(self):
        # all promoters then all detractors: pooled var 1, SE = 63.25, z = 3.16
        flip = stats_tools.compare(Counts(5, 0, 0), Counts(0, 0, 5))
        self.assertAlmostEqual(flip.z, 3.1623, 3)
        self.assertEqual(flip.verdict, stats_tools.SIGNIFICANT)
        same = stats_tools.compare(Counts(5, 0, 0), Counts(9, 0, 0))
        self.assertEqual(same.verdict, stats_tools.NOISE, "no change, no error")
        self.assertEqual(same.delta, 0.0)

    def test_period_bounds(self):
        before, start, end = stats_tools.period_bounds(date(2025, 3, 31), 30)
        self.assertEqual(
            (before, start, end),
            (date(2025, 1, 30), date(2025, 3, 1), date(2025, 3, 31)),
        )


class StatsCase(NpsCase):
    """Answered surveys made by one INSERT, as the report benchmark makes
    them: a hundred answers per test without closing a hundred tickets."""

    def insert_answers(self, counts, days_ago, team=None, campaign=None):
        categories = (
            ["promoter"] * counts.promoters
            + ["passive"] * counts.passives
            + ["detractor"] * counts.detractors
        )
        sent = fields.Datetime.now() - timedelta(days=days_ago)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO nps_request (
                    campaign_id, trigger, company_id, partner_id,
                    commercial_partner_id, team_id, state, channel,
                    access_token, sent_date, answer_date, report_date, score,
                    nps_category, reminder_count, create_date, write_date,
                    create_uid, write_uid)
                SELECT %(campaign)s, 'ticket_closed', %(company)s, %(partner)s,
                       %(commercial)s, %(team)s, 'answered', 'email',
                       md5(random()::text || s.g::text), %(sent)s, %(sent)s,
                       %(day)s, s.score, s.category, 0, %(sent)s, %(sent)s,
                       %(uid)s, %(uid)s
                  FROM unnest(%(scores)s::int[], %(categories)s::varchar[])
                       WITH ORDINALITY AS s(score, category, g)
                """,
                campaign=(campaign or self.campaign).id,
                company=self.env.company.id,
                partner=self.customer_a.id,
                commercial=self.company_a.id,
                team=(team or self.team).id,
                sent=sent,
                day=sent.date(),
                scores=[SCORE_OF[c] for c in categories],
                categories=categories,
                uid=self.env.uid,
            )
        )
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestReportMargin(NpsCase):
    """The report's margin, computed in SQL for any grouping, equals the
    tool's from the counts of the group's answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scores = {
            cls.team: [10, 10, 9, 9, 8, 3, 0, 6, None],
            cls.team_other: [10, 7, 8, 8, 2, 9, None],
        }
        cls.requests = cls.env["nps.request"]
        moved = cls.env["nps.request"]
        for team, team_scores in scores.items():
            customers = cls.make_customers(
                cls, len(team_scores), prefix=f"margin {team.id}"
            )
            requests = cls.close(cls, cls.make_tickets(cls, customers, team_id=team.id))
            cls.env["nps.dispatch"]._nps_dispatch_due()
            for request, score in zip(requests, team_scores, strict=True):
                if score is not None:
                    request._nps_record_answer(score=score)
            cls.requests |= requests
            moved |= requests[: 4 if team == cls.team else 2]
        cls.env.flush_all()
        # some answers a month and a half earlier: two months in the report
        cls.env.cr.execute(
            SQL(
                """UPDATE nps_request
                      SET sent_date = sent_date - interval '45 days',
                          report_date = report_date - 45
                    WHERE id IN %s""",
                tuple(moved.ids),
            )
        )
        cls.env.invalidate_all()

    def expected(self, key):
        """The tool's margin per group, the groups made in Python from the
        report's rows."""
        rows = self.env["nps.report"].search_fetch(
            [("request_id", "in", self.requests.ids)],
            ["date", "team_id", "nps_category"],
        )
        categories = defaultdict(list)
        for row in rows:
            categories[key(row)].append(row.nps_category)
        return {
            group: stats_tools.margin(Counts.of(values))
            for group, values in categories.items()
        }

    def margins(self, groupby):
        return {
            tuple(keys): margin
            for *keys, margin in self.env["nps.report"]._read_group(
                [("request_id", "in", self.requests.ids)],
                groupby,
                ["nps_margin:avg"],
            )
        }

    def assert_margins(self, groupby, key):
        margins = self.margins(groupby)
        expected = self.expected(key)
        self.assertEqual(set(margins), set(expected), "the same groups")
        for group, margin in expected.items():
            if margin is None:
                self.assertFalse(margins[group], f"no margin for {group}")
            else:
                self.assertAlmostEqual(margins[group], margin, 6, f"margin of {group}")
        return margins

    def test_margin_by_month(self):
        margins = self.assert_margins(
            ["date:month"], lambda row: (row.date.replace(day=1),)
        )
        self.assertEqual(len(margins), 2, "two months")
        self.assertTrue(all(margins.values()), "both months have 5 answers or more")

    def test_margin_by_team(self):
        margins = self.assert_margins(["team_id"], lambda row: (row.team_id,))
        # team: 4 promoters, 1 passive, 3 detractors (8 answers, 1 unanswered
        # left out): var = 7/8 - (1/8)^2 = .859; 196 * sqrt(.859 / 8) = 64.24
        self.assertAlmostEqual(margins[(self.team,)], 64.2395, 3)

    def test_margin_by_team_and_month(self):
        margins = self.assert_margins(
            ["team_id", "date:month"],
            lambda row: (row.team_id, row.date.replace(day=1)),
        )
        self.assertIn(
            None, [m or None for m in margins.values()], "4 promoters: no margin"
        )

    def test_margin_of_everything(self):
        [(margin,)] = self.env["nps.report"]._read_group(
            [("request_id", "in", self.requests.ids)], [], ["nps_margin:avg"]
        )
        scores = [10, 10, 9, 9, 8, 3, 0, 6, 10, 7, 8, 8, 2, 9]
        counts = Counts.of(score_tools.classify(s) for s in scores)
        self.assertEqual(counts, Counts(6, 4, 4))
        self.assertAlmostEqual(margin, stats_tools.margin(counts), 6)

    def test_margin_is_a_measure_of_one_query(self):
        report = self.env["nps.report"]
        description = report.fields_get(["nps_margin"], ["aggregator", "string"])
        self.assertEqual(description["nps_margin"]["aggregator"], "avg")
        self.assertEqual(description["nps_margin"]["string"], "NPS margin (±)")
        report.invalidate_model()
        with self.assertQueryCount(1):
            report._read_group([], ["date:month"], ["nps_value:avg", "nps_margin:avg"])
        rows = report.with_user(self.nps_user).formatted_read_group(
            [("request_id", "in", self.requests.ids)],
            ["team_id"],
            ["nps_margin:avg", "__count"],
        )
        self.assertEqual(len(rows), 2, "the web client's call, as a user")


@tagged("post_install", "-at_install")
class TestCountsByPeriod(StatsCase):
    """The two periods the dashboard and the drop alerts compare, from one
    query."""

    def test_days_fall_in_their_period(self):
        self.insert_answers(Counts(1, 0, 0), days_ago=0)
        self.insert_answers(Counts(2, 0, 0), days_ago=30, team=self.team_other)
        self.insert_answers(Counts(0, 1, 0), days_ago=31)
        self.insert_answers(Counts(0, 0, 4), days_ago=60)
        self.insert_answers(Counts(0, 0, 8), days_ago=61)
        periods = stats_tools.period_bounds(fields.Date.today(), 30)
        report = self.env["nps.report"].with_user(self.nps_user)
        report._nps_counts_by_period([], periods)  # warm-up: rights, rules
        with self.assertQueryCount(1):
            previous, current = report._nps_counts_by_period([], periods)
        self.assertEqual(current, {(): Counts(3, 0, 0)}, "today and 30 days ago")
        self.assertEqual(previous, {(): Counts(0, 1, 4)}, "31 to 60 days ago")
        previous, current = report._nps_counts_by_period([], periods, ("team_id",))
        self.assertEqual(
            current,
            {(self.team,): Counts(1, 0, 0), (self.team_other,): Counts(2, 0, 0)},
        )
        self.assertEqual(previous, {(self.team,): Counts(0, 1, 4)})


@tagged("post_install", "-at_install")
class TestDashboardNoise(StatsCase):
    """The dashboard says whether the change is larger than the noise."""

    def dashboard(self):
        return (
            self.env["nps.dashboard"].with_user(self.nps_user).create({"period": "30"})
        )

    def test_small_sample_change_is_within_the_noise(self):
        self.insert_answers(Counts(4, 1, 1), days_ago=45)
        self.insert_answers(Counts(2, 1, 2), days_ago=5)
        dashboard = self.dashboard()
        self.assertAlmostEqual(dashboard.nps, 0.0)
        self.assertAlmostEqual(dashboard.nps_previous, 50.0)
        self.assertEqual(dashboard.nps_change_verdict, "noise", "a 50-point drop")
        # 196 * sqrt(.8 / 5) = 78.4
        self.assertAlmostEqual(dashboard.nps_margin, 78.4, 1)
        self.assertFalse(dashboard.nps_margin_note)
        # SE = 100 * sqrt((5/6 - 1/4) / 6 + .8 / 5) = 50.72
        self.assertAlmostEqual(dashboard.nps_change_threshold, 99.4, 1)

    def test_large_sample_change_is_significant(self):
        self.insert_answers(Counts(50, 30, 20), days_ago=40)
        self.insert_answers(Counts(30, 30, 40), days_ago=10)
        dashboard = self.dashboard()
        self.assertAlmostEqual(dashboard.nps_trend, -40.0)
        self.assertEqual(dashboard.nps_change_verdict, "significant")
        self.assertAlmostEqual(dashboard.nps_margin, 16.3, 1, "one decimal")
        self.assertAlmostEqual(dashboard.nps_change_threshold, 22.3, 1)
        self.assertEqual(
            dict(
                dashboard._fields["nps_change_verdict"]._description_selection(
                    dashboard.env
                )
            )[dashboard.nps_change_verdict],
            "Significant change",
        )

    def test_few_answers_give_no_margin(self):
        self.insert_answers(Counts(5, 1, 0), days_ago=40)
        self.insert_answers(Counts(1, 0, 2), days_ago=3)
        dashboard = self.dashboard()
        self.assertEqual(dashboard.nps_change_verdict, "not_enough")
        self.assertEqual(dashboard.nps_margin, 0.0)
        self.assertIn("Not enough answers (3", dashboard.nps_margin_note)

    def test_one_category_gives_no_margin(self):
        self.insert_answers(Counts(8, 0, 0), days_ago=3)
        dashboard = self.dashboard()
        self.assertEqual(dashboard.nps_margin, 0.0)
        self.assertIn("one category", dashboard.nps_margin_note)


@tagged("post_install", "-at_install")
class TestDropAlert(StatsCase):
    """A team's or a campaign's drop alerts its responsible only when it is
    larger than the noise, once a period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.watched = cls.campaign.copy({"name": "Watched campaign"})
        cls.watched.user_id = cls.manager

    def check(self, today=None):
        return self.env["nps.drop.alert"]._nps_check_drops(self.env.company, today)

    def alerts(self, record):
        return record.message_ids.filtered(
            lambda m: m.subject and m.subject.startswith("Satisfaction drop")
        )

    def test_setting_has_a_default(self):
        self.assertEqual(self.env.company.nps_drop_alert_days, 30)

    def test_small_sample_drop_gives_no_alert(self):
        self.insert_answers(Counts(4, 1, 1), days_ago=45, campaign=self.watched)
        self.insert_answers(Counts(2, 1, 2), days_ago=5, campaign=self.watched)
        self.assertEqual(self.check(), [], "a 50-point drop of 6 and 5 answers")
        self.assertFalse(self.alerts(self.team))
        self.assertFalse(self.alerts(self.watched))
        self.assertFalse(self.team.nps_drop_alert_date)

    def test_significant_drop_alerts_once(self):
        self.insert_answers(Counts(50, 30, 20), days_ago=40, campaign=self.watched)
        self.insert_answers(Counts(30, 30, 40), days_ago=10, campaign=self.watched)
        alerted = self.env["nps.drop.alert"]._cron_check_drops()
        self.assertEqual(
            {(r._name, r.id) for r in alerted},
            {("helpdesk.ticket.team", self.team.id), ("nps.campaign", self.watched.id)},
        )
        alert = self.alerts(self.team)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.partner_ids, self.team_leader.partner_id, "the leader")
        self.assertIn("30.0", alert.subject)
        self.assertIn("-10.0", alert.subject)
        self.assertIn("± 16.3 (100 answers)", alert.body)
        self.assertEqual(self.alerts(self.watched).partner_ids, self.manager.partner_id)
        self.assertEqual(
            self.team.nps_drop_alert_date, fields.Date.context_today(self.team)
        )

        self.assertEqual(self.check(), [], "a second run the same day")
        tomorrow = fields.Date.context_today(self.team) + timedelta(days=1)
        self.assertEqual(self.check(tomorrow), [], "nor the next day")
        self.assertEqual(len(self.alerts(self.team)), 1, "one alert a period")
        self.assertEqual(len(self.alerts(self.watched)), 1)

    def test_alert_again_after_a_period(self):
        self.insert_answers(Counts(50, 30, 20), days_ago=40)
        self.insert_answers(Counts(30, 30, 40), days_ago=10)
        self.team.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket_team SET nps_drop_alert_date = %s "
                "WHERE id = %s",
                fields.Date.context_today(self.team) - timedelta(days=31),
                self.team.id,
            )
        )
        self.team.invalidate_recordset()
        self.assertIn(self.team, self.check(), "the last alert is a period old")

    def test_significant_rise_gives_no_alert(self):
        self.insert_answers(Counts(30, 30, 40), days_ago=40)
        self.insert_answers(Counts(50, 30, 20), days_ago=10)
        self.assertEqual(self.check(), [])

    def test_no_alert_when_disabled(self):
        self.insert_answers(Counts(50, 30, 20), days_ago=40)
        self.insert_answers(Counts(30, 30, 40), days_ago=10)
        self.env.company.nps_drop_alert_days = 0
        self.assertEqual(self.env["nps.drop.alert"]._cron_check_drops(), [])
        self.assertFalse(self.alerts(self.team))

    def test_period_is_the_setting(self):
        # the same answers, compared over 7 days: nothing in either period
        self.insert_answers(Counts(50, 30, 20), days_ago=40)
        self.insert_answers(Counts(30, 30, 40), days_ago=10)
        self.env.company.nps_drop_alert_days = 7
        self.assertEqual(self.check(), [])
