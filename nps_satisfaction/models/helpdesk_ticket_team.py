from odoo import models


class HelpdeskTicketTeam(models.Model):
    _name = "helpdesk.ticket.team"
    _inherit = ["helpdesk.ticket.team", "nps.drop.alert.mixin"]

    def _nps_drop_alert_recipient(self):
        """The team leader."""
        return self.user_id
