from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

OPEN_STATES = ("open", "in_progress")
#: what the case's own flow maintains: its answer, why it was opened, its
#: state (changed by the case's buttons, so that closing always records the
#: cause and schedules the follow-up survey), escalation and recovery; and
#: what follows its answer (the customer, the ticket, the campaign...): a
#: case cannot be repointed at another customer or document
FLOW_FIELDS = frozenset(
    {
        "request_id",
        "theme_alerted_ids",
        "kind",
        "keywords",
        "state",
        "escalated",
        "escalated_user_id",
        "done_date",
        "survey_request_id",
        "recovered",
        "partner_id",
        "commercial_partner_id",
        "company_id",
        "campaign_id",
        "ticket_id",
        "project_id",
        "team_id",
        "answer_date",
        "score",
        "csat_score",
        "nps_category",
        "comment",
        "reason_ids",
    }
)


#: what the satisfaction team decides about a case: who works it and by
#: when (its escalation runs on the deadline), not the account manager it is
#: assigned to
TEAM_FIELDS = frozenset({"user_id", "date_deadline"})


class NpsFollowup(models.Model):
    """The case a detractor's answer or a satisfaction alert opens for the
    customer's account manager: its own chatter and activity, a deadline,
    the cause and outcome once worked, and the follow-up survey that shows
    whether the customer recovered. Here the case and its state; its
    activities and escalation are in ``nps_followup_activity.py``, its
    closing with the outcome in ``nps_followup_closing.py``."""

    _name = "nps.followup"
    _description = "Satisfaction follow-up"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id desc"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name", store=True, readonly=True, string="Case"
    )
    request_id = fields.Many2one(
        comodel_name="nps.request",
        string="Answer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    kind = fields.Selection(
        selection=[
            ("detractor", "Detractor"),
            ("downgrade", "Category downgrade"),
            ("drop", "Score drop"),
            ("low_csat", "CSAT under the threshold"),
            ("keyword", "Alarming words in the comment"),
            ("silence", "No answer after reminders"),
        ],
        string="Reason",
        required=True,
        readonly=True,
        index=True,
        help="What opened this case: a detractor's answer or a satisfaction alert.",
    )
    keywords = fields.Char(
        string="Alarming words",
        readonly=True,
        help="The alert keywords found in the customer's comment.",
    )
    partner_id = fields.Many2one(
        related="request_id.partner_id", string="Contact", store=True, index=True
    )
    commercial_partner_id = fields.Many2one(
        related="request_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True
    )
    campaign_id = fields.Many2one(related="request_id.campaign_id", store=True)
    ticket_id = fields.Many2one(related="request_id.ticket_id", store=True)
    ticket_readable = fields.Boolean(
        compute="_compute_ticket_readable",
        help="The user may open the case's ticket: a helpdesk user, or the "
        "account manager of its customer.",
    )
    project_id = fields.Many2one(related="request_id.project_id", store=True)
    team_id = fields.Many2one(related="request_id.team_id", store=True)
    score = fields.Integer(related="request_id.score")
    csat_score = fields.Integer(related="request_id.csat_score")
    nps_category = fields.Selection(related="request_id.nps_category")
    comment = fields.Text(related="request_id.comment")
    reason_ids = fields.Many2many(related="request_id.reason_ids")
    theme_ids = fields.Many2many(related="request_id.theme_ids", string="Themes")
    theme_alerted_ids = fields.Many2many(
        comodel_name="nps.theme",
        relation="nps_followup_theme_alerted_rel",
        column1="followup_id",
        column2="theme_id",
        string="Themes alerted",
        readonly=True,
        help="The themes whose responsible got an activity on this case.",
    )
    answer_date = fields.Datetime(related="request_id.answer_date", store=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Account manager",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
        help="Who follows the customer up: the customer's account manager, "
        "else the helpdesk team leader, else the campaign's responsible.",
    )
    date_deadline = fields.Date(string="Deadline", tracking=True, index=True)
    overdue = fields.Boolean(compute="_compute_overdue", search="_search_overdue")
    state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="open",
        tracking=True,
        index=True,
        group_expand=True,
    )
    escalated = fields.Boolean(readonly=True, tracking=True)
    escalated_user_id = fields.Many2one(
        comodel_name="res.users", string="Escalated to", readonly=True
    )
    root_cause_id = fields.Many2one(
        comodel_name="nps.reason", string="Root cause", tracking=True
    )
    action_taken = fields.Text(string="Action taken")
    outcome = fields.Selection(
        selection=[
            ("resolved", "Resolved"),
            ("compensated", "Compensated"),
            ("explained", "Explained, nothing to change"),
            ("not_resolved", "Not resolved"),
            ("unreachable", "Could not reach the customer"),
        ],
        tracking=True,
    )
    done_date = fields.Datetime(string="Closed on", readonly=True)
    survey_request_id = fields.Many2one(
        comodel_name="nps.request",
        string="Follow-up survey",
        readonly=True,
        ondelete="set null",
        help="The survey sent after the case was closed, to check the fix.",
    )
    recovered = fields.Boolean(
        readonly=True,
        help="The follow-up survey was answered passive or promoter.",
    )
    history_ids = fields.Many2many(
        comodel_name="nps.request",
        string="Recent answers",
        compute="_compute_customer_context",
        help="The customer's last answers (its contacts' for a company).",
    )
    open_ticket_summary = fields.Html(
        string="Open tickets",
        compute="_compute_customer_context",
        sanitize=False,
        help="The customer's helpdesk tickets still open.",
    )
    open_ticket_count = fields.Integer(compute="_compute_customer_context")
    opportunity_count = fields.Integer(
        string="Open opportunities",
        compute="_compute_opportunity_count",
        help="The customer's open opportunities, when CRM is installed.",
    )

    termination_ids = fields.Many2many(
        comodel_name="nps.termination",
        string="Terminations",
        compute="_compute_termination_ids",
        help="The customer's termination notices.",
    )
    termination_open = fields.Boolean(
        string="Notice given",
        compute="_compute_termination_ids",
        help="The customer gave notice and has not withdrawn it, nor left.",
    )

    _unique_request = models.Constraint(
        "UNIQUE(request_id)", "An answer opens one follow-up case at most."
    )
    _open_user_idx = models.Index(
        "(user_id, date_deadline) WHERE state IN ('open', 'in_progress')"
    )

    @api.depends("ticket_id")
    @api.depends_context("uid")
    def _compute_ticket_readable(self):
        for case in self:
            case.ticket_readable = bool(case.ticket_id) and case.ticket_id.has_access(
                "read"
            )

    @api.depends("commercial_partner_id", "kind", "request_id.score")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for case in self:
            customer = case.commercial_partner_id.display_name or ""
            if case.kind == "silence":
                case.name = self.env._("%(customer)s — no answer", customer=customer)
            elif case.kind == "detractor":
                case.name = self.env._(
                    "%(customer)s — NPS %(score)s",
                    customer=customer,
                    score=case.request_id.score,
                )
            else:
                case.name = self.env._(
                    "%(customer)s — %(reason)s",
                    customer=customer,
                    reason=kinds.get(case.kind, ""),
                )

    @api.depends("commercial_partner_id")
    @api.depends_context("uid")
    def _compute_termination_ids(self):
        """The customer's terminations, as far as the user may read them."""
        terminations = self.env["nps.termination"].search(
            [("partner_id", "in", self.commercial_partner_id.ids)]
        )
        for case in self:
            own = terminations.filtered(
                lambda t, c=case: t.partner_id == c.commercial_partner_id
            )
            case.termination_ids = own
            case.termination_open = any(t.state == "notice" for t in own)

    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.overdue = (
                case.state in OPEN_STATES
                and bool(case.date_deadline)
                and case.date_deadline < today
            )

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue follow-ups."))
        overdue = Domain("state", "in", OPEN_STATES) & Domain(
            "date_deadline", "<", fields.Date.context_today(self)
        )
        return overdue if (operator == "=") == value else ~overdue

    @api.depends("commercial_partner_id")
    @api.depends_context("lang")
    def _compute_customer_context(self):
        """The customer's recent answers (as far as the user may read them)
        and its open tickets. The tickets are summarised as text, so that an
        account manager without helpdesk rights sees them on the case."""
        commercials = self.commercial_partner_id
        answers = self.env["nps.request"].search(
            [
                ("commercial_partner_id", "in", commercials.ids),
                ("state", "=", "answered"),
            ],
            order="answer_date desc",
            limit=10 * len(commercials) or 1,
        )
        tickets_sudo = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", commercials.ids),
                    ("stage_id.closed", "=", False),
                ],
                order="create_date desc",
            )
        )
        for case in self:
            commercial = case.commercial_partner_id
            case.history_ids = answers.filtered(
                lambda r, c=commercial: r.commercial_partner_id == c
            )[:10]
            open_tickets = tickets_sudo.filtered(
                lambda t, c=commercial: t.commercial_partner_id == c
            )
            case.open_ticket_count = len(open_tickets)
            case.open_ticket_summary = (
                Markup("<ul>%s</ul>")
                % Markup().join(
                    Markup("<li><b>%s</b> %s — %s (%s)</li>")
                    % (
                        ticket.number or "",
                        ticket.name,
                        ticket.stage_id.name,
                        ticket.user_id.name or self.env._("unassigned"),
                    )
                    for ticket in open_tickets[:10]
                )
                if open_tickets
                else False
            )

    def _compute_opportunity_count(self):
        Lead = self.env.get("crm.lead")
        if Lead is None or not Lead.has_access("read"):
            self.opportunity_count = 0
            return
        rows = dict(
            Lead._read_group(
                [
                    ("partner_id", "child_of", self.commercial_partner_id.ids),
                    ("type", "=", "opportunity"),
                    ("active", "=", True),
                    ("probability", "<", 100),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for case in self:
            case.opportunity_count = sum(
                count
                for partner, count in rows.items()
                if partner.commercial_partner_id == case.commercial_partner_id
            )

    def write(self, vals):
        if not self.env.su and FLOW_FIELDS.intersection(vals):
            raise AccessError(
                self.env._(
                    "A follow-up's answer, customer, ticket, reason and state "
                    "follow its answer and its buttons (start, close, cancel, "
                    "reopen); they cannot be changed by hand."
                )
            )
        if (
            not self.env.su
            and TEAM_FIELDS.intersection(vals)
            and not self.env.user.has_group("nps_satisfaction.group_nps_user")
        ):
            raise AccessError(
                self.env._(
                    "Only the satisfaction team reassigns a follow-up or moves "
                    "its deadline."
                )
            )
        return super().write(vals)

    # --- Actions ---

    def _nps_set_state(self, state):
        """Move these cases to ``state`` on behalf of a user who may work
        them (the state is one of the flow's fields, see ``write``)."""
        self.check_access("write")
        self.sudo().write({"state": state})

    def action_start(self):
        self.filtered(lambda c: c.state == "open")._nps_set_state("in_progress")

    def action_close(self):
        """Open the wizard that closes the case with its root cause and
        outcome."""
        self.ensure_one()
        if self.state not in OPEN_STATES:
            raise UserError(self.env._("This follow-up is already closed."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close the follow-up"),
            "res_model": "nps.followup.close",
            "view_mode": "form",
            # given by the case's activity too (Done & Schedule Next), an RPC
            # whose action the web client opens as is: no view_mode to views
            # there, as the server does for a button's action
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_followup_id": self.id},
        }

    def action_cancel(self):
        cases = self.filtered(lambda c: c.state in OPEN_STATES)
        cases._nps_set_state("cancelled")
        cases.activity_ids.unlink()
        cases._nps_refresh_customers()

    def action_reopen(self):
        cases = self.filtered(lambda c: c.state == "cancelled")
        cases._nps_set_state("open")
        cases._nps_refresh_customers()

    def action_tell_customer(self):
        """Write to the customer what was done, from the case's chatter, with
        the shipped template in the customer's language."""
        self.ensure_one()
        template = self.env.ref(
            "nps_satisfaction.mail_template_nps_followup_done", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            # the dialog's title (without one, the web client shows "Odoo")
            "name": self.env._("Tell the customer"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "default_partner_ids": self.partner_id.ids,
            },
        }

    def action_open_answer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "nps.request",
            "res_id": self.request_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_opportunities(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("type", "=", "opportunity"),
        ]
        action["context"] = {"active_test": True}
        return action

    def _nps_refresh_customers(self):
        partners = self.partner_id | self.commercial_partner_id
        partners.sudo()._nps_refresh_stats()
