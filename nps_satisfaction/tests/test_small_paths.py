import ast
import re

from lxml import etree, html

from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import html2plaintext

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestSurveyToggle(NpsCase):
    """The agent's "Send satisfaction survey" toggle on the ticket form."""

    def agent_form(self, ticket):
        return Form(ticket.with_user(self.agent))

    def test_toggle_does_not_save_the_ticket_at_once(self):
        """Regression: unticking the toggle saved the ticket at once (the
        toggle's autosave) and showed "Missing required fields" before the
        agent could type the reason."""
        views = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .get_views([(False, "form")])["views"]
        )
        arch = etree.fromstring(views["form"]["arch"])
        toggle = arch.xpath("//field[@name='nps_send_survey']")
        self.assertTrue(toggle, "the toggle is on the agent's ticket form")
        options = ast.literal_eval(toggle[0].get("options") or "{}")
        self.assertIs(
            options.get("autosave"),
            False,
            "unticking the toggle must wait for the reason before saving",
        )

    def test_untick_then_reason_then_save(self):
        """The form stays open for the reason once the toggle is off; saving
        without a reason is refused naming the reason, with one it saves."""
        ticket = self.make_tickets(self.customer_a)
        form = self.agent_form(ticket)
        form.nps_send_survey = False  # no error while the agent types
        with self.assertRaisesRegex(AssertionError, "nps_skip_reason"):
            form.save()
        form.nps_skip_reason = "Customer asked for no survey"
        form.save()
        self.assertTrue(ticket.nps_skip_survey, "the opt-out is recorded")
        self.assertEqual(ticket.nps_skip_reason, "Customer asked for no survey")

    def test_chatter_tracks_the_toggle_as_labelled_on_the_form(self):
        """Regression: the chatter said "Skip satisfaction survey: No -> Yes"
        where the form's toggle says "Send satisfaction survey"."""
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        ticket = self.make_tickets(self.customer_a)
        self.env.cr.precommit.run()
        form = self.agent_form(ticket)
        form.nps_send_survey = False
        form.nps_skip_reason = "Duplicate of #12"
        form.save()
        self.env.cr.precommit.run()
        trackings = ticket.message_ids.tracking_value_ids
        labels = trackings.field_id.mapped("field_description")
        self.assertIn("Send satisfaction survey", labels)
        self.assertNotIn("Skip satisfaction survey", labels)
        toggle = trackings.filtered(lambda t: t.field_id.name == "nps_send_survey")
        self.assertEqual(
            (toggle.old_value_integer, toggle.new_value_integer),
            (1, 0),
            "the toggle went from sent to not sent",
        )


@tagged("post_install", "-at_install")
class TestHeldSurveyOnTicket(NpsCase):
    def satisfaction_tab_shows(self, field):
        """Whether the agent's ticket form shows ``field`` on its
        satisfaction tab."""
        views = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .get_views([(False, "form")])["views"]
        )
        page = etree.fromstring(views["form"]["arch"]).xpath("//page[@name='nps']")[0]
        return bool(page.xpath(f".//field[@name='{field}']"))

    def test_ticket_shows_the_hold_and_its_reason(self):
        """Regression: the ticket's satisfaction tab said "Scheduled" while
        its survey waited for the customer's other open ticket."""
        self.make_tickets(self.customer_a2)  # another ticket, still open
        ticket = self.make_tickets(self.customer_a)
        request = self.close(ticket)
        request.scheduled_date = self.past(1)
        self.dispatch()
        self.assertEqual(request.hold_reason, "open_ticket")
        form = Form(ticket.with_user(self.agent))
        self.assertEqual(form.nps_hold_reason, "open_ticket")
        self.assertTrue(form.nps_held_since, "the form says since when")
        self.assertTrue(
            self.satisfaction_tab_shows("nps_hold_reason"),
            "the satisfaction tab shows why the survey waits",
        )

    def test_ticket_shows_why_its_survey_was_not_sent(self):
        """Regression: the satisfaction tab said "Skipped" without the
        reason (the quiet period, say), which the agent had to open the
        survey to read."""
        self.close(self.make_tickets(self.customer_a))
        ticket = self.make_tickets(self.customer_a)
        request = self.close(ticket)
        self.assertEqual(request.skip_reason, "throttled")
        form = Form(ticket.with_user(self.agent))
        self.assertEqual(form.nps_request_skip_reason, "throttled")
        self.assertTrue(
            self.satisfaction_tab_shows("nps_request_skip_reason"),
            "the satisfaction tab shows why no survey went",
        )
        self.assertFalse(
            self.close(
                self.make_tickets(self.customer_b)
            ).ticket_id.nps_request_skip_reason,
            "nothing to explain for a survey on its way",
        )

    def test_survey_not_held_shows_no_hold(self):
        request = self.close(self.make_tickets(self.customer_a))
        self.assertEqual(request.state, "scheduled")
        self.assertFalse(request.ticket_id.nps_hold_reason)


@tagged("post_install", "-at_install")
class TestPortalRowsAndSparkline(NpsCase, HttpCase):
    def setUp(self):
        super().setUp()
        new_test_user(
            self.env,
            login="portal_small",
            password="portal_small_pass",
            groups="base.group_portal",
            partner_id=self.customer_a.id,
        )

    def test_rows_without_answer_show_no_score(self):
        """Rows of surveys with no answer (waiting, expired) show no score;
        an answer of 0 shows as 0/10."""
        self.campaign.min_days_between = 0
        sent = self.sent_request(self.customer_a)
        expired = self.sent_request(self.customer_a)
        expired.sudo().state = "expired"
        answered = self.sent_request(self.customer_a)
        answered._nps_record_answer(score=0)
        self.authenticate("portal_small", "portal_small_pass")
        response = self.url_open("/my/satisfaction")
        self.assertEqual(response.status_code, 200)
        cells = {
            row.xpath("./td[2]")[0].text_content().strip(): row.xpath("./td[4]")[0]
            for row in html.fromstring(response.text).xpath(
                "//tr[hasclass('o_nps_portal_row')]"
            )
        }
        for request in (sent, expired):
            cell = cells[request.ticket_id.display_name]
            self.assertFalse(
                cell.xpath(".//strong") or re.search(r"\d", cell.text_content()),
                f"no score on the {request.state} survey's row",
            )
        answer = cells[answered.ticket_id.display_name].text_content()
        self.assertEqual(re.sub(r"\s+", "", answer), "0/10")

    def test_contact_without_answer_says_so(self):
        """Regression: a contact with no answer showed an empty score graph."""
        sparkline = self.customer_b.with_user(self.nps_user).nps_score_sparkline
        self.assertIn("No answer yet", str(sparkline or ""))
        self.assertNotIn("<svg", str(sparkline or ""))

    def test_contact_with_answers_gets_the_graph(self):
        self.sent_request(self.customer_b)._nps_record_answer(score=9)
        self.customer_b.invalidate_recordset(["nps_score_sparkline"])
        sparkline = str(self.customer_b.with_user(self.manager).nps_score_sparkline)
        self.assertIn("<svg", sparkline)
        self.assertNotIn("No answer yet", sparkline)


@tagged("post_install", "-at_install")
class TestReportViews(NpsCase):
    def test_date_group_bys_are_distinct(self):
        """Regression: Week, Month and Quarter were the same date field, each
        opening the same interval sub-menu."""
        arch = self.env["nps.report"].get_views([(False, "search")])["views"]
        search = etree.fromstring(arch["search"]["arch"])
        fields = [
            ast.literal_eval(node.get("context"))["group_by"].split(":")[0]
            for node in search.xpath("//group/filter[@context]")
        ]
        duplicates = {name for name in fields if fields.count(name) > 1}
        self.assertFalse(duplicates, "one group-by per field")

    def test_pivot_columns_are_not_a_search_group_by(self):
        """Regression: grouping the pivot by quarter from the search put the
        quarter in rows beside the default quarter columns: a diagonal."""
        views = self.env["nps.report"].get_views([(False, "pivot"), (False, "search")])
        pivot = etree.fromstring(views["views"]["pivot"]["arch"])
        search = etree.fromstring(views["views"]["search"]["arch"])
        columns = {node.get("name") for node in pivot.xpath("//field[@type='col']")}
        rows = {node.get("name") for node in pivot.xpath("//field[@type='row']")}
        group_bys = {
            ast.literal_eval(node.get("context"))["group_by"].split(":")[0]
            for node in search.xpath("//filter[@context]")
        }
        self.assertFalse(columns & rows, "not the same field in rows and columns")
        self.assertFalse(
            columns & group_bys,
            "a search group-by lands in rows: it must not be a default column",
        )


@tagged("post_install", "-at_install")
class TestMailPlainText(NpsCase):
    def plain_text(self, request, template="mail_template_nps_request"):
        """The text part Odoo makes of the rendered survey email."""
        template_sudo = self.env.ref(f"nps_satisfaction.{template}").sudo()
        rendered = self.env["nps.mail.render"]._nps_render_template(
            request, template_sudo
        )
        return html2plaintext(rendered[request.id]["body_html"])

    def test_plain_text_has_the_scores_and_their_links(self):
        """Regression: the email's text part read "None [1] 0 None [2] 1"."""
        request = self.close(self.make_tickets(self.customer_a))
        for style in ("numbers", "stars"):
            self.campaign.display_style = style
            with self.subTest(style=style):
                text = self.plain_text(request)
                self.assertNotIn("None", text)
                self.assertIn(self.campaign.lead_question_id.title, text)
                for score in (0, 5, 10):
                    self.assertRegex(text, rf"(^|\s){score} \[\d+\]")
                self.assertIn(request.sudo()._nps_answer_url(score=10), text)
        text = self.plain_text(request, "mail_template_nps_reminder")
        self.assertNotIn("None", text)
        self.assertTrue(re.search(r"(^|\s)10 \[\d+\]", text), text)
