import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

OPEN_STATES = ("open", "in_progress")
#: what the case's own flow maintains: its answer, why it was opened, its
#: state (changed by the case's buttons, so that closing always records the
#: cause and schedules the follow-up survey), escalation and recovery; and
#: what follows its answer (the customer, the ticket, the campaign...): a
#: case cannot be repointed at another customer or document
FLOW_FIELDS = frozenset(
    {
        "request_id",
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
    whether the customer recovered."""

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

    # --- Opening ---

    @api.model
    def _nps_responsible(self, request):
        """The customer's account manager (of its satisfaction data, not its
        salesperson), else the helpdesk team leader, else the campaign's
        responsible."""
        return (
            request.partner_id._nps_account_manager()
            or request.ticket_id.team_id.user_id
            or request.campaign_id.user_id
        )

    @api.model
    def _nps_open(self, request, kind, keywords=False):
        """Open the case of this answer (one per answer) and give its
        responsible an activity, assigned as Odoo assigns any activity: the
        assignee is notified by email or in his inbox, with a link to the
        case. Returns the case, or an empty recordset when no one can follow
        the customer up."""
        request_sudo = request.sudo()
        if request_sudo.followup_ids:
            return self.browse()
        user = self._nps_responsible(request_sudo)
        if not user:
            _logger.info("No one to follow up answer %s", request_sudo.id)
            return self.browse()
        deadline = fields.Date.context_today(self) + timedelta(
            days=request_sudo.campaign_id.followup_sla_days
        )
        case = (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(
                {
                    "request_id": request_sudo.id,
                    "kind": kind,
                    "keywords": keywords or False,
                    "user_id": user.id,
                    "date_deadline": deadline,
                }
            )
        )
        # the activity subscribes its assignee to the case
        case._nps_schedule_activity(user, deadline)
        return case

    def _nps_schedule_activity(self, user, deadline):
        """The responsible's activity on the case, worded in his language
        (his user's), whoever's action opened the case."""
        self.ensure_one()
        case = self.with_context(lang=user.lang or self.env.lang)
        request_sudo = case.request_id.sudo()
        customer = case.commercial_partner_id.display_name
        if case.kind in ("detractor", "downgrade", "drop"):
            xmlid = (
                "nps_satisfaction.mail_activity_type_nps_followup"
                if case.kind == "detractor"
                else "nps_satisfaction.mail_activity_type_nps_alert"
            )
            summary = case.env._(
                "Follow up with %(customer)s — NPS score dropped to %(score)s",
                customer=customer,
                score=request_sudo.score,
            )
        elif case.kind == "silence":
            xmlid = "nps_satisfaction.mail_activity_type_nps_alert"
            summary = case.env._(
                "No answer from %(customer)s to %(campaign)s",
                customer=customer,
                campaign=request_sudo.campaign_id.name,
            )
        else:
            xmlid = "nps_satisfaction.mail_activity_type_nps_alert"
            summary = case.env._(
                "Satisfaction alert: %(customer)s — %(reason)s",
                customer=customer,
                reason=dict(case._fields["kind"]._description_selection(case.env))[
                    case.kind
                ],
            )
        return case.sudo().activity_schedule(
            xmlid,
            summary=summary,
            note=case.env["ir.qweb"]._render(
                "nps_satisfaction.activity_nps_followup_note",
                {"nps_request": request_sudo, "nps_followup": case.sudo()},
            ),
            user_id=user.id,
            date_deadline=deadline,
        )

    def _nps_refresh_activity_note(self):
        """The open activities of these open cases tell the answer as it is
        now: its comment and CSAT usually come a moment after the score that
        opened the case. Worded in each assignee's language."""
        types = self._nps_closing_activity_types()
        for case in self.sudo().filtered(lambda c: c.state in OPEN_STATES):
            activities = case.activity_ids.filtered(
                lambda a: a.activity_type_id in types
            )
            for activity in activities:
                lang = activity.user_id.lang or self.env.lang
                activity.note = (
                    case.with_context(lang=lang)
                    .env["ir.qweb"]
                    ._render(
                        "nps_satisfaction.activity_nps_followup_note",
                        {"nps_request": case.request_id, "nps_followup": case},
                    )
                )

    # --- Closing ---

    @api.model
    def _nps_closing_activity_types(self):
        """The activity types whose completion closes the case they are on:
        the follow-up and the alert (an escalation closes nothing)."""
        types = self.env["mail.activity.type"]
        for xmlid in (
            "nps_satisfaction.mail_activity_type_nps_followup",
            "nps_satisfaction.mail_activity_type_nps_alert",
        ):
            # every activity marked done asks: never fail on a missing type
            types |= self.env.ref(xmlid, raise_if_not_found=False) or types
        return types

    def _nps_keep_messages(self, messages):
        """Keep the messages that record work on these cases with their
        answer's messages (their text goes when the comment is removed)."""
        if not messages:
            return
        for case in self:
            done = messages.filtered(
                lambda m, c=case: m.model == c._name and m.res_id == c.id
            )
            if done:
                case.request_id.sudo().nps_message_ids = [
                    Command.link(m.id) for m in done
                ]

    def _nps_activity_worked(self, feedback=None, messages=None):
        """The follow-up activity of these cases was marked done from the
        chatter or the activity menu, without the outcome: the work is
        recorded (the case goes in progress, the feedback is its action
        taken so far) and the account manager gets the next step, recording
        the outcome with the close wizard. Only the wizard closes a case.
        Returns the activities scheduled."""
        self._nps_keep_messages(messages)
        open_cases = self.filtered(lambda c: c.state in OPEN_STATES)
        for case in open_cases:
            values = {"state": "in_progress"}
            if feedback and not case.action_taken:
                values["action_taken"] = feedback
            case.sudo().write(values)
        activity_type = self.env.ref(
            "nps_satisfaction.mail_activity_type_nps_followup",
            raise_if_not_found=False,
        )
        closing_types = self._nps_closing_activity_types()
        activities = self.env["mail.activity"]
        for case in open_cases.filtered(lambda c: c.user_id and activity_type):
            # the activity just marked done may linger in the cache, archived
            if case.activity_ids.filtered(
                lambda a: a.active and a.activity_type_id in closing_types
            ):
                continue
            lang = case.user_id.lang or self.env.lang
            activities |= (
                case.sudo()
                .with_context(lang=lang, mail_activity_quick_update=True)
                .activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=case.with_context(lang=lang).env._(
                        "Record the outcome of the follow-up"
                    ),
                    note=case.with_context(lang=lang).env._(
                        "Close the case with its root cause and outcome "
                        "(Close the follow-up): the follow-up survey goes out "
                        "then."
                    ),
                    user_id=case.user_id.id,
                    date_deadline=fields.Date.context_today(self),
                )
            )
        return activities

    def _nps_activity_done(self, feedback=None, messages=None):
        """These cases were closed with their outcome (the close wizard, which
        marks their follow-up activity done): the case is done, the
        customer's health no longer counts it as open, and after a detractor
        the campaign's follow-up survey is scheduled. An escalation
        activity marked done closes nothing."""
        to_close = self.filtered(lambda c: c.state in OPEN_STATES)
        self._nps_keep_messages(messages)
        if not to_close:
            return self.browse()
        now = fields.Datetime.now()
        for case in to_close:
            # the flow closes the case whoever marked its activity done
            case.sudo().write(
                {
                    "state": "done",
                    "done_date": now,
                    "action_taken": case.action_taken or feedback or False,
                }
            )
        # the other open activities of a closed case have nothing left to do
        to_close.activity_ids.filtered("active").sudo().action_archive()
        to_close._nps_refresh_customers()
        to_close.filtered(lambda c: c.kind == "detractor")._nps_schedule_survey()
        return to_close

    def _nps_refresh_customers(self):
        partners = self.partner_id | self.commercial_partner_id
        partners.sudo()._nps_refresh_stats()

    def _nps_schedule_survey(self):
        """A follow-up survey for each of these cases whose campaign has one,
        after that campaign's send delay."""
        candidates = []
        for case in self:
            request_sudo = case.request_id.sudo()
            campaign = request_sudo.campaign_id.followup_campaign_id
            if not campaign or not campaign.active:
                continue
            candidates.append(
                {
                    "campaigns": campaign,
                    "partner": request_sudo.partner_id,
                    "company": request_sudo.company_id,
                    "origin_date": fields.Datetime.now(),
                    "extra_values": {"origin_request_id": request_sudo.id},
                }
            )
        surveys = self.env["nps.schedule"].sudo()._nps_schedule(candidates)
        for survey in surveys:
            case = self.filtered(
                lambda c, s=survey: c.request_id == s.origin_request_id
            )
            case.sudo().survey_request_id = survey
        return surveys

    # --- Crons ---

    @api.model
    def _cron_escalate(self):
        """Escalate the overdue cases to the helpdesk team leader (or the
        campaign's responsible), once each."""
        overdue = self.sudo().search(
            [("overdue", "=", True), ("escalated", "=", False)]
        )
        for case in overdue:
            leader = case.team_id.user_id or case.campaign_id.user_id
            if not leader or leader == case.user_id:
                continue
            case.activity_schedule(
                "nps_satisfaction.mail_activity_type_nps_escalation",
                summary=self.env._(
                    "Overdue follow-up: %(customer)s — %(score)s",
                    customer=case.commercial_partner_id.display_name,
                    score=case.request_id._nps_score_text(),
                ),
                note=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s has not followed up this customer by %(date)s.",
                    user=case.user_id.name or "-",
                    date=case.date_deadline,
                ),
                user_id=leader.id,
            )
            case.escalated_user_id = leader
        overdue.write({"escalated": True})
        return overdue
