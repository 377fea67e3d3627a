from odoo import api, fields, models
from odoo.exceptions import UserError


class NpsFollowupClose(models.TransientModel):
    """Close a detractor's follow-up: the root cause and the outcome are
    asked, the follow-up activity is marked done with them as feedback, and
    the campaign's follow-up survey is scheduled."""

    _name = "nps.followup.close"
    _description = "Close a satisfaction follow-up"

    request_id = fields.Many2one(
        comodel_name="nps.request", required=True, ondelete="cascade"
    )
    root_cause_id = fields.Many2one(
        comodel_name="nps.reason", string="Root cause", required=True
    )
    outcome = fields.Selection(
        selection=lambda self: self.env["nps.request"]
        ._fields["followup_outcome"]
        ._description_selection(self.env),
        required=True,
    )
    note = fields.Text(string="What was done")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        request = self.env["nps.request"].browse(values.get("request_id"))
        if request and request.reason_ids and "root_cause_id" in fields_list:
            values.setdefault("root_cause_id", request.reason_ids[:1].id)
        return values

    def action_close(self):
        self.ensure_one()
        request = self.request_id
        if request.followup_state != "open":
            raise UserError(self.env._("This follow-up is not open."))
        request.write(
            {
                "followup_root_cause_id": self.root_cause_id.id,
                "followup_outcome": self.outcome,
                "followup_note": self.note,
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
        activity = request.activity_id.sudo()
        if activity and activity.active:
            activity.action_feedback(feedback=feedback)
        else:
            request._nps_followup_done(feedback=feedback)
        return {"type": "ir.actions.act_window_close"}
