from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import html_escape

from odoo.addons.nps_satisfaction.tools import token_tools

TOKEN_GROUPS = (
    "base.group_system,nps_satisfaction.group_nps_user,"
    "website_slides.group_website_slides_officer"
)


class SlideChannelPartner(models.Model):
    _inherit = "slide.channel.partner"

    nps_onboarding = fields.Boolean(
        string="Onboarding",
        related="channel_id.nps_onboarding",
        store=True,
        index=True,
    )
    nps_commercial_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer company",
        compute="_compute_nps_commercial_partner_id",
        store=True,
        index=True,
        help="The customer the learner follows the course for: the company of "
        "a contact, or the customer whose company link a learner joined by.",
    )
    nps_account_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Account manager",
        related="nps_commercial_partner_id.nps_account_manager_id",
        store=True,
        index="btree_not_null",
        help="The customer's account manager of its satisfaction data, which "
        "only customer satisfaction users set (not its salesperson).",
    )
    nps_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        index="btree_not_null",
        readonly=True,
        help="The company the onboarding enrolment belongs to: only its users "
        "read it and its link.",
    )
    nps_source = fields.Selection(
        selection=[
            ("project", "Installation complete"),
            ("service", "New service"),
            ("company_link", "Company link"),
            ("manual", "Manual"),
        ],
        string="Enrolled by",
        index="btree_not_null",
        help="How the customer's contact was enrolled in the onboarding course; "
        "empty for the course's own staff, who are not followed up.",
    )
    nps_access_token = fields.Char(
        string="Access token",
        copy=False,
        readonly=True,
        groups=TOKEN_GROUPS,
    )
    nps_access_expiry = fields.Datetime(
        string="Link valid until",
        readonly=True,
        groups=TOKEN_GROUPS,
        help="The personal link stops working after this date; sending it "
        "again (an invitation, a reminder) renews it.",
    )
    nps_access_revoked = fields.Boolean(
        string="Link revoked",
        readonly=True,
        groups=TOKEN_GROUPS,
        help="Revoked links answer that they no longer work; sending the "
        "link again gives a new one.",
    )
    nps_access_url = fields.Char(
        string="Personal access link",
        compute="_compute_nps_access_url",
        groups=TOKEN_GROUPS,
        help="Signs the learner in to this course, no password needed.",
    )
    nps_enrolled_date = fields.Datetime(
        string="Enrolled on", default=fields.Datetime.now, readonly=True, index=True
    )
    nps_last_progress_date = fields.Datetime(
        string="Last progress", default=fields.Datetime.now, readonly=True
    )
    nps_completed_date = fields.Datetime(string="Completed on", readonly=True)
    nps_stalled = fields.Boolean(
        string="Stalled",
        readonly=True,
        index=True,
        help="No progress for the course's number of days.",
    )
    nps_stalled_date = fields.Datetime(string="Stalled since", readonly=True)
    nps_reminder_count = fields.Integer(string="Reminders sent", readonly=True)
    nps_last_reminder_date = fields.Datetime(string="Last reminder", readonly=True)

    _unique_nps_access_token = models.Constraint(
        "UNIQUE(nps_access_token)", "An onboarding access link must be unique."
    )

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        onboarding = members.filtered("nps_onboarding")
        # customers added to an onboarding course by hand are followed up too
        onboarding.filtered(
            lambda m: not m.nps_source
            and not m.partner_id.with_context(active_test=False).user_ids.filtered(
                lambda u: not u.share
            )
        ).nps_source = "manual"
        for member in onboarding.filtered(lambda m: not m.nps_company_id):
            member.nps_company_id = (
                member.nps_commercial_partner_id.company_id or self.env.company
            )
        return members

    @api.depends(
        "partner_id.commercial_partner_id", "partner_id.nps_learner_customer_id"
    )
    def _compute_nps_commercial_partner_id(self):
        for member in self:
            partner = member.partner_id
            member.nps_commercial_partner_id = (
                partner.nps_learner_customer_id or partner.commercial_partner_id
            )

    @api.depends("nps_access_token", "channel_id")
    def _compute_nps_access_url(self):
        for member in self:
            if member.nps_access_token and member.channel_id:
                member.nps_access_url = (
                    f"{member.channel_id.get_base_url()}/onboarding/"
                    f"{member.channel_id.id}/{member.nps_access_token}"
                )
            else:
                member.nps_access_url = False

    # --- The personal link ---

    def _nps_issue_link(self):
        """Make each personal link valid for the company's number of days
        from now: a new token where there is none or it was revoked."""
        now = fields.Datetime.now()
        for member in self.sudo():
            company = member.nps_company_id or self.env.company
            values = {
                "nps_access_expiry": now
                + timedelta(days=company.nps_onboarding_link_days or 1)
            }
            if not member.nps_access_token or member.nps_access_revoked:
                values["nps_access_token"] = token_tools.new_token()
                values["nps_access_revoked"] = False
            member.write(values)

    def _nps_link_state(self):
        """``valid``, ``expired`` or ``revoked``."""
        self.ensure_one()
        member = self.sudo()
        if member.nps_access_revoked:
            return "revoked"
        if (
            not member.nps_access_expiry
            or member.nps_access_expiry < fields.Datetime.now()
        ):
            return "expired"
        return "valid"

    def _nps_mailable(self):
        """The memberships whose learner may get an onboarding email: an
        address, not on the blacklist, not unsubscribed, the link not
        revoked. The one rule of every onboarding email."""
        members = self.sudo().filtered(
            lambda m: m.partner_id.email_normalized
            and not m.partner_id.nps_onboarding_opt_out
            and not m.nps_access_revoked
        )
        blacklisted = self.env["nps.send.policy"]._nps_blacklisted_emails(
            members.partner_id
        )
        return members.filtered(
            lambda m: m.partner_id.email_normalized not in blacklisted
        )

    # --- Progress and completion ---

    def _recompute_completion(self):
        before = {member.id: member.completion for member in self}
        result = super()._recompute_completion()
        now = fields.Datetime.now()
        progressed = self.filtered(lambda m: m.completion != before[m.id])
        if progressed:
            progressed.write(
                {
                    "nps_last_progress_date": now,
                    "nps_stalled": False,
                    "nps_stalled_date": False,
                }
            )
        progressed.filtered(
            lambda m: m.member_status == "completed" and not m.nps_completed_date
        ).write({"nps_completed_date": now})
        return result

    def _post_completion_update_hook(self, completed=True):
        result = super()._post_completion_update_hook(completed=completed)
        if completed:
            self._nps_schedule_course_survey()
        return result

    def _nps_schedule_course_survey(self):
        """Record the satisfaction survey of these completed memberships,
        through the core's scheduling (trigger ``course_completed``); once per
        learner and course."""
        members = self.sudo().filtered(
            lambda m: m.nps_source
            and m.channel_id.nps_campaign_id.active
            and m.channel_id.nps_campaign_id.trigger == "course_completed"
        )
        requests = self.env["nps.request"].sudo()
        if not members:
            return requests
        done = {
            (request.slide_channel_id.id, request.partner_id.id)
            for request in requests.search(
                [
                    ("slide_channel_id", "in", members.channel_id.ids),
                    ("partner_id", "in", members.partner_id.ids),
                    ("state", "in", ("scheduled", "sent", "answered")),
                ]
            )
        }
        candidates = []
        for member in members:
            if (member.channel_id.id, member.partner_id.id) in done:
                continue
            campaign = member.channel_id.nps_campaign_id
            candidates.append(
                {
                    "campaigns": campaign,
                    "partner": member.partner_id,
                    "company": campaign.company_id or self.env.company,
                    "origin_date": fields.Datetime.now(),
                    "course": member.channel_id,
                }
            )
        requests = self.env["nps.schedule"].sudo()._nps_schedule(candidates)
        # every candidate has its campaign, so one request each, in order
        for request, candidate in zip(requests, candidates, strict=False):
            if request.partner_id == candidate["partner"]:
                request.slide_channel_id = candidate["course"]
        return requests

    # --- Stalled learners and reminders ---

    @api.model
    def _cron_nps_onboarding_followup(self):
        """Flag the learners without progress for their course's number of
        days, give their account managers an activity, and remind them (at
        most the course's number of reminders)."""
        stalled = self._nps_detect_stalled()
        stalled._nps_notify_account_managers()
        self._nps_due_reminders()._nps_send_reminder()

    @api.model
    def _nps_onboarding_domain(self):
        return [
            ("nps_onboarding", "=", True),
            ("nps_source", "!=", False),
            ("member_status", "in", ("joined", "ongoing")),
            ("channel_id.active", "=", True),
        ]

    @api.model
    def _nps_detect_stalled(self):
        """Flag and return the newly stalled memberships."""
        now = fields.Datetime.now()
        members = self.sudo()
        courses = (
            self.env["slide.channel"].sudo().search([("nps_onboarding", "=", True)])
        )
        for course in courses:
            members |= self.sudo().search(
                self._nps_onboarding_domain()
                + [
                    ("channel_id", "=", course.id),
                    ("nps_stalled", "=", False),
                    (
                        "nps_last_progress_date",
                        "<",
                        now - timedelta(days=course.nps_stall_days),
                    ),
                ]
            )
        members.write({"nps_stalled": True, "nps_stalled_date": now})
        return members

    def _nps_notify_account_managers(self):
        """One activity per customer company for its account manager (else
        the course's responsible), unless one is still open."""
        activity_type = self.env.ref(
            "nps_elearning.mail_activity_type_onboarding_stalled",
            raise_if_not_found=False,
        )
        if not self or not activity_type:
            return self.env["mail.activity"]
        customers = self.nps_commercial_partner_id
        open_for = {
            activity.res_id
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", customers.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        }
        vals_list = []
        model_id = self.env["ir.model"]._get_id("res.partner")
        for customer, members in self.grouped("nps_commercial_partner_id").items():
            if customer.id in open_for:
                continue
            # the customer's account manager (of its satisfaction data)
            user = customer.nps_account_manager_id or members.channel_id.user_id[:1]
            if not user:
                continue
            names = ", ".join(
                f"{member.partner_id.name} ({member.channel_id.name})"
                for member in members
            )
            names = html_escape(names)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": customer.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": self.env._("Onboarding stalled"),
                    "note": self.env._(
                        "No progress in onboarding for: %(learners)s",
                        learners=names,
                    ),
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        return self.env["mail.activity"].sudo().create(vals_list)

    @api.model
    def _nps_due_reminders(self):
        """Stalled learners who may get a reminder now: fewer reminders than
        the course allows, the last one older than its stall period."""
        now = fields.Datetime.now()
        candidates = self.sudo().search(
            self._nps_onboarding_domain() + [("nps_stalled", "=", True)]
        )
        return candidates._nps_mailable().filtered(
            lambda m: m.nps_reminder_count < m.channel_id.nps_max_reminders
            and (
                not m.nps_last_reminder_date
                or m.nps_last_reminder_date
                <= now - timedelta(days=m.channel_id.nps_stall_days)
            )
        )

    def _nps_send_reminder(self):
        template = self.env.ref(
            "nps_elearning.mail_template_onboarding_reminder", raise_if_not_found=False
        )
        if not self or not template:
            return self.env["mail.mail"]
        self._nps_issue_link()
        mails = template.sudo().send_mail_batch(self.ids)
        self._nps_trigger_mail_queue(mails)
        now = fields.Datetime.now()
        for member in self.sudo():
            member.write(
                {
                    "nps_reminder_count": member.nps_reminder_count + 1,
                    "nps_last_reminder_date": now,
                }
            )
        return mails

    def _nps_send_invitation(self):
        template = self.env.ref(
            "nps_elearning.mail_template_onboarding_invitation",
            raise_if_not_found=False,
        )
        members = self._nps_mailable()
        if not members or not template:
            return self.env["mail.mail"]
        members._nps_issue_link()
        mails = template.sudo().send_mail_batch(members.ids)
        self._nps_trigger_mail_queue(mails)
        return mails

    def _nps_trigger_mail_queue(self, mails):
        """Have the mail queue send these now rather than at its next hourly
        run."""
        if mails:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    # --- Actions ---

    def _nps_check_link_rights(self):
        """Who manages the learners' links: eLearning officers and
        satisfaction users, on the enrolments they read."""
        self.env["res.partner"]._nps_check_onboarding_rights()
        self.check_access("read")

    def action_nps_send_invitation(self):
        """Send the personal link again (a new one when it was revoked)."""
        self._nps_check_link_rights()
        self.sudo()._nps_issue_link()
        self._nps_send_invitation()
        return True

    def action_nps_revoke_link(self):
        """The personal link stops working at once."""
        self._nps_check_link_rights()
        self.sudo().write({"nps_access_revoked": True})
        return True
