from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext
from odoo.tools.misc import format_date

from ..tools import text_tools

NOTICE = "notice"
WITHDRAWN = "withdrawn"
DONE = "done"
STATE_SELECTION = [
    (NOTICE, "Notice given"),
    (WITHDRAWN, "Withdrawn (stayed)"),
    (DONE, "Left"),
]
#: the dates a termination takes: from 1970 to ten years from today (a
#: date outside is a typing error, 0001-01-01 or 9999-12-31)
DATE_MIN = date(1970, 1, 1)
DATE_YEARS_AHEAD = 10
#: the longest note: as a customer's comment (its text), and four times as
#: much with its formatting
NOTE_MAX_TEXT = text_tools.MAX_TEXT
NOTE_MAX_HTML = 4 * NOTE_MAX_TEXT


class NpsTermination(models.Model):
    """A customer's termination notice: when he gave it, when his contract
    ends, why, which services he gives up, and whether he stayed after all
    (withdrawn) or left (done). Recorded from the customer's form by his
    account manager or the satisfaction team, imported from the billing
    system or created over the external API; the churn figures read it. It
    opens nothing by itself: it shows on the customer's form and on his
    follow-up cases."""

    _name = "nps.termination"
    _description = "Termination notice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "notice_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The customer who gave notice: a company or an individual "
        "customer (a contact of a company stands for his company).",
    )
    notice_date = fields.Date(
        string="Notice date",
        required=True,
        index=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The day the customer gave notice.",
    )
    end_date = fields.Date(
        string="End date",
        tracking=True,
        help="The last day of the customer's contract.",
    )
    end_date_on_leaving = fields.Boolean(
        string="End date set on leaving",
        readonly=True,
        copy=False,
        help="The end date is the day the customer was marked as left (set "
        "by Left, no end date being set): Back to notice clears it. An end "
        "date set by hand stays.",
    )
    reason_id = fields.Many2one(
        comodel_name="nps.termination.reason",
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    service_type_ids = fields.Many2many(
        comodel_name="nps.service.type",
        relation="nps_termination_service_type_rel",
        column1="termination_id",
        column2="service_type_id",
        string="Services lost",
        compute="_compute_service_type_ids",
        store=True,
        readonly=False,
        help="The services the customer gives up: his services by default.",
    )
    note = fields.Html(
        help="At most 5000 characters (its text); control characters are removed."
    )
    state = fields.Selection(
        selection=STATE_SELECTION,
        string="Status",
        required=True,
        default=NOTICE,
        index=True,
        tracking=True,
        group_expand=True,
        help="Notice given: the customer is leaving; withdrawn: he stayed "
        "(counted as saved); left: he is gone.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        related="partner_id.nps_account_manager_id",
        string="Account manager",
        store=True,
        index=True,
        help="The customer's account manager (satisfaction): he reads and "
        "records the terminations of the customers he manages.",
    )
    followup_ids = fields.Many2many(
        comodel_name="nps.followup",
        string="Follow-up cases",
        compute="_compute_followup_ids",
        help="The customer's follow-up cases, the newest first.",
    )

    @api.depends("partner_id")
    def _compute_service_type_ids(self):
        for termination in self:
            termination.service_type_ids = (
                termination.partner_id.sudo().nps_service_type_ids
            )

    @api.depends("partner_id", "notice_date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for termination in self:
            termination.display_name = self.env._(
                "%(customer)s — notice of %(date)s",
                customer=termination.partner_id.display_name or "",
                date=format_date(self.env, termination.notice_date),
            )

    @api.depends("partner_id")
    @api.depends_context("uid")
    def _compute_followup_ids(self):
        """The customer's cases the user may read."""
        cases = self.env["nps.followup"].search(
            [("commercial_partner_id", "in", self.partner_id.ids)],
            order="create_date desc, id desc",
        )
        for termination in self:
            termination.followup_ids = cases.filtered(
                lambda c, t=termination: c.commercial_partner_id == t.partner_id
            )

    @api.constrains("notice_date", "end_date")
    def _check_dates(self):
        for termination in self:
            for name in ("notice_date", "end_date"):
                problem = termination._nps_date_problem(termination[name])
                if problem:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: %(problem)s",
                            field=termination._fields[name]._description_string(
                                self.env
                            ),
                            problem=problem,
                        )
                    )
            problem = termination._nps_end_date_problem()
            if problem:
                raise ValidationError(problem)

    @api.model
    def _nps_date_window(self):
        """``(first, last)``: the dates a termination takes."""
        today = fields.Date.context_today(self)
        return DATE_MIN, today + relativedelta(years=DATE_YEARS_AHEAD)

    @api.model
    def _nps_date_problem(self, day):
        """Why ``day`` cannot be a termination's date, or None."""
        first, last = self._nps_date_window()
        if not day or first <= day <= last:
            return None
        return self.env._(
            "%(date)s is out of range; a termination's dates go from %(first)s "
            "to %(last)s (ten years from today).",
            date=format_date(self.env, day),
            first=format_date(self.env, first),
            last=format_date(self.env, last),
        )

    def _nps_end_date_problem(self):
        """Why this termination's end date cannot be, or None."""
        self.ensure_one()
        if not (self.end_date and self.end_date < self.notice_date):
            return None
        return self.env._(
            "The end date (%(end)s) of %(customer)s's termination "
            "comes before its notice date (%(notice)s): the "
            "contract ends on or after the day the notice is given.",
            end=format_date(self.env, self.end_date),
            customer=self.partner_id.display_name,
            notice=format_date(self.env, self.notice_date),
        )

    def _check_one_open_notice(self):
        """One open notice per customer (a contact's is his company's) and
        company: a second is a notice recorded twice. Checked after the
        access rules (``create``, ``write``), so that the message tells of
        another's notice only a user who may record this one."""
        for termination in self.filtered(lambda t: t.state == NOTICE):
            other = self._nps_open_notice(
                termination.partner_id, termination.company_id, termination
            )
            if other:
                raise ValidationError(other._nps_open_notice_message())

    @api.model
    def _nps_open_notice(self, partner, company, exclude=None, readable=False):
        """The open notice of ``partner`` (a customer) in ``company``, other
        than ``exclude``: whoever may read it, or, ``readable``, one the
        user may read."""
        domain = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", company.id),
            ("state", "=", NOTICE),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        model = self if readable else self.sudo()
        return model.search(domain, order="notice_date, id", limit=1)

    def _nps_open_notice_message(self):
        return self.env._(
            "%(customer)s already has an open notice, given on %(date)s: "
            "withdraw it or mark it left before recording another (one open "
            "notice per customer).",
            customer=self.partner_id.display_name,
            date=format_date(self.env, self.notice_date),
        )

    @api.constrains("note")
    def _check_note(self):
        for termination in self.filtered("note"):
            note = str(termination.note)
            if len(note) > NOTE_MAX_HTML or len(html2plaintext(note)) > NOTE_MAX_TEXT:
                raise ValidationError(
                    self.env._(
                        "The note of %(customer)s's termination is too long: "
                        "at most %(max)s characters.",
                        customer=termination.partner_id.display_name,
                        max=NOTE_MAX_TEXT,
                    )
                )

    # --- Creation and changes ---

    @api.model_create_multi
    def create(self, vals_list):
        terminations = super().create(
            [self._prepare_values(vals) for vals in vals_list]
        )
        terminations._check_one_open_notice()
        return terminations

    def write(self, vals):
        vals = self._prepare_values(vals)
        result = super().write(vals)
        if {"partner_id", "company_id"} & set(vals) and not self.env.su:
            # the rules are checked before a write: the customer and the
            # company it now names must be ones the user may record
            # terminations of too
            self.check_access("write")
        if {"partner_id", "company_id", "state"} & set(vals):
            self._check_one_open_notice()
        return result

    @api.model
    def _prepare_values(self, vals):
        """The values to store: a contact stands for his customer (the
        commercial partner), the account manager always follows the
        customer's (it decides who reads the termination), the note without
        control characters, and an end date set by hand is no longer the
        day the customer was marked as left."""
        vals = {key: value for key, value in vals.items() if key != "user_id"}
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"]).sudo()
            vals["partner_id"] = partner.commercial_partner_id.id
        if isinstance(vals.get("note"), str):
            vals["note"] = text_tools.plain_text(vals["note"])
        if "end_date" in vals:
            vals.setdefault("end_date_on_leaving", False)
        return vals

    # --- Actions ---

    def _set_state(self, state):
        self.write({"state": state})

    def action_withdraw(self):
        """The customer stayed: his notice is withdrawn (saved)."""
        self.filtered(lambda t: t.state == NOTICE)._set_state(WITHDRAWN)

    def action_done(self):
        """The customer left; his contract ends today (or on his notice
        date, when it is later) unless an end date is set."""
        leaving = self.filtered(lambda t: t.state == NOTICE)
        today = fields.Date.context_today(self)
        for termination in leaving.filtered(lambda t: not t.end_date):
            termination.write(
                {
                    "end_date": max(today, termination.notice_date),
                    "end_date_on_leaving": True,
                }
            )
        leaving._set_state(DONE)

    def action_reset_notice(self):
        """Back to the notice (a button pressed by mistake): the customer
        has not left, so an end date that only said when he was marked as
        left is cleared; a planned end date stays."""
        resetting = self.filtered(lambda t: t.state != NOTICE)
        resetting.filtered("end_date_on_leaving").write({"end_date": False})
        resetting._set_state(NOTICE)

    def action_view_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_followup"
        )
        action["domain"] = [("commercial_partner_id", "=", self.partner_id.id)]
        action["context"] = {}
        return action
