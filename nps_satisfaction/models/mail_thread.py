from odoo import api, models
from odoo.tools import html2plaintext

from ..tools import bounce_tools


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _routing_handle_bounce(self, email_message, message_dict):
        """A survey mail that bounced for good is marked failed
        (``exception``, ``mail_bounce``) with the bounce's text: Odoo records
        a bounce on the mail's notifications only, and a survey mail has
        none. The dispatch then closes its survey as undeliverable
        (``nps.dispatch._nps_close_undeliverable``). A notice of a delay
        leaves the mail as it is."""
        result = super()._routing_handle_bounce(email_message, message_dict)
        message = message_dict.get("bounced_message")
        if (
            not message
            or message.model != "nps.request"
            or not bounce_tools.is_permanent_bounce(email_message)
        ):
            return result
        mails_sudo = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "in", message.ids), ("state", "=", "sent")])
        )
        mails_sudo.write(
            {
                "state": "exception",
                "failure_type": "mail_bounce",
                "failure_reason": html2plaintext(message_dict.get("body") or "")
                or False,
            }
        )
        return result
