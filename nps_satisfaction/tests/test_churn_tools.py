from odoo.tests import BaseCase, tagged

from ..tools import churn_tools


@tagged("post_install", "-at_install")
class TestChurnTools(BaseCase):
    """Churn rates, their Wilson interval, the lift and the AUC against
    figures computed by hand (and the published Wilson bounds)."""

    def test_wilson_interval(self):
        rate = churn_tools.wilson(3, 10)
        self.assertEqual((rate.left, rate.total), (3, 10))
        self.assertAlmostEqual(rate.rate, 30.0)
        # (3 + 1.9208) / 13.8416 ± 1.96 / 13.8416 · √(2.1 + 0.9604)
        self.assertAlmostEqual(rate.low, 10.779, places=2)
        self.assertAlmostEqual(rate.high, 60.323, places=2)

    def test_wilson_stays_within_bounds(self):
        none_left = churn_tools.wilson(0, 12)
        self.assertEqual(none_left.rate, 0.0)
        self.assertAlmostEqual(none_left.low, 0.0)
        self.assertAlmostEqual(none_left.high, 24.25, places=2)
        all_left = churn_tools.wilson(5, 5)
        self.assertAlmostEqual(all_left.high, 100.0)
        self.assertAlmostEqual(all_left.low, 56.55, places=2)
        self.assertEqual(churn_tools.wilson(0, 0).rate, None)

    def test_lift(self):
        detractors = churn_tools.wilson(12, 80)
        promoters = churn_tools.wilson(4, 83)
        # 15% over 4.82%
        self.assertAlmostEqual(
            churn_tools.lift(detractors, promoters), 3.1125, places=3
        )
        self.assertIsNone(churn_tools.lift(detractors, churn_tools.wilson(0, 50)))
        self.assertIsNone(churn_tools.lift(churn_tools.wilson(0, 0), promoters))
        # no departure among the detractors: no "0.0x"
        self.assertIsNone(churn_tools.lift(churn_tools.wilson(0, 80), promoters))
        # 2 of 3 against 1 of 10: within chance (Fisher, below)
        self.assertIsNone(
            churn_tools.lift(churn_tools.wilson(2, 3), churn_tools.wilson(1, 10))
        )

    def test_fisher_exact_test(self):
        """Two-sided p-values by hand: the splits of the departures between
        the groups (hypergeometric) as unlikely as the one seen, summed."""
        wilson = churn_tools.wilson
        # 3 departures, 3 of 13 customers in the first group: C(3,k)·C(10,3-k)
        # over C(13,3) = 286 gives 120, 135, 30, 1 for k = 0..3; seen k = 2:
        # (30 + 1) / 286
        self.assertAlmostEqual(
            churn_tools.fisher_p(wilson(2, 3), wilson(1, 10)), 31 / 286
        )
        # 4 of 8, 3 in the first group: 5, 30, 30, 5 over 70: every split is
        # as likely as k = 2 or less
        self.assertAlmostEqual(churn_tools.fisher_p(wilson(2, 3), wilson(2, 5)), 1.0)
        # 6 of 10 against 1 of 10: 7 departures, C(10,k)·C(10,7-k) over
        # C(20,7) = 77520; as unlikely as k = 6 (2100): k = 0, 1, 6, 7
        # (120, 2100, 2100, 120)
        self.assertAlmostEqual(
            churn_tools.fisher_p(wilson(6, 10), wilson(1, 10)), 4440 / 77520
        )

    def test_median_days(self):
        self.assertEqual(churn_tools.median_days([40, 10, 90]), 40)
        self.assertEqual(churn_tools.median_days([10, 20, 30, 40]), 25)
        # to the day, a half up (not to the even day: 270)
        self.assertEqual(churn_tools.median_days([270, 271]), 271)
        self.assertEqual(churn_tools.median_days([271, 272]), 272)
        self.assertIsNone(churn_tools.median_days([]))

    def test_auc(self):
        # left at 10 and 8, stayed at 8 and 3: 10>8, 10>3, 8=8 (half), 8>3
        scored = [(10, True), (8, False), (8, True), (3, False)]
        self.assertAlmostEqual(churn_tools.auc(scored), 3.5 / 4)
        self.assertEqual(churn_tools.auc([(1, True), (9, False)]), 0.0)
        self.assertEqual(churn_tools.auc([(9, True), (1, False)]), 1.0)
        self.assertEqual(churn_tools.auc([(5, True), (5, False)]), 0.5)
        self.assertIsNone(churn_tools.auc([(5, True)]), "no one stayed")
