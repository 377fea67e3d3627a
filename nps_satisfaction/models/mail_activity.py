from odoo import Command, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A follow-up of a detractor's answer marked done settles that
        customer's follow-up (see ``nps.request._nps_followup_done``).
        The message that records it quotes the answer: it is kept with the
        answer's messages, whose text goes when the comment is removed."""
        requests_sudo = (
            self.env["nps.request"].sudo().search([("activity_id", "in", self.ids)])
        )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if requests_sudo:
            messages = result[0]
            for request in requests_sudo:
                document = request._nps_document() or request.commercial_partner_id
                done = messages.filtered(
                    lambda m, d=document: m.model == d._name and m.res_id == d.id
                )
                if done:
                    request.nps_message_ids = [Command.link(m.id) for m in done]
            requests_sudo._nps_followup_done(feedback=feedback)
        return result
