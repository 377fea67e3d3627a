from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "nps.survey.mixin"]
    _nps_request_field = "ticket_id"
    _nps_trigger = "ticket_closed"
    _nps_done_flag = "closed"

    nps_skip_survey = fields.Boolean(
        string="Skip satisfaction survey",
        copy=False,
        help="The agent chose not to survey the customer for this ticket.",
    )
    # stored to be tracked as the form shows it: the chatter says "Send
    # satisfaction survey: Yes -> No" where the agent unticked that toggle
    nps_send_survey = fields.Boolean(
        string="Send satisfaction survey",
        compute="_compute_nps_send_survey",
        inverse="_inverse_nps_send_survey",
        store=True,
        tracking=True,
        help="Untick to close this ticket without a satisfaction survey "
        "(a reason is required; opt-outs are reported per agent).",
    )
    nps_skip_reason = fields.Char(
        string="Reason for no survey",
        tracking=True,
        copy=False,
    )
    nps_reopen_count = fields.Integer(
        string="Reopened",
        readonly=True,
        copy=False,
        help="How many times the ticket went from a closed stage back to an open one.",
    )
    nps_last_reopen_date = fields.Datetime(
        string="Last reopened on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the ticket last went from a closed stage back to an open "
        "one: the customer's risk score counts the tickets reopened in the "
        "last 90 days.",
    )
    nps_request_ids = fields.One2many(
        comodel_name="nps.request",
        inverse_name="ticket_id",
        string="Satisfaction surveys",
    )

    @api.depends("nps_skip_survey")
    def _compute_nps_send_survey(self):
        for ticket in self:
            ticket.nps_send_survey = not ticket.nps_skip_survey

    def _inverse_nps_send_survey(self):
        for ticket in self:
            ticket.nps_skip_survey = not ticket.nps_send_survey

    @api.constrains("nps_skip_survey", "nps_skip_reason")
    def _check_nps_skip_reason(self):
        for ticket in self:
            if ticket.nps_skip_survey and not (ticket.nps_skip_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: give a reason for not sending the "
                        "satisfaction survey.",
                        ticket=ticket.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        # a ticket created in a closed stage (recorded after the fact, or
        # imported) is surveyed like one closed later
        tickets.filtered("stage_id.closed")._nps_schedule_survey()
        return tickets

    def _nps_stage_left(self):
        """A closed ticket reopened: counted, dated, and its customer's risk
        score follows."""
        result = super()._nps_stage_left()
        now = fields.Datetime.now()
        for ticket in self.sudo():
            ticket.write(
                {
                    "nps_reopen_count": ticket.nps_reopen_count + 1,
                    "nps_last_reopen_date": now,
                }
            )
        self.sudo().commercial_partner_id._nps_refresh_risk()
        return result

    def _nps_prepare_candidate(self, campaigns):
        self.ensure_one()
        return {
            "campaigns": campaigns,
            "partner": self.partner_id,
            "ticket": self,
            "company": self.company_id,
            "origin_date": self.closed_date,
            "agent_opt_out": self.nps_skip_survey,
            "agent_note": self.nps_skip_reason,
        }
