from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import tagged

from .common import NpsCase

#: the colours of Odoo's digest badges
GREEN, RED = "#17613a", "#712b29"


@tagged("post_install", "-at_install")
class TestDigestDirection(NpsCase):
    """Regression: the KPI digest read a falling NPS as a green rise (NPS -74
    from about -30: "⬆ 147.97 %") and a rise of the detractors awaiting
    follow-up as good news. In the email each recipient gets, the NPS moves
    in points, and each badge is green for good news and red for bad,
    whichever way the figure goes; the CSAT, a share, rises green."""

    def setUp(self):
        super().setUp()
        self.digest = self.env["digest.digest"].create(
            {
                "name": "Satisfaction digest",
                "company_id": self.env.company.id,
                "kpi_nps_score": True,
                "kpi_nps_csat": True,
                "kpi_nps_detractors_waiting": True,
            }
        )
        self.now = fields.Datetime.now()
        self.serial = 0

    def answers(self, days_ago, *scores):
        """Answers given ``days_ago`` (0: an hour ago), each a 0-10 score or
        a (score, 1-5 CSAT) pair; a detractor's opens a follow-up case that
        waits."""
        when = self.now - timedelta(days=days_ago, hours=1)
        for score in scores:
            score, csat = score if isinstance(score, tuple) else (score, None)
            self.serial += 1
            request = self.sent_request(self.make_customers(1, f"dir{self.serial}"))
            request._nps_record_answer(score=score, csat_score=csat)
            request.sudo().write({"sent_date": when, "answer_date": when})
        self.env.flush_all()

    def badge(self, kpi):
        """The 7-day column's change of ``kpi`` in the digest email of a
        satisfaction user: (its text, its colour); this week against the
        week before."""
        self.digest._action_send_to_user(self.nps_user)
        mail = self.env["mail.mail"].search(
            [("email_to", "ilike", self.nps_user.email)], order="id desc", limit=1
        )
        cells = html.fromstring(str(mail.body_html)).xpath(
            f'//table[@data-field="{kpi}"]//td[hasclass("kpi_cell")]'
            '[.//span[hasclass("kpi_value_label")][normalize-space()="Last 7 Days"]]'
            '//td[hasclass("kpi_margin")]'
        )
        self.assertEqual(len(cells), 1, f"one change of {kpi} for the week")
        style = cells[0].get("style")
        colour = GREEN if GREEN in style else RED if RED in style else style
        return " ".join(cells[0].text_content().split()), colour

    def test_nps_falling_is_red_in_points(self):
        """NPS -100 this week, -33.33 the week before: 67 points down."""
        self.answers(10, 10, 3, 3)
        self.answers(0, 3, 3)
        self.assertEqual(self.badge("kpi_nps_score"), ("⬇ −67 pts", RED))

    def test_nps_rising_is_green_in_points(self):
        """NPS 33.33 this week, -100 the week before: 133 points up."""
        self.answers(10, 3)
        self.answers(0, 10, 10, 3)
        self.assertEqual(self.badge("kpi_nps_score"), ("⬆ +133 pts", GREEN))

    def test_more_detractors_waiting_is_red(self):
        self.answers(10, 3)
        self.answers(0, 3, 2, 1)
        self.assertEqual(self.badge("kpi_nps_detractors_waiting"), ("⬆ 200.00 %", RED))

    def test_fewer_detractors_waiting_is_green(self):
        self.answers(10, 3, 2)
        self.answers(0, 1)
        self.assertEqual(
            self.badge("kpi_nps_detractors_waiting"), ("⬇ -50.00 %", GREEN)
        )

    def test_csat_rising_is_green(self):
        """CSAT 100% this week, 50% the week before: a share, in Odoo's way."""
        self.answers(10, (9, 5), (9, 2))
        self.answers(0, (9, 4))
        self.assertEqual(self.badge("kpi_nps_csat"), ("⬆ 100.00 %", GREEN))

    def test_csat_falling_is_red(self):
        self.answers(10, (9, 5))
        self.answers(0, (9, 4), (9, 1))
        self.assertEqual(self.badge("kpi_nps_csat"), ("⬇ -50.00 %", RED))

    def test_no_change_without_answers_the_week_before(self):
        """A week without answers reads NPS 0: no change to show."""
        self.answers(0, 3)
        kpis = {
            kpi["kpi_name"]: kpi
            for kpi in self.digest._compute_kpis(self.env.company, self.nps_user)
        }
        week = kpis["kpi_nps_score"]["kpi_col2"]
        self.assertEqual(week["value"], "-100.00")
        self.assertFalse(week["margin"], "nothing to compare with")

    def test_points_are_the_difference(self):
        self.assertEqual(self.digest._nps_points_margin(-74.07, -29.63), -44)
        self.assertEqual(self.digest._nps_points_margin(10.0, -20.0), 30)
        self.assertEqual(self.digest._nps_points_margin(0.0, -20.0), 0)
        self.assertEqual(self.digest._nps_points_margin(-20.0, 0.0), 0)
