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

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        """When the mail server could not be reached, Odoo marks the mails
        ``exception`` and records the cause (``mail_smtp``) on their
        notifications only; the survey mails have none. Record it on them, so
        that the dispatch cron can queue them again once the server is back
        (``nps.dispatch._nps_requeue_failed_mails``)."""
        if failure_type == "mail_smtp":
            self.filtered(
                lambda mail: mail.model == "nps.request"
                and mail.state == "exception"
                and not mail.failure_type
            ).write({"failure_type": "mail_smtp"})
        return super()._postprocess_sent_message(
            success_pids,
            success_emails,
            failure_reason=failure_reason,
            failure_type=failure_type,
        )
