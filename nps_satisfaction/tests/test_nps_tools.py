from datetime import datetime

from odoo.tests import BaseCase, tagged

from odoo.addons.nps_satisfaction import nps_tools


@tagged("post_install", "-at_install")
class TestNpsTools(BaseCase):
    def test_classify_boundaries(self):
        expected = {
            0: "detractor",
            6: "detractor",
            7: "passive",
            8: "passive",
            9: "promoter",
            10: "promoter",
        }
        for score, category in expected.items():
            self.assertEqual(nps_tools.classify(score), category, f"score {score}")
        self.assertFalse(nps_tools.classify(None))
        with self.assertRaises(ValueError):
            nps_tools.classify(11)

    def test_parse_score_accepts_only_scale_integers(self):
        self.assertEqual(nps_tools.parse_score("7"), 7)
        self.assertEqual(nps_tools.parse_score(" 10 "), 10)
        self.assertEqual(nps_tools.parse_score(0), 0)
        for bad in ("11", "-1", "7.5", "abc", "", None, "١", "1e1", True, "007", 12):
            with self.assertRaises(ValueError, msg=f"{bad!r} must be refused"):
                nps_tools.parse_score(bad)

    def test_nps_definition(self):
        # 3 promoters, 2 passives, 1 detractor: (3 - 1) / 6 = 33.3
        categories = ["promoter"] * 3 + ["passive"] * 2 + ["detractor"]
        self.assertAlmostEqual(nps_tools.nps(categories), 100 * 2 / 6)
        self.assertEqual(nps_tools.nps(["detractor"]), -100)
        self.assertIsNone(nps_tools.nps([]))

    def test_quiet_period(self):
        now = datetime(2026, 5, 10, 12, 0)
        self.assertTrue(nps_tools.within_quiet_period(datetime(2026, 5, 1), now, 30))
        self.assertFalse(nps_tools.within_quiet_period(datetime(2026, 4, 1), now, 30))
        self.assertFalse(nps_tools.within_quiet_period(None, now, 30))
        self.assertFalse(nps_tools.within_quiet_period(datetime(2026, 5, 9), now, 0))

    def test_send_window(self):
        # Saturday 2026-05-09 10:00 UTC, Paris is UTC+2: next slot is Monday 9:00 Paris
        saturday = datetime(2026, 5, 9, 10, 0)
        slot = nps_tools.next_send_slot(saturday, "Europe/Paris", 9, 18, True)
        self.assertEqual(slot, datetime(2026, 5, 11, 7, 0))
        # Inside the window: now
        tuesday = datetime(2026, 5, 12, 10, 0)
        self.assertEqual(
            nps_tools.next_send_slot(tuesday, "Europe/Paris", 9, 18, True), tuesday
        )
        # Tuesday 19:00 Paris: Wednesday 9:00 Paris
        evening = datetime(2026, 5, 12, 17, 0)
        self.assertEqual(
            nps_tools.next_send_slot(evening, "Europe/Paris", 9, 18, True),
            datetime(2026, 5, 13, 7, 0),
        )
        # Weekend allowed
        self.assertEqual(
            nps_tools.next_send_slot(saturday, "Europe/Paris", 9, 18, False), saturday
        )

    def test_gradient(self):
        colours = nps_tools.gradient("#000000", "#ffffff", 11)
        self.assertEqual(len(colours), 11)
        self.assertEqual(colours[0], "#000000")
        self.assertEqual(colours[-1], "#ffffff")
        self.assertEqual(colours[5], "#808080")

    def test_token_entropy(self):
        tokens = {nps_tools.new_token() for _ in range(200)}
        self.assertEqual(len(tokens), 200)
        # 32 random bytes, URL-safe base64: 43 characters, 256 bits
        self.assertTrue(all(len(token) >= 43 for token in tokens))
