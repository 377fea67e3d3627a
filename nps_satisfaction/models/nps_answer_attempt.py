import hmac
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import scanner_tools, score_tools

_logger = logging.getLogger(__name__)

#: an attempt that may still become the answer
LIVE = ("pending", "suspect")
#: an attempt kept for the record only
TRACE = ("superseded", "ignored")


class NpsAnswerAttempt(models.Model):
    """One one-click score posted on the answer page: when, by which
    browser, the verdict (provisional, suspect, confirmed...) and how it was
    confirmed. Each attempt is a row of its own, so a second click keeps the
    first one's trace; the request's unconfirmed answer is its latest live
    attempt. Anonymising a customer's answers deletes their attempts."""

    _name = "nps.answer.attempt"
    _description = "One-click answer attempt"
    _order = "id desc"

    request_id = fields.Many2one(
        comodel_name="nps.request",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    score = fields.Integer(readonly=True)
    attempt_date = fields.Datetime(
        string="Posted on",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
        index=True,
    )
    verdict = fields.Selection(
        selection=[
            ("pending", "Provisional"),
            ("suspect", "Suspect, not counted"),
            ("confirmed", "Confirmed by the customer"),
            ("settled", "Counted after the settle delay"),
            ("superseded", "Replaced by a later click"),
            ("ignored", "Ignored: suspect, another browser's score stands"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    reason = fields.Char(
        string="Why suspect",
        readonly=True,
        help="What made the attempt suspect (a scanner's signature, or made "
        "right after the email was sent).",
    )
    user_agent = fields.Char(
        string="Browser",
        readonly=True,
        help="The user agent of the browser that posted the score.",
    )
    session_hash = fields.Char(readonly=True, groups="base.group_system")
    confirmed_date = fields.Datetime(string="Confirmed on", readonly=True)

    # --- The answer page's protocol ---

    @api.model
    def _nps_record(self, request, score, session_hash, user_agent, remote_addr):
        """Record the score of a one-click POST as provisional, bound to the
        browser session whose hashed nonce is ``session_hash``: nothing is
        counted and no effect runs until the customer confirms it, or the
        settle cron counts it. A suspect score (scanner signature, or made
        right after sending) never replaces a real provisional score of
        another session: it is kept as ``ignored``. Returns True when the
        score became the request's unconfirmed answer."""
        request.ensure_one()
        request._nps_lock()
        if not request._nps_is_open():
            raise UserError(self.env._("This survey can no longer be answered."))
        if request.state == "answered":
            return False
        score = score_tools.parse_score(score)
        now = fields.Datetime.now()
        suspect = self._nps_suspect_reason(request, user_agent, remote_addr, now)
        current = self._nps_current(request)
        values = {
            "request_id": request.id,
            "score": score,
            "attempt_date": now,
            "reason": suspect or False,
            "user_agent": (user_agent or "")[:255] or False,
            "session_hash": session_hash,
        }
        attempts_sudo = self.sudo()
        if (
            suspect
            and current.verdict == "pending"
            and current.session_hash != session_hash
        ):
            attempts_sudo.create(dict(values, verdict="ignored"))
            return False
        current.verdict = "superseded"
        attempts_sudo.create(dict(values, verdict="suspect" if suspect else "pending"))
        return True

    @api.model
    def _nps_owns(self, request, session_hash):
        """Whether the request's unconfirmed answer was made by this browser
        session."""
        current = self._nps_current(request)
        return bool(
            current
            and session_hash
            and current.session_hash
            and hmac.compare_digest(current.session_hash, session_hash)
        )

    @api.model
    def _nps_confirm(
        self, request, confirmed_by="customer", score=None, channel="email", **answer
    ):
        """Make the request's unconfirmed score (or ``score``, a change of
        mind) the answer: it is counted and its effects run now. ``answer``
        takes the other arguments of ``nps.request._nps_record_answer``
        (comment, extra, reasons)."""
        request.ensure_one()
        request._nps_lock()
        current = self._nps_current(request)
        if not current:
            # confirmed meanwhile (another tab, the page's own confirm)
            return request._nps_save_answer(score=score, channel=channel, **answer)
        if score is None:
            score = current.score
        current.write(
            {
                "verdict": "confirmed" if confirmed_by == "customer" else "settled",
                "confirmed_date": fields.Datetime.now(),
            }
        )
        request.sudo().confirmed_by = confirmed_by
        return request._nps_save_answer(score=score, channel=channel, **answer)

    @api.model
    def _nps_settle(self):
        """Count the provisional answers no one confirmed within their
        company's settle delay; suspect ones are left uncounted. Returns the
        requests answered."""
        now = fields.Datetime.now()
        pending = self.sudo().search(
            [
                ("verdict", "=", "pending"),
                ("request_id.state", "=", "sent"),
                ("attempt_date", "<=", now),
            ],
            order="id",
        )
        settled = self.env["nps.request"]
        for attempt in pending:
            request = attempt.request_id
            company = request.company_id or self.env.company
            delay = timedelta(minutes=max(company.nps_settle_minutes, 0))
            if (
                attempt.attempt_date + delay > now
                or self._nps_current(request) != attempt
            ):
                continue
            self._nps_confirm(request, confirmed_by="settled")
            settled |= request
        if settled:
            _logger.info("Counted %s unconfirmed one-click answer(s)", len(settled))
        return settled

    @api.model
    def _nps_suspect_reason(self, request, user_agent, remote_addr, now):
        """Why an unconfirmed answer made now by this visitor is taken for a
        mail security scanner, or False."""
        company = request.company_id or self.env.company
        signature = scanner_tools.scanner_signature(
            user_agent, remote_addr, company.nps_scanner_signatures
        )
        if signature:
            return self.env._("Scanner signature: %(signature)s", signature=signature)
        mailed = max(
            filter(None, (request.sent_date, request.last_reminder_date)), default=None
        )
        seconds = company.nps_suspect_seconds
        if mailed and seconds > 0 and now - mailed < timedelta(seconds=seconds):
            return self.env._(
                "Made %(seconds)s s after the email was sent",
                seconds=int((now - mailed).total_seconds()),
            )
        return False

    @api.model
    def _nps_current(self, request):
        """The request's unconfirmed answer: its latest live attempt (sudo),
        or an empty recordset."""
        latest = request._nps_latest_attempt()
        return latest if latest.verdict in LIVE else latest.browse()
