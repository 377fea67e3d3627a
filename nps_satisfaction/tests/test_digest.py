from datetime import timedelta

from odoo import fields

from .common import NpsCase


class TestDigest(NpsCase):
    """Odoo's periodic digest carries NPS, CSAT, response rate and the
    detractors awaiting follow-up, each against the previous period, for
    the users with satisfaction rights."""

    def setUp(self):
        super().setUp()
        self.digest = self.env.ref("digest.digest_digest_default")
        now = fields.Datetime.now()
        # this week: 10, 10 and 3 (NPS 33.33), CSAT 5, 3 and 2 (33.33%), one
        # survey unanswered
        hour_ago = now - timedelta(hours=1)
        for score, csat in ((10, 5), (10, 3), (3, 2)):
            request = self.sent_request(self.make_customers(1, f"now{score}{csat}"))
            request._nps_record_answer(score=score, csat_score=csat)
            # an hour ago: the digest's period ends at the second it runs
            request.sudo().write({"sent_date": hour_ago, "answer_date": hour_ago})
        silent = self.sent_request(self.make_customers(1, "silent"))
        silent.sudo().sent_date = hour_ago
        # the week before: one detractor (NPS -100), satisfied with the
        # service (CSAT 4: 100%), all answered
        before = self.sent_request(self.make_customers(1, "before"))
        before._nps_record_answer(score=3, csat_score=4)
        before.sudo().write(
            {
                "sent_date": now - timedelta(days=10),
                "answer_date": now - timedelta(days=10),
            }
        )
        self.env.flush_all()
        self.week = (now - timedelta(days=7), now)
        self.week_before = (now - timedelta(days=14), now - timedelta(days=7))

    def kpi(self, name, period, user=None):
        digest = self.digest.with_user(user or self.nps_user).with_context(
            start_datetime=period[0], end_datetime=period[1]
        )
        return digest[f"{name}_value"]

    def test_figures_of_the_period(self):
        self.assertAlmostEqual(self.kpi("kpi_nps_score", self.week), 33.33, 2)
        self.assertAlmostEqual(self.kpi("kpi_nps_csat", self.week), 100 / 3, 2)
        self.assertEqual(self.kpi("kpi_nps_response_rate", self.week), 75.0)
        self.assertEqual(self.kpi("kpi_nps_detractors_waiting", self.week), 1)

    def test_figures_of_the_previous_period(self):
        self.assertEqual(self.kpi("kpi_nps_score", self.week_before), -100.0)
        self.assertEqual(self.kpi("kpi_nps_csat", self.week_before), 100.0)
        self.assertEqual(self.kpi("kpi_nps_response_rate", self.week_before), 100.0)
        self.assertEqual(self.kpi("kpi_nps_detractors_waiting", self.week_before), 1)

    def test_followed_up_detractor_no_longer_waits(self):
        cases = self.env["nps.followup"].search([("kind", "=", "detractor")])
        cases.filtered(lambda c: c.answer_date >= self.week[0]).action_cancel()
        self.assertEqual(self.kpi("kpi_nps_detractors_waiting", self.week), 0)

    def test_digest_shows_the_change(self):
        """The digest's 7-day column: this week's NPS and its change against
        the week before, in points (-100 to 33.33)."""
        kpis = {
            kpi["kpi_name"]: kpi
            for kpi in self.digest._compute_kpis(self.env.company, self.nps_user)
        }
        for name in (
            "kpi_nps_score",
            "kpi_nps_csat",
            "kpi_nps_response_rate",
            "kpi_nps_detractors_waiting",
        ):
            self.assertIn(name, kpis, "enabled in the default digest")
        week = kpis["kpi_nps_score"]["kpi_col2"]
        self.assertEqual(week["value"], "33.33")
        self.assertEqual(week["margin"], 133, "133 points up")
        self.assertTrue(kpis["kpi_nps_score"]["kpi_action"])

    def test_no_figures_without_satisfaction_rights(self):
        names = {
            kpi["kpi_name"]
            for kpi in self.digest._compute_kpis(self.env.company, self.agent)
        }
        self.assertFalse(
            {n for n in names if n.startswith("kpi_nps_")},
            "an agent without satisfaction rights gets none",
        )

    def test_digest_email(self):
        """The email each recipient gets: the figures for a satisfaction
        user, none for an agent without satisfaction rights."""
        Mail = self.env["mail.mail"]
        self.digest._action_send_to_user(self.nps_user)
        self.digest._action_send_to_user(self.agent)
        mail_user = Mail.search([("email_to", "ilike", "ulrich@example.com")])
        mail_agent = Mail.search([("email_to", "ilike", "agnes@example.com")])
        self.assertIn("Detractors awaiting follow-up", str(mail_user.body_html))
        self.assertNotIn("Detractors awaiting follow-up", str(mail_agent.body_html))
