from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import NpsCase

#: the answers (score, days ago) besides the promoters P1-P4's 10 (-200)
ANSWERS = {
    "X": [(10, 200), (2, 20)],
    "D1": [(2, 200)],
    "D2": [(2, 200)],
    "D3": [(2, 200)],
    "D5": [(2, 200)],
    "G": [(10, 500)],
}
#: each customer's health changes (health, days ago)
HISTORY = {
    "P1": [("healthy", 200)],
    "P2": [("healthy", 200)],
    "P3": [("healthy", 200)],
    "P4": [("healthy", 200)],
    "X": [("healthy", 200), ("at_risk", 20)],
    "D1": [("watch", 400), ("at_risk", 150)],
    "D2": [("at_risk", 180)],
    "D3": [("healthy", 380), ("at_risk", 90)],
    "D5": [("at_risk", 100)],
    "Q": [("watch", 370)],
}
#: the notices (customer, days ago, state)
NOTICES = (
    ("P1", 50, "done"),
    ("X", 10, "notice"),
    ("D1", 40, "notice"),
    ("D2", 60, "withdrawn"),
    ("D3", 30, "done"),
    ("D5", 45, "done"),
    ("G", 400, "done"),
)


class ChurnCase(NpsCase):
    """A small history computed by hand, over the last 12 months with a
    30-day lead:

    ========  ===========  ===================  ==========  ===================
    customer  answers      notice (days ago)    at ref      health history
    ========  ===========  ===================  ==========  ===================
    P1        10 (-200)    -50, done            promoter    healthy -200
    P2..P4    10 (-200)    none                 promoter    healthy -200
    X         10 (-200),   -10, notice          promoter    healthy -200,
              2 (-20)                           (-20 after  at risk -20
                                                its ref)
    D1        2 (-200)     -40, notice          detractor   watch -400, at risk
                                                            -150
    D2        2 (-200)     -60, withdrawn       detractor   at risk -180
    D3        2 (-200),    -30, done            passive     healthy -380,
              8 (-100)                          (recovered) at risk -90
    D5        2 (-200)     -45, done            detractor   at risk -100
    N         none (sent   none                 never       none
              -100)                             answered
    G         10 (-500)    -400, done           (left before the period)
    ========  ===========  ===================  ==========  ===================

    Cases: D1 opened -150 (not recovered), D3 opened -150 and recovered by
    its follow-up survey, answered 8 at -100. Q: to watch since -370, never
    surveyed, stays.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = {}
        for name in [
            "P1",
            "P2",
            "P3",
            "P4",
            "X",
            "D1",
            "D2",
            "D3",
            "D5",
            "N",
            "G",
            "Q",
        ]:
            cls.customers[name] = cls.env["res.partner"].create(
                {"name": f"Churn {name}", "email": f"{name.lower()}@example.com"}
            )
        answers = {name: [(10, 200)] for name in ("P1", "P2", "P3", "P4")}
        answers.update(ANSWERS)
        cls.requests = {}
        for name, scores in answers.items():
            for score, days in scores:
                cls.requests[name, days] = cls._answered(name, score, days)
        cls._sent("N", 100)
        follow_up = cls._answered("D3", 8, 100)
        cls._reset_history_and_cases()
        cls._history(**HISTORY)
        cls._case("D1", 150)
        recovered = cls._case("D3", 150)
        recovered.write({"recovered": True, "survey_request_id": follow_up.id})
        for name, days, state in NOTICES:
            cls.env["nps.termination"].create(
                {
                    "partner_id": cls.customers[name].id,
                    "notice_date": cls._day(days),
                    "state": state,
                }
            )
        cls.period = (cls._day(365), fields.Date.today(), 30)

    @classmethod
    def _day(cls, days):
        return fields.Date.today() - timedelta(days=days)

    @classmethod
    def _sent(cls, name, days):
        request = cls.env["nps.request"].create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": cls.customers[name].id,
                "state": "sent",
                "sent_date": fields.Datetime.now() - timedelta(days=days),
            }
        )
        cls._backdate("nps_request", request.id, days, "create_date")
        return request

    @classmethod
    def _answered(cls, name, score, days):
        request = cls._sent(name, days)
        request._nps_record_answer(score=score)
        cls._backdate("nps_request", request.id, days, "answer_date")
        return request

    @classmethod
    def _backdate(cls, table, record_id, days, column):
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET %s = now() at time zone 'UTC' - %s * interval "
                "'1 day' WHERE id = %s",
                SQL.identifier(table),
                SQL.identifier(column),
                days,
                record_id,
            )
        )
        cls.env.invalidate_all()

    @classmethod
    def _reset_history_and_cases(cls):
        """The history and cases the answers made now: replaced by the ones
        of the table, dated."""
        cls.env.flush_all()
        ids = [partner.id for partner in cls.customers.values()]
        cls.env.cr.execute(
            SQL("DELETE FROM nps_health_history WHERE partner_id = ANY(%s)", ids)
        )
        cls.env.cr.execute(
            SQL("DELETE FROM nps_followup WHERE commercial_partner_id = ANY(%s)", ids)
        )
        cls.env.invalidate_all()

    @classmethod
    def _history(cls, **rows):
        History = cls.env["nps.health.history"]
        for name, changes in rows.items():
            for health, days in changes:
                row = History.create(
                    {
                        "partner_id": cls.customers[name].id,
                        "date": fields.Datetime.now() - timedelta(days=days),
                        "health": health,
                    }
                )
                cls._backdate("nps_health_history", row.id, days, "date")

    @classmethod
    def _case(cls, name, days):
        request = cls.requests[name, 200]
        case = cls.env["nps.followup"]._nps_open(request, "detractor")
        cls._backdate("nps_followup", case.id, days, "create_date")
        return case

    def segments(self, user=None):
        churn = self.env["nps.churn"].with_user(user) if user else self.env["nps.churn"]
        return {
            name: {value: (rate.left, rate.total) for value, rate in values}
            for name, values in churn._nps_segments(*self.period).items()
        }


@tagged("post_install", "-at_install")
class TestChurnReport(ChurnCase):
    """Churn by prior satisfaction and the early warning, on the history of
    ``ChurnCase``."""

    def test_churn_by_category_as_known_before(self):
        segments = self.segments()
        # P1 and X left of P1-P4 and X: X's detractor answer came after his
        # reference date (10 days before his notice, within the lead time)
        self.assertEqual(segments["category"]["promoter"], (2, 5))
        # D1 and D5 left; D2 withdrew his notice: saved, not churned
        self.assertEqual(segments["category"]["detractor"], (2, 3))
        # D3, recovered: his latest answer before his reference date, 8
        self.assertEqual(segments["category"]["passive"], (1, 1))
        self.assertEqual(segments["category"]["none"], (0, 1), "N, never answered")
        # G had left before the period, Q was never surveyed: not counted
        self.assertEqual(
            sum(total for _left, total in segments["category"].values()), 10
        )

    def test_lift_and_sentence(self):
        Churn = self.env["nps.churn"]
        sentence, lift = Churn._nps_summary(Churn._nps_segments(*self.period))
        # 2/3 over 2/5 would say 1.7x: four departures that chance splits so
        # or more unevenly every time (Fisher: 1.0); the counts say it
        self.assertIsNone(lift)
        self.assertEqual(
            sentence,
            "Not enough departures to compare detractors with promoters "
            "(2 of 3 detractors and 2 of 5 promoters left).",
        )

    def test_churn_by_health_and_follow_up(self):
        segments = self.segments()
        # at their reference dates: P1-P4 and X healthy, D1-D5 at risk; N
        # unknown
        self.assertEqual(segments["health"]["healthy"], (2, 5))
        self.assertEqual(segments["health"]["at_risk"], (3, 4))
        self.assertEqual(segments["health"]["watch"], (0, 0))
        self.assertEqual(segments["health"]["none"], (0, 1))
        # detractor accounts: D1 with his case, D2 and D5 without
        self.assertEqual(segments["followed_up"], {"yes": (1, 1), "no": (1, 2)})
        # the customers with a case: D3 recovered, D1 not
        self.assertEqual(segments["recovered"], {"yes": (1, 1), "no": (1, 1)})

    def test_a_later_answer_does_not_count(self):
        # with no lead time, X's reference date is his notice's, after his
        # detractor answer (20 days ago): his latest answer makes him a
        # detractor account
        Churn = self.env["nps.churn"]
        no_lead = dict(
            Churn._nps_segments(self.period[0], self.period[1], 0)["category"]
        )
        self.assertEqual(
            (no_lead["detractor"].left, no_lead["detractor"].total), (3, 4)
        )
        self.assertEqual((no_lead["promoter"].left, no_lead["promoter"].total), (1, 4))

    def test_imported_history_counts_from_its_dates(self):
        """A survey of the past imported today (``_nps_record_history``, the
        demo's history) makes its customer known from its dates, not from
        the import."""
        before = self.segments()["category"]["promoter"]
        customer = self.env["res.partner"].create(
            {"name": "Churn I", "email": "i@example.com"}
        )
        moment = fields.Datetime.now() - timedelta(days=200)
        self.env["nps.schedule"]._nps_record_history(
            [
                {
                    "campaign_id": self.campaign.id,
                    "partner_id": customer.id,
                    "scheduled_date": moment,
                    "sent_date": moment,
                    "answer_date": moment + timedelta(hours=3),
                    "score": 10,
                    "nps_category": "promoter",
                    "channel": "email",
                }
            ]
        )
        self.assertEqual(
            self.segments()["category"]["promoter"], (before[0], before[1] + 1)
        )

    def test_analysis_reads_in_the_users_language(self):
        """The groups of a computed analysis read in the reader's language,
        whoever computed it."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        analysis = self.env["nps.churn.analysis"].create(
            {"date_from": self.period[0], "date_to": self.period[1], "lead_days": 30}
        )
        analysis.action_compute()
        labels = analysis.with_context(lang="fr_FR").segment_ids.mapped("label")
        self.assertIn("Jamais répondu", labels)
        self.assertNotIn("Never answered", labels)
        self.assertIn(
            "Never answered",
            analysis.with_context(lang="en_US").segment_ids.mapped("label"),
        )

    def test_lead_time_is_bounded(self):
        """A lead time of millions of days would put the reference dates out
        of the calendar and break the dashboard for everyone: refused, in
        the settings and on an analysis."""
        with self.assertRaises(ValidationError):
            self.env.company.nps_churn_lead_days = 10**9
        with self.assertRaises(ValidationError):
            self.env["nps.churn.analysis"].create(
                {
                    "date_from": self._day(365),
                    "date_to": self._day(0),
                    "lead_days": 10**9,
                }
            )
        self.env.company.nps_churn_lead_days = 3650
        self.assertTrue(self.env["nps.dashboard"].create({}).churn_summary)

    def test_early_warning(self):
        warning = self.env["nps.churn"]._nps_early_warning(*self.period)
        # notices P1, X, D1, D2 (withdrawn, still a notice), D3, D5: D1, D2,
        # D3 and D5 were at risk 30 days before their notice; X only after
        self.assertEqual((warning.warned.left, warning.warned.total), (4, 6))
        # warned since -400 (D1's watch, then at risk: one warning; 360 days
        # before his notice), -180 (D2: 120), -90 (D3: 60), -100 (D5: 55)
        self.assertEqual(warning.median_days, 90.0)
        # flagged at the period's start: D1 (watch) and Q; D1 gave notice
        self.assertEqual((warning.flagged.left, warning.flagged.total), (1, 2))

    def test_early_warning_two_changes_in_one_second(self):
        """Two health changes of a customer in the same second (the history
        is dated to the second): the later row, the greater id, is his last
        change, as for his health in the rows. The early warning took
        either row, and with the warning one found no start to the warning:
        the median failed on a None."""
        customer = self.env["res.partner"].create(
            {"name": "Churn T", "email": "t@example.com"}
        )
        moment = fields.Datetime.now() - timedelta(days=100)
        for health in ("healthy", "at_risk"):
            self.env["nps.health.history"].create(
                {"partner_id": customer.id, "date": moment, "health": health}
            )
        self.env["nps.termination"].create(
            {"partner_id": customer.id, "notice_date": self._day(40), "state": "done"}
        )
        warning = self.env["nps.churn"]._nps_early_warning(*self.period)
        # T warned of too, since -100: 60 days before his notice (the
        # others: 360, 120, 60 and 55)
        self.assertEqual((warning.warned.left, warning.warned.total), (5, 7))
        self.assertEqual(warning.median_days, 60.0)

    def test_analysis_lines_pivot(self):
        analysis = self.env["nps.churn.analysis"].create(
            {
                "date_from": self.period[0],
                "date_to": self.period[1],
                "lead_days": 30,
            }
        )
        analysis.action_compute()
        self.assertEqual(
            (analysis.customer_count, analysis.churned_count, analysis.saved_count),
            (10, 5, 1),
        )
        self.assertIn("2 of 3 detractors and 2 of 5 promoters", analysis.summary)
        detractors = analysis.segment_ids.filtered(
            lambda s: (s.dimension, s.value) == ("category", "detractor")
        )
        self.assertAlmostEqual(detractors.rate, 200 / 3, places=1)
        self.assertLess(detractors.low, detractors.rate)
        self.assertGreater(detractors.high, detractors.rate)
        groups = self.env["nps.churn.line"]._read_group(
            [("analysis_id", "=", analysis.id)], ["category"], ["churn_value:avg"]
        )
        self.assertAlmostEqual(dict(groups)["promoter"], 40.0)
        self.assertEqual(analysis.notice_count, 6)
        self.assertEqual(analysis.warning_median_days, 90.0)
        action = analysis.action_open_pivot()
        self.assertEqual(action["domain"], [("analysis_id", "=", analysis.id)])

    def test_only_satisfaction_users_read_the_figures(self):
        """A salesperson with only the Internal User rights manages his
        customers' notices, not the figures over every customer."""
        self.assertTrue(self.segments(self.nps_user)["category"])
        salesman = new_test_user(
            self.env, login="churn_sales", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.segments(salesman)
        with self.assertRaises(AccessError):
            self.env["nps.churn.analysis"].with_user(salesman).create({})

    def test_dashboard_sentence(self):
        dashboard = self.env["nps.dashboard"].with_user(self.nps_user).create({})
        self.assertIn("2 of 3 detractors", dashboard.churn_summary)
        self.assertIn("4 of the 6 notices", dashboard.churn_warning)

    def test_early_warning_and_lines_count_the_same_customers(self):
        """G, a customer shared between companies (no company of his own),
        left the main company before the period and gave notice to a second
        company in it. Whatever companies are looked at, the early warning
        counts the notices of the analysis's customers, no other: the
        second company's counts G's, its lines hold G."""
        second = self.env["res.company"].create({"name": "Churn Second Co"})
        self.env.user.company_ids |= second
        shared = self.customers["G"]
        self.assertFalse(shared.company_id)
        self.env["nps.termination"].create(
            {
                "partner_id": shared.id,
                "notice_date": self._day(20),
                "company_id": second.id,
            }
        )
        main = self.env.company
        noticed = {}
        for companies in (second, main, main | second):
            Churn = self.env["nps.churn"].with_context(
                allowed_company_ids=companies.ids
            )
            warning = Churn._nps_early_warning(*self.period)
            self.env.cr.execute(
                SQL(
                    "SELECT partner_id FROM (%s) r WHERE termination_id IS NOT NULL",
                    Churn._nps_rows_sql(*self.period),
                )
            )
            noticed[companies] = {
                partner_id for (partner_id,) in self.env.cr.fetchall()
            }
            self.assertEqual(
                warning.warned.total,
                len(noticed[companies]),
                f"the same notices for {companies.mapped('name')}",
            )
        self.assertEqual(noticed[second], {shared.id}, "G, the second's customer")
        self.assertNotIn(shared.id, noticed[main], "G had left the main company")

    def test_column_titles_say_what_they_count(self):
        """The analysis's titles say what they count to a head of customer
        success; the French agree with the customers they count; the German
        fit the list's narrow number columns."""
        for lang in ("fr_FR", "de_DE"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["nps_satisfaction"], ["fr_FR", "de_DE"]
        )

        def titles(model, names, lang):
            described = self.env[model].with_context(lang=lang).fields_get(names)
            return {name: described[name]["string"] for name in names}

        analysis = ["customer_count", "churned_count", "saved_count", "notice_count"]
        segment = ["label", "customer_count", "churned_count", "rate", "low", "high"]
        self.assertEqual(
            titles("nps.churn.analysis", analysis, "en_US"),
            {
                "customer_count": "Customers at the reference date",
                "churned_count": "Lost",
                "saved_count": "Saved",
                "notice_count": "Gave notice",
            },
        )
        self.assertEqual(
            titles("nps.churn.segment", segment[:3], "en_US"),
            {"label": "Group", "customer_count": "Customers", "churned_count": "Lost"},
        )
        self.assertEqual(
            titles("nps.churn.analysis", analysis, "fr_FR"),
            {
                "customer_count": "Clients à la date de référence",
                "churned_count": "Partis",
                "saved_count": "Retenus",
                "notice_count": "Ont donné leur préavis",
            },
        )
        self.assertEqual(
            titles("nps.churn.segment", segment[:3], "fr_FR"),
            {"label": "Groupe", "customer_count": "Clients", "churned_count": "Partis"},
        )
        state = self.env["nps.termination"].with_context(lang="fr_FR")
        self.assertEqual(
            dict(state.fields_get(["state"])["state"]["selection"])["done"],
            "Parti",
            "a termination's status: its one customer",
        )
        german = titles("nps.churn.segment", segment, "de_DE")
        self.assertEqual(german["churned_count"], "Verloren")
        for name, title in german.items():
            self.assertLessEqual(len(title), 12, f"{name}: {title}")
        self.assertEqual(
            titles("nps.churn.analysis", ["customer_count"], "de_DE"),
            {"customer_count": "Kunden zum Stichtag"},
        )

    def _computed(self, user=None):
        Analysis = self.env["nps.churn.analysis"]
        analysis = (Analysis.with_user(user) if user else Analysis).create(
            dict(zip(("date_from", "date_to", "lead_days"), self.period, strict=True))
        )
        analysis.action_compute()
        return analysis

    def test_lines_are_the_figures(self):
        """The pivot's lines are the analysis's customers, one each, with
        their account manager: by account category, as many and as many
        left as the figures say."""
        self.customers["P1"].user_id = self.account_manager
        analysis = self._computed(self.nps_user)
        Line = self.env["nps.churn.line"].with_user(self.nps_user)
        domain = [("analysis_id", "=", analysis.id)]
        lines = Line.search(domain)
        counted = {"P1", "P2", "P3", "P4", "X", "D1", "D2", "D3", "D5", "N"}
        self.assertEqual(
            lines.partner_id,
            self.env["res.partner"].concat(*(self.customers[name] for name in counted)),
        )
        self.assertEqual(len(lines), analysis.customer_count)
        by_customer = {line.partner_id: line for line in lines}
        self.assertEqual(
            by_customer[self.customers["P1"]].user_id, self.account_manager
        )
        self.assertTrue(by_customer[self.customers["D2"]].saved)
        groups = Line._read_group(domain, ["category"], ["__count", "churn_value:avg"])
        self.assertEqual(len(groups), 4)
        for category, count, rate in groups:
            segment = analysis.segment_ids.filtered(
                lambda s, c=category: (s.dimension, s.value) == ("category", c)
            )
            self.assertEqual(count, segment.customer_count, category)
            self.assertAlmostEqual(
                rate, 100.0 * segment.churned_count / count, msg=category
            )
        self.assertFalse(
            Line.with_user(self.manager).search(domain), "another user's lines"
        )

    def test_lines_of_a_deleted_customer_are_not_shown(self):
        """N, deleted after Compute (his survey goes with him): his line
        is no longer among the analysis's, rather than a line without a
        customer."""
        analysis = self._computed()
        self.customers["N"].unlink()
        lines = self.env["nps.churn.line"].search([("analysis_id", "=", analysis.id)])
        self.assertEqual(len(lines), 9)
        self.assertTrue(all(lines.mapped("partner_id")))

    def test_deleting_the_analysis_deletes_its_lines(self):
        """Its lines go with an analysis (as the transient models' vacuum
        deletes it); another analysis keeps its own, and a new Compute
        replaces them."""
        Row = self.env["nps.churn.row"]
        analysis, other = self._computed(), self._computed()
        analysis_id = analysis.id
        other.action_compute()
        self.assertEqual(Row.search_count([("analysis_ref", "=", other.id)]), 10)
        analysis.unlink()
        self.assertFalse(Row.search_count([("analysis_ref", "=", analysis_id)]))
        self.assertFalse(
            self.env["nps.churn.line"].search([("analysis_id", "=", analysis_id)])
        )
        self.assertEqual(
            self.env["nps.churn.line"].search_count([("analysis_id", "=", other.id)]),
            10,
        )

    def test_storing_a_line_checks_no_foreign_key(self):
        """Compute stores one row per customer (100,000 in
        ./run-benchmark --churn): PostgreSQL checked each line's seven
        foreign keys, more than half of Compute. The rows hold ids; the
        lines read them joined to their analysis and customer."""
        self.env.cr.execute(
            SQL(
                "SELECT conname FROM pg_constraint WHERE contype = 'f' "
                "AND conrelid = %s::regclass",
                self.env["nps.churn.row"]._table,
            )
        )
        self.assertEqual(self.env.cr.fetchall(), [])
        # derived data that Compute makes again: no WAL written for it
        self.env.cr.execute(
            SQL(
                "SELECT relpersistence FROM pg_class WHERE oid = %s::regclass",
                self.env["nps.churn.row"]._table,
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], "u", "unlogged")
