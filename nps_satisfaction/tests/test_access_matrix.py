from lxml import html

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .access_common import AccessMatrixCase
from .access_rows import ROWS


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessMatrixCase):
    """Every cell of nps_satisfaction's rows in tests/access_rows.py, run as
    the role's user: allowed where the table says yes, refused (an
    AccessError or a record rule hiding the record) where it says no."""

    def setUp(self):
        super().setUp()
        # a satisfaction alert about A's answer, as its answer's effects post
        # it on the campaign
        known = self.request_a.campaign_id.message_ids
        self.env["nps.answer.effects"]._nps_post_alert(
            self.request_a,
            self.request_a.campaign_id,
            self.request_a.followup_ids,
            "keyword",
        )
        self.alert_a = self.request_a.campaign_id.message_ids - known

    def test_access_matrix(self):
        self.check_matrix(ROWS)

    # --- Answers ---

    def op_read_answer(self, env):
        answer = self.request_a.user_input_id
        return self.reach(env, answer, ["nps_score", "nps_category"])

    def op_write_answer(self, env):
        answer = env["survey.user_input"].browse(self.request_a.user_input_id.id)
        answer.write({"nickname": "changed"})
        return True

    def op_read_answer_lines(self, env):
        lines = self.request_a.user_input_id.user_input_line_ids
        found = env[lines._name].search([("id", "in", lines.ids)])
        found.read(["question_id", "nps_answer_text"])
        return found == lines

    def op_read_request_answer(self, env):
        return self.reach(env, self.request_a, ["score", "nps_category", "comment"])

    def op_write_request_answer(self, env):
        request = env["nps.request"].browse(self.request_a.id)
        request.write({"score": 10, "comment": "changed"})
        return True

    def op_read_request_themes(self, env):
        return self.reach(env, self.request_a, ["theme_ids", "comment_lang"])

    def op_write_request_themes(self, env):
        request = env["nps.request"].browse(self.request_a.id)
        request.write({"theme_ids": [(6, 0, self.theme.ids)]})
        return True

    # --- Themes ---

    def op_read_theme(self, env):
        return self.reach(env, self.theme, ["name", "user_id"])

    def op_write_theme(self, env):
        env["nps.theme"].browse(self.theme.id).write({"name": "changed"})
        return True

    def op_find_uncovered_words(self, env):
        discovery = env["nps.theme.discovery"].create({"lang": "en_US"})
        discovery.action_find()
        return discovery.searched

    def op_add_uncovered_word(self, env):
        discovery = env["nps.theme.discovery"].create({"lang": "en_US"})
        line = env["nps.theme.discovery.line"].create(
            {
                "discovery_id": discovery.id,
                "kind": "word",
                "name": "roaming",
                "theme_id": self.theme.id,
            }
        )
        line.action_add_to_theme()
        return line.theme_word_id

    # --- Requests ---

    def op_read_request(self, env):
        return self.reach(env, self.request_a, ["state", "partner_id", "ticket_id"])

    def op_read_token(self, env):
        return self.reach(env, self.request_a, ["access_token"])

    def op_read_own_ticket_request(self, env):
        return self.reach(env, self.request_own, ["state", "ticket_id"])

    def op_create_request(self, env):
        return env["nps.request"].create(
            {"campaign_id": self.campaign.id, "partner_id": self.customer_b.id}
        )

    def op_unlink_request(self, env):
        env["nps.request"].browse(self.request_a.id).unlink()
        return True

    # --- Campaigns ---

    def op_read_campaign(self, env):
        return self.reach(env, self.campaign_main, ["name", "trigger"])

    def op_write_campaign(self, env):
        env["nps.campaign"].browse(self.campaign_main.id).write({"min_days_between": 1})
        return True

    def op_create_campaign(self, env):
        return env["nps.campaign"].create(
            {"name": "Created", "survey_id": self.survey.id, "trigger": "manual"}
        )

    def op_read_campaign_alert(self, env):
        return self.reach(env, self.alert_a, ["body", "subject"])

    def op_read_answer_in_campaign_alert(self, env):
        """A's score or comment in the alert on the campaign (its chatter,
        and the email to its followers)."""
        alert = self.reach(env, self.alert_a, ["body", "subject"])
        if not alert:
            return False
        text = html.fromstring(f"<div>{alert.body}</div>").text_content()
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", alert.id)])
        )
        text += "".join(mails.mapped("body_html"))
        return "Slow answers" in text or "4/10" in text

    # --- Follow-up cases ---

    def op_read_followup(self, env):
        return self.reach(
            env, self.request_a.followup_ids, ["name", "comment", "action_taken"]
        )

    def op_write_followup(self, env):
        case = env["nps.followup"].browse(self.request_a.followup_ids.id)
        case.action_start()
        case.write({"action_taken": "Called her"})
        case.message_post(body="Called her", message_type="comment")
        return True

    def op_close_followup(self, env):
        case = env["nps.followup"].browse(self.request_a.followup_ids.id)
        wizard = env["nps.followup.close"].create(
            {
                "followup_id": case.id,
                "root_cause_id": self.env.ref(
                    "nps_satisfaction.reason_response_time"
                ).id,
                "outcome": "resolved",
            }
        )
        wizard.action_close()
        return case.state == "done"

    def op_read_followup_b(self, env):
        return self.reach(env, self.request_b.followup_ids, ["name", "comment"])

    def op_create_followup(self, env):
        return env["nps.followup"].create(
            {"request_id": self.request_own.id, "kind": "keyword"}
        )

    def op_unlink_followup(self, env):
        env["nps.followup"].browse(self.request_a.followup_ids.id).unlink()
        return True

    def op_move_followup(self, env):
        case = env["nps.followup"].browse(self.request_a.followup_ids.id)
        case.write(
            {
                "commercial_partner_id": self.company_b.id,
                "partner_id": self.customer_b.id,
                "ticket_id": self.request_b.ticket_id.id,
            }
        )
        case.invalidate_recordset()
        return case.sudo().commercial_partner_id == self.company_b

    def op_print_qr_own(self, env):
        request = self.request_own_answered
        html = (
            env["ir.actions.report"]
            ._render_qweb_html("nps_satisfaction.report_nps_qr", request.ids)[0]
            .decode()
        )
        return request.sudo().access_token in html

    # --- Tickets (the account manager's helpdesk history) ---

    def op_read_ticket_a(self, env):
        ticket = self.reach(
            env, self.request_a.ticket_id, ["name", "stage_id", "user_id"]
        )
        if ticket:
            env["mail.message"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            ).read(["body"])
        return ticket

    def op_write_ticket_a(self, env):
        env["helpdesk.ticket"].browse(self.request_a.ticket_id.id).write(
            {"description": "Changed"}
        )
        return True

    # --- Reports ---

    def op_read_report(self, env):
        lines = env["nps.report"].search([("request_id", "=", self.request_a.id)])
        lines.read(["nps_value"])
        return lines

    def op_read_report_b(self, env):
        lines = env["nps.report"].search([("request_id", "=", self.request_b.id)])
        lines.read(["nps_value"])
        return lines

    def _theme_rows(self, env, request):
        """``request``'s rows in the comment themes' figures, its comment
        given a theme first."""
        request.with_context(nps_theme_tagging=True).theme_ids = self.theme
        self.env.flush_all()
        lines = env["nps.theme.report"].search([("request_id", "=", request.id)])
        lines.read(["theme_id", "nps_value", "comment"])
        return lines

    def op_read_theme_report(self, env):
        return self._theme_rows(env, self.request_a)

    def op_read_theme_report_b(self, env):
        return self._theme_rows(env, self.request_b)

    def op_open_dashboard(self, env):
        dashboard = env["nps.dashboard"].create({})
        dashboard.read(["nps", "response_rate", "followup_count"])
        return True

    # --- Agents' figures ---

    def op_read_agent_figures_own(self, env):
        lines = env["nps.agent.report"].search(
            [("request_id", "=", self.request_own_answered.id)]
        )
        lines.read(["score", "comment", "nps_value"])
        return lines

    def op_read_agent_figures_a(self, env):
        lines = env["nps.agent.report"].search([("request_id", "=", self.request_a.id)])
        lines.read(["score", "comment", "nps_value"])
        return lines

    # --- Contact roles ---

    def op_read_contact_roles(self, env):
        roles = env["nps.contact.role"].search([])
        roles.read(["name", "code"])
        return roles

    def op_write_contact_role(self, env):
        role = self.env.ref("nps_satisfaction.contact_role_other")
        env["nps.contact.role"].browse(role.id).write({"name": "Sponsor"})
        return True

    def op_create_contact_role(self, env):
        return env["nps.contact.role"].create({"name": "Buyer", "code": "other"})

    # --- Account managers and customer figures ---

    def op_become_account_manager(self, env):
        """The role's user, given Contact Creation when he is an internal
        user (the right to edit contacts), makes himself B's salesperson:
        is he then the account manager of B's satisfaction data?"""
        user = env.user
        creation = self.env.ref("base.group_partner_manager")
        granted = not user.share and creation not in user.all_group_ids
        if granted:
            user.sudo().group_ids = [(4, creation.id)]
        try:
            env["res.partner"].browse(self.company_b.id).write({"user_id": user.id})
            self.company_b.invalidate_recordset()
            return self.company_b.sudo().nps_account_manager_id == user
        finally:
            if granted:
                # the groups' caches stay those of the role once rolled back
                user.sudo().group_ids = [(3, creation.id)]

    def read_figures(self, env, company):
        """The company's health, last score, CSAT and account NPS, as its
        contact form reads them."""
        found = env["res.partner"].search([("id", "=", company.id)])
        if not found:
            return found
        [values] = found.read(
            [
                "nps_health_shown",
                "nps_last_score_shown",
                "csat_avg_shown",
                "nps_account_nps_shown",
                "nps_account_respondents_shown",
            ]
        )
        return values["nps_health_shown"] and values["nps_account_respondents_shown"]

    def op_read_figures_a(self, env):
        return self.read_figures(env, self.company_a)

    def op_read_figures_b(self, env):
        return self.read_figures(env, self.company_b)

    # --- The risk score ---

    def read_risk(self, env, company):
        """The company's risk score, band and drivers, as its contact form
        reads them."""
        found = env["res.partner"].search([("id", "=", company.id)])
        if not found:
            return found
        [values] = found.read(
            ["nps_risk_score_shown", "nps_risk_band_shown", "nps_risk_drivers_shown"]
        )
        return values["nps_risk_score_shown"] and values["nps_risk_drivers_shown"]

    def op_read_risk_a(self, env):
        return self.read_risk(env, self.company_a)

    def op_read_risk_b(self, env):
        return self.read_risk(env, self.company_b)

    def op_my_customers_risk_a(self, env):
        """The action's customers, as the web client asks for them."""
        action = self.env.ref("nps_satisfaction.action_nps_my_customers_risk")
        domain = safe_eval(action.domain, {"uid": env.uid})
        found = env["res.partner"].search_read(
            domain, ["nps_risk_score_shown"], order="nps_risk_score_shown desc"
        )
        return any(
            row["id"] == self.company_a.id and row["nps_risk_score_shown"]
            for row in found
        )

    # --- Terminations and health over time ---

    def _termination(self, company):
        """A termination notice of ``company``, in the main company."""
        return self.env["nps.termination"].create(
            {
                "partner_id": company.id,
                "company_id": self.env.company.id,
                "reason_id": self.env.ref(
                    "nps_satisfaction.nps_termination_reason_price"
                ).id,
                "note": "<p>Leaving for a cheaper offer</p>",
            }
        )

    def op_read_termination(self, env):
        termination = self._termination(self.company_a)
        return self.reach(env, termination, ["notice_date", "state", "note"])

    def op_read_termination_b(self, env):
        termination = self._termination(self.company_b)
        return self.reach(env, termination, ["notice_date", "state", "note"])

    def op_create_termination_a(self, env):
        return env["nps.termination"].create({"partner_id": self.customer_a.id})

    def op_create_termination_b(self, env):
        return env["nps.termination"].create({"partner_id": self.customer_b.id})

    def op_write_termination(self, env):
        termination = env["nps.termination"].browse(
            self._termination(self.company_a).id
        )
        termination.write({"note": "<p>Offered a discount</p>"})
        termination.action_withdraw()
        termination.action_reset_notice()
        termination.action_done()
        return termination.sudo().state == "done"

    def op_unlink_termination(self, env):
        env["nps.termination"].browse(self._termination(self.company_a).id).unlink()
        return True

    def op_read_health_history(self, env):
        rows = self.env["nps.health.history"].search(
            [("partner_id", "=", self.company_a.id)]
        )
        self.assertTrue(rows, "A's detractor answer changed A's health")
        found = env["nps.health.history"].search([("id", "in", rows.ids)])
        found.read(["date", "health", "reason", "account_nps"])
        return found
