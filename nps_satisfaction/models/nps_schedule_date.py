import logging

import psycopg2

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import mute_logger

from ..tools import send_tools
from .nps_campaign_date import DATE_CATCH_UP_DAYS

_logger = logging.getLogger(__name__)


class NpsSchedule(models.AbstractModel):
    """The surveys of date-triggered campaigns: the customers whose date
    (with the campaign's days before or after it) falls today, each date
    once."""

    _inherit = "nps.schedule"

    @api.model
    def _nps_date_due(self, campaign, today):
        """``{customer id: its date}``: the customers (active commercial
        entities matching the campaign's filter, as periodic campaigns have)
        whose date gives a survey day within the catch-up days up to
        ``today``, and who have no survey of this campaign for that date.
        A date that changes is a new date: surveyed again on its own day."""
        campaign.ensure_one()
        if not campaign._nps_date_field_exists():
            return {}
        fname = campaign.date_field
        first, last = send_tools.date_trigger_due(
            today, campaign._nps_date_offset(), DATE_CATCH_UP_DAYS
        )
        customers = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_fetch(
                Domain.AND(
                    [
                        self._nps_periodic_targets(campaign),
                        Domain(fname, ">=", first),
                        Domain(fname, "<=", last),
                    ]
                ),
                [fname],
            )
        )
        if not customers:
            return {}
        done = {
            (request.commercial_partner_id.id, request.trigger_date)
            for request in self.env["nps.request"]
            .sudo()
            .search_fetch(
                [
                    ("campaign_id", "=", campaign.id),
                    ("commercial_partner_id", "in", customers.ids),
                    ("trigger_date", ">=", first),
                    ("trigger_date", "<=", last),
                ],
                ["commercial_partner_id", "trigger_date"],
            )
        }
        return {
            customer.id: customer[fname]
            for customer in customers
            if (customer.id, customer[fname]) not in done
        }

    @api.model
    def _nps_schedule_dated(self, campaign, today=None, now=None):
        """Schedule today's surveys of a date-triggered campaign; the usual
        rules (quiet period, opt-outs...) then apply to each."""
        campaign.ensure_one()
        today = today or fields.Date.context_today(campaign)
        return self._nps_schedule_date_due(
            campaign, self._nps_date_due(campaign, today), now=now
        )

    @api.model
    def _nps_schedule_date_due(self, campaign, due, now=None):
        """A request, for its date, to each customer of ``due`` (``{customer
        id: date}``), recipients chosen as for periodic campaigns. Each date
        once: the requests' key (campaign, recipient, date) stops a run that
        picked the same customers as another run at the same time; it then
        schedules nothing, and any customer left out is caught up by the
        next run."""
        campaign.ensure_one()
        Request = self.env["nps.request"]
        if not due:
            return Request
        customers = self.env["res.partner"].browse(list(due))
        candidates = self._nps_customer_candidates(
            campaign, customers, now or fields.Datetime.now()
        )
        for candidate in candidates:
            commercial = candidate["partner"].commercial_partner_id
            candidate["extra_values"] = {
                **candidate.get("extra_values", {}),
                "trigger_date": due[commercial.id],
            }
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                requests = self.sudo()._nps_schedule(candidates)
                requests.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            _logger.info(
                "Campaign %s: its surveys of the customers' dates were "
                "scheduled by another run at the same time",
                campaign.id,
            )
            return Request
        return requests
