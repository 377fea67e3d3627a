from odoo import api, fields, models
from odoo.exceptions import UserError


class NpsFollowupClose(models.TransientModel):
    """Close a follow-up case: the root cause, the action taken and the
    outcome are asked, the case's follow-up activity is marked done with them
    as feedback, and after a detractor the campaign's follow-up survey is
    scheduled."""

    _name = "nps.followup.close"
    _description = "Close a satisfaction follow-up"

    followup_id = fields.Many2one(
        comodel_name="nps.followup", required=True, ondelete="cascade"
    )
    root_cause_id = fields.Many2one(
        comodel_name="nps.reason", string="Root cause", required=True
    )
    outcome = fields.Selection(
        selection=lambda self: self.env["nps.followup"]
        ._fields["outcome"]
        ._description_selection(self.env),
        required=True,
    )
    note = fields.Text(string="Action taken")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        case = self.env["nps.followup"].browse(values.get("followup_id"))
        if case and "root_cause_id" in fields_list:
            reasons = case.root_cause_id or case.request_id.reason_ids[:1]
            if reasons:
                values.setdefault("root_cause_id", reasons.id)
        if case and case.action_taken and "note" in fields_list:
            values.setdefault("note", case.action_taken)
        return values

    def action_close(self):
        self.ensure_one()
        case = self.followup_id
        if case.state not in ("open", "in_progress"):
            raise UserError(self.env._("This follow-up is not open."))
        case.write(
            {
                "root_cause_id": self.root_cause_id.id,
                "outcome": self.outcome,
                "action_taken": self.note or case.action_taken,
            }
        )
        outcome = dict(self._fields["outcome"]._description_selection(self.env))[
            self.outcome
        ]
        feedback = self.env._(
            "Root cause: %(cause)s. Outcome: %(outcome)s. %(note)s",
            cause=self.root_cause_id.name,
            outcome=outcome,
            note=self.note or "",
        )
        closing_types = case._nps_closing_activity_types()
        closing = case.activity_ids.filtered(
            lambda a: a.activity_type_id in closing_types
        )
        if closing:
            # the close wizard alone closes the case (see mail.activity)
            closing.with_context(nps_followup_close=True).action_feedback(
                feedback=feedback
            )
        if case.state in ("open", "in_progress"):
            # no follow-up activity left (removed by hand): close it all the same
            case.message_post(body=feedback, subtype_xmlid="mail.mt_note")
            case._nps_activity_done(feedback=feedback)
        return {"type": "ir.actions.act_window_close"}
