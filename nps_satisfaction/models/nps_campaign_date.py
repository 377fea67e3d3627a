from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

#: how many days back the daily job catches up survey days it missed (a
#: server down over a weekend); an older date is never surveyed
DATE_CATCH_UP_DAYS = 3


class NpsCampaign(models.Model):
    """Campaigns triggered by a date on the customer: its contract start,
    go-live or renewal (any stored date of the customer's company), a number
    of days before or after it, once per date. The daily job
    (``_cron_date_trigger``) picks the customers (``nps.schedule``); the
    send policy decides for each, as for any other survey."""

    # split by what things are (STYLE.md): one file per concern of the campaign
    _inherit = "nps.campaign"  # pylint: disable=consider-merging-classes-inherited

    trigger = fields.Selection(
        selection_add=[("date", "Date on the customer"), ("followup",)],
        ondelete={"date": "cascade"},
    )
    date_field = fields.Selection(
        selection="_selection_date_field",
        string="Customer's date",
        help="The date on the customer's company the survey counts from, e.g. "
        "its go-live or its contract renewal.",
    )
    date_offset_days = fields.Integer(
        string="Days from the date",
        default=0,
        help="How many days before or after the customer's date the survey "
        "goes; 0 on the day itself.",
    )
    date_offset_direction = fields.Selection(
        selection=[("before", "before"), ("after", "after")],
        string="Before or after",
        default="after",
        required=True,
    )

    @api.model
    def _selection_date_field(self):
        """The stored dates of a customer: those of this addon, the renewal
        of ``nps_campaigns`` when installed, and any other."""
        fields_by_name = self.env["res.partner"]._fields
        return sorted(
            (
                (name, field._description_string(self.env))
                for name, field in fields_by_name.items()
                if field.type == "date" and field.store
            ),
            key=lambda item: item[1],
        )

    @api.constrains("date_offset_days")
    def _check_date_offset_days(self):
        if any(campaign.date_offset_days < 0 for campaign in self):
            raise ValidationError(
                self.env._(
                    "Count the days before the customer's date with 'before', "
                    "not with a negative number."
                )
            )

    @api.constrains("trigger", "date_field")
    def _check_date_trigger_ready(self):
        self._check_ready_to_go_live()

    def _nps_readiness_problems(self):
        problems = super()._nps_readiness_problems()
        if self.trigger != "date":
            return problems
        if not self.date_field:
            problems.append(
                self.env._(
                    "The campaign is triggered by a date on the customer: "
                    "choose which date (e.g. the go-live)."
                )
            )
        elif not self._nps_date_field_exists():
            problems.append(
                self.env._(
                    "The customer's date %(field)s no longer exists: choose "
                    "another one.",
                    field=self.date_field,
                )
            )
        return problems

    # --- Days ---

    def _nps_date_field_exists(self):
        self.ensure_one()
        field = self.env["res.partner"]._fields.get(self.date_field or "")
        return bool(field and field.type == "date" and field.store)

    def _nps_date_offset(self):
        """The days from the customer's date to the survey day: negative
        before the date."""
        self.ensure_one()
        days = self.date_offset_days
        return -days if self.date_offset_direction == "before" else days

    def _nps_customer_date(self, partner):
        """The date of ``partner``'s customer (its commercial entity) this
        campaign counts from; False for another trigger, or without one."""
        self.ensure_one()
        if self.trigger != "date" or not self._nps_date_field_exists():
            return False
        return partner.commercial_partner_id.sudo()[self.date_field]

    def _nps_date_note(self, partner):
        """When this campaign surveys the customer of ``partner``, in a
        sentence for the preview; False for another trigger."""
        self.ensure_one()
        if self.trigger != "date" or not self._nps_date_field_exists():
            return False
        commercial = partner.commercial_partner_id
        label = (
            self.env["res.partner"]
            ._fields[self.date_field]
            ._description_string(self.env)
        )
        date = self._nps_customer_date(partner)
        if not date:
            return self.env._(
                "%(customer)s has no %(date)s: this campaign does not survey it.",
                customer=commercial.display_name,
                date=label,
            )
        return self.env._(
            "%(date)s of %(customer)s: %(value)s; this campaign surveys it on %(day)s.",
            date=label,
            customer=commercial.display_name,
            value=format_date(self.env, date),
            day=format_date(self.env, date + timedelta(days=self._nps_date_offset())),
        )

    # --- Job ---

    @api.model
    def _cron_date_trigger(self, today=None):
        """Schedule the surveys of the customers whose date, with each
        date-triggered campaign's days before or after it, falls today (or
        fell on a day missed, within the catch-up days)."""
        campaigns = self.search([("trigger", "=", "date"), ("date_field", "!=", False)])
        requests = self.env["nps.request"]
        for campaign in campaigns:
            requests |= self.env["nps.schedule"]._nps_schedule_dated(
                campaign, today=today
            )
        return requests
