from datetime import datetime, timezone

from odoo.tests import BaseCase, tagged

from odoo.addons.nps_satisfaction.tools import (
    device_tools,
    qr_tools,
    scanner_tools,
    score_tools,
    send_tools,
    text_tools,
    token_tools,
)


@tagged("post_install", "-at_install")
class TestNpsTools(BaseCase):
    def test_cleaning_removes_invisible_format_characters(self):
        """Regression: a comment kept U+200F (right-to-left mark) and U+FEFF
        (byte order mark): every format character (Unicode category Cf) is
        removed but the zero-width joiners some scripts need."""
        hidden = "\u200f\ufeff\u200b\u00ad\u2060\u061c\u200e\u202e\u2067"
        for clean in (text_tools.plain_text, text_tools.single_line):
            with self.subTest(clean=clean.__name__):
                self.assertEqual(clean(f"Sl{hidden}ow"), "Slow")
                self.assertEqual(clean(f"{hidden}Slow{hidden}"), "Slow")
                # Persian "mi-xaham" and a family emoji keep their joiners
                for joined in (
                    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
                    "\U0001f468\u200d\U0001f469",
                ):
                    self.assertEqual(clean(joined), joined, "joiners kept")

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
            self.assertEqual(score_tools.classify(score), category, f"score {score}")
        self.assertFalse(score_tools.classify(None))
        with self.assertRaises(ValueError):
            score_tools.classify(11)

    def test_asks_reasons(self):
        """Who is asked why: detractors and passives; without a 0-10 score,
        a CSAT of 1 to 3. A promoter never, whatever his CSAT."""
        table = {
            ("detractor", None): True,
            ("passive", 5): True,
            ("promoter", None): False,
            ("promoter", 1): False,
            (False, 1): True,
            (False, 3): True,
            (False, 4): False,
            (False, None): False,
        }
        for (category, csat), asked in table.items():
            self.assertEqual(
                score_tools.asks_reasons(category, csat), asked, (category, csat)
            )

    def test_parse_score_accepts_only_scale_integers(self):
        self.assertEqual(score_tools.parse_score("7"), 7)
        self.assertEqual(score_tools.parse_score(" 10 "), 10)
        self.assertEqual(score_tools.parse_score(0), 0)
        for bad in ("11", "-1", "7.5", "abc", "", None, "١", "1e1", True, "007", 12):
            with self.assertRaises(ValueError, msg=f"{bad!r} must be refused"):
                score_tools.parse_score(bad)

    def test_nps_definition(self):
        # 3 promoters, 2 passives, 1 detractor: (3 - 1) / 6 = 33.3
        categories = ["promoter"] * 3 + ["passive"] * 2 + ["detractor"]
        self.assertAlmostEqual(score_tools.nps(categories), 100 * 2 / 6)
        self.assertEqual(score_tools.nps(["detractor"]), -100)
        self.assertIsNone(score_tools.nps([]))

    def test_quiet_period(self):
        now = datetime(2026, 5, 10, 12, 0)
        self.assertTrue(send_tools.within_quiet_period(datetime(2026, 5, 1), now, 30))
        self.assertFalse(send_tools.within_quiet_period(datetime(2026, 4, 1), now, 30))
        self.assertFalse(send_tools.within_quiet_period(None, now, 30))
        self.assertFalse(send_tools.within_quiet_period(datetime(2026, 5, 9), now, 0))

    def test_send_window(self):
        # Saturday 2026-05-09 10:00 UTC, Paris is UTC+2: next slot is Monday 9:00 Paris
        saturday = datetime(2026, 5, 9, 10, 0)
        slot = send_tools.next_send_slot(saturday, "Europe/Paris", 9, 18, True)
        self.assertEqual(slot, datetime(2026, 5, 11, 7, 0))
        # Inside the window: now
        tuesday = datetime(2026, 5, 12, 10, 0)
        self.assertEqual(
            send_tools.next_send_slot(tuesday, "Europe/Paris", 9, 18, True), tuesday
        )
        # Tuesday 19:00 Paris: Wednesday 9:00 Paris
        evening = datetime(2026, 5, 12, 17, 0)
        self.assertEqual(
            send_tools.next_send_slot(evening, "Europe/Paris", 9, 18, True),
            datetime(2026, 5, 13, 7, 0),
        )
        # Weekend allowed
        self.assertEqual(
            send_tools.next_send_slot(saturday, "Europe/Paris", 9, 18, False), saturday
        )

    def test_gradient(self):
        colours = score_tools.gradient("#000000", "#ffffff", 11)
        self.assertEqual(len(colours), 11)
        self.assertEqual(colours[0], "#000000")
        self.assertEqual(colours[-1], "#ffffff")
        self.assertEqual(colours[5], "#808080")

    def test_token_entropy(self):
        tokens = {token_tools.new_token() for _ in range(200)}
        self.assertEqual(len(tokens), 200)
        # 32 random bytes, URL-safe base64: 43 characters, 256 bits
        self.assertTrue(all(len(token) >= 43 for token in tokens))

    def test_scanner_signatures(self):
        signatures = (
            "# a comment\nHeadlessChrome\nproofpoint\n192.0.2.0/24\n2001:db8::/32\n"
        )
        agents, networks = scanner_tools.parse_signatures(signatures)
        self.assertEqual(agents, ("headlesschrome", "proofpoint"))
        self.assertEqual([str(n) for n in networks], ["192.0.2.0/24", "2001:db8::/32"])
        browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"
        cases = [
            (browser, "203.0.113.9", None),
            (
                browser.replace("Chrome", "HeadlessChrome"),
                "203.0.113.9",
                "headlesschrome",
            ),
            ("Proofpoint URL Defense", "203.0.113.9", "proofpoint"),
            (browser, "192.0.2.77", "192.0.2.0/24"),
            (browser, "2001:db8::5", "2001:db8::/32"),
            (browser, "not an address", None),
            ("", "203.0.113.9", "empty user agent"),
        ]
        for agent, address, expected in cases:
            self.assertEqual(
                scanner_tools.scanner_signature(agent, address, signatures),
                expected,
                (agent, address),
            )

    def test_default_scanner_signatures(self):
        """The shipped list catches headless browsers and HTTP libraries, not
        the browsers customers use."""
        defaults = scanner_tools.DEFAULT_SCANNER_SIGNATURES
        for agent in (
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0.0.0",
            "python-requests/2.31.0",
            "curl/8.5.0",
        ):
            self.assertTrue(scanner_tools.scanner_signature(agent, "", defaults), agent)
        for agent in (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
            "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 "
            "Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 "
            "Firefox/127.0",
        ):
            self.assertIsNone(
                scanner_tools.scanner_signature(agent, "", defaults), agent
            )

    def test_network_prefix(self):
        self.assertEqual(scanner_tools.network_prefix("192.0.2.77"), "192.0.2.0/24")
        self.assertEqual(
            scanner_tools.network_prefix("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64"
        )
        self.assertEqual(
            scanner_tools.network_prefix("2001:db8:1:2:ffff::9"),
            scanner_tools.network_prefix("2001:db8:1:2::1"),
            "every address of a /64 is one network",
        )
        self.assertEqual(
            scanner_tools.network_prefix("::ffff:192.0.2.8"), "192.0.2.0/24"
        )
        self.assertEqual(
            scanner_tools.network_prefix("not an address"), "not an address"
        )

    def test_browser_family(self):
        """What tells two browsers apart: platform and browser, whatever
        their versions; a string naming no browser is one and the same
        unknown one."""
        family = device_tools.browser_family
        firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 "
        self.assertEqual(family(firefox + "Firefox/127.0"), "linux firefox")
        self.assertEqual(
            family(firefox.replace("127", "140") + "Firefox/140.3"),
            "linux firefox",
            "another version is the same browser",
        )
        self.assertNotEqual(
            family(firefox.replace("X11; Linux", "Windows NT 10.0; Win64;")),
            "linux firefox",
        )
        for made_up in ("atk-random-1", "atk-random-2", "", "curl/8.0"):
            self.assertEqual(family(made_up), "unknown", made_up)

    def test_device_identity(self):
        """The counter's device: its network and browser until a cookie the
        server issued is older than the campaign's period, then the cookie,
        which tells the client it was issued to and when."""
        secret, now, period = "secret", 1_700_000_000, 30
        firefox = (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 "
            "Firefox/127.0"
        )
        visitor = ("192.0.2.7", firefox)
        network = token_tools.keyed_hash(secret, "192.0.2.0/24")
        client = token_tools.keyed_hash(secret, "192.0.2.0/24 windows firefox")
        browser = f"{network}:{client}"

        def at(timestamp):
            return datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)

        self.assertEqual(
            device_tools.client_key(secret, "192.0.2.99", firefox.replace("127", "9")),
            client,
            "another address of the network, another version: the same client",
        )
        device = device_tools.device_identity(secret, *visitor, "", period, now)
        self.assertEqual(
            token_tools.device_cookie_claims(secret, device.cookie), (now, client)
        )
        self.assertEqual(device[1:], (network, browser, client, at(now)), "no cookie")
        young = token_tools.new_device_cookie(secret, now - 60, "someone")
        self.assertEqual(
            device_tools.device_identity(secret, *visitor, young, period, now),
            (young, network, browser, client, at(now)),
            "a cookie younger than the period is the network and browser",
        )
        old = token_tools.new_device_cookie(secret, now - 3600, "someone")
        self.assertEqual(
            device_tools.device_identity(secret, *visitor, old, period, now),
            (
                old,
                network,
                f"{network}:{token_tools.keyed_hash(secret, old)}",
                "someone",
                at(now - 3600),
            ),
            "a cookie older than the period is the device, issued to someone",
        )
        for made_up in (
            "nonce.1.someone.signature",
            old.replace("someone", "another"),
            token_tools.new_device_cookie("another secret", now - 3600),
            token_tools.new_device_cookie(secret, now + 3600),
        ):
            device = device_tools.device_identity(
                secret, *visitor, made_up, period, now
            )
            self.assertNotEqual(device.cookie, made_up, "a new cookie replaces it")
            self.assertEqual(device.key, browser, made_up)

    def test_qr_http(self):
        content, headers = qr_tools.qr_http(
            "https://example.com/nps/t", "svg", "public"
        )
        self.assertIn(b"<svg", content)
        self.assertEqual(
            headers,
            [
                ("Content-Type", "image/svg+xml"),
                ("Cache-Control", "public, max-age=3600"),
            ],
        )
        content, headers = qr_tools.qr_http("https://example.com/nps/t", "gif")
        self.assertTrue(content.startswith(b"\x89PNG"))
        self.assertEqual(headers[0], ("Content-Type", "image/png"))
        self.assertEqual(headers[1], ("Cache-Control", "private, max-age=3600"))
