"""CSAT on its own scale: a 1-5 satisfaction question, reported as the share
of 4 and 5 answers beside the NPS. A campaign asks NPS, CSAT or both; its
email offers the scale it asks first (the CSAT of a CSAT campaign, the 0-10
score otherwise), and a campaign asking both asks the CSAT question on the
answer page after the score."""

import importlib.util
import pathlib
import re
from contextlib import contextmanager
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import SQL, mute_logger

from ..tools import score_tools
from .common import NpsCase, NpsHttpMixin
from .hostile import bad_scores, digest, examples

HREF_RE = re.compile(r'href="([^"]+)"')
SCANNER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36"
)
CSAT_TITLE = "How satisfied are you with how we handled your request?"
TABLES = (
    "nps_request",
    "nps_answer_attempt",
    "survey_user_input",
    "survey_user_input_line",
    "res_partner",
)


def is_valid_csat(raw):
    text = str(raw).strip()
    return bool(re.fullmatch(r"[0-9]{1,2}", text)) and 1 <= int(text) <= 5


def bad_csats():
    """What the CSAT field must refuse: every bad score, and the scores of
    the 0-10 scale outside 1-5."""
    return st.one_of(
        bad_scores(), st.sampled_from(["0", "6", "7", "10", "00", "05 "])
    ).filter(lambda raw: not is_valid_csat(raw))


class CsatCase(NpsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.csat_question = cls.env.ref("nps_satisfaction.survey_post_ticket_q_csat")

    @contextmanager
    def raises(self, exception, pattern):
        """``assertRaises`` (which rolls the failed write back) and the
        message of the error."""
        with self.assertRaises(exception) as catcher:
            yield
        self.assertRegex(str(catcher.exception), pattern)

    def score_in_db(self, request):
        """The stored score (None: NULL), not the ORM's 0 for an empty one."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT score FROM nps_request WHERE id = %s", request.id)
        )
        return self.env.cr.fetchone()[0]

    def csat_request(self, partner=None):
        """A survey of a CSAT-only campaign, sent."""
        self.campaign.measure = "csat"
        return self.sent_request(partner)


@tagged("post_install", "-at_install")
class TestCsatCampaign(CsatCase):
    def test_shipped_post_ticket_campaign_asks_both(self):
        self.assertEqual(self.campaign.measure, "both")
        self.assertEqual(self.campaign.csat_question_id, self.csat_question)
        self.assertEqual(
            (self.csat_question.scale_min, self.csat_question.scale_max), (1, 5)
        )
        self.assertEqual(self.csat_question.title, CSAT_TITLE)
        self.assertEqual(
            self.campaign.lead_question_id,
            self.campaign.score_question_id,
            "a campaign asking both offers the 0-10 score in its email",
        )
        followup = self.env.ref("nps_satisfaction.campaign_followup")
        self.assertEqual(
            (followup.measure, followup.csat_question_id),
            ("nps", self.env["survey.question"]),
            "the follow-up survey, on the same survey, asks the 0-10 score only",
        )

    def test_csat_campaign_questions(self):
        self.campaign.measure = "csat"
        self.assertFalse(self.campaign.score_question_id, "no 0-10 question asked")
        self.assertEqual(self.campaign.csat_question_id, self.csat_question)
        self.assertEqual(self.campaign.lead_question_id, self.csat_question)
        request = self.sent_request()
        self.assertFalse(
            request._nps_remaining_questions(),
            "the survey's 0-10 question is not asked by a CSAT campaign",
        )

    def test_csat_email_offers_five_cells(self):
        request = self.csat_request()
        body = str(request.mail_id.body_html)
        links = [link.replace("&amp;", "&") for link in HREF_RE.findall(body)]
        csat_links = [link for link in links if "?csat=" in link]
        self.assertEqual(
            [link.rsplit("=", 1)[1] for link in csat_links],
            ["1", "2", "3", "4", "5"],
            "one link per rating, 1 to 5",
        )
        self.assertFalse([link for link in links if "?score=" in link], "no 0-10")
        self.assertIn("handled your request", body, "the CSAT question is shown")
        self.assertIn("Very satisfied", body, "and its labels")
        self.assertIn("\u2605\u2605\u2605\u2605\u2605", body, "stars by default")
        self.campaign.csat_display = "faces"
        faces = str(self.env["nps.mail.render"]._nps_mail_scale(request))
        self.assertIn("\U0001f600", faces, "the very satisfied face")

    def test_csat_answer_has_no_nps(self):
        request = self.csat_request()
        request._nps_record_answer(csat_score=4, comment="Quick")
        self.assertEqual((request.state, request.csat_score), ("answered", 4))
        self.assertFalse(request.nps_category, "no NPS category")
        self.assertIsNone(self.score_in_db(request), "no invented 0-10 score")
        line = request.user_input_id.user_input_line_ids.filtered(
            lambda line: line.question_id == self.csat_question
        )
        self.assertEqual(line.value_scale, 4, "written to the survey answer")
        self.assertFalse(request.followup_ids)
        self.assertEqual(
            (
                self.customer_a.csat_avg,
                self.customer_a.csat_answer_count,
                self.customer_a.nps_category,
                self.customer_a.nps_answer_count,
            ),
            (100, 1, False, 1),
        )
        self.assertEqual(
            (self.customer_a.nps_health, self.customer_a.nps_health_reason),
            ("healthy", "satisfied"),
        )
        message = request.ticket_id.message_ids[0]
        self.assertIn("4</strong>/5", str(message.body))
        self.assertNotIn("/10", str(message.body))

    def test_out_of_range_csat_writes_nothing(self):
        request = self.csat_request()
        for bad in (0, 6, -1, "x", "4.5", True):
            with self.assertRaises(ValueError, msg=repr(bad)):
                request._nps_record_answer(csat_score=bad)
        with self.assertRaises(UserError, msg="a 0-10 score is not asked"):
            request._nps_record_answer(score=9)
        with self.assertRaises(UserError, msg="the CSAT is the answer"):
            request._nps_record_answer(comment="No rating")
        self.assertEqual(request.state, "sent")
        self.assertFalse(request.user_input_id.user_input_line_ids)
        self.assertFalse(request.csat_score)

    def test_first_csat_stands(self):
        request = self.csat_request()
        request._nps_record_answer(csat_score=5)
        self.assertFalse(request._nps_record_answer(csat_score=1))
        self.assertEqual(request.csat_score, 5)
        self.campaign.allow_answer_change = True
        self.assertTrue(request._nps_record_answer(csat_score=2))
        self.assertEqual(request.csat_score, 2)
        self.assertEqual(self.customer_a.csat_avg, 0)

    def test_both_campaign(self):
        """The score first (the email's one click), the CSAT after it on the
        page; the CSAT is added once, like the comment."""
        request = self.sent_request()
        with self.assertRaises(UserError, msg="the 0-10 score comes first"):
            request._nps_record_answer(csat_score=4)
        request._nps_record_answer(score=9)
        self.assertEqual((request.nps_category, request.csat_score), ("promoter", 0))
        self.assertTrue(request._nps_asks_csat())
        request._nps_record_answer(csat_score=2, comment="Slow to answer")
        self.assertEqual((request.score, request.csat_score), (9, 2))
        self.assertFalse(request._nps_asks_csat())
        self.assertFalse(request._nps_record_answer(csat_score=5), "the first stands")
        self.assertEqual(
            (self.customer_a.nps_last_score, self.customer_a.csat_avg), (9, 0)
        )

    def test_csat_question_keeps_its_scale(self):
        with self.raises(ValidationError, "rating from 1 to 5"):
            self.csat_question.scale_max = 10
        self.campaign.measure = "nps"
        self.campaign.flush_recordset()
        self.csat_question.scale_max = 7
        self.assertFalse(self.campaign.csat_question_id, "not this campaign's")

    def test_csat_campaign_needs_a_csat_question(self):
        survey = self.campaign_project.survey_id
        with self.raises(ValidationError, "no 1-5 satisfaction question"):
            self.campaign_project.measure = "csat"
        with self.raises(ValidationError, "no 1-5 satisfaction question"):
            self.campaign_project.measure = "both"
        question = self.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "Happy?",
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 5,
                "sequence": 99,
            }
        )
        self.campaign_project.measure = "both"
        self.assertEqual(
            self.campaign_project.csat_question_id,
            question,
            "a 1-5 question without a role serves when none has the CSAT role",
        )

    def test_readiness_and_preview_know_the_scale(self):
        self.campaign.measure = "csat"
        self.assertFalse(self.campaign._nps_readiness_problems())
        template = self.campaign.mail_template_id.copy()
        template.body_html = (
            "<p>{{ object.campaign_id.score_question_id.title }}</p>"
            '<table><tr t-out="object._nps_mail_scale()"/></table>'
        )
        self.campaign.active = False
        self.campaign.mail_template_id = template
        problems = self.campaign._nps_readiness_problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("lead_question_id", problems[0])
        with self.assertRaises(ValidationError):
            self.campaign.active = True
        self.campaign.mail_template_id = self.env.ref(
            "nps_satisfaction.mail_template_nps_request"
        )
        self.campaign.active = True
        preview = (
            self.env["nps.campaign.preview"]
            .with_user(self.manager)
            .create({"campaign_id": self.campaign.id, "partner_id": self.customer_a.id})
        )
        self.assertEqual(str(preview.body_html).count("?csat="), 5)
        self.assertIn(CSAT_TITLE, str(preview.page_html))
        self.assertEqual(str(preview.page_html).count('name="csat"'), 5)

    def test_phone_answer_on_a_csat_campaign(self):
        request = self.csat_request()
        Wizard = (
            self.env["nps.phone.answer"]
            .with_user(self.nps_user)
            .with_context(active_model="nps.request", active_id=request.id)
        )
        with self.raises(UserError, "between 1 and 5"):
            Wizard.create({"request_id": request.id}).action_record()
        self.assertEqual(request.state, "sent")
        wizard = Form(Wizard)
        wizard.csat_score = "3"
        wizard.save().action_record()
        self.assertEqual((request.state, request.csat_score), ("answered", 3))
        self.assertEqual(request.channel, "phone")
        self.assertFalse(request.nps_category)


@tagged("post_install", "-at_install")
class TestCsatFigures(CsatCase):
    """The CSAT (%) is the share of 4 and 5 among the CSAT answers: in the
    report, the dashboard, the agents' report, the digest, the campaign and
    the customer's health."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.make_customers(cls, 6, prefix="csatfig")
        cls.requests = cls.close(cls, cls.make_tickets(cls, cls.customers))
        cls.env["nps.dispatch"]._nps_dispatch_due()
        # CSAT 5, 4, 3, 1 (50%); a score without CSAT; one unanswered
        for request, (score, csat) in zip(
            cls.requests,
            [(10, 5), (9, 4), (7, 3), (2, 1), (8, None)],
            strict=False,
        ):
            request._nps_record_answer(score=score, csat_score=csat)
        cls.env.flush_all()

    def test_report_csat_is_the_share_of_4_and_5(self):
        Report = self.env["nps.report"].with_user(self.nps_user)
        domain = [("request_id", "in", self.requests.ids)]
        [(csat, nps, answers)] = Report._read_group(
            domain, [], ["csat:avg", "nps_value:avg", "answer_count:sum"]
        )
        self.assertEqual(answers, 5)
        self.assertAlmostEqual(csat, 50.0, msg="2 of the 4 CSAT answers")
        self.assertAlmostEqual(nps, (2 - 1) / 5 * 100, msg="beside the NPS")
        expected = score_tools.csat([5, 4, 3, 1])
        self.assertAlmostEqual(csat, expected, msg="the SQL and the Python agree")
        rows = dict(
            Report._read_group(
                domain + [("csat_score", ">", 0)], ["csat_score"], ["__count"]
            )
        )
        self.assertEqual(rows, {5: 1, 4: 1, 3: 1, 1: 1}, "the distribution")

    def test_dashboard_shows_csat(self):
        dashboard = (
            self.env["nps.dashboard"].with_user(self.nps_user).create({"period": "30"})
        )
        self.assertAlmostEqual(dashboard.csat, 50.0)
        self.assertEqual(dashboard._fields["csat"].string, "CSAT (%)")

    def test_agent_report_and_campaign(self):
        rows = self.env["nps.agent.report"]._read_group(
            [("request_id", "in", self.requests.ids)], [], ["csat:avg"]
        )
        self.assertAlmostEqual(rows[0][0], 50.0)
        self.campaign.invalidate_recordset(["csat"])
        self.assertAlmostEqual(self.campaign.csat, 50.0)

    def test_digest_kpi(self):
        digest_record = self.env.ref("digest.digest_digest_default")
        self.assertEqual(digest_record._fields["kpi_nps_csat"].string, "CSAT (%)")
        self.requests.sudo().write({"answer_date": self.past(1)})
        self.env.flush_all()
        value = (
            digest_record.with_user(self.nps_user)
            .with_context(start_datetime=self.past(7), end_datetime=self.past(0))
            .kpi_nps_csat_value
        )
        self.assertAlmostEqual(value, 50.0)


@tagged("post_install", "-at_install")
class TestCsatHealth(CsatCase):
    def answer(self, partner, csat):
        request = self.sent_request(partner)
        request._nps_record_answer(csat_score=csat)
        request.sent_date = self.past(100)
        return request

    def test_csat_alert_on_the_share_threshold(self):
        """The company's minimum CSAT is a share: a customer whose share of
        4 and 5 falls under it gets one alert, not one per answer."""
        self.campaign.measure = "csat"
        self.env.company.nps_health_csat_min = 60
        partner = self.make_customers(1, "health")
        self.answer(partner, 5)
        self.assertEqual(
            (partner.nps_health, partner.csat_avg, partner.csat_answer_count),
            ("healthy", 100, 1),
        )
        second = self.answer(partner, 4)
        self.assertFalse(second.followup_ids, "100%")
        third = self.answer(partner, 2)
        self.assertFalse(third.followup_ids, "66.7%: over 60%")
        fourth = self.answer(partner, 1)
        self.assertEqual(fourth.followup_ids.kind, "low_csat", "50% under 60%")
        self.assertEqual(partner.csat_avg, 50)
        self.assertEqual(
            (partner.nps_health, partner.nps_health_reason), ("at_risk", "low_csat")
        )
        self.assertIn("1</strong>/5", str(self.activity_of(fourth).note or ""))
        self.close_case(fourth, "Called")
        self.assertEqual(
            (partner.nps_health, partner.nps_health_reason), ("at_risk", "low_csat")
        )
        fifth = self.answer(partner, 3)
        self.assertFalse(fifth.followup_ids, "40%: still under, no second alert")

    def test_a_csat_case_speaks_of_the_csat(self):
        """The escalation of an overdue low-CSAT case and the text left once
        its answer's texts are removed give the CSAT, never "NPS 0" or
        "/10"."""
        self.campaign.write({"measure": "csat", "user_id": self.team_leader.id})
        self.env.company.nps_health_csat_min = 60
        partner = self.make_customers(1, "escalated")
        partner.user_id = self.account_manager
        request = self.answer(partner, 1)
        case = request.followup_ids
        self.assertEqual(case.kind, "low_csat")
        self.assertEqual(request._nps_score_text(), "CSAT 1/5")
        case.date_deadline = fields.Date.today() - timedelta(days=1)
        self.assertEqual(self.env["nps.followup"]._cron_escalate(), case)
        escalation = case.activity_ids.filtered(lambda a: a.user_id == self.team_leader)
        self.assertIn("— CSAT 1/5", escalation.summary)
        self.assertNotIn("NPS", escalation.summary)
        self.env["nps.privacy"]._nps_remove_texts(request)
        notes = " ".join(str(note) for note in case.activity_ids.mapped("note"))
        self.assertIn("Satisfaction answer: CSAT 1/5.", notes)
        self.assertNotIn("/10", notes)

    def test_threshold_is_a_share(self):
        with self.assertRaises(ValidationError):
            self.env.company.nps_health_csat_min = 120
        self.assertEqual(self.env["res.company"].new({}).nps_health_csat_min, 60)


@tagged("post_install", "-at_install")
class TestCsatMigration(CsatCase):
    """The upgrade to 19.0.4.1.0 (migrations/19.0.4.1.0/post-migrate.py),
    run on this database set back to what the previous version left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        path = (
            pathlib.Path(__file__).resolve().parents[1]
            / "migrations"
            / "19.0.4.1.0"
            / "post-migrate.py"
        )
        spec = importlib.util.spec_from_file_location("nps_csat_migration", path)
        cls.migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.migration)

    def test_campaigns_measuring_csat_ask_both_or_nps(self):
        cr = self.env.cr
        cr.execute("ALTER TABLE nps_campaign ADD COLUMN measures_csat boolean")
        self.campaign.measure = "nps"
        self.campaign_project.measure = "nps"
        manual = self.campaign.copy({"name": "Manual", "trigger": "manual"})
        self.env.flush_all()
        cr.execute(
            SQL(
                "UPDATE nps_campaign SET measures_csat = (id IN %s)",
                (self.campaign.id, self.campaign_project.id),
            )
        )
        self.migration._measure_of_campaigns(self.env)
        self.assertEqual(self.campaign.measure, "both", "its survey has the question")
        self.assertEqual(self.campaign_project.measure, "nps", "no CSAT question")
        self.assertEqual(manual.measure, "nps", "did not measure CSAT")

    def test_survey_gets_its_csat_question(self):
        self.campaign.measure = "nps"
        comment = self.env.ref("nps_satisfaction.survey_post_ticket_q_comment")
        comment.sequence = 2
        self.csat_question.unlink()
        self.assertFalse(
            self.env.ref(
                "nps_satisfaction.survey_post_ticket_q_csat", raise_if_not_found=False
            )
        )
        self.migration._add_csat_question(self.env)
        question = self.env.ref("nps_satisfaction.survey_post_ticket_q_csat")
        self.assertEqual(
            (question.survey_id, question.nps_role, question.scale_max),
            (self.survey, "csat", 5),
        )
        self.assertEqual(question.title, CSAT_TITLE)
        self.assertGreater(comment.sequence, question.sequence, "after the score")
        self.migration._add_csat_question(self.env)
        self.assertEqual(
            len(self.survey.question_ids.filtered(lambda q: q.nps_role == "csat")),
            1,
            "once",
        )

    def test_old_answers_keep_their_score_and_get_no_csat(self):
        self.campaign.measure = "nps"
        request = self.sent_request()
        request._nps_record_answer(score=4)
        company = self.env.company
        # what the previous version stored: a 0-10 "CSAT" and its threshold
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET csat_avg = 4, nps_health_reason = 'low_csat'"
                " WHERE id = %s",
                self.customer_a.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET nps_health_csat_min = 7 WHERE id = %s",
                company.id,
            )
        )
        template = self.env.ref("nps_satisfaction.mail_template_nps_request")
        template.body_html = str(template.body_html).replace(
            "lead_question_id.", "score_question_id."
        )
        self.env.flush_all()
        self.env.invalidate_all()
        self.migration.migrate(self.env.cr, "19.0.4.0.0")
        self.env.invalidate_all()
        self.assertEqual(company.nps_health_csat_min, 70, "7/10 -> 70%")
        self.assertEqual((request.score, request.csat_score), (4, 0))
        self.env.cr.execute(
            SQL("SELECT csat FROM nps_report WHERE request_id = %s", request.id)
        )
        self.assertIsNone(self.env.cr.fetchone()[0], "no invented CSAT")
        self.assertEqual(
            (self.customer_a.csat_avg, self.customer_a.nps_last_score), (0, 4)
        )
        self.assertEqual(self.customer_a.nps_health_reason, "detractor")
        self.assertNotIn("score_question_id", str(template.body_html))
        self.assertEqual(str(template.body_html).count("lead_question_id."), 3)


@tagged("post_install", "-at_install")
class TestCsatOneClick(NpsHttpMixin, CsatCase, HttpCase):
    """The one-click link of a CSAT score works as the 0-10 one: a GET
    records nothing, the page's own POST is provisional until the same
    browser confirms it, a scanner never counts, the first answer stands,
    and a score off the scale is refused with nothing written."""

    def setUp(self):
        super().setUp()
        # a customer clicking within seconds of the email is not suspect here
        # (test_scanners checks that rule); the scanner's user agent is
        self.env.company.nps_suspect_seconds = 0
        self.request = self.csat_request()
        self.token = self.request.sudo().access_token
        self.url = f"/nps/{self.token}"

    def state(self):
        self.env.flush_all()
        return digest(self.env.cr, TABLES)

    def test_one_click_records_the_csat(self):
        session = self.customer_session()
        page = self.use(session).get(f"{self.base_url()}{self.url}?csat=4", timeout=30)
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-nps-field="csat"', page.text, "the page's one click")
        self.assertRegex(page.text, r'value="4"\s+checked', "4 preselected")
        self.request.invalidate_recordset()
        self.assertFalse(self.request.attempt_ids, "a GET records nothing")
        response = self.page_post(self.url, {"csat": "4"}, session, auto=True)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.request.invalidate_recordset()
        self.assertEqual(
            (
                self.request.provisional_state,
                self.request.provisional_score,
                self.request.provisional_measure,
            ),
            ("pending", 4, "csat"),
        )
        self.assertEqual(self.request.state, "sent", "provisional until confirmed")
        self.assertTrue(self.confirm(self.url, response, session))
        self.apply_effects()
        self.env.invalidate_all()
        self.assertEqual(
            (self.request.state, self.request.csat_score, self.request.confirmed_by),
            ("answered", 4, "customer"),
        )
        self.assertFalse(self.request.nps_category, "no NPS category")
        self.assertIsNone(self.score_in_db(self.request))
        self.assertEqual(self.customer_a.csat_avg, 100)
        report = self.env["nps.report"].search([("request_id", "=", self.request.id)])
        self.assertEqual(
            (report.answer_count, report.csat, report.nps_value), (1, 100, 0)
        )

    def test_page_script_posts_the_clicked_rating(self):
        """In a browser, the page opened from the email's 4 posts the 4 by
        itself (its one-click scale is the CSAT's), then asks the comment."""
        code = (
            """
            const frame = document.createElement("iframe");
            frame.addEventListener("load", () => {
                const doc = frame.contentDocument;
                if (doc.querySelector("textarea[name=comment]")) {
                    console.log("test successful");
                } else if (!doc.querySelector("form[data-autosubmit]")) {
                    console.error("unexpected page: " + doc.body.innerText);
                }
            });
            frame.src = "{url}?csat=4";
            document.body.appendChild(frame);
        """
        ).replace("{url}", self.url)
        self.browser_js(self.url, code, ready="document.readyState === 'complete'")
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.provisional_score, self.request.provisional_measure),
            (4, "csat"),
        )
        self.assertEqual(self.request.state, "sent", "a headless browser confirms not")

    def test_scanner_never_counts(self):
        scanner = self.customer_session(SCANNER_UA)
        self.page_post(self.url, {"csat": "1"}, scanner, auto=True)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.provisional_state, "suspect")
        back = timedelta(minutes=self.env.company.nps_settle_minutes + 1)
        for attempt in self.request.sudo().attempt_ids:
            attempt.attempt_date -= back
        self.env.flush_all()
        self.assertFalse(self.env["nps.answer.service"]._nps_settle())
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "sent")
        self.assertFalse(self.request.csat_score)

    def test_double_submit_keeps_the_first_answer(self):
        self.answer_csat(5)
        other = self.customer_session()
        response = self.page_post(self.url, {"csat": "1"}, other)
        self.assertEqual(response.status_code, 200)
        response = self.page_post(self.url, {"csat": "1", "step": "more"}, other)
        self.assertLess(response.status_code, 500)
        self.apply_effects()
        self.env.invalidate_all()
        self.assertEqual(self.request.csat_score, 5, "the first answer stands")
        self.assertEqual(
            len(
                self.request.user_input_id.user_input_line_ids.filtered(
                    lambda line: line.question_id == self.csat_question
                )
            ),
            1,
            "never a second answer line",
        )

    def answer_csat(self, csat, session=None):
        session = session or self.customer_session()
        response = self.page_post(self.url, {"csat": str(csat)}, session, auto=True)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertTrue(self.confirm(self.url, response, session))
        self.apply_effects()
        self.env.invalidate_all()
        return response

    @examples(25)
    @given(raw=bad_csats())
    @mute_logger("odoo.http", "werkzeug")
    def test_csat_off_the_scale_is_refused(self, raw):
        session = self.customer_session()
        page = self.use(session).get(self.base_url() + self.url, timeout=30)
        before = self.state()
        response = session.post(
            self.base_url() + self.url,
            data={"csat": raw, "auto": "1", "csrf_token": self.csrf(page)},
            timeout=30,
        )
        self.assertEqual(response.status_code, 400, repr(raw))
        self.assertIn("between 1 and 5", response.text)
        self.assertEqual(self.state(), before, f"{raw!r} wrote something")

    def test_a_0_to_10_score_is_not_a_csat(self):
        """A link of the 0-10 scale (an email sent before the campaign asked
        CSAT) is not read as a CSAT answer."""
        session = self.customer_session()
        page = self.use(session).get(f"{self.base_url()}{self.url}?score=3", timeout=30)
        self.assertNotIn("checked", page.text, "nothing preselected")
        before = self.state()
        response = self.page_post(self.url, {"score": "3"}, session, auto=True)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.state(), before)

    def test_counter_link_of_a_csat_campaign(self):
        self.campaign.action_generate_public_link()
        url = f"/nps/c/{self.campaign.sudo().public_token}"
        response = self.page_post(url, {"csat": "5"}, self.customer_session())
        self.assertEqual(response.status_code, 200, response.text[:300])
        anonymous = self.env["nps.request"].search(
            [("campaign_id", "=", self.campaign.id), ("anonymous", "=", True)]
        )
        self.assertEqual((anonymous.state, anonymous.csat_score), ("answered", 5))


@tagged("post_install", "-at_install")
class TestBothOneClick(NpsHttpMixin, CsatCase, HttpCase):
    """A campaign asking both: the email offers the 0-10 score; the page
    after the click asks the CSAT question beside the comment."""

    def test_score_then_csat_on_the_page(self):
        request = self.sent_request()
        body = str(request.mail_id.body_html)
        self.assertEqual(body.count("?score="), 11, "the email offers 0-10")
        self.assertNotIn("?csat=", body)
        url = f"/nps/{request.sudo().access_token}"
        session = self.customer_session()
        response = self.page_post(url, {"score": "9"}, session, auto=True)
        self.assertIn(CSAT_TITLE, response.text, "the CSAT question follows")
        self.assertEqual(response.text.count('name="csat"'), 5)
        self.assertNotIn('data-nps-field="csat"', response.text, "no auto-submit")
        self.assertIn('name="comment"', response.text)
        response = self.page_post(
            url,
            {"csat": "2", "comment": "Slow to answer", "step": "more"},
            session,
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.apply_effects()
        self.env.invalidate_all()
        self.assertEqual(
            (request.state, request.score, request.csat_score, request.comment),
            ("answered", 9, 2, "Slow to answer"),
        )
        self.assertEqual(request.confirmed_by, "customer")
        report = self.env["nps.report"].search([("request_id", "=", request.id)])
        self.assertEqual((report.nps_value, report.csat), (100, 0))

    def test_csat_off_the_scale_on_the_page(self):
        request = self.sent_request()
        url = f"/nps/{request.sudo().access_token}"
        session = self.customer_session()
        self.page_post(url, {"score": "9"}, session, auto=True)
        with mute_logger("odoo.http", "werkzeug"):
            response = self.page_post(url, {"csat": "9", "step": "more"}, session)
        self.assertEqual(response.status_code, 400)
        request.invalidate_recordset()
        self.assertFalse(request.csat_score)
        self.assertEqual(
            request.state, "sent", "the score still waits for its confirmation"
        )
