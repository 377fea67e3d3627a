from odoo.tests import tagged

from ..tools import score_tools
from .common import NpsCase


@tagged("post_install", "-at_install")
class TestReport(NpsCase):
    """nps.report gives the NPS, response rate and CSAT of the definition."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.make_customers(cls, 8, prefix="report")
        tickets = cls.make_tickets(cls, cls.customers)
        cls.requests = cls.close(cls, tickets)
        cls.env["nps.dispatch"]._nps_dispatch_due()
        # 3 promoters, 1 passive, 2 detractors, 2 never answered; the CSAT
        # question answered 5 times, twice 4 or 5
        cls.scores = [10, 9, 9, 7, 3, 0]
        cls.csat_scores = [5, 4, None, 3, 2, 1]
        for request, score, csat in zip(
            cls.requests, cls.scores, cls.csat_scores, strict=False
        ):
            request._nps_record_answer(score=score, csat_score=csat)
        cls.env.flush_all()

    def _report(self, groupby=(), aggregates=()):
        return self.env["nps.report"]._read_group(
            [("request_id", "in", self.requests.ids)], groupby, aggregates
        )

    def test_nps_equals_the_definition(self):
        [(nps, count)] = self._report((), ("nps_value:avg", "__count"))
        expected = score_tools.nps(score_tools.classify(s) for s in self.scores)
        self.assertEqual(count, 8, "one row per survey sent")
        self.assertAlmostEqual(nps, expected, msg="(3 - 2) / 6 answers = 16.7")
        self.assertAlmostEqual(nps, 100 / 6)

    def test_response_rate_and_csat(self):
        [(answered, csat)] = self._report((), ("answered:avg", "csat:avg"))
        self.assertAlmostEqual(answered, 75.0, msg="6 answers of 8 surveys")
        self.assertEqual(self.campaign.measure, "both", "the post-ticket campaign")
        self.assertAlmostEqual(csat, 40.0, msg="2 of 5 CSAT answers are 4 or 5")

    def test_distribution_of_categories_and_scores(self):
        rows = dict(self._report(("nps_category",), ("__count",)))
        self.assertEqual(rows, {"promoter": 3, "passive": 1, "detractor": 2, False: 2})
        # False (no answer) and 0 are one key of a dict: count answers only
        scores = dict(
            self.env["nps.report"]._read_group(
                [("request_id", "in", self.requests.ids), ("state", "=", "answered")],
                ["score"],
                ["__count"],
            )
        )
        self.assertEqual(scores, {10: 1, 9: 2, 7: 1, 3: 1, 0: 1})

    def test_grouping_by_team_and_month(self):
        rows = self._report(("team_id", "date:month"), ("nps_value:avg",))
        self.assertEqual(len(rows), 1)
        team, _month, nps = rows[0]
        self.assertEqual(team, self.team)
        self.assertAlmostEqual(nps, 100 / 6)

    def test_unsent_requests_are_not_rows(self):
        scheduled = self.close(self.make_tickets(self.customer_b))
        self.assertEqual(scheduled.state, "scheduled")
        self.env.flush_all()
        self.assertFalse(
            self.env["nps.report"].search([("request_id", "=", scheduled.id)])
        )

    def test_report_query_count_does_not_grow(self):
        """The NPS by month is one aggregate query, whatever the number of
        answers."""
        report = self.env["nps.report"]
        with self.assertQueryCount(1):
            report._read_group([], ["date:month"], ["nps_value:avg"])
        more = self.make_customers(20, prefix="more")
        requests = self.close(self.make_tickets(more))
        self.env["nps.dispatch"]._nps_dispatch_due()
        for request in requests:
            request._nps_record_answer(score=8)
        self.env.flush_all()
        with self.assertQueryCount(1):
            report._read_group([], ["date:month"], ["nps_value:avg"])

    def test_service_type_and_region(self):
        fibre = self.env.ref("nps_satisfaction.service_type_fibre")
        sip = self.env.ref("nps_satisfaction.service_type_sip_trunk")
        self.customers[0].nps_service_type_ids = fibre | sip
        self.assertEqual(
            self.customers[0].nps_main_service_type_id, sip, "lowest sequence"
        )
        self.env.flush_all()
        rows = dict(self._report(("service_type_id",), ("__count",)))
        self.assertEqual(rows[sip], 1)
