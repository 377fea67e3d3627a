from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A follow-up activity of a satisfaction case marked done closes
        the case (see ``nps.followup._nps_activity_done``). The message that
        records it quotes the answer: it is kept with the answer's messages,
        whose text goes when the comment is removed."""
        closing_types = self.env["nps.followup"]._nps_closing_activity_types()
        closing = self.filtered(
            lambda a: a.res_model == "nps.followup"
            and a.activity_type_id in closing_types
        )
        cases_sudo = self.env["nps.followup"].sudo().browse(closing.mapped("res_id"))
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if cases_sudo:
            cases_sudo.exists()._nps_activity_done(
                feedback=feedback, messages=result[0]
            )
        return result
