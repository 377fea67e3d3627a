import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..tools import text_tools
from .common import CUSTOMER_UA, NpsCase, NpsHttpMixin
from .hostile import digest

#: what an answer page's post may write to
TABLES = (
    "nps_request",
    "nps_answer_attempt",
    "survey_user_input",
    "survey_user_input_line",
    "mail_message",
)


@tagged("post_install", "-at_install")
class TestAnswerPage(NpsHttpMixin, NpsCase, HttpCase):
    def setUp(self):
        super().setUp()
        # a customer's browser: a library's user agent is a scanner's, whose
        # posts never confirm an answer
        self.opener.headers["User-Agent"] = CUSTOMER_UA
        self.request = self.sent_request()
        self.token = self.request.sudo().access_token
        self.url = f"/nps/{self.token}"

    def post(self, data, url=None):
        page = self.url_open(url or self.url)
        data = dict(data, csrf_token=self.csrf(page))
        return self.url_open(url or self.url, data=data)

    def test_get_records_nothing(self):
        response = self.url_open(f"{self.url}?score=3")
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            'data-autosubmit="1"',
            response.text,
            "the clicked score is submitted by the page",
        )
        self.assertRegex(response.text, r'value="3"\s+checked')
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "sent", "a GET never records a score")
        self.assertFalse(self.request.user_input_id.user_input_line_ids)

    def test_page_shows_privacy_notice_and_question(self):
        response = self.url_open(self.url)
        self.assertIn(self.campaign.score_question_id.title, response.text)
        self.assertIn(self.campaign.privacy_notice_display, response.text)

    def test_post_records_then_asks_for_a_comment_then_thanks(self):
        response = self.post({"score": "9", "auto": "1"})
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.state, self.request.provisional_score), ("sent", 9)
        )
        self.assertTrue(self.request.provisional_state, "the score is provisional")
        self.assertIn('name="comment"', response.text, "the comment page follows")
        self.assertRegex(response.text, r"<strong>9</strong>\s+is recorded")
        response = self.post({"comment": "<script>alert(1)</script>", "step": "more"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertNotIn(
            "<script>alert(1)</script>", response.text, "comments are escaped"
        )
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.state, self.request.score, self.request.confirmed_by),
            ("answered", 9, "customer"),
            "the comment step confirms the score",
        )
        self.assertEqual(self.request.comment, "<script>alert(1)</script>")

    def test_detractor_ticks_reasons_on_the_page(self):
        price = self.env.ref("nps_satisfaction.reason_price")
        speed = self.env.ref("nps_satisfaction.reason_response_time")
        response = self.post({"score": "3", "auto": "1"})
        self.assertIn('name="reason"', response.text, "a detractor is asked why")
        self.assertIn(price.name, response.text)
        page = self.url_open(self.url)
        csrf = self.csrf(page)
        response = self.opener.post(
            self.base_url() + self.url,
            data=[
                ("csrf_token", csrf),
                ("step", "more"),
                ("reason", str(price.id)),
                ("reason", str(speed.id)),
                ("reason", "999999"),
                ("reason", "x"),
            ],
        )
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.reason_ids, price | speed, "only offered ones")

    def test_promoter_is_not_asked_why(self):
        response = self.post({"score": "10"})
        self.assertNotIn('name="reason"', response.text)

    def test_promoter_posting_reasons_keeps_none(self):
        """Regression (attack trial): the page asks a detractor or a passive
        why, yet the server kept the reasons of any post, a promoter's too
        (a 10 with "Price" and "Response time" in the figures). Only the
        reasons the posted score's category is asked are kept."""
        price = self.env.ref("nps_satisfaction.reason_price")
        speed = self.env.ref("nps_satisfaction.reason_response_time")
        response = self.post({"score": "10", "auto": "1"})
        self.assertNotIn('name="reason"', response.text, "a promoter is not asked")
        page = self.url_open(self.url)
        response = self.opener.post(
            self.base_url() + self.url,
            data=[
                ("csrf_token", self.csrf(page)),
                ("step", "more"),
                ("comment", "Great"),
                ("reason", str(price.id)),
                ("reason", str(speed.id)),
            ],
        )
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(
            (self.request.state, self.request.score, self.request.comment),
            ("answered", 10, "Great"),
        )
        self.assertFalse(self.request.reason_ids, "a promoter's reasons")
        # a passive is asked why: his reasons are kept
        passive = self.sent_request(self.customer_b)
        passive._nps_record_answer(score=7, reasons=price | speed)
        self.assertEqual(passive.reason_ids, price | speed)
        promoter = self.sent_request(self.make_customers(1, "promoter"))
        promoter._nps_record_answer(score=9, reasons=price)
        self.assertFalse(promoter.reason_ids, "an agent's record of a promoter")

    def test_double_submit_keeps_first_answer(self):
        self.answer(self.url, 2)
        response = self.post({"score": "10"})
        self.assertEqual(response.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.score, 2)
        # the survey answer is written by the answer's effects (their job)
        self.apply_effects()
        self.assertEqual(
            self.request.user_input_id.user_input_line_ids.mapped("value_scale"),
            [2],
            "no duplicate answer",
        )

    def test_bad_scores_get_400_and_write_nothing(self):
        for bad in ("11", "-1", "abc", "7.5", "1e1", "9" * 50):
            response = self.post({"score": bad})
            self.assertEqual(response.status_code, 400, bad)
        response = self.post({"comment": "no score"})
        self.assertEqual(response.status_code, 400)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "sent")
        self.assertFalse(self.request.user_input_id.user_input_line_ids)

    def test_unknown_token_404(self):
        for url in ("/nps/not-a-token", "/nps/not-a-token/qr", f"/nps/{'x' * 300}"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertIn("Survey not found", response.text)

    def test_expired_token_404_and_post_writes_nothing(self):
        page = self.url_open(self.url)
        csrf = self.csrf(page)
        self.request.state = "expired"
        self.env.flush_all()
        self.assertEqual(self.url_open(self.url).status_code, 404)
        response = self.url_open(self.url, data={"score": "9", "csrf_token": csrf})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.request.user_input_id.user_input_line_ids)

    @mute_logger("odoo.http")
    def test_post_without_csrf_is_refused(self):
        response = self.url_open(self.url, data={"score": "9"})
        self.assertEqual(response.status_code, 400)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "sent")

    def test_404_in_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        self.customer_a.lang = "fr_FR"
        self.request.state = "expired"
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 404)
        self.assertIn('lang="fr-FR"', response.text)
        self.assertIn("Enquête introuvable", response.text)

    def test_page_in_customer_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["de_DE"])
        self.customer_a.lang = "de_DE"
        response = self.url_open(self.url)
        self.assertIn('lang="de-DE"', response.text)
        self.assertIn("weiterempfehlen", response.text)

    def test_another_customer_signed_in_is_refused(self):
        portal_b = self.env["res.users"].create(
            {
                "name": "Bob Portal",
                "login": "bob_portal",
                "password": "bob_portal_pw",
                "partner_id": self.customer_b.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate(portal_b.login, "bob_portal_pw")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(self.customer_a.name, response.text)

    def test_qr_png_and_svg(self):
        response = self.url_open(f"{self.url}/qr")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        response = self.url_open(f"{self.url}/qr?format=svg")
        self.assertEqual(response.headers["Content-Type"], "image/svg+xml")
        self.assertIn(b"<svg", response.content)

    def test_icons_style_in_page_and_mail(self):
        png = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwAB"
            "BAEAwS2OUAAAAABJRU5ErkJggg=="
        )
        self.campaign.write(
            {
                "display_style": "icons",
                "icon_detractor": png,
                "icon_passive": png,
                "icon_promoter": png,
            }
        )
        request = self.sent_request(self.customer_b)
        token = request.sudo().access_token
        self.assertIn(f"/nps/{token}/icon/detractor", request.mail_id.body_html)
        self.assertIn(
            f"/nps/{token}/icon/promoter", self.url_open(f"/nps/{token}").text
        )
        response = self.url_open(f"/nps/{token}/icon/passive")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        self.assertEqual(self.url_open(f"/nps/{token}/icon/other").status_code, 404)

    def test_optout_get_asks_post_records(self):
        url = f"{self.url}/optout"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.customer_a.invalidate_recordset()
        self.assertFalse(self.customer_a.nps_opt_out, "a GET only asks")
        self.post({}, url=url)
        self.customer_a.invalidate_recordset()
        self.assertTrue(self.customer_a.nps_opt_out)
        self.assertEqual(
            self.close(self.make_tickets(self.customer_a)).skip_reason,
            "customer_opt_out",
        )

    def test_optout_once_only_for_sent_surveys_never_the_anonymous(self):
        """Opting out is idempotent (one note), needs a survey that went out,
        and is refused for the counter's shared anonymous customer."""
        url = f"{self.url}/optout"
        self.post({}, url=url)
        self.post({}, url=url)
        notes = self.customer_a.message_ids.filtered(
            lambda m: "Opted out of satisfaction surveys" in (m.body or "")
        )
        self.assertEqual(len(notes), 1, "one note, however many POSTs")
        skipped = self.close(self.make_tickets(self.customer_b))
        skipped.sudo().write({"state": "skipped", "skip_reason": "throttled"})
        response = self.url_open(f"/nps/{skipped.sudo().access_token}/optout")
        self.assertEqual(response.status_code, 404, "a link never sent")
        self.campaign.action_generate_public_link()
        anonymous = self.campaign.sudo()._nps_create_anonymous("device")
        response = self.url_open(f"/nps/{anonymous.sudo().access_token}/optout")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(anonymous.partner_id.nps_opt_out)

    def test_browser_one_click_answer(self):
        """Chromium opens the email's score link: the page posts the score by
        itself, then the customer adds a comment and gets the thank-you page."""
        code = (
            """
            const frame = document.createElement("iframe");
            let commented = false;
            frame.addEventListener("load", () => {
                const doc = frame.contentDocument;
                const comment = doc.querySelector("textarea[name=comment]");
                if (comment && !commented) {
                    commented = true;
                    comment.value = "Fixed in one call";
                    doc.querySelector("form").submit();
                } else if (doc.body.innerText.includes("Thank you")) {
                    console.log("test successful");
                } else if (!doc.querySelector("form[data-autosubmit]")) {
                    console.error("unexpected page: " + doc.body.innerText);
                }
            });
            frame.src = "{url}?score=10";
            document.body.appendChild(frame);
        """
        ).replace("{url}", self.url)
        # Odoo's test browser is headless Chromium, on the scanner list by
        # default (whose clients never confirm): here it plays the customer
        self.env.company.nps_scanner_signatures = False
        # hosted on the answer page without a score (a GET records nothing):
        # no Odoo assets, so no other addon's test script runs beside it
        self.browser_js(self.url, code, ready="document.readyState === 'complete'")
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "answered")
        self.assertEqual(self.request.score, 10)
        self.assertEqual(self.request.comment, "Fixed in one call")


@tagged("post_install", "-at_install")
class TestFurtherQuestionsPosted(NpsHttpMixin, NpsCase, HttpCase):
    """The survey's further questions posted by the answer page are checked
    by survey's own question validation (and a choice against its question's
    answers): a value that does not pass is not saved, the others are."""

    def setUp(self):
        super().setUp()
        self.opener.headers["User-Agent"] = CUSTOMER_UA
        project = self.env["project.project"].create(
            {"name": "Fibre install", "partner_id": self.customer_b.id}
        )
        project.stage_id = self.env.ref("project.project_project_stage_2")
        self.request = project.nps_request_ids
        self.request.scheduled_date = self.past(1)
        self.dispatch()
        self.url = f"/nps/{self.request.sudo().access_token}"
        self.choice = self.env.ref(
            "nps_satisfaction.survey_post_installation_q_schedule_yes"
        )
        self.improve = self.env.ref(
            "nps_satisfaction.survey_post_installation_q_improve"
        )
        # survey's own rule on the short answer: 5 to 40 characters
        self.improve.write(
            {
                "validation_required": True,
                "validation_length_min": 5,
                "validation_length_max": 40,
            }
        )

    def lines(self):
        self.request.invalidate_recordset()
        return {
            line.question_id: line
            for line in self.request.sudo().user_input_id.user_input_line_ids
            if not line.skipped
        }

    def test_values_off_their_question_are_not_saved(self):
        schedule = self.choice.question_id
        other_answer = self.env["survey.question.answer"].create(
            {"question_id": self.improve.id, "value": "Not a schedule answer"}
        )
        self.answer(self.url, 9)
        response = self.page_post(
            self.url,
            {
                "step": "more",
                # an answer of another question: not this choice's
                f"q_{schedule.id}": str(other_answer.id),
                # shorter than the question's validation allows
                f"q_{self.improve.id}": "ok",
            },
        )
        self.assertEqual(response.status_code, 200)
        lines = self.lines()
        self.assertNotIn(schedule, lines, "a choice of another question is not kept")
        self.assertNotIn(self.improve, lines, "survey's validation refused it")
        response = self.page_post(
            self.url,
            {
                "step": "more",
                f"q_{schedule.id}": str(self.choice.id),
                f"q_{self.improve.id}": "Call before coming",
            },
        )
        lines = self.lines()
        self.assertEqual(lines[schedule].suggested_answer_id, self.choice)
        self.assertEqual(lines[self.improve].value_char_box, "Call before coming")

    def test_overlong_further_answer_gets_400_and_writes_nothing(self):
        """Regression (attack trial): the page let a short text answer hold
        500 characters, the server kept up to 5000 of any. One limit per
        question type, the page's ``maxlength`` and the server's: above it,
        a 400 page and nothing written (the comment posted with it
        neither)."""
        self.improve.validation_required = False
        longer = self.improve.copy(
            {"title": "Tell us more", "question_type": "text_box"}
        )
        self.answer(self.url, 9)
        page = self.url_open(self.url)
        limits = {
            self.improve: text_tools.MAX_LINE,
            longer: text_tools.MAX_TEXT,
        }
        for question, limit in limits.items():
            field = re.search(rf'<[^>]*id="q_{question.id}"[^>]*>', page.text)
            self.assertIn(
                f'maxlength="{limit}"',
                field.group(0),
                "the page's limit is the server's",
            )
        for question, limit in limits.items():
            self.env.flush_all()
            before = digest(self.env.cr, TABLES)
            with mute_logger("odoo.http"):
                response = self.page_post(
                    self.url,
                    {
                        "step": "more",
                        "comment": "Kind technician",
                        f"q_{question.id}": "x" * (limit + 1),
                    },
                )
            self.assertEqual(response.status_code, 400, question.title)
            self.assertIn("Nothing was recorded", response.text)
            self.env.flush_all()
            self.assertEqual(
                digest(self.env.cr, TABLES), before, f"{question.title}: written"
            )
        response = self.page_post(
            self.url,
            {
                "step": "more",
                f"q_{self.improve.id}": "y" * text_tools.MAX_LINE,
                # a browser sends a line break as CR LF: one character
                f"q_{longer.id}": "z\r\n" * (text_tools.MAX_TEXT // 2 - 1) + "zz",
            },
        )
        self.assertEqual(response.status_code, 200)
        lines = self.lines()
        self.assertEqual(lines[self.improve].value_char_box, "y" * text_tools.MAX_LINE)
        self.assertEqual(
            lines[longer].value_text_box,
            "z\n" * (text_tools.MAX_TEXT // 2 - 1) + "zz",
        )

    def test_nonfinite_or_huge_numbers_are_not_saved(self):
        """Regression (attack trial): ``nan``, ``inf`` or ``-1e308`` posted
        to a number question made survey's own check of the line fail: a
        server error on the public page. They do not pass, as any value off
        its question: left out, the rest of the post saved."""
        number = self.improve.copy(
            {
                "title": "How many phones?",
                "question_type": "numerical_box",
                "validation_required": False,
            }
        )
        self.answer(self.url, 9)
        for raw in ("nan", "inf", "-inf", "-1e308", "1e16"):
            response = self.page_post(self.url, {"step": "more", f"q_{number.id}": raw})
            self.assertEqual(response.status_code, 200, raw)
            self.assertNotIn(number, self.lines(), raw)
        response = self.page_post(self.url, {"step": "more", f"q_{number.id}": "12"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.lines()[number].value_numerical_box, 12)

    def test_optional_questions_left_empty_the_survey_answer_is_done(self):
        """Regression (attack trial): a customer who left an optional
        question empty kept a survey answer in progress for ever. The job
        marks it done when no mandatory question is left."""
        self.answer(self.url, 9)
        self.page_post(self.url, {"step": "more", f"q_{self.improve.id}": "Be on time"})
        self.apply_effects()
        self.request.invalidate_recordset()
        self.assertEqual(self.request.user_input_id.state, "done")
        self.assertIn(self.improve, self.lines())
        # a mandatory question left: in progress, as survey counts it
        self.choice.question_id.constr_mandatory = True
        other = self.make_customers(1, "other")
        project = self.env["project.project"].create(
            {"name": "Second install", "partner_id": other.id}
        )
        project.stage_id = self.env.ref("project.project_project_stage_2")
        request = project.nps_request_ids
        request.scheduled_date = self.past(1)
        self.dispatch()
        url = f"/nps/{request.sudo().access_token}"
        self.answer(url, 8, self.customer_session())
        self.page_post(url, {"step": "more", "comment": "Fine"})
        self.apply_effects()
        request.invalidate_recordset()
        self.assertNotEqual(request.user_input_id.state, "done")
        self.assertEqual(request.user_input_id.nps_score, 8)

    def test_questions_only_odoo_asks_wait_for_the_confirmed_answer(self):
        """Regression (attack trial): a question only Odoo's survey page asks
        (multiple choice) sent any client's unconfirmed click, a scanner's
        too, to Odoo's survey page with the survey answer's token, where it
        could fill in the customer's answer. Now the click gets the comment
        step; once that step confirms the answer, the same browser goes on to
        Odoo's page, which asks only the questions left; another browser
        opening the link gets a plain thank-you."""
        services = self.env["survey.question"].create(
            {
                "survey_id": self.improve.survey_id.id,
                "title": "Which services do you use?",
                "question_type": "multiple_choice",
                "sequence": 100,
                "suggested_answer_ids": [(0, 0, {"value": "Fibre"})],
            }
        )
        customer = self.customer_session()
        click = self.page_post(self.url, {"score": "9"}, customer, auto=True)
        self.assertEqual(click.status_code, 200)
        self.assertFalse(click.history, "no redirect for an unconfirmed click")
        self.assertIn("/nps/", click.url)
        self.assertNotIn("answer_token", click.text)
        self.request.invalidate_recordset()
        self.assertFalse(self.request.user_input_id, "no survey answer yet")
        page = customer.get(self.base_url() + self.url, timeout=30)
        more = customer.post(
            self.base_url() + self.url,
            data={
                "step": "more",
                "comment": "Quick install",
                "csrf_token": self.csrf(page),
            },
            allow_redirects=False,
            timeout=30,
        )
        self.assertEqual(more.status_code, 303, more.text[:300])
        self.request.invalidate_recordset()
        answer = self.request.sudo().user_input_id
        self.assertEqual(self.request.state, "answered")
        self.assertIn(f"answer_token={answer.access_token}", more.headers["Location"])
        self.assertEqual(
            answer.predefined_question_ids,
            self.request._nps_remaining_questions(),
            "Odoo's page asks only the questions left",
        )
        self.assertIn(services, answer.predefined_question_ids)
        lines = self.lines()
        self.assertEqual(
            lines[self.request.campaign_id.score_question_id].value_scale, 9
        )
        self.assertIn("Quick install", [x.value_text_box for x in lines.values()])
        # the job leaves the survey answer to Odoo's page, which marks it done
        self.apply_effects()
        self.assertNotEqual(answer.state, "done")
        response = self.use(self.customer_session()).get(self.base_url() + self.url)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.history, "no redirect for another browser")
        self.assertNotIn(answer.access_token, response.text)
