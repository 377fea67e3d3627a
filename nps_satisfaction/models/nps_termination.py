from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

NOTICE = "notice"
WITHDRAWN = "withdrawn"
DONE = "done"
STATE_SELECTION = [
    (NOTICE, "Notice given"),
    (WITHDRAWN, "Withdrawn (stayed)"),
    (DONE, "Left"),
]


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
    note = fields.Html()
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
    def _check_end_date(self):
        for termination in self:
            if termination.end_date and termination.end_date < termination.notice_date:
                raise ValidationError(
                    self.env._(
                        "The end date (%(end)s) of %(customer)s's termination "
                        "comes before its notice date (%(notice)s): the "
                        "contract ends on or after the day the notice is given.",
                        end=format_date(self.env, termination.end_date),
                        customer=termination.partner_id.display_name,
                        notice=format_date(self.env, termination.notice_date),
                    )
                )

    # --- Creation and changes ---

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._prepare_values(vals) for vals in vals_list])

    def write(self, vals):
        vals = self._prepare_values(vals)
        result = super().write(vals)
        if {"partner_id", "company_id"} & set(vals) and not self.env.su:
            # the rules are checked before a write: the customer and the
            # company it now names must be ones the user may record
            # terminations of too
            self.check_access("write")
        return result

    @api.model
    def _prepare_values(self, vals):
        """The values to store: a contact stands for his customer (the
        commercial partner), and the account manager always follows the
        customer's (it decides who reads the termination)."""
        vals = {key: value for key, value in vals.items() if key != "user_id"}
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"]).sudo()
            vals["partner_id"] = partner.commercial_partner_id.id
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
            termination.end_date = max(today, termination.notice_date)
        leaving._set_state(DONE)

    def action_reset_notice(self):
        """Back to the notice (a button pressed by mistake)."""
        self.filtered(lambda t: t.state != NOTICE)._set_state(NOTICE)

    def action_view_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_followup"
        )
        action["domain"] = [("commercial_partner_id", "=", self.partner_id.id)]
        action["context"] = {}
        return action
