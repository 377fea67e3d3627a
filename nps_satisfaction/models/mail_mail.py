from odoo import fields, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    # a survey mail the customer's mail server sent back for good: recorded
    # by the bounce handling (mail_thread.py), as Odoo's notifications and
    # mailing traces record it
    failure_type = fields.Selection(
        selection_add=[("mail_bounce", "Bounced")],
        ondelete={"mail_bounce": "set null"},
    )
