from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..tools import score_tools
from .common import NpsCase

#: month A's answers: (score, comment, theme keys, account manager's?);
#: score None is a CSAT-only answer (no NPS category)
MONTH_A = [
    (10, "Fixed fast, but the invoice was wrong", ["billing"], True),
    (10, "Great support", ["support_quality"], True),
    (9, None, [], True),
    (9, None, [], True),
    (8, "The signal is weak", ["network"], True),
    (7, None, [], False),
    (6, "Outage again", ["network"], False),
    (3, "Invoice far too high", ["billing"], False),
    (2, "Wrong invoice, twice", ["billing"], False),
    (0, None, [], False),
    (None, "A billing error", ["billing"], False),
]
#: month B's
MONTH_B = [
    (1, "Invoice wrong again", ["billing"], False),
    (4, "Billing is a mess and the waiting time too", ["billing", "speed"], False),
    (5, "Waited a week", ["speed"], False),
    (10, None, [], False),
]


class ThemeAnswersCase(NpsCase):
    """A company of its own whose answers are known: month A has 10 NPS
    answers (4 promoters, 2 passives, 4 detractors: NPS 0), 7 comments and
    a CSAT-only answer; billing is mentioned by 4 answers, 2 of them
    detractors; month B has 4 NPS answers, 3 of them detractors mentioning
    billing or the support's speed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.telco = env["res.company"].create({"name": "Theme Telco"})
        cls.themes = {
            key: env.ref(f"nps_satisfaction.nps_theme_{xmlid}")
            for key, xmlid in (
                ("billing", "billing"),
                ("network", "network"),
                ("speed", "support_speed"),
                ("support_quality", "support_quality"),
            )
        }
        cls.am = new_test_user(
            env,
            login="theme_account_manager",
            groups="base.group_user",
            company_id=cls.telco.id,
            company_ids=[(6, 0, cls.telco.ids)],
            name="Tom Themes",
        )
        cls.telco_user = new_test_user(
            env,
            login="theme_nps_user",
            groups="base.group_user,nps_satisfaction.group_nps_user",
            company_id=cls.telco.id,
            company_ids=[(6, 0, cls.telco.ids)],
            name="Ursula Telco",
        )
        cls.customer = env["res.partner"].create(
            {"name": "Theme customer", "email": "theme@example.com"}
        )
        today = fields.Date.context_today(cls.customer)
        # two months within the dashboard's 90 days, B alone within its 30
        cls.day_a = (today - relativedelta(months=2)).replace(day=10)
        cls.day_b = today.replace(day=1)
        cls.requests_a = cls._insert(cls, MONTH_A, cls.day_a)
        cls.requests_b = cls._insert(cls, MONTH_B, cls.day_b)
        cls.month_a = (cls.day_a.replace(day=1), cls.day_a + relativedelta(day=31))
        cls.month_b = (cls.day_b, cls.day_b + relativedelta(day=31))

    def _insert(self, answers, day):
        """The answers, sent and answered on ``day`` in the Theme Telco
        company, with their themes: their ids in order."""
        moment = datetime.combine(day, time(10))
        ids = []
        for score, comment, theme_keys, managed in answers:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO nps_request (
                        campaign_id, trigger, company_id, partner_id,
                        commercial_partner_id, user_id, state, channel,
                        access_token, sent_date, answer_date, report_date,
                        score, nps_category, csat_score, comment, comment_lang,
                        reminder_count, create_date, write_date, create_uid,
                        write_uid)
                    VALUES (%(campaign)s, 'ticket_closed', %(company)s,
                            %(partner)s, %(partner)s, %(user)s, 'answered',
                            'email', md5(random()::text), %(moment)s,
                            %(moment)s, %(day)s, %(score)s, %(category)s,
                            %(csat)s, %(comment)s, 'en_US', 0, %(moment)s,
                            %(moment)s, %(uid)s, %(uid)s)
                    RETURNING id
                    """,
                    campaign=self.campaign.id,
                    company=self.telco.id,
                    partner=self.customer.id,
                    user=self.am.id if managed else None,
                    moment=moment,
                    day=day,
                    score=score,
                    category=score_tools.classify(score) or None,
                    csat=2 if score is None else None,
                    comment=comment,
                    uid=self.env.uid,
                )
            )
            request_id = self.env.cr.fetchone()[0]
            ids.append(request_id)
            for key in theme_keys:
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO nps_request_theme_rel (request_id, theme_id)"
                        " VALUES (%s, %s)",
                        request_id,
                        self.themes[key].id,
                    )
                )
        self.env.invalidate_all()
        return self.env["nps.request"].browse(ids)


@tagged("post_install", "-at_install")
class TestThemeReport(ThemeAnswersCase):
    """``nps.theme.report`` and the dashboard's *What detractors talk
    about*, on the answers of ``ThemeAnswersCase``."""

    def figures(self, period, env=None):
        report = (env or self.env)["nps.theme.report"]
        return report._nps_theme_figures(
            *period, domain=[("company_id", "=", self.telco.id)]
        )

    # --- The figures, computed by hand ---

    def test_figures_of_one_month(self):
        billing = self.figures(self.month_a)[self.themes["billing"]]
        self.assertEqual(billing.answer_count, 4, "3 NPS answers and a CSAT one")
        self.assertEqual(billing.detractor_count, 2)
        self.assertAlmostEqual(
            billing.nps, (100 - 100 - 100) / 3, msg="the NPS of its 3 NPS answers"
        )
        self.assertAlmostEqual(
            billing.comment_share, 100 * 4 / 7, msg="4 of the month's 7 comments"
        )
        self.assertAlmostEqual(
            billing.impact, 20.0, msg="2 detractors of the month's 10 NPS answers"
        )
        network = self.figures(self.month_a)[self.themes["network"]]
        self.assertEqual((network.answer_count, network.detractor_count), (2, 1))
        self.assertAlmostEqual(network.nps, -50.0, msg="a passive and a detractor")
        self.assertAlmostEqual(network.impact, 10.0)
        self.assertAlmostEqual(network.comment_share, 100 * 2 / 7)

    def test_impact_is_what_the_nps_would_gain(self):
        """The impact is the NPS the month would have had with the theme's
        detractors as passives, minus the NPS it had."""
        billing = self.themes["billing"]
        categories = []
        categories_if = []
        for request in self.requests_a.filtered("nps_category"):
            categories.append(request.nps_category)
            is_billing = billing in request.theme_ids
            categories_if.append(
                "passive"
                if is_billing and request.nps_category == "detractor"
                else request.nps_category
            )
        gain = score_tools.nps(categories_if) - score_tools.nps(categories)
        self.assertAlmostEqual(gain, 20.0)
        self.assertAlmostEqual(self.figures(self.month_a)[billing].impact, gain)

    def test_themes_without_detractors(self):
        quality = self.figures(self.month_a)[self.themes["support_quality"]]
        self.assertEqual(quality.detractor_count, 0)
        self.assertEqual(quality.impact, 0.0)
        self.assertAlmostEqual(quality.nps, 100.0)
        self.assertNotIn(
            self.themes["speed"],
            self.figures(self.month_a),
            "no answer of month A mentions the support's speed",
        )

    def test_figures_query_count(self):
        """Two aggregate queries, whatever the number of answers and themes."""
        self.figures(self.month_a)
        with self.assertQueryCount(2):
            self.figures(self.month_a)

    # --- Two months: exact figures, and the pivot's month measures ---

    def month_rows(self):
        """{(theme, month): (impact, share)} of the pivot by theme and
        month, and {month: NPS answers} of the analysis."""
        rows = self.env["nps.theme.report"]._read_group(
            [("company_id", "=", self.telco.id)],
            ["theme_id", "date:month"],
            ["impact:sum", "comment_share:sum"],
        )
        answers = self.env["nps.report"]._read_group(
            [("company_id", "=", self.telco.id), ("state", "=", "answered")],
            ["date:month"],
            ["nps_value:count", "comment_count:sum"],
        )
        return (
            {(theme, month): (impact, share) for theme, month, impact, share in rows},
            {month: (count, comments) for month, count, comments in answers},
        )

    def test_pivot_by_month(self):
        rows, _answers = self.month_rows()
        billing = self.themes["billing"]
        month_a, month_b = self.month_a[0], self.month_b[0]
        self.assertAlmostEqual(rows[billing, month_a][0], 20.0)
        self.assertAlmostEqual(rows[billing, month_a][1], 100 * 4 / 7)
        self.assertAlmostEqual(rows[billing, month_b][0], 50.0, msg="2 of 4")
        self.assertAlmostEqual(rows[billing, month_b][1], 100 * 2 / 3)
        self.assertAlmostEqual(rows[self.themes["speed"], month_b][0], 50.0)
        self.assertAlmostEqual(rows[self.themes["network"], month_a][0], 10.0)

    def test_two_months_exact_against_the_months(self):
        """Over both months the figures are those of the 14 NPS answers and
        10 comments together: each month's pivot figure weighted by the
        month's size, not their sum."""
        period = (self.month_a[0], self.month_b[1])
        figures = self.figures(period)
        billing = figures[self.themes["billing"]]
        self.assertAlmostEqual(billing.impact, 100 * 4 / 14)
        self.assertAlmostEqual(billing.comment_share, 100 * 6 / 10)
        self.assertAlmostEqual(billing.nps, -60.0, msg="1 promoter, 4 detractors")
        self.assertEqual((billing.answer_count, billing.detractor_count), (6, 4))
        rows, answers = self.month_rows()
        for theme in (self.themes["billing"], self.themes["network"]):
            weighted_impact = sum(
                rows.get((theme, month), (0.0, 0.0))[0] * count
                for month, (count, _comments) in answers.items()
            ) / sum(count for count, _comments in answers.values())
            weighted_share = sum(
                rows.get((theme, month), (0.0, 0.0))[1] * comments
                for month, (_count, comments) in answers.items()
            ) / sum(comments for _count, comments in answers.values())
            self.assertAlmostEqual(figures[theme].impact, weighted_impact)
            self.assertAlmostEqual(figures[theme].comment_share, weighted_share)
        self.assertNotAlmostEqual(
            billing.impact,
            sum(
                impact
                for (theme, _m), (impact, _s) in rows.items()
                if theme == self.themes["billing"]
            ),
            msg="the months' impacts do not add up over a period",
        )

    def recount(self, requests):
        """{theme: ThemeFigures} of ``requests`` counted one by one in
        Python, as _nps_theme_figures defines them."""
        nps_answers = len(requests.filtered("nps_category"))
        comments = len(requests.filtered("comment"))
        figures = {}
        for theme in requests.theme_ids:
            mention = requests.filtered(lambda r, t=theme: t in r.theme_ids)
            detractors = len(mention.filtered(lambda r: r.nps_category == "detractor"))
            figures[theme] = (
                len(mention),
                100.0 * len(mention.filtered("comment")) / comments,
                score_tools.nps(
                    mention.filtered("nps_category").mapped("nps_category")
                ),
                detractors,
                100.0 * detractors / nps_answers,
            )
        return figures

    def test_figures_equal_a_recount(self):
        """Every figure of every theme, of each month, of both months
        together and of each month in the pivot, equals a plain recount of
        the answers, an answer with a theme but no comment included (the
        report reads the answers with a comment and those without apart)."""
        extra = self._insert([(5, None, ["network"], False)], self.day_b)
        answers_b = self.requests_b | extra
        rows, _answers = self.month_rows()
        for period, requests in (
            (self.month_a, self.requests_a),
            (self.month_b, answers_b),
            ((self.month_a[0], self.month_b[1]), self.requests_a | answers_b),
        ):
            figures = self.figures(period)
            recount = self.recount(requests)
            self.assertEqual(set(figures), set(recount), f"themes of {period}")
            for theme, expected in recount.items():
                for name, got, want in zip(
                    figures[theme]._fields, figures[theme], expected, strict=True
                ):
                    self.assertAlmostEqual(got, want, msg=f"{theme.name} {name}")
                if period[0].month == period[1].month:
                    impact, share = rows[theme, period[0]]
                    self.assertAlmostEqual(impact, expected[4], msg=theme.name)
                    self.assertAlmostEqual(share, expected[1], msg=theme.name)

    def test_month_measures_only_by_month(self):
        """Summed over several months the share and the impact would add
        up months' percentages: without the month they are left empty."""
        report = self.env["nps.theme.report"]
        [(billing, count, nps, impact, share)] = report._read_group(
            [
                ("company_id", "=", self.telco.id),
                ("theme_id", "=", self.themes["billing"].id),
            ],
            ["theme_id"],
            ["__count", "nps_value:avg", "impact:sum", "comment_share:sum"],
        )
        self.assertEqual((billing, count), (self.themes["billing"], 6))
        self.assertAlmostEqual(nps, -60.0, msg="the NPS is right for any grouping")
        self.assertIsNone(impact)
        self.assertIsNone(share)

    def test_pivot_totals_leave_month_measures_empty(self):
        """The pivot asks its rows and totals as grouping sets in one call:
        the total over the months, as any grouping without the month, gives
        no share and no impact (the trial saw 1,187% in the pivot's
        total)."""
        report = self.env["nps.theme.report"]
        by_theme, by_month, total = report._read_grouping_sets(
            [("company_id", "=", self.telco.id)],
            [["theme_id"], ["date:month"], []],
            ["impact:sum", "comment_share:sum", "__count"],
        )
        self.assertTrue(by_theme and by_month and total)
        for row in by_theme + total:
            self.assertEqual(row[-3:-1], (None, None), row)
        self.assertTrue(all(row[1] is not None for row in by_month), by_month)

    def test_rows(self):
        rows = self.env["nps.theme.report"].search([("company_id", "=", self.telco.id)])
        self.assertEqual(len(rows), 11, "one row per answer and theme")
        request = self.requests_b[1]
        both = rows.filtered(lambda row: row.request_id == request)
        self.assertEqual(both.theme_id, self.themes["billing"] | self.themes["speed"])
        self.assertEqual(set(both.mapped("nps_category")), {"detractor"})
        self.assertEqual(rows.browse(both.ids).mapped("comment_lang"), ["en_US"] * 2)

    # --- The dashboard ---

    def test_dashboard_block_order(self):
        dashboard = (
            self.env["nps.dashboard"]
            .with_user(self.telco_user)
            .create({"period": "90"})
        )
        lines = dashboard.theme_line_ids
        self.assertEqual(
            lines.theme_id.ids,
            [self.themes[key].id for key in ("billing", "speed", "network")],
            "the costliest first; support quality, mentioned by a promoter "
            "only, is not there",
        )
        self.assertAlmostEqual(lines[0].impact, 100 * 4 / 14, 1, "one decimal")
        self.assertEqual(lines[0].detractor_count, 4)
        self.assertEqual(lines[0].answer_count, 6)
        self.assertAlmostEqual(lines[0].nps, -60.0)
        self.assertAlmostEqual(lines[0].comment_share, 60.0)
        self.assertAlmostEqual(lines[1].impact, 100 * 2 / 14, 1)
        # the last 30 days: month B alone, billing and speed 50 points each
        # (then the themes' order)
        dashboard.period = "30"
        self.assertEqual(
            dashboard.theme_line_ids.theme_id.ids,
            [self.themes["billing"].id, self.themes["speed"].id],
        )
        self.assertAlmostEqual(dashboard.theme_line_ids[0].impact, 50.0)

    def test_dashboard_period_changed_in_the_form(self):
        """Regression: after choosing another period in the form, a line's
        button answered "Please save your changes first" (the web client
        refuses the buttons of new lines): the lines of a period not saved
        yet are saved lines, of no dashboard until it is saved."""
        Dashboard = self.env["nps.dashboard"].with_user(self.telco_user)
        dashboard = Dashboard.create({"period": "90"})
        spec = {
            "period": {},
            "theme_line_ids": {"fields": {"theme_id": {}, "impact": {}}},
        }
        result = dashboard.onchange({"period": "30"}, ["period"], spec)
        commands = result["value"]["theme_line_ids"]
        linked = [command[1] for command in commands if command[0] == Command.LINK]
        self.assertFalse([c for c in commands if c[0] == Command.CREATE])
        lines = self.env["nps.dashboard.theme"].browse(linked)
        self.assertEqual(
            lines.theme_id.ids, [self.themes["billing"].id, self.themes["speed"].id]
        )
        self.assertFalse(lines.dashboard_id, "the dashboard keeps its lines")
        self.assertEqual(len(dashboard.theme_line_ids), 3)
        dashboard.period = "30"
        self.assertEqual(dashboard.theme_line_ids.theme_id, lines.theme_id)

    def test_dashboard_theme_answers(self):
        """The button of a line opens the answers mentioning the theme, with
        the filters of the detractors and of the dashboard's period: those
        filters exist in the answers' search and find the period's
        detractors mentioning the theme."""
        form = etree.fromstring(
            self.env.ref("nps_satisfaction.nps_dashboard_view_form").arch
        )
        [button] = form.xpath("//field[@name='theme_line_ids']//button")
        context = button.get("context")
        search = etree.fromstring(
            self.env.ref("nps_satisfaction.nps_request_view_search").arch
        )
        filters = {
            node.get("name"): node.get("domain") for node in search.iter("filter")
        }
        values = {
            "context_today": lambda: fields.Date.context_today(self.telco_user),
            "relativedelta": relativedelta,
        }
        for period in ("30", "90", "365"):
            name = f"filter_sent_{period}_days"
            self.assertIn(
                f"'search_default_{name}': parent.period == '{period}'", context
            )
            _before, start, _end = (
                self.env["nps.dashboard"].new({"period": period})._period_bounds()
            )
            self.assertEqual(
                safe_eval(filters[name], values),
                [("report_date", ">=", start.isoformat())],
                "the filter starts where the dashboard's period does",
            )
        self.assertIn("'search_default_filter_detractor': 1", context)
        self.assertIn("'search_default_theme_ids': [theme_id]", context)
        action = self.env.ref("nps_satisfaction.action_nps_theme_answers")
        domain = [
            *safe_eval(action.domain),
            *safe_eval(filters["filter_detractor"]),
            *safe_eval(filters["filter_sent_90_days"], values),
            ("theme_ids", "in", [self.themes["billing"].id]),
        ]
        self.assertEqual(
            self.env["nps.request"].with_user(self.telco_user).search(domain),
            self.requests_a[7:9] | self.requests_b[:2],
        )

    def test_dashboard_block_query_count(self):
        """The block is two aggregate queries and one insert of its lines,
        whatever the number of answers and themes."""

        def queries():
            Dashboard = self.env["nps.dashboard"].with_user(self.telco_user)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            dashboard = Dashboard.create({"period": "90"})
            dashboard.flush_recordset()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before, len(dashboard.theme_line_ids)

        queries()  # warm-up: the registry's and the rules' caches
        count, lines = queries()
        self.assertEqual(lines, 3)
        more = self._insert(
            MONTH_A * 3 + [(2, "The contract and its manual", [], False)], self.day_b
        )
        self.env.cr.execute(
            SQL(
                """INSERT INTO nps_request_theme_rel (request_id, theme_id)
                   SELECT %s, id FROM nps_theme WHERE id IN %s""",
                more[-1].id,
                tuple(
                    self.env.ref(f"nps_satisfaction.nps_theme_{key}").id
                    for key in ("contract", "onboarding", "installation")
                ),
            )
        )
        count_after, lines_after = queries()
        self.assertEqual(lines_after, 5, "at most five themes")
        self.assertEqual(count_after, count)

    # --- Rights ---

    def test_account_manager_reads_his_customers_rows(self):
        report = self.env(user=self.am)["nps.theme.report"]
        rows = report.search([])
        self.assertEqual(
            rows.request_id,
            self.requests_a[:5].filtered("theme_ids"),
            "the answers of the customers he manages, no other",
        )
        billing = self.figures(self.month_a, env=self.env(user=self.am))[
            self.themes["billing"]
        ]
        self.assertEqual(billing.answer_count, 1)
        self.assertAlmostEqual(
            billing.comment_share, 100 / 3, msg="1 of his customers' 3 comments"
        )
        self.assertEqual(billing.impact, 0.0)

    def test_account_manager_reads_no_company_month_measures(self):
        """The share of the comments and the impact of a row are over the
        company's month: an account manager would learn the company's
        numbers of answers and comments from them (the attack trial's
        100 / 16.67 = 6 answers that month)."""
        report = self.env(user=self.am)["nps.theme.report"]
        self.assertTrue(report.search_read([], ["theme_id", "nps_value"]))
        for field in ("impact", "comment_share"):
            with self.assertRaises(AccessError):
                report.search_read([], [field])
            with self.assertRaises(AccessError):
                report.formatted_read_group([], ["date:month"], [f"{field}:sum"])

    def test_portal_reads_nothing(self):
        portal = new_test_user(
            self.env, login="theme_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.env(user=portal)["nps.theme.report"].search([])
