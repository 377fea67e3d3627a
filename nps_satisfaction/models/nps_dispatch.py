import logging
from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import send_tools

_logger = logging.getLogger(__name__)

#: new snapshots tried when other workers keep sending the due surveys
MAX_LOCK_CONFLICTS = 20

#: why a mail failed for good: no address, no valid one, a hard bounce (the
#: mail server's connection, or the sender's settings, are no fault of the
#: customer's address: those mails stay as they are, or are queued again)
UNDELIVERABLE_FAILURES = ("mail_email_missing", "mail_email_invalid", "mail_bounce")


class NpsDispatch(models.AbstractModel):
    """Sending the surveys: the dispatch of the due requests in locked
    batches (email or SMS, each customer's language) and the holds; the
    reminders and the expiry are beside it (``nps_dispatch_reminder.py``).
    A service, as ``account.move.send`` serves invoice sending: the crons
    and the tests call it with the requests it works on; whether a customer
    may get a survey is the send policy's to say (``nps.send.policy``)."""

    _name = "nps.dispatch"
    _description = "Satisfaction survey dispatch"

    # --- Dispatch ---

    @api.model
    def _cron_dispatch(self, batch_size=500):
        """Send the due requests in batches, committing after each one;
        first close the surveys whose mail failed for good, queue again the
        survey mails the mail server could not take, and count the one-click
        answers left unconfirmed past the settle delay."""
        self._nps_close_undeliverable()
        self._nps_requeue_failed_mails()
        self.env["nps.answer.service"]._nps_settle()
        cron = self.env["ir.cron"]
        conflicts = 0
        while True:
            try:
                requests = self._nps_lock_due(batch_size)
            except SerializationFailure:
                # Another worker sent some of the due rows after this
                # transaction's snapshot was taken (Odoo runs in REPEATABLE
                # READ, where FOR UPDATE then fails instead of skipping them).
                # Only the closing of undeliverable surveys and the re-queueing
                # of failed mails can be pending since the last commit (the
                # next run does them again): start a new transaction, with a
                # new snapshot, and lock again.
                self.env.cr.rollback()
                conflicts += 1
                if conflicts > MAX_LOCK_CONFLICTS:
                    _logger.info("Dispatch: other workers keep the due surveys busy")
                    break
                continue
            if not requests:
                break
            self._nps_send(requests)
            if cron._commit_progress(len(requests)) <= 0:
                break

    @api.model
    def _nps_close_undeliverable(self):
        """Find the open surveys whose last mail failed for good: Odoo found
        no valid address in it (``mail_email_missing``,
        ``mail_email_invalid``: the mail goes to ``exception`` and is never
        retried) or the customer's mail server sent it back
        (``mail_bounce``, see ``mail_thread.py``). A survey whose customer
        never got any of its mails is skipped as undeliverable, with the
        reason (``nps.request._nps_mark_undeliverable``); one whose first
        mail reached him stays open, only its reminders stop. Rows another
        worker holds are left to the next run. Returns the requests
        handled."""
        requests = self._nps_lock_undeliverable()
        if not requests:
            return requests
        stopped = 0
        for (was_reached, reason), ids in self._nps_undeliverable_outcomes(
            requests
        ).items():
            batch = requests.browse(ids)
            if was_reached:
                stopped += len(batch)
                batch.write(
                    {
                        "reminder_stop_reason": "undeliverable",
                        "delivery_failure": reason,
                    }
                )
            else:
                batch._nps_mark_undeliverable(reason)
        _logger.info(
            "Undeliverable survey mails: %s survey(s) skipped, reminders stopped "
            "for %s",
            len(requests) - stopped,
            stopped,
        )
        return requests

    @api.model
    def _nps_lock_undeliverable(self):
        """Lock and return the open surveys whose last mail failed for good
        (see ``_nps_close_undeliverable``), skipping the rows another worker
        holds; none when another worker changed them since this
        transaction began (the next run takes them)."""
        Request = self.env["nps.request"]
        Request.flush_model(["state", "mail_id", "reminder_stop_reason"])
        self.env["mail.mail"].flush_model(["state", "failure_type"])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """
                        SELECT r.id FROM nps_request r
                          JOIN mail_mail m ON m.id = r.mail_id
                         WHERE r.state = 'sent'
                           AND r.reminder_stop_reason
                               IS DISTINCT FROM 'undeliverable'
                           AND m.state = 'exception'
                           AND m.failure_type IN %s
                           FOR UPDATE OF r SKIP LOCKED
                        """,
                        UNDELIVERABLE_FAILURES,
                    ),
                    # another worker may have changed a row since this
                    # transaction began: the next run takes it
                    log_exceptions=False,
                )
                return Request.browse([row[0] for row in self.env.cr.fetchall()])
        except SerializationFailure:
            _logger.info("Dispatch: undeliverable surveys left to the next run")
            return Request.browse()

    @api.model
    def _nps_undeliverable_outcomes(self, requests):
        """These undeliverable requests' ids by ``(reached, reason)``:
        whether one of the survey's mails reached the customer before (then
        only its reminders stop), and why its mail failed, as the customer's
        record says it (the failure's label and the mail server's words)."""
        mails_sudo = self.env["mail.mail"].sudo()
        reached = set(
            mails_sudo.search(
                [
                    ("model", "=", "nps.request"),
                    ("res_id", "in", requests.ids),
                    ("state", "=", "sent"),
                ]
            ).mapped("res_id")
        )
        failure_types = dict(
            mails_sudo._fields["failure_type"]._description_selection(self.env)
        )
        by_outcome = {}
        for request in requests:
            mail_sudo = request.mail_id.sudo()
            label = failure_types.get(mail_sudo.failure_type, mail_sudo.failure_type)
            details = (mail_sudo.failure_reason or "").strip()
            reason = (
                self.env._("%(failure)s: %(reason)s", failure=label, reason=details)
                if details
                else label
            )
            key = (request.id in reached, reason)
            by_outcome.setdefault(key, []).append(request.id)
        return by_outcome

    @api.model
    def _nps_requeue_failed_mails(self):
        """Queue again the survey mails that failed because the mail server
        could not be reached: Odoo marks such mails ``exception`` with the
        cause in ``failure_reason`` and no ``failure_type`` (which it sets
        for every failure of the mail itself: its address, its content, a
        bounce), and never retries them, though nothing was delivered; the
        survey still waits for its customer, so its mail goes out at the
        mail queue's next run once the server is back. Mails that
        failed for their address or content stay as they are, and so do the
        mails of surveys no longer open (answered, expired, cancelled)."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "nps.request"),
                    ("state", "=", "exception"),
                    ("failure_type", "=", False),
                ]
            )
        )
        if not mails:
            return mails
        open_ids = set(
            self.env["nps.request"]
            .sudo()
            .search([("id", "in", mails.mapped("res_id")), ("state", "=", "sent")])
            .ids
        )
        to_retry = mails.filtered(lambda mail: mail.res_id in open_ids)
        to_retry.write({"state": "outgoing", "failure_type": False})
        if to_retry:
            _logger.info(
                "Queued again %s survey mail(s) after a failed connection",
                len(to_retry),
            )
        return to_retry

    @api.model
    def _nps_lock_due(self, batch_size):
        """Lock and return up to ``batch_size`` due requests. Rows locked by
        another worker are skipped, so two workers never take the same one."""
        self.env["nps.request"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM nps_request
                 WHERE state = 'scheduled' AND scheduled_date <= %s
                 ORDER BY scheduled_date, id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                fields.Datetime.now(),
                batch_size,
            ),
            # a serialization failure is expected with concurrent workers
            # (see _cron_dispatch): no error in the log for it
            log_exceptions=False,
        )
        return self.env["nps.request"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )

    @api.model
    def _nps_dispatch_due(self, batch_size=500):
        """Handle one batch of due requests; return the ones sent."""
        return self._nps_send(self._nps_lock_due(batch_size))

    @api.model
    def _nps_send(self, requests):
        """Send these scheduled requests: re-check the customer's situation,
        create the survey answers and queue the emails, all in batch."""
        now = fields.Datetime.now()
        requests = requests.filtered(lambda r: r.state == "scheduled")
        if not requests:
            return requests.browse()
        policy = self.env["nps.send.policy"]
        facts = policy._nps_facts(requests.partner_id, exclude_requests=requests)
        held = self._nps_held(requests)
        sent_today = self._nps_sent_today(requests.campaign_id)

        # ids in lists, one browse at the end: a recordset grown one record at
        # a time costs O(n) per union, O(n^2) for a batch
        to_send_ids = []
        updates = {}
        for request in requests:
            partner = request.partner_id
            reason, _channel = policy._nps_reason(
                facts,
                partner,
                request.campaign_id,
                "send",
                channel=request.channel,
                now=now,
            )
            if reason:
                updates.setdefault(("skip", reason), []).append(request.id)
                continue
            decision = self._nps_hold_decision(request, held.get(request.id), now)
            if decision:
                updates.setdefault(decision, []).append(request.id)
                if decision[0] != "release":
                    continue
            postponement = self._nps_postponement(request, sent_today, now)
            if postponement:
                updates.setdefault(postponement, []).append(request.id)
                continue
            # one survey per company and quiet period, within the batch too
            policy._nps_note_sent(facts, partner, now)
            to_send_ids.append(request.id)

        self._nps_apply_decisions(requests, updates, now)
        to_send = requests.browse(to_send_ids)
        if to_send:
            self._nps_send_now(to_send, now)
        return to_send

    @api.model
    def _nps_postponement(self, request, sent_today, now):
        """``("postpone", when)`` for this request when its campaign says it
        cannot go now: outside the campaign's send window (the next slot in
        the customer's time zone), or over its daily cap (tomorrow); False
        when it goes now, then counted in ``sent_today``."""
        campaign = request.campaign_id
        if campaign.use_send_window:
            slot = send_tools.next_send_slot(
                now,
                request.partner_id.tz or self.env.user.tz,
                campaign.window_hour_from,
                campaign.window_hour_to,
                campaign.window_weekdays_only,
            )
            if slot > now:
                return ("postpone", slot)
        if campaign.daily_cap:
            if sent_today.get(campaign.id, 0) >= campaign.daily_cap:
                tomorrow = fields.Datetime.start_of(now, "day") + timedelta(days=1)
                return ("postpone", tomorrow)
            sent_today[campaign.id] = sent_today.get(campaign.id, 0) + 1
        return False

    @api.model
    def _nps_apply_decisions(self, requests, updates, now):
        """Apply what the dispatch decided for the requests it does not send
        now, batch by batch: ``updates`` maps ``(kind, value)`` (skip with a
        reason, hold for a reason, wait a day, release with a note, postpone
        to a date) to request ids."""
        for (kind, value), ids in updates.items():
            batch = requests.browse(ids)
            if kind == "skip":
                batch._nps_mark_skipped(value)
            elif kind == "hold":
                batch._nps_hold(value, now)
            elif kind == "wait":
                batch._nps_postpone(now + timedelta(days=1))
            elif kind == "release":
                batch._nps_release(note=value)
            else:
                batch._nps_postpone(value)

    @api.model
    def _nps_send_now(self, requests, now):
        """Queue these requests' surveys, by email or SMS, and mark them
        sent. No survey answer yet: it is created when the customer
        answers."""
        by_sms = requests.filtered(lambda r: r.channel == "sms")
        by_mail = requests - by_sms
        mails = self._nps_queue_mails(by_mail) if by_mail else self.env["mail.mail"]
        if by_sms:
            self._nps_queue_sms(by_sms)
        self._nps_link_mails(requests, mails)
        requests._nps_mark_sent(date=now)

    @api.model
    def _nps_queue_sms(self, requests):
        """Queue the survey link by SMS through Odoo's sms addon, rendered
        in the customer's language, in one create."""
        vals_list = []
        for campaign, campaign_requests in requests.grouped("campaign_id").items():
            template = campaign.sms_template_id.sudo()
            for lang, lang_requests in campaign_requests.grouped(
                lambda r: r.partner_id.lang or "en_US"
            ).items():
                bodies = template.with_context(lang=lang)._render_field(
                    "body", lang_requests.ids
                )
                vals_list += [
                    {
                        "number": campaign._nps_sms_number(request.partner_id),
                        "partner_id": request.partner_id.id,
                        "body": bodies[request.id],
                    }
                    for request in lang_requests
                ]
        sms = self.env["sms.sms"].sudo().create(vals_list)
        by_number = {}
        for record in sms:
            by_number.setdefault(record.partner_id.id, []).append(record)
        for request in requests:
            records = by_number.get(request.partner_id.id)
            request.sms_id = records.pop(0) if records else False
        return sms

    @api.model
    def _nps_held(self, requests):
        """Why each of these requests waits, by id: the customer has another
        ticket open (``open_ticket``) or a follow-up case open
        (``open_followup``), for the campaigns that wait until settled."""
        requests = requests.filtered("campaign_id.hold_if_open_ticket")
        commercials = requests.commercial_partner_id
        if not commercials:
            return {}
        rows = (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercials.ids),
                    ("stage_id.closed", "=", False),
                ],
                ["commercial_partner_id"],
                ["id:array_agg"],
            )
        )
        open_tickets = {partner.id: set(ids) for partner, ids in rows}
        open_followups = {
            partner.id
            for (partner,) in self.env["nps.followup"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercials.ids),
                    ("state", "in", ("open", "in_progress")),
                ],
                ["commercial_partner_id"],
            )
        }
        held = {}
        for request in requests:
            commercial = request.commercial_partner_id.id
            if open_tickets.get(commercial, set()) - {request.ticket_id.id}:
                held[request.id] = "open_ticket"
            elif commercial in open_followups:
                held[request.id] = "open_followup"
        return held

    @api.model
    def _nps_hold_decision(self, request, hold, now):
        """What the dispatch does with this request, held for ``hold`` (or
        no longer held when False): a key of its updates, or False to send
        it. A hold has an end: after the campaign's ``hold_max_days`` the
        survey goes, or is skipped (``hold_expired``), as the campaign says;
        a held survey does not throttle the customer's other surveys."""
        request.ensure_one()
        if not hold:
            return ("release", False) if request.held_since else False
        if not request.held_since:
            return ("hold", hold)
        campaign = request.campaign_id
        if now - request.held_since < timedelta(days=max(campaign.hold_max_days, 0)):
            return ("wait", False)
        if campaign.hold_expiry == "skip":
            return ("skip", "hold_expired")
        return (
            "release",
            self.env._(
                "Sent after waiting %(days)s days: %(reason)s",
                days=campaign.hold_max_days,
                reason=dict(
                    request._fields["hold_reason"]._description_selection(self.env)
                )[request.hold_reason or hold],
            ),
        )

    @api.model
    def _nps_sent_today(self, campaigns):
        capped = campaigns.filtered("daily_cap")
        if not capped:
            return {}
        start = fields.Datetime.start_of(fields.Datetime.now(), "day")
        rows = self.env["nps.request"]._read_group(
            [("campaign_id", "in", capped.ids), ("sent_date", ">=", start)],
            ["campaign_id"],
            ["__count"],
        )
        return {campaign.id: count for campaign, count in rows}

    @api.model
    def _nps_queue_mails(self, requests, reminder=False):
        """Render each campaign's template for its requests, in the
        customer's language, and queue the mails in one create."""
        mail_vals = []
        by_template = {}
        for request in requests:
            campaign = request.campaign_id
            template = (
                reminder and campaign.reminder_template_id
            ) or campaign.mail_template_id
            by_template.setdefault(template, []).append(request.id)
        for template, request_ids in by_template.items():
            batch = requests.browse(request_ids)
            template_sudo = template.sudo()
            rendered = self.env["nps.mail.render"]._nps_render_template(
                batch, template_sudo
            )
            senders = {}
            for request in batch:
                values = rendered[request.id]
                # the sender depends on the campaign and company: rendered once
                # for each, not once per customer
                key = (request.campaign_id, request.company_id)
                if key not in senders:
                    senders[key] = (
                        request.campaign_id.email_from
                        or (
                            template_sudo.email_from
                            and template_sudo._render_field("email_from", request.ids)[
                                request.id
                            ]
                        )
                        or (request.company_id or self.env.company).email_formatted
                        or self.env.user.email_formatted
                    )
                mail_vals.append(
                    {
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        "email_from": senders[key],
                        "reply_to": values.get("reply_to"),
                        "mail_server_id": template_sudo.mail_server_id.id,
                        "email_to": request.partner_id.email_formatted,
                        "model": "nps.request",
                        "res_id": request.id,
                        "auto_delete": False,
                        "message_type": "email",
                    }
                )
        mails = self.env["mail.mail"].sudo().create(mail_vals)
        if mails:
            # out now rather than at the mail queue's next hourly run
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return mails

    @api.model
    def _nps_link_mails(self, requests, mails):
        """Set each request's mail, in one UPDATE for the batch: the values
        differ per request, which the ORM writes one request at a time (no
        stored field depends on it)."""
        mail_of = {mail.res_id: mail.id for mail in mails}
        rows = [
            SQL("(%s, %s::int)", request.id, mail_of.get(request.id))
            for request in requests
        ]
        if not rows:
            return
        requests.flush_recordset(["mail_id"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE nps_request r
                   SET mail_id = v.mail_id
                  FROM (VALUES %s) AS v(id, mail_id)
                 WHERE r.id = v.id
                """,
                SQL(", ").join(rows),
            )
        )
        requests.invalidate_recordset(["mail_id"])
