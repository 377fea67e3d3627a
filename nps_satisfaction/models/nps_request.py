import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import score_tools, token_tools
from ..tools.groups import STAFF
from .nps_answer_service import Posted, Poster

_logger = logging.getLogger(__name__)

#: what the customer answered: written by the answer flows only (the answer
#: page, the portal, the counter QR code, an agent's phone record, the settle
#: cron), never by a user's own write, so that no one changes a customer's
#: score or comment
ANSWER_FIELDS = frozenset(
    ("score", "nps_category", "csat_score", "comment", "answer_date", "reason_ids")
    + ("confirmed_by", "provisional_state", "provisional_score")
)
#: the fields only the system writes (its own code runs as superuser): the
#: answer, and the language and themes found, added and removed in its
#: comment (``nps_request_theme``), whose user writes only ``theme_ids``
SYSTEM_FIELDS = ANSWER_FIELDS | {
    "comment_lang",
    "theme_found_ids",
    "theme_added_ids",
    "theme_removed_ids",
}


class NpsRequest(models.Model):
    _name = "nps.request"
    _description = "Satisfaction survey request"
    _order = "id desc"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one(
        comodel_name="nps.campaign", required=True, ondelete="cascade", index=True
    )
    trigger = fields.Selection(
        related="campaign_id.trigger", store=True, groups="base.group_user"
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
    )
    commercial_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer company",
        compute="_compute_commercial_partner_id",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Account manager",
        compute="_compute_commercial_partner_id",
        store=True,
        index=True,
        groups=STAFF,
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", ondelete="set null", index="btree_not_null"
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        related="ticket_id.team_id",
        store=True,
        string="Helpdesk team",
        groups=STAFF,
    )
    agent_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_agent_id",
        store=True,
        help="The agent the ticket was assigned to; once the survey is "
        "answered, the one who held it then (the ticket handed on later "
        "does not move the answer into another agent's figures).",
        groups=STAFF,
    )
    project_id = fields.Many2one(
        comodel_name="project.project", ondelete="set null", index="btree_not_null"
    )
    trigger_date = fields.Date(
        string="Customer's date",
        readonly=True,
        copy=False,
        help="The customer's date (e.g. its go-live) whose campaign triggered "
        "this survey: one survey per date.",
        groups=STAFF,
    )
    state = fields.Selection(
        selection=[
            ("scheduled", "Scheduled"),
            ("sent", "Sent"),
            ("answered", "Answered"),
            ("skipped", "Skipped"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
            ("test", "Test (not counted)"),
        ],
        required=True,
        default="scheduled",
        index=True,
    )
    skip_reason = fields.Selection(
        selection=[
            ("throttled", "Quiet period"),
            ("agent_opt_out", "Agent opt-out"),
            ("customer_opt_out", "Customer opt-out"),
            ("blacklisted", "Blacklisted email"),
            ("no_email", "No email address"),
            ("internal_requester", "Internal requester"),
            ("not_targeted", "Not targeted"),
            ("not_in_pilot", "Outside the pilot"),
            ("hold_expired", "Held too long"),
            ("other_company", "No campaign of the document's company"),
            ("undeliverable", "Undeliverable email"),
        ],
        groups=STAFF,
    )
    delivery_failure = fields.Text(
        string="Delivery failure",
        readonly=True,
        copy=False,
        help="Why the survey email could not be delivered, as the mail server "
        "or the bounce said: the survey is skipped as undeliverable (or, when "
        "an earlier email reached the customer, its reminders stop).",
        groups=STAFF,
    )
    held_since = fields.Datetime(
        readonly=True,
        copy=False,
        help="Since when the survey waits for the customer's other ticket or "
        "follow-up to be settled; a held survey does not throttle the "
        "customer's other surveys.",
        groups=STAFF,
    )
    hold_reason = fields.Selection(
        selection=[
            ("open_ticket", "Another ticket of the customer is open"),
            ("open_followup", "A follow-up of the customer is open"),
        ],
        string="Waiting because",
        readonly=True,
        copy=False,
        groups=STAFF,
    )
    reminder_stop_reason = fields.Selection(
        selection=lambda self: self.env["nps.request"]._fields["skip_reason"].selection,
        string="Reminders stopped",
        readonly=True,
        copy=False,
        help="Why no more reminder goes to the customer (the send policy's "
        "answer when the reminder was due: an opt-out, a blacklist...).",
        groups=STAFF,
    )
    pilot = fields.Boolean(
        readonly=True,
        help="Scheduled while the campaign ran as a pilot.",
        groups=STAFF,
    )
    agent_opt_out_rate = fields.Integer(
        string="Agent opt-out (%)",
        compute="_compute_rates",
        store=True,
        aggregator="avg",
        help="100 when the agent chose not to survey, else 0: its average "
        "over any group is that group's opt-out rate.",
        groups=STAFF,
    )
    answered_rate = fields.Integer(
        string="Response rate (%)",
        compute="_compute_rates",
        store=True,
        aggregator="avg",
        help="100 when answered, else 0: averaged over sent surveys (sent, "
        "answered, expired) it is their response rate.",
        groups=STAFF,
    )
    skip_note = fields.Char(
        help="Details of the decision, e.g. the agent's reason.",
        groups=STAFF,
    )
    scheduled_date = fields.Datetime(index=True, groups=STAFF)
    sent_date = fields.Datetime(readonly=True)
    answer_date = fields.Datetime(readonly=True)
    effects_pending = fields.Boolean(
        string="Effects to apply",
        readonly=True,
        index="btree_not_null",
        help="The answer's effects (figures, alerts, follow-up) are still to "
        "be applied (nps.answer.effects).",
        groups=STAFF,
    )
    effects_date = fields.Datetime(
        string="Effects applied on",
        readonly=True,
        help="When the effects of the first answer were applied.",
        groups=STAFF,
    )
    # a plain column, so that PostgreSQL estimates the groups of a month or
    # a week from its statistics (an expression over two columns defeats it)
    report_date = fields.Date(
        compute="_compute_report_date",
        store=True,
        help="The day the survey was sent (or answered, when it was never "
        "sent): reports group by it.",
        groups=STAFF,
    )
    last_reminder_date = fields.Datetime(readonly=True, groups=STAFF)
    reminder_count = fields.Integer(
        readonly=True,
        default=0,
        groups=STAFF,
    )
    access_token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: token_tools.new_token(),
        # the customer's key to answer: whoever reads it can answer as him
        groups="base.group_system,nps_satisfaction.group_nps_manager",
    )
    user_input_id = fields.Many2one(
        comodel_name="survey.user_input",
        string="Answer",
        readonly=True,
        ondelete="set null",
        groups=STAFF,
    )
    mail_id = fields.Many2one(
        comodel_name="mail.mail",
        readonly=True,
        ondelete="set null",
        groups=STAFF,
    )
    sms_id = fields.Many2one(
        comodel_name="sms.sms",
        readonly=True,
        ondelete="set null",
        groups=STAFF,
    )
    channel = fields.Selection(
        selection=[
            ("email", "Email"),
            ("portal", "Portal"),
            ("qr", "QR code"),
            ("phone", "Phone"),
            ("sms", "SMS"),
            ("campaign", "Newsletter"),
            ("web", "Portal or website prompt"),
        ],
        default="email",
        required=True,
    )
    score = fields.Integer(readonly=True, aggregator="avg")
    nps_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION,
        string="Category",
        readonly=True,
        index=True,
    )
    csat_score = fields.Integer(
        string="CSAT",
        readonly=True,
        aggregator="avg",
        help="The customer's satisfaction with how the request was handled, "
        "from 1 (very dissatisfied) to 5 (very satisfied), when the campaign "
        "asks it; 4 and 5 count as satisfied in the CSAT (%).",
    )
    comment = fields.Text(readonly=True)

    reason_ids = fields.Many2many(
        comodel_name="nps.reason",
        string="Reasons",
        readonly=True,
        help="Why the customer gave this score, as ticked on the answer page.",
    )
    origin_request_id = fields.Many2one(
        comodel_name="nps.request",
        string="Follows up",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The detractor answer this follow-up survey checks.",
        groups=STAFF,
    )
    followup_ids = fields.One2many(
        comodel_name="nps.followup",
        inverse_name="request_id",
        string="Follow-up",
        readonly=True,
        groups=STAFF,
        help="The case this answer opened for the account manager (one at most).",
    )
    # --- Privacy ---
    nps_message_ids = fields.Many2many(
        comodel_name="mail.message",
        relation="nps_request_mail_message_rel",
        string="Messages about this answer",
        readonly=True,
        groups="base.group_system",
        help="Chatter messages this addon wrote about the answer (on the "
        "ticket, project or campaign, and follow-ups marked done): their text "
        "is replaced when the comment is removed.",
    )
    texts_removed_date = fields.Datetime(
        string="Texts removed on",
        readonly=True,
        copy=False,
        help="When the comment and free-text answers were removed, on the "
        "customer's request or after the company's retention period.",
        groups=STAFF,
    )
    anonymized_date = fields.Datetime(
        string="Anonymised on",
        readonly=True,
        copy=False,
        help="When this answer was detached from the customer who gave it.",
        groups=STAFF,
    )
    anonymous = fields.Boolean(
        readonly=True,
        help="Answered through a campaign's counter link.",
        groups=STAFF,
    )
    answer_recorded_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded by",
        readonly=True,
        help="The agent who recorded an answer given by phone.",
        groups=STAFF,
    )
    qr_printed_by_id = fields.Many2one(
        comodel_name="res.users",
        string="QR code printed by",
        readonly=True,
        help="The satisfaction manager who last printed this survey's QR code "
        "(only managers print one: the code answers as the customer).",
        groups="nps_satisfaction.group_nps_user",
    )
    qr_printed_date = fields.Datetime(
        string="QR code printed on",
        readonly=True,
        groups="nps_satisfaction.group_nps_user",
    )
    # a date-triggered campaign surveys each recipient once per date
    _trigger_date_unique = models.UniqueIndex(
        "(campaign_id, partner_id, trigger_date) WHERE trigger_date IS NOT NULL"
    )
    _unique_token = models.Constraint(
        "UNIQUE(access_token)", "A survey link must be unique."
    )
    _score_range = models.Constraint(
        "CHECK(score IS NULL OR (score >= 0 AND score <= 10))",
        "A score lies between 0 and 10.",
    )
    _csat_range = models.Constraint(
        "CHECK(csat_score IS NULL OR (csat_score >= 1 AND csat_score <= 5))",
        "A CSAT answer lies between 1 and 5.",
    )
    _due_idx = models.Index("(scheduled_date) WHERE state = 'scheduled'")
    # with the dates and the company, the churn figures read from it which
    # customers the suite knew by a date, without the table
    _entity_sent_idx = models.Index(
        "(commercial_partner_id, sent_date)"
        " INCLUDE (company_id, create_date, scheduled_date, answer_date)"
    )
    _retention_idx = models.Index("(answer_date) WHERE texts_removed_date IS NULL")
    # the latest 0-10 answer of each contact by a date (the churn figures'
    # account NPS), read in this order without the table: about 40 bytes an
    # answer, and one more index entry to write when an answered survey is
    # written (answering one, mostly)
    _contact_latest_idx = models.Index(
        "(commercial_partner_id, partner_id, answer_date DESC, id DESC)"
        " INCLUDE (nps_category, company_id)"
        " WHERE state = 'answered' AND nps_category IS NOT NULL"
    )

    @api.depends("ticket_id.user_id")
    def _compute_agent_id(self):
        """The ticket's agent, until the survey is answered: the answer
        stays with the agent who held the ticket."""
        for request in self:
            if request.state != "answered" or not request.agent_id:
                request.agent_id = request.ticket_id.user_id

    @api.depends("partner_id", "campaign_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(campaign)s - %(customer)s",
                campaign=request.campaign_id.name,
                customer=request.partner_id.display_name,
            )

    # --- A request's life: its state changes here, and only here ---

    def _nps_mark_sent(self, date=None, channel=None):
        """The survey went out (by email or SMS), or was opened for answers
        another way (a printed QR code, the portal, a phone call)."""
        values = {"state": "sent", "sent_date": date or fields.Datetime.now()}
        if channel:
            values["channel"] = channel
        self.write(values)

    def _nps_open_without_email(self, channel):
        """Open the scheduled surveys among these for answers through another
        way than email (a printed QR code, the portal, the counter): they
        count as sent, with no mail."""
        self.filtered(lambda r: r.state == "scheduled")._nps_mark_sent(channel=channel)

    def _nps_mark_skipped(self, reason, note=None):
        """Not sent, for ``reason`` (a ``skip_reason``)."""
        values = {"state": "skipped", "skip_reason": reason}
        if note:
            values["skip_note"] = note
        self.write(values)

    def _nps_mark_undeliverable(self, reason):
        """Skip, as ``undeliverable``, the sent requests among these whose
        email failed for good (no valid address, a hard bounce), with the
        mail server's ``reason``: the customer never got the survey, so it
        leaves the figures of sent surveys and gets no reminder. Returns the
        requests marked."""
        to_mark = self.filtered(lambda r: r.state == "sent")
        to_mark.write(
            {
                "state": "skipped",
                "skip_reason": "undeliverable",
                "delivery_failure": reason,
            }
        )
        return to_mark

    def _nps_hold(self, reason, now):
        """Held since ``now``, for ``reason`` (a ``hold_reason``: another
        ticket or a case of the customer's is open); looked at again the next
        day."""
        self.write(
            {
                "hold_reason": reason,
                "held_since": now,
                "scheduled_date": now + timedelta(days=1),
            }
        )

    def _nps_release(self, note=None):
        """No longer held (with ``note`` on why, when the hold ran out)."""
        values = {"hold_reason": False, "held_since": False}
        if note:
            values["skip_note"] = note
        self.write(values)

    def _nps_postpone(self, date):
        """Due again at ``date`` (the send window, the daily cap)."""
        self.write({"scheduled_date": date})

    def _nps_mark_answered(self, values, channel=None, date=None):
        """Answered (at ``date``, now by default): ``values`` are the
        answer's figures, written as the answer flow (see ``write``)."""
        values = dict(
            values, state="answered", answer_date=date or fields.Datetime.now()
        )
        if channel:
            values["channel"] = channel
        self.sudo().write(values)

    def _nps_change_answer(self, values):
        """An answered request's answer added to (the comment, the CSAT
        after the score) or changed, where its campaign allows a change:
        ``values`` written as the answer flow (see ``write``)."""
        self.sudo().write(values)

    def _nps_mark_expired(self):
        """Never answered, the campaign's time for it over (or the customer's
        data was anonymised)."""
        self.write({"state": "expired"})

    def _nps_cancel_pending(self):
        """Cancel the scheduled requests among these (e.g. the ticket was
        reopened before its survey went out, or the customer's data was
        anonymised)."""
        self.filtered(lambda r: r.state == "scheduled").write({"state": "cancelled"})

    # --- Answering ---

    def _nps_is_open(self):
        """Whether a customer may answer this request."""
        self.ensure_one()
        return self.state in ("sent", "answered")

    def write(self, vals):
        if not self.env.su and SYSTEM_FIELDS.intersection(vals):
            raise AccessError(
                self.env._(
                    "A customer's answer, and the language and themes found in "
                    "its comment, cannot be changed: the answer is recorded only "
                    "from the customer's own answer, or an agent's record of an "
                    "answer given by phone; only the answer's themes may be "
                    "chosen."
                )
            )
        return super().write(vals)

    def _nps_record_answer(
        self,
        score=None,
        comment=None,
        channel=None,
        extra=None,
        reasons=None,
        csat_score=None,
    ):
        """Record a customer's answer given to an agent or a job (for a
        customer's own post, see ``nps.answer.service``): the 0-10 ``score``
        and the 1-5 ``csat_score`` as the campaign asks them, the
        ``comment``, the ``reasons`` and ``extra`` further answers (question
        to value), counted with ``channel``. With ``nps_defer_effects`` in
        the context, the answer's effects are left to their job. Returns
        True when something was written."""
        self.ensure_one()
        service = self.env["nps.answer.service"]
        posted = Posted(
            score=score,
            csat_score=csat_score,
            comment=comment,
            extra=extra or {},
            reasons=reasons or (),
        )
        poster = Poster(
            channel=channel,
            defer_effects=bool(self.env.context.get("nps_defer_effects")),
        )
        return service._nps_answer(self, posted, poster).kind == "recorded"

    def _nps_document(self):
        """The surveyed ticket or project, if any."""
        self.ensure_one()
        return self.ticket_id or self.project_id

    def action_open_document(self):
        self.ensure_one()
        document = self._nps_document()
        if not document:
            raise UserError(
                self.env._("This survey is not linked to a ticket or project.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "view_mode": "form",
        }

    def action_cancel(self):
        self._nps_cancel_pending()
