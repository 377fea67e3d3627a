import base64
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from ..tools import lock_tools, qr_tools, score_tools, send_tools, token_tools

PRIVACY_NOTICE_MAX = 800


class NpsCampaign(models.Model):
    _name = "nps.campaign"
    _description = "Satisfaction survey campaign"
    _inherit = ["mail.thread", "nps.drop.alert.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to run the campaign for every company.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        help="Receives the follow-up activity when the customer has no "
        "account manager and the team has no leader.",
    )
    trigger = fields.Selection(
        selection=[
            ("ticket_closed", "Helpdesk ticket closed"),
            ("project_done", "Installation project finished"),
            ("periodic", "Periodic"),
            ("manual", "Manual"),
            ("followup", "Follow-up of a detractor"),
        ],
        required=True,
        default="ticket_closed",
        tracking=True,
    )
    survey_id = fields.Many2one(
        comodel_name="survey.survey",
        required=True,
        ondelete="restrict",
        help="An Odoo survey whose first 0-10 scale question is the score "
        "(and, for a campaign asking CSAT, whose 1-5 question is the CSAT).",
    )
    # stored: every answer reads them, the survey's questions rarely change;
    # computed with the scales the campaign asks (nps_campaign_scale.py)
    score_question_id = fields.Many2one(
        comodel_name="survey.question",
        compute="_compute_survey_questions",
        store=True,
        help="The survey's 0-10 question that gives the NPS score.",
    )
    comment_question_id = fields.Many2one(
        comodel_name="survey.question",
        compute="_compute_survey_questions",
        store=True,
    )
    send_delay_days = fields.Integer(
        string="Send delay (days)",
        default=0,
        help="0 sends at closure (with the next dispatch run).",
    )
    min_days_between = fields.Integer(
        string="Quiet period (days)",
        default=30,
        help="No new survey for a customer (the company and its contacts) "
        "within this many days of the last survey sent, by any campaign.",
    )
    ignore_quiet_period = fields.Boolean(
        help="Send even within the customer's quiet period.",
    )
    reminder_delay_days = fields.Integer(string="Remind after (days)", default=3)
    max_reminders = fields.Integer(default=1)
    expiry_days = fields.Integer(
        string="Expires after (days)",
        default=30,
        help="An unanswered survey expires this many days after it was sent.",
    )
    allow_answer_change = fields.Boolean(
        help="A customer may change the score given; otherwise the first "
        "answer stands.",
    )
    hold_if_open_ticket = fields.Boolean(
        string="Wait until settled",
        default=True,
        help="A customer with another open ticket, or whose last detractor "
        "answer is still being followed up, is surveyed once that is settled.",
    )
    hold_max_days = fields.Integer(
        string="Wait at most (days)",
        default=7,
        help="A survey held by the customer's other open ticket or follow-up "
        "waits at most this many days, then goes or is skipped.",
    )
    hold_expiry = fields.Selection(
        selection=[
            ("send", "Send it anyway"),
            ("skip", "Skip it"),
        ],
        string="After waiting",
        default="send",
        required=True,
        help="What happens to a survey still held after the longest wait.",
    )
    mail_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Email template",
        domain=[("model", "=", "nps.request")],
        default=lambda self: self.env.ref(
            "nps_satisfaction.mail_template_nps_request", raise_if_not_found=False
        ),
        required=True,
    )
    reminder_template_id = fields.Many2one(
        comodel_name="mail.template",
        domain=[("model", "=", "nps.request")],
        help="Leave empty to resend the survey email.",
    )
    sms_template_id = fields.Many2one(
        comodel_name="sms.template",
        string="SMS when no email",
        domain=[("model", "=", "nps.request")],
        help="Customers with a phone number and no email get the survey link "
        "by SMS with this template; empty: they are skipped (no email).",
    )
    email_from = fields.Char(
        string="Sender",
        help="Sender address; leave empty for the company's default sender.",
    )
    privacy_notice = fields.Text(translate=True)
    privacy_notice_display = fields.Text(compute="_compute_privacy_notice_display")
    privacy_url = fields.Char(string="Privacy policy URL")
    display_style = fields.Selection(
        selection=[
            ("numbers", "Numbers"),
            ("stars", "Stars"),
            ("gradient", "Colour gradient"),
            ("icons", "Icons"),
        ],
        default="numbers",
        required=True,
    )
    color_low = fields.Char(string="Colour of 0", default="#d9534f")
    color_high = fields.Char(string="Colour of 10", default="#2e9e5b")
    icon_detractor = fields.Image(max_width=128, max_height=128)
    icon_passive = fields.Image(max_width=128, max_height=128)
    icon_promoter = fields.Image(max_width=128, max_height=128)
    # --- Targeting ---
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team", string="Helpdesk teams"
    )
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category", string="Ticket categories"
    )
    channel_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.channel", string="Ticket channels"
    )
    priorities = fields.Char(
        help="Comma-separated ticket priorities (0 low, 1 medium, 2 high, "
        "3 very high); empty for all.",
    )
    ticket_stage_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.stage",
        string="Closing stages",
        domain=[("closed", "=", True)],
        help="Closed stages that trigger the survey; empty for every closed stage.",
    )
    project_tag_ids = fields.Many2many(
        comodel_name="project.tags",
        string="Project tags",
        help="Only projects with one of these tags; empty for all.",
    )
    partner_domain = fields.Char(
        string="Customer filter",
        default="[]",
        help="Domain on contacts that a customer must match.",
    )
    # --- Closed loop ---
    reason_ids = fields.Many2many(
        comodel_name="nps.reason",
        string="Reasons offered",
        help="Detractors and passives may tick why they gave their score.",
    )
    followup_sla_days = fields.Integer(
        string="Follow-up deadline (days)",
        default=2,
        help="The account manager has this many days to follow up a "
        "detractor; overdue follow-ups are escalated to the team leader.",
    )
    followup_campaign_id = fields.Many2one(
        comodel_name="nps.campaign",
        string="Follow-up survey",
        domain=[("trigger", "=", "followup")],
        help="When a detractor's follow-up is done, this campaign surveys the "
        "customer again (after its send delay, even within the quiet period).",
    )
    reopen_ticket_on_detractor = fields.Boolean(
        string="Reopen the ticket of a detractor",
        help="A detractor answer puts the ticket back in its first open stage.",
    )
    promoter_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Promoter thank-you",
        domain=[("model", "=", "nps.request")],
        help="Sent to promoters once they answered, e.g. with a referral ask.",
    )
    flag_non_respondents = fields.Boolean(
        help="After the last reminder, an unanswered survey gives the account "
        "manager an activity: silence is treated like a detractor.",
    )
    # --- Periodic and pilot ---
    period_months = fields.Integer(
        string="Every (months)",
        default=6,
        help="A periodic campaign surveys each customer matching its filter "
        "once in this many months, spread evenly over the period.",
    )
    contact_role_ids = fields.Many2many(
        comodel_name="nps.contact.role",
        string="Contacts surveyed",
        help="A periodic or date-triggered campaign sends its survey, at each "
        "customer, to every "
        "contact with one of these roles, each personally (the quiet period "
        "is then each contact's own). A customer without a contact of these "
        "roles gets it at the company's own address. Empty: the company's "
        "address.",
    )
    pilot_mode = fields.Boolean(
        string="Pilot",
        tracking=True,
        help="Run the campaign on a sample of the customers, or on chosen "
        "teams, before deploying it to all.",
    )
    pilot_percent = fields.Integer(
        string="Pilot sample (%)",
        default=20,
        help="Share of eligible customers surveyed during the pilot; the "
        "sample is drawn reproducibly from the customer and the campaign.",
    )
    pilot_team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        relation="nps_campaign_pilot_team_rel",
        string="Pilot teams",
        help="During the pilot, only tickets of these teams (empty: all).",
    )
    # --- Counter QR code (anonymous answers) ---
    public_token = fields.Char(
        string="Counter link token",
        copy=False,
        readonly=True,
        groups="nps_satisfaction.group_nps_user",
        help="Anyone with the counter link or its QR code can answer, "
        "anonymously; empty when the campaign has no counter link.",
    )
    public_url = fields.Char(
        string="Counter link",
        compute="_compute_public_url",
        readonly=True,
        groups="nps_satisfaction.group_nps_user",
    )
    public_qr_image = fields.Binary(
        string="Counter QR code",
        compute="_compute_public_url",
        readonly=True,
        groups="nps_satisfaction.group_nps_user",
    )
    public_rate_minutes = fields.Integer(
        string="One answer per device every (minutes)",
        default=10,
        help="A device answering through the counter link must wait this long "
        "before answering again.",
    )
    public_rate_per_hour = fields.Integer(
        string="Answers per network per hour",
        default=60,
        help="At most this many counter answers an hour from one IP address.",
    )
    # --- Send window and cap ---
    use_send_window = fields.Boolean(string="Send window")
    window_hour_from = fields.Float(default=9.0)
    window_hour_to = fields.Float(default=18.0)
    window_weekdays_only = fields.Boolean(string="Weekdays only", default=True)
    daily_cap = fields.Integer(help="At most this many surveys a day; 0 for no cap.")
    # --- Figures ---
    request_ids = fields.One2many(
        comodel_name="nps.request", inverse_name="campaign_id"
    )
    request_count = fields.Integer(compute="_compute_figures")
    sent_count = fields.Integer(compute="_compute_figures")
    answered_count = fields.Integer(compute="_compute_figures")
    response_rate = fields.Float(compute="_compute_figures", aggregator=False)
    nps = fields.Float(string="NPS", compute="_compute_figures", aggregator=False)
    # an NPS of 0 is a figure: the counts tell it from no answer at all
    nps_answer_count = fields.Integer(
        string="NPS answers",
        compute="_compute_figures",
        help="Answers with a 0-10 score, which the NPS counts.",
    )

    @api.depends("privacy_notice")
    @api.depends_context("lang")
    def _compute_privacy_notice_display(self):
        default = self.env._(
            "Your answer is used only to improve our service. It is kept with "
            "your customer record and never shared with third parties. You can "
            "ask us at any time to see or delete it, and unsubscribe from "
            "satisfaction surveys with the link in our emails."
        )
        for campaign in self:
            campaign.privacy_notice_display = campaign.privacy_notice or default

    def _nps_privacy_notice(self, anonymous=False):
        """The privacy notice of the campaign's pages: its own, else the
        default one; on the counter link's pages (``anonymous``), one that
        says the answer is kept without a name."""
        self.ensure_one()
        if anonymous and not self.privacy_notice:
            return self.env._(
                "Your answer is anonymous: it is kept without your name or "
                "address, only to improve our service, and never shared with "
                "third parties."
            )
        return self.privacy_notice_display

    def _compute_figures(self):
        # the request's category is its answer's: no read of the survey
        # answers, which a satisfaction manager without survey rights may not
        # one query for the NPS and the CSAT (nps_campaign_scale.py)
        groups = self.env["nps.request"]._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "state", "nps_category", "csat_score"],
            ["__count"],
        )
        counts = {}
        per_category = {}
        csat_scores = {}
        for campaign, state, category, csat_score, count in groups:
            by_state = counts.setdefault(campaign.id, {})
            by_state[state] = by_state.get(state, 0) + count
            if state != "answered":
                continue
            if category:
                per_category.setdefault(campaign.id, []).extend([category] * count)
            if csat_score:
                csat_scores.setdefault(campaign.id, []).extend([csat_score] * count)
        for campaign in self:
            by_state = counts.get(campaign.id, {})
            answered = by_state.get("answered", 0)
            sent = answered + by_state.get("sent", 0) + by_state.get("expired", 0)
            campaign.request_count = sum(by_state.values())
            campaign.sent_count = sent
            campaign.answered_count = answered
            campaign.response_rate = 100.0 * answered / sent if sent else 0.0
            campaign.nps = score_tools.nps(per_category.get(campaign.id, [])) or 0.0
            campaign.nps_answer_count = len(per_category.get(campaign.id, []))
            campaign.csat = score_tools.csat(csat_scores.get(campaign.id, [])) or 0.0
            campaign.csat_answer_count = len(csat_scores.get(campaign.id, []))

    @api.constrains("privacy_notice")
    def _check_privacy_notice(self):
        for campaign in self:
            if len(campaign.privacy_notice or "") > PRIVACY_NOTICE_MAX:
                raise ValidationError(
                    self.env._(
                        "The privacy notice of %(campaign)s has %(length)s "
                        "characters; keep it to %(max)s.",
                        campaign=campaign.name,
                        length=len(campaign.privacy_notice),
                        max=PRIVACY_NOTICE_MAX,
                    )
                )

    @api.constrains(
        "send_delay_days",
        "min_days_between",
        "reminder_delay_days",
        "max_reminders",
        "expiry_days",
        "daily_cap",
        "followup_sla_days",
        "period_months",
    )
    def _check_positive(self):
        for campaign in self:
            values = (
                campaign.send_delay_days,
                campaign.min_days_between,
                campaign.reminder_delay_days,
                campaign.max_reminders,
                campaign.expiry_days,
                campaign.daily_cap,
                campaign.followup_sla_days,
                campaign.period_months,
            )
            if campaign.pilot_percent < 0 or campaign.pilot_percent > 100:
                raise ValidationError(
                    self.env._("A pilot sample is between 0 and 100%.")
                )
            if any(value < 0 for value in values):
                raise ValidationError(
                    self.env._(
                        "Delays, counts and caps of a campaign cannot be negative."
                    )
                )

    _unique_public_token = models.Constraint(
        "UNIQUE(public_token)", "A counter link must be unique."
    )

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for campaign in self:
            try:
                self.env["res.partner"].search_count(
                    campaign._get_partner_domain(), limit=1
                )
            except Exception as error:
                raise ValidationError(
                    self.env._("The customer filter is not a valid domain: %s", error)
                ) from error

    # --- Actions ---

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_request"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def _compute_public_url(self):
        for campaign in self:
            url = campaign._nps_public_url()
            campaign.public_url = url
            campaign.public_qr_image = (
                base64.b64encode(qr_tools.qr_image(url, "png")[0]) if url else False
            )

    def action_generate_public_link(self):
        """Create (or renew, which disables the old one) the counter link:
        satisfaction managers only, who may change the campaign."""
        self.check_access("write")
        for campaign in self:
            campaign.sudo().public_token = token_tools.new_token()

    def action_disable_public_link(self):
        """Turn the counter link off: satisfaction managers only."""
        self.check_access("write")
        self.sudo().public_token = False

    def _nps_public_url(self):
        self.ensure_one()
        token = self.sudo().public_token
        if not token:
            return False
        return f"{self.get_base_url()}/nps/c/{token}"

    def action_send_survey(self):
        """Open the wizard that sends this campaign to chosen customers."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the survey"),
            "res_model": "nps.campaign.send",
            "view_mode": "form",
            "target": "new",
            "context": {"default_campaign_id": self.id},
        }

    # --- Periodic ---

    @api.model
    def _cron_periodic(self):
        """Schedule today's share of each periodic campaign."""
        campaigns = self.search([("trigger", "=", "periodic")])
        requests = self.env["nps.request"]
        for campaign in campaigns:
            requests |= self.env["nps.schedule"]._nps_schedule_periodic(campaign)
        return requests

    # --- Counter answers (anonymous, through the counter QR code) ---

    def _nps_counter_check(self, device_hash, network_hash, issuer=False, issued=False):
        """What becomes of an answer from this device (and its network) on
        the counter link now: None, counted; ``device``, refused (the device
        answered within the campaign's minutes, or a device whose cookie was
        issued to the same client, ``issuer``, within that many minutes of
        this one's, ``issued``: the cookies one client gathered are one
        device); ``ceiling``, kept but not counted until a manager reviews
        it (its network passed the hourly ceiling: one abuser behind a
        shop's Wi-Fi does not turn away the customers sharing its address);
        ``busy``, another answer is being counted this instant: nothing
        recorded, the visitor sends his again (a burst of parallel posts
        never waits for its turn)."""
        self.ensure_one()
        # one counter answer of a campaign at a time: parallel posts count
        if lock_tools.turn_is_taken(self.env.cr, self._table, self.id):
            return "busy"
        lock_tools.take_turn(self.env.cr, self._table, self.id)
        now = fields.Datetime.now()
        Request = self.env["nps.request"].sudo()
        Request.flush_model(
            ["device_hash", "device_issuer", "device_issued", "campaign_id"]
        )
        if self.public_rate_minutes:
            period = timedelta(minutes=self.public_rate_minutes)
            same = Domain("device_hash", "=", device_hash)
            if issuer and issued:
                same |= Domain(
                    [
                        ("device_issuer", "=", issuer),
                        ("device_issued", ">", issued - period),
                        ("device_issued", "<", issued + period),
                    ]
                )
            recent = Domain(
                [("campaign_id", "=", self.id), ("create_date", ">", now - period)]
            )
            if Request.search_count(recent & same, limit=1):
                return "device"
        if self.public_rate_per_hour:
            recent = Request.search_count(
                [
                    ("campaign_id", "=", self.id),
                    ("device_hash", "=like", f"{network_hash}:%"),
                    ("create_date", ">", now - timedelta(hours=1)),
                ]
            )
            if recent >= self.public_rate_per_hour:
                return "ceiling"
        return None

    def _nps_create_anonymous(self, device_hash, issuer=False, issued=False):
        """A request for an anonymous answer through this campaign's counter
        link (see ``nps.schedule._nps_schedule_anonymous``)."""
        return self.env["nps.schedule"]._nps_schedule_anonymous(
            self, device_hash, issuer=issuer, issued=issued
        )

    # --- Helpers ---

    def _nps_drop_alert_recipient(self):
        """The campaign's responsible."""
        return self.user_id

    def _get_partner_domain(self):
        self.ensure_one()
        return Domain(safe_eval(self.partner_domain or "[]"))

    def _nps_targets_ticket(self, ticket):
        """Whether this campaign surveys the given closed ticket."""
        self.ensure_one()
        if self.ticket_stage_ids and ticket.stage_id not in self.ticket_stage_ids:
            return False
        if self.team_ids and ticket.team_id not in self.team_ids:
            return False
        if self.category_ids and ticket.category_id not in self.category_ids:
            return False
        if self.channel_ids and ticket.channel_id not in self.channel_ids:
            return False
        priorities = self._priority_list()
        return not priorities or ticket.priority in priorities

    def _nps_in_pilot(self, commercial, ticket=None):
        """Whether a customer (its commercial entity) takes part in this
        campaign's pilot."""
        self.ensure_one()
        if self.pilot_team_ids and (
            not ticket or ticket.team_id not in self.pilot_team_ids
        ):
            return False
        return send_tools.in_sample(self.id, commercial.id, self.pilot_percent)

    def _nps_sms_number(self, partner):
        """The number to text the survey to (E.164), when this campaign
        sends SMS and the customer has a valid phone number; else False."""
        self.ensure_one()
        if not self.sms_template_id or not partner.phone:
            return False
        return partner._phone_format(fname="phone") or False

    def _priority_list(self):
        self.ensure_one()
        return [p.strip() for p in (self.priorities or "").split(",") if p.strip()]
