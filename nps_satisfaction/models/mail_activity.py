from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A follow-up of a detractor's answer marked done settles that
        customer's follow-up (see ``nps.request._nps_followup_done``)."""
        requests_sudo = (
            self.env["nps.request"].sudo().search([("activity_id", "in", self.ids)])
        )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if requests_sudo:
            requests_sudo._nps_followup_done(feedback=feedback)
        return result
