from odoo import api, fields, models
from odoo.tools import SQL


class NpsDispatch(models.AbstractModel):
    """Reminders and expiry: the sent surveys' customers reminded as the
    send policy allows when each reminder goes, and the surveys never
    answered expired (their silent customers get a follow-up case, when
    the campaign flags them). The reminders' job of ``nps.dispatch``
    (``_cron_remind``), beside the dispatch of the due surveys
    (``nps_dispatch.py``), whose mails and SMS it queues the same way."""

    # split by what things are (STYLE.md): nps_dispatch.py sends the surveys
    _inherit = "nps.dispatch"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_remind(self):
        """Remind non-respondents, then expire what was never answered; no
        reminder for a survey whose mail failed for good."""
        now = fields.Datetime.now()
        self._nps_close_undeliverable()
        self._nps_expire(now)
        reminders = self._nps_due_reminders(now)
        if reminders:
            self._nps_send_reminders(reminders, now)

    @api.model
    def _nps_expire(self, now):
        """Expire the sent requests older than their campaign's expiry."""
        expired = self._nps_sent_requests(
            SQL(
                """r.sent_date + make_interval(
                       days => COALESCE(NULLIF(c.expiry_days, 0), 365)) <= %s""",
                now,
            )
        )
        expired._nps_mark_expired()
        self._nps_flag_silence(expired.filtered("campaign_id.flag_non_respondents"))
        return expired

    @api.model
    def _nps_flag_silence(self, requests):
        """The customers of these expired surveys never answered, reminders
        included: a follow-up case for their account manager."""
        Followup = self.env["nps.followup"]
        for request in requests:
            Followup._nps_open(request, "silence")

    @api.model
    def _nps_due_reminders(self, now):
        """Sent requests whose campaign wants a reminder now."""
        return self._nps_sent_requests(
            SQL(
                """r.reminder_stop_reason IS NULL
                   AND COALESCE(r.reminder_count, 0) < c.max_reminders
                   AND COALESCE(r.last_reminder_date, r.sent_date)
                       + make_interval(days => c.reminder_delay_days) <= %s""",
                now,
            )
        )

    @api.model
    def _nps_sent_requests(self, condition):
        """The sent requests meeting ``condition``, an SQL condition on the
        request (``r``) and its campaign (``c``): the ones due for a
        reminder, the ones to expire."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id FROM nps_request r
                  JOIN nps_campaign c ON c.id = r.campaign_id
                 WHERE r.state = 'sent' AND %s
                """,
                condition,
            )
        )
        return self.env["nps.request"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )

    @api.model
    def _nps_send_reminders(self, requests, now):
        """Remind these customers, each as the send policy allows at the
        moment the reminder goes: a customer who opted out or whose address
        was blacklisted since gets no more reminder, and the reason is kept
        (``reminder_stop_reason``)."""
        policy = self.env["nps.send.policy"]
        facts = policy._nps_facts(requests.partner_id, exclude_requests=requests)
        stopped = {}
        for request in requests:
            reason, _channel = policy._nps_reason(
                facts,
                request.partner_id,
                request.campaign_id,
                "remind",
                channel=request.channel,
                now=now,
            )
            if reason:
                stopped.setdefault(reason, []).append(request.id)
        for reason, ids in stopped.items():
            requests.browse(ids).write({"reminder_stop_reason": reason})
        requests = requests - requests.browse(
            [i for ids in stopped.values() for i in ids]
        )
        if requests:
            self._nps_queue_reminders(requests, now)

    @api.model
    def _nps_queue_reminders(self, requests, now):
        by_sms = requests.filtered(lambda r: r.channel == "sms")
        by_mail = requests - by_sms
        mails = self._nps_queue_mails(by_mail, reminder=True) if by_mail else False
        if by_sms:
            self._nps_queue_sms(by_sms)
        for count in set(requests.mapped("reminder_count")):
            requests.filtered(lambda r, c=count: r.reminder_count == c).write(
                {"reminder_count": count + 1, "last_reminder_date": now}
            )
        if mails:
            self._nps_link_mails(by_mail, mails)
