import hmac
import logging
import re
import uuid
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup
from psycopg2.errors import SerializationFailure

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .. import nps_tools

_logger = logging.getLogger(__name__)

#: what the customer answered: written by the answer flows only (the answer
#: page, the portal, the counter QR code, an agent's phone record, the settle
#: cron), never by a user's own write, so that no one changes a customer's
#: score or comment
ANSWER_FIELDS = frozenset(
    {
        "score",
        "nps_category",
        "comment",
        "answer_date",
        "reason_ids",
        "confirmed_by",
        "provisional_state",
        "provisional_score",
    }
)

ACTIVE_STATES = ("scheduled", "sent", "answered")
#: new snapshots tried when other workers keep sending the due surveys
MAX_LOCK_CONFLICTS = 20
#: the language expression of the shipped templates, read without rendering
PARTNER_LANG_EXPRESSION = "{{object.partner_id.lang}}"
#: stands for a customer's token in the cached score buttons of the email
SCALE_TOKEN_PLACEHOLDER = "NPSTOKENPLACEHOLDER"
INDENTATION_BETWEEN_TAGS = re.compile(r">\s+<")


class NpsRequest(models.Model):
    _name = "nps.request"
    _description = "Satisfaction survey request"
    _order = "id desc"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one(
        comodel_name="nps.campaign", required=True, ondelete="cascade", index=True
    )
    trigger = fields.Selection(related="campaign_id.trigger", store=True)
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
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", ondelete="set null", index="btree_not_null"
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        related="ticket_id.team_id",
        store=True,
        string="Helpdesk team",
    )
    agent_id = fields.Many2one(
        comodel_name="res.users",
        string="Agent",
        related="ticket_id.user_id",
        store=True,
        help="The agent the ticket was assigned to.",
    )
    project_id = fields.Many2one(
        comodel_name="project.project", ondelete="set null", index="btree_not_null"
    )
    state = fields.Selection(
        selection=[
            ("scheduled", "Scheduled"),
            ("sent", "Sent"),
            ("answered", "Answered"),
            ("skipped", "Skipped"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
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
        ],
    )
    held_since = fields.Datetime(
        readonly=True,
        copy=False,
        help="Since when the survey waits for the customer's other ticket or "
        "follow-up to be settled; a held survey does not throttle the "
        "customer's other surveys.",
    )
    hold_reason = fields.Selection(
        selection=[
            ("open_ticket", "Another ticket of the customer is open"),
            ("open_followup", "A follow-up of the customer is open"),
        ],
        string="Waiting because",
        readonly=True,
        copy=False,
    )
    reminder_stop_reason = fields.Selection(
        selection=lambda self: self.env["nps.request"]._fields["skip_reason"].selection,
        string="Reminders stopped",
        readonly=True,
        copy=False,
        help="Why no more reminder goes to the customer (the send policy's "
        "answer when the reminder was due: an opt-out, a blacklist...).",
    )
    pilot = fields.Boolean(
        readonly=True,
        help="Scheduled while the campaign ran as a pilot.",
    )
    agent_opt_out_rate = fields.Integer(
        string="Agent opt-out (%)",
        compute="_compute_rates",
        store=True,
        aggregator="avg",
        help="100 when the agent chose not to survey, else 0: its average "
        "over any group is that group's opt-out rate.",
    )
    answered_rate = fields.Integer(
        string="Response rate (%)",
        compute="_compute_rates",
        store=True,
        aggregator="avg",
        help="100 when answered, else 0: averaged over sent surveys (sent, "
        "answered, expired) it is their response rate.",
    )
    skip_note = fields.Char(help="Details of the decision, e.g. the agent's reason.")
    scheduled_date = fields.Datetime(index=True)
    sent_date = fields.Datetime(readonly=True)
    answer_date = fields.Datetime(readonly=True)
    # a plain column, so that PostgreSQL estimates the groups of a month or
    # a week from its statistics (an expression over two columns defeats it)
    report_date = fields.Date(
        compute="_compute_report_date",
        store=True,
        help="The day the survey was sent (or answered, when it was never "
        "sent): reports group by it.",
    )
    last_reminder_date = fields.Datetime(readonly=True)
    reminder_count = fields.Integer(readonly=True, default=0)
    access_token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: nps_tools.new_token(),
        groups="base.group_system,nps_satisfaction.group_nps_user",
    )
    user_input_id = fields.Many2one(
        comodel_name="survey.user_input",
        string="Answer",
        readonly=True,
        ondelete="set null",
    )
    mail_id = fields.Many2one(
        comodel_name="mail.mail", readonly=True, ondelete="set null"
    )
    sms_id = fields.Many2one(comodel_name="sms.sms", readonly=True, ondelete="set null")
    channel = fields.Selection(
        selection=[
            ("email", "Email"),
            ("portal", "Portal"),
            ("qr", "QR code"),
            ("phone", "Phone"),
            ("sms", "SMS"),
            ("campaign", "Newsletter"),
        ],
        default="email",
        required=True,
    )
    score = fields.Integer(readonly=True, aggregator="avg")
    nps_category = fields.Selection(
        selection=nps_tools.CATEGORY_SELECTION,
        string="Category",
        readonly=True,
        index=True,
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
    )
    followup_ids = fields.One2many(
        comodel_name="nps.followup",
        inverse_name="request_id",
        string="Follow-up",
        readonly=True,
        groups="base.group_user",
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
    )
    anonymized_date = fields.Datetime(
        string="Anonymised on",
        readonly=True,
        copy=False,
        help="When this answer was detached from the customer who gave it.",
    )
    anonymous = fields.Boolean(
        readonly=True, help="Answered through a campaign's counter link."
    )
    device_hash = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="A one-way hash of the answering device, for the counter link's "
        "rate limit.",
    )
    answer_recorded_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded by",
        readonly=True,
        help="The agent who recorded an answer given by phone.",
    )
    # --- One-click answers waiting for the customer's confirmation ---
    provisional_state = fields.Selection(
        selection=[
            ("pending", "Provisional"),
            ("suspect", "Suspect, not counted"),
        ],
        string="Unconfirmed answer",
        readonly=True,
        index="btree_not_null",
        help="A score recorded by the one-click link and not confirmed yet by "
        "the customer. Provisional: it counts once the customer confirms it "
        "or after the settle delay. Suspect (made by a mail security scanner "
        "or right after sending): it never counts.",
    )
    provisional_score = fields.Integer(string="Unconfirmed score", readonly=True)
    provisional_date = fields.Datetime(string="Unconfirmed since", readonly=True)
    provisional_reason = fields.Char(
        string="Why suspect",
        readonly=True,
        help="What made the unconfirmed answer suspect.",
    )
    provisional_user_agent = fields.Char(
        string="Unconfirmed from",
        readonly=True,
        help="The browser (user agent) that recorded the unconfirmed score.",
    )
    provisional_session_hash = fields.Char(
        readonly=True, copy=False, groups="base.group_system"
    )
    confirmed_by = fields.Selection(
        selection=[
            ("customer", "The customer, on the answer page"),
            ("settled", "Unconfirmed, counted after the settle delay"),
        ],
        string="Confirmation",
        readonly=True,
        help="How a one-click answer became the answer.",
    )

    _unique_token = models.Constraint(
        "UNIQUE(access_token)", "A survey link must be unique."
    )
    _score_range = models.Constraint(
        "CHECK(score IS NULL OR (score >= 0 AND score <= 10))",
        "A score lies between 0 and 10.",
    )
    _due_idx = models.Index("(scheduled_date) WHERE state = 'scheduled'")
    _entity_sent_idx = models.Index("(commercial_partner_id, sent_date)")
    _retention_idx = models.Index("(answer_date) WHERE texts_removed_date IS NULL")

    @api.depends("partner_id.commercial_partner_id.user_id")
    def _compute_commercial_partner_id(self):
        for request in self:
            commercial = request.partner_id.commercial_partner_id
            request.commercial_partner_id = commercial
            request.user_id = commercial.user_id or request.partner_id.user_id

    @api.depends("sent_date", "answer_date")
    def _compute_report_date(self):
        for request in self:
            moment = request.sent_date or request.answer_date
            request.report_date = moment.date() if moment else False

    @api.depends("state", "skip_reason")
    def _compute_rates(self):
        for request in self:
            request.agent_opt_out_rate = (
                100 if request.skip_reason == "agent_opt_out" else 0
            )
            request.answered_rate = 100 if request.state == "answered" else 0

    @api.depends("partner_id", "campaign_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(campaign)s - %(customer)s",
                campaign=request.campaign_id.name,
                customer=request.partner_id.display_name,
            )

    # --- Scheduling ---

    @api.model
    def _nps_schedule(self, candidates):
        """Decide and record, in batch, a request for each candidate.

        ``candidates`` is a list of dicts with ``campaigns`` (the campaigns
        of the trigger, an ``nps.campaign`` recordset), ``partner``,
        ``ticket`` or ``project``, ``origin_date`` and ``agent_opt_out``
        (with ``agent_note``). Each becomes one request, ``scheduled`` or
        ``skipped`` with its reason. No mail is sent here.
        """
        if not candidates:
            return self.browse()
        now = fields.Datetime.now()
        partners = self.env["res.partner"].browse(
            {c["partner"].id for c in candidates if c["partner"]}
        )
        all_campaigns = self.env["nps.campaign"].browse(
            {cid for c in candidates for cid in c["campaigns"].ids}
        )
        # one search per campaign for the customer filter
        partner_ok = {}
        for campaign in all_campaigns:
            domain = campaign._get_partner_domain()
            if domain.is_true():
                partner_ok[campaign.id] = set(partners.ids)
            else:
                partner_ok[campaign.id] = set(
                    self.env["res.partner"]
                    .with_context(active_test=False)
                    ._search(Domain("id", "in", partners.ids) & domain)
                )
        policy = self.env["nps.send.policy"]
        facts = policy._nps_facts(partners)

        vals_list = []
        for candidate in candidates:
            partner = candidate["partner"]
            campaign = self._nps_pick_campaign(candidate, partner_ok)
            if not campaign:
                continue
            commercial = partner.commercial_partner_id
            vals = {
                "campaign_id": campaign.id,
                "partner_id": partner.id,
                "ticket_id": candidate.get("ticket") and candidate["ticket"].id,
                "project_id": candidate.get("project") and candidate["project"].id,
                "company_id": (
                    candidate.get("company") or campaign.company_id or self.env.company
                ).id,
                "channel": "email",
                **candidate.get("extra_values", {}),
            }
            # the document's reasons first, then the one send policy
            reason = candidate.get("document_reason", False)
            if not reason and candidate.get("agent_opt_out"):
                reason = "agent_opt_out"
                vals["skip_note"] = candidate.get("agent_note")
            if not reason and not candidate.get("targeted", True):
                reason = "not_targeted"
            if campaign.pilot_mode:
                vals["pilot"] = True
                if not reason and not campaign._nps_in_pilot(
                    commercial, candidate.get("ticket")
                ):
                    reason = "not_in_pilot"
            if not reason:
                reason, vals["channel"] = policy._nps_reason(
                    facts, partner, campaign, "schedule", now=now
                )
                policy._nps_note_decision(facts, partner, reason)
            if reason:
                vals.update(state="skipped", skip_reason=reason)
            else:
                origin = candidate.get("origin_date") or now
                vals.update(
                    state="scheduled",
                    scheduled_date=origin + timedelta(days=campaign.send_delay_days),
                )
            vals_list.append(vals)
        return self.create(vals_list)

    @api.model
    def _nps_pick_campaign(self, candidate, partner_ok):
        """The first campaign of the candidate's trigger that targets it; when
        none does, the first campaign (the request is then not targeted)."""
        campaigns = candidate["campaigns"]
        if not campaigns:
            return campaigns
        ticket = candidate.get("ticket")
        project = candidate.get("project")
        for campaign in campaigns:
            if candidate["partner"].id not in partner_ok[campaign.id]:
                continue
            if ticket and not campaign._nps_targets_ticket(ticket):
                continue
            if (
                project
                and campaign.project_tag_ids
                and not (campaign.project_tag_ids & project.tag_ids)
            ):
                continue
            candidate["targeted"] = True
            return campaign
        candidate["targeted"] = False
        return campaigns[0]

    def _nps_cancel_pending(self):
        """Cancel the scheduled requests among these (e.g. the ticket was
        reopened before its survey went out)."""
        self.filtered(lambda r: r.state == "scheduled").write({"state": "cancelled"})

    # --- Dispatch ---

    @api.model
    def _cron_dispatch(self, batch_size=500):
        """Send the due requests in batches, committing after each one;
        first queue again the survey mails the mail server could not take,
        and count the one-click answers left unconfirmed past the settle
        delay."""
        self._nps_requeue_failed_mails()
        self._nps_settle_provisional()
        cron = self.env["ir.cron"]
        conflicts = 0
        while True:
            try:
                requests = self._nps_lock_due(batch_size)
            except SerializationFailure:
                # Another worker sent some of the due rows after this
                # transaction's snapshot was taken (Odoo runs in REPEATABLE
                # READ, where FOR UPDATE then fails instead of skipping them).
                # Only the re-queueing of failed mails can be pending since the
                # last commit (the next run does it again): start a new
                # transaction, with a new snapshot, and lock again.
                self.env.cr.rollback()
                conflicts += 1
                if conflicts > MAX_LOCK_CONFLICTS:
                    _logger.info("Dispatch: other workers keep the due surveys busy")
                    break
                continue
            if not requests:
                break
            requests._nps_send()
            if cron._commit_progress(len(requests)) <= 0:
                break

    @api.model
    def _nps_requeue_failed_mails(self):
        """Queue again the survey mails that failed because the mail server
        could not be reached (``failure_type`` ``mail_smtp``). Odoo marks such
        mails ``exception`` and never retries them, though nothing was
        delivered; the survey still waits for its customer, so its mail goes
        out at the mail queue's next run once the server is back. Mails that
        failed for their address or content stay as they are, and so do the
        mails of surveys no longer open (answered, expired, cancelled)."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("state", "=", "exception"),
                    ("failure_type", "=", "mail_smtp"),
                ]
            )
        )
        if not mails:
            return mails
        open_ids = set(
            self.sudo()
            .search([("id", "in", mails.mapped("res_id")), ("state", "=", "sent")])
            .ids
        )
        to_retry = mails.filtered(lambda mail: mail.res_id in open_ids)
        to_retry.write({"state": "outgoing", "failure_type": False})
        if to_retry:
            _logger.info(
                "Queued again %s survey mail(s) after a failed connection",
                len(to_retry),
            )
        return to_retry

    @api.model
    def _nps_lock_due(self, batch_size):
        """Lock and return up to ``batch_size`` due requests. Rows locked by
        another worker are skipped, so two workers never take the same one."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM nps_request
                 WHERE state = 'scheduled' AND scheduled_date <= %s
                 ORDER BY scheduled_date, id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                fields.Datetime.now(),
                batch_size,
            ),
            # a serialization failure is expected with concurrent workers
            # (see _cron_dispatch): no error in the log for it
            log_exceptions=False,
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _nps_dispatch_due(self, batch_size=500):
        """Handle one batch of due requests; return the ones sent."""
        return self._nps_lock_due(batch_size)._nps_send()

    def _nps_send(self):
        """Send these scheduled requests: re-check the customer's situation,
        create the survey answers and queue the emails, all in batch."""
        now = fields.Datetime.now()
        requests = self.filtered(lambda r: r.state == "scheduled")
        if not requests:
            return self.browse()
        policy = self.env["nps.send.policy"]
        facts = policy._nps_facts(requests.partner_id, exclude_requests=requests)
        held = self._nps_held(requests)
        sent_today = self._nps_sent_today(requests.campaign_id)

        # ids in lists, one browse at the end: a recordset grown one record at
        # a time costs O(n) per union, O(n^2) for a batch
        to_send_ids = []
        updates = {}
        for request in requests:
            campaign = request.campaign_id
            partner = request.partner_id
            commercial = request.commercial_partner_id
            reason, _channel = policy._nps_reason(
                facts, partner, campaign, "send", channel=request.channel, now=now
            )
            if reason:
                updates.setdefault(("skip", reason), []).append(request.id)
                continue
            hold = held.get(request.id)
            decision = request._nps_hold_decision(hold, now)
            if decision:
                updates.setdefault(decision, []).append(request.id)
                if decision[0] != "release":
                    continue
            if campaign.use_send_window:
                slot = nps_tools.next_send_slot(
                    now,
                    partner.tz or self.env.user.tz,
                    campaign.window_hour_from,
                    campaign.window_hour_to,
                    campaign.window_weekdays_only,
                )
                if slot > now:
                    updates.setdefault(("postpone", slot), []).append(request.id)
                    continue
            if campaign.daily_cap:
                if sent_today.get(campaign.id, 0) >= campaign.daily_cap:
                    tomorrow = fields.Datetime.start_of(now, "day") + timedelta(days=1)
                    updates.setdefault(("postpone", tomorrow), []).append(request.id)
                    continue
                sent_today[campaign.id] = sent_today.get(campaign.id, 0) + 1
            # one survey per company and quiet period, within the batch too
            facts["last_sent"][commercial.id] = now
            to_send_ids.append(request.id)

        for (kind, value), ids in updates.items():
            if kind == "skip":
                self.browse(ids).write({"state": "skipped", "skip_reason": value})
            elif kind == "hold":
                self.browse(ids).write(
                    {
                        "hold_reason": value,
                        "held_since": now,
                        "scheduled_date": now + timedelta(days=1),
                    }
                )
            elif kind == "wait":
                self.browse(ids).write({"scheduled_date": now + timedelta(days=1)})
            elif kind == "release":
                released = self.browse(ids)
                released.write({"hold_reason": False, "held_since": False})
                if value:
                    released.write({"skip_note": value})
            else:
                self.browse(ids).write({"scheduled_date": value})
        to_send = self.browse(to_send_ids)
        if to_send:
            answers = to_send._nps_create_answers(link=False)
            by_sms = to_send.filtered(lambda r: r.channel == "sms")
            by_mail = to_send - by_sms
            mails = by_mail._nps_queue_mails() if by_mail else self.env["mail.mail"]
            if by_sms:
                by_sms._nps_queue_sms()
            mail_of = {mail.res_id: mail.id for mail in mails}
            # its answer and mail in one write per request (the flush then
            # updates each batch of rows once with every field)
            for request, answer in zip(to_send, answers, strict=True):
                values = {"user_input_id": answer.id}
                if request.id in mail_of:
                    values["mail_id"] = mail_of[request.id]
                request.write(values)
            to_send.write({"state": "sent", "sent_date": now})
        return to_send

    def _nps_queue_sms(self):
        """Queue the survey link by SMS through Odoo's sms addon, rendered
        in the customer's language, in one create."""
        vals_list = []
        for campaign, requests in self.grouped("campaign_id").items():
            template = campaign.sms_template_id.sudo()
            for lang, lang_requests in requests.grouped(
                lambda r: r.partner_id.lang or "en_US"
            ).items():
                bodies = template.with_context(lang=lang)._render_field(
                    "body", lang_requests.ids
                )
                vals_list += [
                    {
                        "number": campaign._nps_sms_number(request.partner_id),
                        "partner_id": request.partner_id.id,
                        "body": bodies[request.id],
                    }
                    for request in lang_requests
                ]
        sms = self.env["sms.sms"].sudo().create(vals_list)
        by_number = {}
        for record in sms:
            by_number.setdefault(record.partner_id.id, []).append(record)
        for request in self:
            records = by_number.get(request.partner_id.id)
            request.sms_id = records.pop(0) if records else False
        return sms

    @api.model
    def _nps_held(self, requests):
        """Why each of these requests waits, by id: the customer has another
        ticket open (``open_ticket``) or a follow-up case open
        (``open_followup``), for the campaigns that wait until settled."""
        requests = requests.filtered("campaign_id.hold_if_open_ticket")
        commercials = requests.commercial_partner_id
        if not commercials:
            return {}
        rows = (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercials.ids),
                    ("stage_id.closed", "=", False),
                ],
                ["commercial_partner_id"],
                ["id:array_agg"],
            )
        )
        open_tickets = {partner.id: set(ids) for partner, ids in rows}
        open_followups = {
            partner.id
            for (partner,) in self.env["nps.followup"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercials.ids),
                    ("state", "in", ("open", "in_progress")),
                ],
                ["commercial_partner_id"],
            )
        }
        held = {}
        for request in requests:
            commercial = request.commercial_partner_id.id
            if open_tickets.get(commercial, set()) - {request.ticket_id.id}:
                held[request.id] = "open_ticket"
            elif commercial in open_followups:
                held[request.id] = "open_followup"
        return held

    def _nps_hold_decision(self, hold, now):
        """What the dispatch does with this request, held for ``hold`` (or
        no longer held when False): a key of its updates, or False to send
        it. A hold has an end: after the campaign's ``hold_max_days`` the
        survey goes, or is skipped (``hold_expired``), as the campaign says;
        a held survey does not throttle the customer's other surveys."""
        self.ensure_one()
        if not hold:
            return ("release", False) if self.held_since else False
        if not self.held_since:
            return ("hold", hold)
        campaign = self.campaign_id
        if now - self.held_since < timedelta(days=max(campaign.hold_max_days, 0)):
            return ("wait", False)
        if campaign.hold_expiry == "skip":
            return ("skip", "hold_expired")
        return (
            "release",
            self.env._(
                "Sent after waiting %(days)s days: %(reason)s",
                days=campaign.hold_max_days,
                reason=dict(
                    self._fields["hold_reason"]._description_selection(self.env)
                )[self.hold_reason or hold],
            ),
        )

    def _nps_sent_today(self, campaigns):
        capped = campaigns.filtered("daily_cap")
        if not capped:
            return {}
        start = fields.Datetime.start_of(fields.Datetime.now(), "day")
        rows = self._read_group(
            [("campaign_id", "in", capped.ids), ("sent_date", ">=", start)],
            ["campaign_id"],
            ["__count"],
        )
        return {campaign.id: count for campaign, count in rows}

    def _nps_create_answers(self, link=True):
        """One ``survey.user_input`` per request, created in one batch and,
        with ``link``, set on each request. Returns them, in order."""
        # the survey's questions, computed once per survey rather than by
        # survey.user_input's create for every answer
        predefined = {
            survey: [(6, 0, survey._prepare_user_input_predefined_questions().ids)]
            for survey in self.campaign_id.survey_id
        }
        vals_list = []
        for request in self:
            survey = request.campaign_id.survey_id
            vals_list.append(
                {
                    "survey_id": survey.id,
                    "predefined_question_ids": predefined[survey],
                    "partner_id": request.partner_id.id,
                    "email": request.partner_id.email,
                    "nickname": request.partner_id.name,
                    "nps_request_id": request.id,
                    # 256 random bits, where survey's default (a uuid4) has 122
                    "access_token": nps_tools.new_token(),
                    "deadline": fields.Datetime.now()
                    + timedelta(days=request.campaign_id.expiry_days or 365),
                }
            )
        # no chatter on the answers at creation: they are created by the batch
        answers = (
            self.env["survey.user_input"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(vals_list)
        )
        if link:
            for request, answer in zip(self, answers, strict=True):
                request.user_input_id = answer
        return answers

    def _nps_queue_mails(self, reminder=False):
        """Render each campaign's template for its requests, in the
        customer's language, and queue the mails in one create."""
        mail_vals = []
        by_template = {}
        for request in self:
            campaign = request.campaign_id
            template = (
                reminder and campaign.reminder_template_id
            ) or campaign.mail_template_id
            by_template.setdefault(template, []).append(request.id)
        for template, request_ids in by_template.items():
            requests = self.browse(request_ids)
            template_sudo = template.sudo()
            rendered = requests._nps_render_template(template_sudo)
            senders = {}
            for request in requests:
                values = rendered[request.id]
                # the sender depends on the campaign and company: rendered once
                # for each, not once per customer
                key = (request.campaign_id, request.company_id)
                if key not in senders:
                    senders[key] = (
                        request.campaign_id.email_from
                        or (
                            template_sudo.email_from
                            and template_sudo._render_field("email_from", request.ids)[
                                request.id
                            ]
                        )
                        or request._nps_default_email_from()
                    )
                mail_vals.append(
                    {
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        "email_from": senders[key],
                        "reply_to": values.get("reply_to"),
                        "mail_server_id": template_sudo.mail_server_id.id,
                        "email_to": request._nps_formatted_email(),
                        "model": "nps.request",
                        "res_id": request.id,
                        "auto_delete": False,
                        "message_type": "email",
                    }
                )
        mails = self.env["mail.mail"].sudo().create(mail_vals)
        if mails:
            # out now rather than at the mail queue's next hourly run
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return mails

    def _nps_render_template(self, template_sudo):
        """Subject, body and reply-to of the template for these requests,
        in each customer's language: {request id: {field: value}}.

        What ``mail.template._generate_template`` gives, in less time: the
        body is rendered in one call for each language's requests
        (``nps_batch_render``, see mail.template) and its score buttons once
        per campaign (``nps_scale_cache``); with the shipped language
        expression the language is read from the customer instead of
        rendered per record; relative links are made absolute only in bodies
        that have one."""
        template_sudo = template_sudo.with_context(
            nps_batch_render=True, nps_scale_cache={}
        )
        if (template_sudo.lang or "").replace(" ", "") == PARTNER_LANG_EXPRESSION:
            by_lang = {}
            for request in self:
                by_lang.setdefault(request.partner_id.lang or False, []).append(
                    request.id
                )
            groups = [
                (template_sudo.with_context(lang=lang) if lang else template_sudo, ids)
                for lang, ids in by_lang.items()
            ]
        else:
            groups = list(template_sudo._classify_per_lang(self.ids).values())
        fields_to_render = ["subject", "body_html"] + (
            ["reply_to"] if template_sudo.reply_to else []
        )
        rendered = {request_id: {} for request_id in self.ids}
        for template, ids in groups:
            for field in fields_to_render:
                values = template._render_field(
                    field, ids, options={"post_process": False}
                )
                for request_id, value in values.items():
                    rendered[request_id][field] = value
        for request in self:
            body = rendered[request.id]["body_html"]
            # what mail.render.mixin._replace_local_links can change: relative
            # src/href/background ("/...") and CSS url(...)
            if body and ('="/' in body or "url(" in body):
                rendered[request.id]["body_html"] = template_sudo._replace_local_links(
                    body, request.get_base_url()
                )
        return rendered

    def _nps_link_mails(self, mails):
        by_request = {mail.res_id: mail for mail in mails}
        for request in self:
            request.mail_id = by_request.get(request.id)

    def _nps_formatted_email(self):
        self.ensure_one()
        return self.partner_id.email_formatted

    def _nps_default_email_from(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        return company.email_formatted or self.env.user.email_formatted

    # --- Reminders and expiry ---

    @api.model
    def _cron_remind(self):
        """Remind non-respondents, then expire what was never answered."""
        now = fields.Datetime.now()
        self._nps_expire(now)
        reminders = self._nps_due_reminders(now)
        if reminders:
            reminders._nps_send_reminders(now)

    @api.model
    def _nps_expire(self, now):
        """Expire the sent requests older than their campaign's expiry."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id FROM nps_request r
                  JOIN nps_campaign c ON c.id = r.campaign_id
                 WHERE r.state = 'sent'
                   AND r.sent_date + make_interval(
                           days => COALESCE(NULLIF(c.expiry_days, 0), 365)) <= %s
                """,
                now,
            )
        )
        expired = self.browse([row[0] for row in self.env.cr.fetchall()])
        expired.write({"state": "expired"})
        expired.filtered("campaign_id.flag_non_respondents")._nps_flag_silence()
        return expired

    def _nps_flag_silence(self):
        """The customers of these expired surveys never answered, reminders
        included: a follow-up case for their account manager."""
        Followup = self.env["nps.followup"]
        for request in self:
            Followup._nps_open(request, "silence")

    @api.model
    def _nps_due_reminders(self, now):
        """Sent requests whose campaign wants a reminder now."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id FROM nps_request r
                  JOIN nps_campaign c ON c.id = r.campaign_id
                 WHERE r.state = 'sent'
                   AND r.reminder_stop_reason IS NULL
                   AND COALESCE(r.reminder_count, 0) < c.max_reminders
                   AND COALESCE(r.last_reminder_date, r.sent_date)
                       + make_interval(days => c.reminder_delay_days) <= %s
                """,
                now,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _nps_send_reminders(self, now):
        """Remind these customers, each as the send policy allows at the
        moment the reminder goes: a customer who opted out or whose address
        was blacklisted since gets no more reminder, and the reason is kept
        (``reminder_stop_reason``)."""
        policy = self.env["nps.send.policy"]
        facts = policy._nps_facts(self.partner_id, exclude_requests=self)
        stopped = {}
        for request in self:
            reason, _channel = policy._nps_reason(
                facts,
                request.partner_id,
                request.campaign_id,
                "remind",
                channel=request.channel,
                now=now,
            )
            if reason:
                stopped.setdefault(reason, []).append(request.id)
        for reason, ids in stopped.items():
            self.browse(ids).write({"reminder_stop_reason": reason})
        requests = self - self.browse([i for ids in stopped.values() for i in ids])
        if requests:
            requests._nps_queue_reminders(now)

    def _nps_queue_reminders(self, now):
        by_sms = self.filtered(lambda r: r.channel == "sms")
        by_mail = self - by_sms
        mails = by_mail._nps_queue_mails(reminder=True) if by_mail else False
        if by_sms:
            by_sms._nps_queue_sms()
        for count in set(self.mapped("reminder_count")):
            self.filtered(lambda r, c=count: r.reminder_count == c).write(
                {"reminder_count": count + 1, "last_reminder_date": now}
            )
        if mails:
            by_mail._nps_link_mails(mails)

    # --- Answering ---

    def _nps_lock(self):
        """Lock this request's row for the rest of the transaction."""
        self.ensure_one()
        self.env.cr.execute(
            SQL("SELECT id FROM nps_request WHERE id = %s FOR UPDATE", self.id)
        )

    def _nps_is_open(self):
        """Whether a customer may answer this request."""
        self.ensure_one()
        return self.state in ("sent", "answered") and bool(self.user_input_id)

    def _nps_asks_reasons(self):
        """Whether the answer page asks this detractor or passive why."""
        self.ensure_one()
        category = self.nps_category
        if not category and self.provisional_state:
            category = nps_tools.classify(self.provisional_score)
        return bool(
            self.campaign_id.reason_ids
            and category in ("detractor", "passive")
            and not self.reason_ids
        )

    def write(self, vals):
        if not self.env.su and ANSWER_FIELDS.intersection(vals):
            raise AccessError(
                self.env._(
                    "A customer's answer cannot be changed: it is recorded only "
                    "from the customer's own answer, or an agent's record of an "
                    "answer given by phone."
                )
            )
        return super().write(vals)

    def _nps_record_answer(
        self, score=None, comment=None, channel=None, extra=None, reasons=None
    ):
        """Record a customer's answer. The first score stands unless the
        campaign allows a change; a comment is added when none was given.
        ``extra`` maps further survey questions to their answers.
        Returns True when something was written."""
        self.ensure_one()
        self._nps_lock()
        self.invalidate_recordset()
        if not self._nps_is_open():
            raise UserError(self.env._("This survey can no longer be answered."))
        answer = self.user_input_id.sudo()
        campaign = self.campaign_id
        first_answer = self.state != "answered"
        changed = False
        if score is not None:
            score = nps_tools.parse_score(score)
            if first_answer or (campaign.allow_answer_change and score != self.score):
                # as a string: the survey module takes a falsy 0 for "skipped"
                answer._save_lines(campaign.score_question_id, str(score))
                changed = True
        elif first_answer:
            raise UserError(self.env._("Please choose a score."))
        comment = (comment or "").strip()
        if comment and (not self.comment or campaign.allow_answer_change):
            if campaign.comment_question_id:
                answer._save_lines(campaign.comment_question_id, comment)
            self.sudo().comment = comment
            changed = True
        for question, value in (extra or {}).items():
            if value not in (None, "", False):
                answer._save_lines(question, str(value))
                changed = True
        reasons = (reasons or self.env["nps.reason"]) & campaign.reason_ids
        if reasons and (not self.reason_ids or campaign.allow_answer_change):
            self.sudo().reason_ids = reasons
            changed = True
        if not changed:
            return False
        previous_category = self.nps_category
        values = {"score": answer.nps_score, "nps_category": answer.nps_category}
        if first_answer:
            values.update(state="answered", answer_date=fields.Datetime.now())
            if channel:
                values["channel"] = channel
        # as the answer flow, not as the user (see write)
        self.sudo().write(values)
        if answer.state != "done" and not answer._nps_remaining_questions():
            answer._mark_done()
        self._nps_after_answer(first_answer, previous_category)
        return True

    # --- One-click answers: provisional until the customer confirms ---

    def _nps_suspect_reason(self, user_agent, remote_addr, now):
        """Why an unconfirmed answer made now by this visitor is taken for a
        mail security scanner, or False."""
        self.ensure_one()
        company = self.company_id or self.env.company
        signature = nps_tools.scanner_signature(
            user_agent, remote_addr, company.nps_scanner_signatures
        )
        if signature:
            return self.env._("Scanner signature: %(signature)s", signature=signature)
        mailed = max(
            filter(None, (self.sent_date, self.last_reminder_date)), default=None
        )
        seconds = company.nps_suspect_seconds
        if mailed and seconds > 0 and now - mailed < timedelta(seconds=seconds):
            return self.env._(
                "Made %(seconds)s s after the email was sent",
                seconds=int((now - mailed).total_seconds()),
            )
        return False

    def _nps_record_provisional(self, score, session_hash, user_agent, remote_addr):
        """Record the score of a one-click POST as provisional, bound to the
        browser session whose hashed nonce is ``session_hash``: nothing is
        counted and no effect runs until the customer confirms it, or the
        settle cron counts it. A suspect score (scanner signature, or made
        right after sending) never replaces a real provisional score of
        another session. Returns True when the score was recorded."""
        self.ensure_one()
        self._nps_lock()
        self.invalidate_recordset()
        if not self._nps_is_open():
            raise UserError(self.env._("This survey can no longer be answered."))
        if self.state == "answered":
            return False
        score = nps_tools.parse_score(score)
        now = fields.Datetime.now()
        suspect = self._nps_suspect_reason(user_agent, remote_addr, now)
        request_sudo = self.sudo()
        if (
            suspect
            and request_sudo.provisional_state == "pending"
            and request_sudo.provisional_session_hash != session_hash
        ):
            return False
        request_sudo.write(
            {
                "provisional_state": "suspect" if suspect else "pending",
                "provisional_score": score,
                "provisional_date": now,
                "provisional_reason": suspect or False,
                "provisional_user_agent": (user_agent or "")[:255] or False,
                "provisional_session_hash": session_hash,
            }
        )
        return True

    def _nps_owns_provisional(self, session_hash):
        """Whether the unconfirmed answer was made by this browser session."""
        self.ensure_one()
        stored = self.sudo().provisional_session_hash
        return bool(
            self.provisional_state
            and session_hash
            and stored
            and hmac.compare_digest(stored, session_hash)
        )

    def _nps_confirm_provisional(
        self, confirmed_by="customer", score=None, channel="email", **answer
    ):
        """Make the unconfirmed score (or ``score``, a change of mind) the
        answer: it is counted and its effects run now. ``answer`` takes the
        other arguments of ``_nps_record_answer`` (comment, extra, reasons)."""
        self.ensure_one()
        self._nps_lock()
        self.invalidate_recordset()
        if not self.provisional_state:
            # confirmed meanwhile (another tab, the page's own confirm)
            return self._nps_record_answer(score=score, channel=channel, **answer)
        if score is None:
            score = self.provisional_score
        self.sudo().write(
            {
                "provisional_state": False,
                "provisional_reason": False,
                "provisional_session_hash": False,
                "confirmed_by": confirmed_by,
            }
        )
        return self._nps_record_answer(score=score, channel=channel, **answer)

    @api.model
    def _nps_settle_provisional(self):
        """Count the provisional answers no one confirmed within their
        company's settle delay; suspect ones are left uncounted."""
        now = fields.Datetime.now()
        pending = self.sudo().search(
            [
                ("state", "=", "sent"),
                ("provisional_state", "=", "pending"),
                ("provisional_date", "<=", now),
            ]
        )
        settled = self.browse()
        for request in pending:
            company = request.company_id or self.env.company
            delay = timedelta(minutes=max(company.nps_settle_minutes, 0))
            if request.provisional_date + delay > now:
                continue
            request._nps_confirm_provisional(confirmed_by="settled")
            settled |= request
        if settled:
            _logger.info("Counted %s unconfirmed one-click answer(s)", len(settled))
        return settled

    def _nps_after_answer(self, first_answer, previous_category):
        """Effects of an answer: the customer's figures, the chatter of the
        ticket or project, and the follow-up activity for a detractor."""
        self.ensure_one()
        commercial = self.commercial_partner_id.sudo()
        before = {
            "category": commercial.nps_category,
            "score": commercial.nps_last_score,
            "csat": commercial.csat_avg,
            "answers": commercial.nps_answer_count,
        }
        if first_answer:
            self._nps_post_on_document()
        detractor = self.nps_category == "detractor"
        if self.anonymous:
            return
        if detractor and previous_category != "detractor":
            self.env["nps.followup"]._nps_open(self, "detractor")
            if self.campaign_id.reopen_ticket_on_detractor:
                self._nps_reopen_ticket()
        if self.origin_request_id and self.nps_category in ("passive", "promoter"):
            self.origin_request_id.sudo().followup_ids.recovered = True
        partners = self.partner_id | self.commercial_partner_id
        partners.sudo()._nps_refresh_stats()
        if first_answer:
            self._nps_check_alert(before)
            if self.nps_category == "promoter":
                self._nps_thank_promoter()

    # --- Alerts ---

    def _nps_check_alert(self, before):
        """Raise a satisfaction alert for this answer when the customer's
        satisfaction dropped (category downgrade, a drop of the configured
        points, CSAT falling under the threshold) or the comment holds an
        alarming keyword: a follow-up case for the account manager and a
        message to the campaign's followers. One case per answer at most: a
        keyword found in a detractor's comment is noted on the detractor's
        case."""
        self.ensure_one()
        commercial = self.commercial_partner_id.sudo()
        company = self.company_id or self.env.company
        keywords = self.env["nps.alert.keyword"]._nps_match(self.comment, company)
        case = self.sudo().followup_ids[:1]
        reason = False
        if keywords:
            reason = "keyword"
        elif case:
            return
        elif before["answers"] and nps_tools.is_downgrade(
            before["category"], self.nps_category
        ):
            reason = "downgrade"
        elif (
            before["answers"]
            and company.nps_health_drop_points
            and before["score"] - self.score >= company.nps_health_drop_points
        ):
            reason = "drop"
        elif (
            self.campaign_id.measures_csat
            and commercial.csat_avg
            and commercial.csat_avg < company.nps_health_csat_min
            and not (before["csat"] and before["csat"] < company.nps_health_csat_min)
        ):
            reason = "low_csat"
        if not reason:
            return
        keywords = ", ".join(keywords) or False
        if case:
            if case.keywords:
                return
            case.keywords = keywords
        else:
            case = self.env["nps.followup"]._nps_open(self, reason, keywords=keywords)
        self._nps_post_alert(case, reason)

    def _nps_post_alert(self, case, reason):
        """Tell the campaign's followers about the alert."""
        self.ensure_one()
        request_sudo = self.sudo()
        reason_label = dict(
            self.env["nps.followup"]._fields["kind"]._description_selection(self.env)
        )[reason]
        summary = self.env._(
            "Satisfaction alert: %(customer)s — %(reason)s",
            customer=self.commercial_partner_id.display_name,
            reason=reason_label,
        )
        message = self.campaign_id.sudo().message_post(
            body=self.env["ir.qweb"]._render(
                "nps_satisfaction.message_nps_alert",
                {
                    "nps_request": request_sudo,
                    "nps_followup": case.sudo(),
                    "reason": reason_label,
                },
            ),
            subject=summary,
            subtype_xmlid="mail.mt_comment",
            message_type="notification",
        )
        request_sudo.nps_message_ids = [Command.link(message.id)]

    def _nps_thank_promoter(self):
        template = self.campaign_id.promoter_template_id
        if template and self.partner_id.email:
            template.sudo().send_mail(self.id, email_layout_xmlid=False)

    def _nps_reopen_ticket(self):
        ticket = self.ticket_id.sudo()
        if not ticket or not ticket.stage_id.closed:
            return
        stages = (
            self.env["helpdesk.ticket.stage"]
            .sudo()
            .search([("closed", "=", False)], order="sequence, id")
        )
        stage = stages.filtered(
            lambda s: not s.team_ids or ticket.team_id in s.team_ids
        )[:1]
        if stage:
            ticket.write({"stage_id": stage.id})

    # --- Chatter of the surveyed document ---

    def _nps_document(self):
        self.ensure_one()
        return self.ticket_id or self.project_id

    def _nps_post_on_document(self):
        document = self._nps_document().sudo()
        if not document:
            return
        message = document.message_post_with_source(
            "nps_satisfaction.message_nps_answer",
            render_values={"nps_request": self.sudo()},
            subtype_xmlid="mail.mt_note",
        )
        self.sudo().nps_message_ids = [Command.link(m.id) for m in message]

    # --- Public links ---

    def _nps_base_url(self):
        self.ensure_one()
        return (
            self.company_id.get_base_url() if self.company_id else self.get_base_url()
        )

    def _nps_answer_url(self, score=None):
        self.ensure_one()
        url = f"{self._nps_base_url()}/nps/{self.sudo().access_token}"
        if score is not None:
            url += f"?score={int(score)}"
        return url

    def _nps_optout_url(self):
        self.ensure_one()
        return f"{self._nps_base_url()}/nps/{self.sudo().access_token}/optout"

    @api.model
    def _nps_create_anonymous(self, campaign, device_hash):
        """A request for an anonymous answer through the campaign's counter
        link, open for its answer."""
        partner = self.env.ref("nps_satisfaction.partner_nps_anonymous")
        request = self.sudo().create(
            {
                "campaign_id": campaign.id,
                "partner_id": partner.id,
                "company_id": (campaign.company_id or self.env.company).id,
                "channel": "qr",
                "anonymous": True,
                "device_hash": device_hash,
                "state": "scheduled",
            }
        )
        request._nps_open_without_email("qr")
        return request

    @api.model
    def _nps_counter_allowed(self, campaign, device_hash, network_hash):
        """Whether a device (and its network) may answer the counter link now."""
        now = fields.Datetime.now()
        self.flush_model(["device_hash", "campaign_id", "create_date"])
        if campaign.public_rate_minutes and self.sudo().search_count(
            [
                ("campaign_id", "=", campaign.id),
                ("device_hash", "=", device_hash),
                (
                    "create_date",
                    ">",
                    now - timedelta(minutes=campaign.public_rate_minutes),
                ),
            ],
            limit=1,
        ):
            return False
        if campaign.public_rate_per_hour:
            recent = self.sudo().search_count(
                [
                    ("campaign_id", "=", campaign.id),
                    ("device_hash", "=like", f"{network_hash}:%"),
                    ("create_date", ">", now - timedelta(hours=1)),
                ]
            )
            if recent >= campaign.public_rate_per_hour:
                return False
        return True

    def _nps_open_without_email(self, channel):
        """Open a scheduled survey for answers through another way than
        email (a printed QR code, the portal): its answer is created and it
        counts as sent, with no mail."""
        to_open = self.filtered(lambda r: r.state == "scheduled")
        if not to_open:
            return
        to_open._nps_create_answers()
        to_open.write(
            {"state": "sent", "sent_date": fields.Datetime.now(), "channel": channel}
        )

    def _nps_qr_data_uri(self, fmt="svg"):
        """The answer link as a QR image, inline (for reports)."""
        self.ensure_one()
        return nps_tools.qr_data_uri(self._nps_answer_url(), fmt)

    def _nps_mail_scale(self):
        """The score buttons of the email, as HTML. They differ between
        customers only by the token in their links: the view is rendered once
        per campaign and base URL within a batch (``nps_scale_cache`` in the
        context), and each customer's token is put in the links."""
        self.ensure_one()
        cache = self.env.context.get("nps_scale_cache")
        base_url = self._nps_base_url()
        key = (self.campaign_id.id, base_url)
        html = cache.get(key) if cache is not None else None
        if html is None:
            cells = self.campaign_id._scale_cells(
                base_url=base_url, token=SCALE_TOKEN_PLACEHOLDER
            )
            html = str(
                self.env["ir.qweb"]._render(
                    "nps_satisfaction.mail_scale", {"cells": cells}
                )
            )
            # the view's indentation out: a sixth of every email otherwise
            html = INDENTATION_BETWEEN_TAGS.sub("><", html)
            if cache is not None:
                cache[key] = html
        token = self.sudo().access_token
        return Markup(html.replace(SCALE_TOKEN_PLACEHOLDER, token))

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

    # --- Privacy ---

    def _nps_export_rows(self):
        """What this addon holds about these requests, one dict per request:
        the survey request, its dates and campaign, the score, comment,
        reasons and further answers, and the follow-up case (for a
        customer's export, see ``nps.privacy.export``)."""
        requests = self.sudo()

        def moment(value):
            return fields.Datetime.to_string(value) if value else None

        def label(record, name):
            return dict(record._fields[name]._description_selection(self.env)).get(
                record[name]
            )

        rows = []
        for request in requests:
            answer = request.user_input_id
            own = request.campaign_id.score_question_id
            rows.append(
                {
                    "request": request.id,
                    "customer": request.partner_id.display_name,
                    "email": request.partner_id.email or None,
                    "company": request.commercial_partner_id.display_name,
                    "campaign": request.campaign_id.name,
                    "survey": request.campaign_id.survey_id.title,
                    "channel": label(request, "channel"),
                    "state": label(request, "state"),
                    "skip_reason": label(request, "skip_reason"),
                    "scheduled_date": moment(request.scheduled_date),
                    "sent_date": moment(request.sent_date),
                    "reminders": request.reminder_count,
                    "last_reminder_date": moment(request.last_reminder_date),
                    "answer_date": moment(request.answer_date),
                    "ticket": request.ticket_id.display_name or None,
                    "project": request.project_id.display_name or None,
                    "score": request.score if request.state == "answered" else None,
                    "category": label(request, "nps_category"),
                    "comment": request.comment or None,
                    "reasons": request.reason_ids.mapped("name"),
                    "answers": [
                        {
                            "question": line.question_id.title,
                            "answer": (
                                line.value_text_box
                                if line.answer_type == "text_box"
                                else line.display_name
                            ),
                        }
                        for line in answer.user_input_line_ids
                        if not line.skipped and line.question_id != own
                    ],
                    "follow_up": request.followup_ids
                    and {
                        "reason": label(request.followup_ids, "kind"),
                        "state": label(request.followup_ids, "state"),
                        "by": request.followup_ids.user_id.name,
                        "deadline": fields.Date.to_string(
                            request.followup_ids.date_deadline
                        )
                        or None,
                        "escalated": request.followup_ids.escalated,
                        "root_cause": request.followup_ids.root_cause_id.name or None,
                        "outcome": label(request.followup_ids, "outcome"),
                        "action_taken": request.followup_ids.action_taken or None,
                        "closed_date": moment(request.followup_ids.done_date),
                        "recovered": request.followup_ids.recovered,
                    }
                    or None,
                }
            )
        return rows

    def _nps_neutral_text(self, score):
        """What a message or activity about an answer says once the answer's
        texts are gone: the score, no name, no comment."""
        return Markup("<p>%s</p>") % self.env._(
            "Satisfaction answer: %(score)s/10. Its comment and personal "
            "details were removed.",
            score=score,
        )

    def _nps_remove_texts(self):
        """Remove the comments and free-text answers of these requests and
        replace the text of the messages and activities this addon wrote
        about them; scores, categories, reasons and dates stay. A few
        queries whatever the number of requests (the texts that replace
        messages differ only by score). Returns the number of comments and
        of free-text answers removed."""
        requests = self.sudo()
        if not requests:
            return 0, 0
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search(
                [
                    ("user_input_id", "in", requests.user_input_id.ids),
                    ("answer_type", "in", ("char_box", "text_box")),
                ]
            )
        )
        comments = len(requests.filtered("comment"))
        messages = {}
        activities = {}
        for request in requests:
            score = request.score
            messages[score] = messages.get(score, request.nps_message_ids.browse())
            messages[score] |= request.nps_message_ids
            case_activities = request.followup_ids.with_context(
                active_test=False
            ).activity_ids
            if case_activities:
                activities[score] = activities.get(score, case_activities.browse())
                activities[score] |= case_activities
        cases = requests.with_context(active_test=False).followup_ids
        if cases:
            # what was written on the cases: notes, the assignment notice
            # that quotes the answer, mails to the customer (tracking
            # messages have no body)
            case_messages = (
                self.env["mail.message"]
                .sudo()
                .search([("model", "=", "nps.followup"), ("res_id", "in", cases.ids)])
                .filtered("body")
            )
            for case in cases:
                score = case.request_id.score
                messages[score] = messages.get(score, case_messages.browse())
                messages[score] |= case_messages.filtered(
                    lambda m, c=case: m.res_id == c.id
                )
        for score, score_messages in messages.items():
            if score_messages:
                score_messages.write(
                    {"body": self._nps_neutral_text(score), "subject": False}
                )
        for score, score_activities in activities.items():
            score_activities.write({"note": self._nps_neutral_text(score)})
        removed_lines = len(lines)
        lines.unlink()
        requests.write(
            {
                "comment": False,
                "texts_removed_date": fields.Datetime.now(),
            }
        )
        requests.followup_ids.write({"keywords": False, "action_taken": False})
        return comments, removed_lines

    def _nps_anonymize(self, target):
        """Detach these requests and their answers from the customer who
        gave them: the texts go (``_nps_remove_texts``), the answers lose
        their partner, email and name, every link (request and survey answer
        tokens) stops working, the mails and SMS sent about them are deleted,
        surveys still open are closed, and the requests count for ``target``
        (the customer's company, or the shared anonymised customer). Scores,
        categories, dates, campaigns, tickets and teams stay, so the figures
        do not change. Returns what was done, as counts."""
        requests = self.sudo().with_context(active_test=False)
        if not requests:
            return {}
        former = (requests.partner_id | requests.commercial_partner_id) - target
        comments, free_texts = requests._nps_remove_texts()
        sent = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "nps.request"), ("res_id", "in", requests.ids)])
        )
        mails = len(sent)
        # the mails' messages: deleting them deletes the mails (cascade)
        sent.unlink()
        requests.sms_id.sudo().unlink()
        for request in requests:
            request.access_token = nps_tools.new_token()
        answers = requests.user_input_id
        answers.write({"partner_id": False, "email": False, "nickname": False})
        for answer in answers:
            answer.access_token = str(uuid.uuid4())
        pending = requests.filtered(lambda r: r.state == "scheduled")
        pending.write({"state": "cancelled"})
        open_ = requests.filtered(lambda r: r.state == "sent")
        open_.write({"state": "expired"})
        summaries = {}
        for request in requests.filtered("followup_ids"):
            case_activities = request.followup_ids.with_context(
                active_test=False
            ).activity_ids
            summaries.setdefault(request.score, case_activities.browse())
            summaries[request.score] |= case_activities
        for score, activities in summaries.items():
            activities.write(
                {
                    "summary": self.env._(
                        "Follow up a satisfaction answer — NPS %(score)s",
                        score=score,
                    )
                }
            )
        requests.write(
            {
                "partner_id": target.id,
                "skip_note": False,
                "device_hash": False,
                # the browser that clicked a one-click score, and its session
                "provisional_user_agent": False,
                "provisional_session_hash": False,
                "anonymized_date": fields.Datetime.now(),
            }
        )
        # an unconfirmed score of a survey now closed never counts: it goes
        (open_ | pending).write(
            {
                "provisional_state": False,
                "provisional_score": 0,
                "provisional_date": False,
                "provisional_reason": False,
            }
        )
        anonymised = self.env.ref("nps_satisfaction.partner_nps_anonymised")
        (former | target.commercial_partner_id - anonymised)._nps_refresh_stats()
        return {
            "requests": len(requests),
            "comments": comments,
            "free_texts": free_texts,
            "mails": mails,
            "closed": len(pending) + len(open_),
        }

    @api.model
    def _cron_retention(self, batch_size=1000):
        """Remove the comments and free-text answers older than each
        company's retention period (``nps_comment_retention_months``; 0, the
        default, keeps them). In batches, committing after each; a request
        done once is never taken again."""
        cron = self.env["ir.cron"]
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("nps_comment_retention_months", ">", 0)])
        )
        now = fields.Datetime.now()
        for company in companies:
            cutoff = now - relativedelta(months=company.nps_comment_retention_months)
            domain = [
                ("company_id", "=", company.id),
                ("answer_date", "<", cutoff),
                ("texts_removed_date", "=", False),
            ]
            while True:
                requests = self.sudo().search(domain, limit=batch_size, order="id")
                if not requests:
                    break
                requests._nps_remove_texts()
                if cron._commit_progress(len(requests)) <= 0:
                    return
