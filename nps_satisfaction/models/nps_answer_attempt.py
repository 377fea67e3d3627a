import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import scanner_tools, score_tools

#: an attempt that may still become the answer
LIVE = ("pending", "suspect")
#: an attempt kept for the record only
TRACE = ("superseded", "ignored", "disputed")
#: an attempt that counted as its request's answer
COUNTED = ("confirmed", "settled", "reviewed")
#: the verdict of a counted attempt, by who or what counted it
COUNTED_BY = {"settled": "settled", "reviewed": "reviewed"}


class NpsAnswerAttempt(models.Model):
    """One one-click score posted on the answer page: when, by which
    browser, the verdict (provisional, suspect, confirmed...) and how it was
    confirmed. Each attempt is a row of its own, so a second click keeps the
    first one's trace, and each browser's attempts are kept apart: only a
    browser's own confirmation counts its score. Anonymising a customer's
    answers deletes their attempts."""

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
    measure = fields.Selection(
        selection=[("nps", "NPS (0-10)"), ("csat", "CSAT (1-5)")],
        string="Scale",
        required=True,
        readonly=True,
        default="nps",
        help="The scale of the score: the 0-10 recommendation score, or the "
        "1-5 satisfaction of a CSAT campaign.",
    )
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
            ("reviewed", "Counted after a manager's review"),
            ("superseded", "Replaced by a later click"),
            ("ignored", "Ignored: suspect, another browser's score stands"),
            ("disputed", "Not counted: browsers gave other scores, none confirmed"),
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
    channel = fields.Selection(
        selection=[("email", "Email"), ("web", "Portal or website prompt")],
        required=True,
        readonly=True,
        default="email",
        help="Where the score was clicked: the survey email's answer page, or "
        "the prompt shown to the signed-in customer on the portal and the "
        "website. The answer counts with this channel.",
    )
    confirmed_date = fields.Datetime(string="Confirmed on", readonly=True)
    reviewed_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Counted by",
        readonly=True,
        ondelete="set null",
        help="The manager who reviewed the unconfirmed score and counted it.",
    )
    may_settle = fields.Boolean(
        string="Counted if unconfirmed",
        readonly=True,
        help="Posted by the answer page's own script, or by the customer "
        "signed in: counted after the settle delay when the browser does not "
        "confirm it. A score from a client that never ran the page's script "
        "(a link checker replaying the form) waits for that browser's "
        "confirmation, or a manager's review.",
    )

    # --- The answer page's protocol ---

    @api.model
    def _nps_record(
        self,
        request,
        score,
        session_hash,
        user_agent,
        remote_addr,
        channel="email",
        measure=score_tools.NPS,
        may_settle=True,
    ):
        """Record the score of a one-click POST as provisional, bound to the
        browser session whose hashed nonce is ``session_hash``: nothing is
        counted and no effect runs until that browser confirms it, or the
        settle cron counts it. Each browser's attempts are kept apart: a click
        replaces only the same browser's earlier one, so another browser (a
        link checker, a forwarded mail) never takes the customer's score
        away. An answered request takes a new score only when its campaign
        allows a change, through the same protocol. ``channel`` is where the
        score was clicked (``email``, or ``web``: the portal's prompt); the
        answer counts with it. ``measure`` is the score's scale (``nps``
        0-10, ``csat`` 1-5). ``may_settle``: the score may be counted after
        the settle delay without the browser's confirmation (the page's
        script posted it, or the customer signed in). Returns True when the
        score is this browser's unconfirmed answer and not suspect."""
        request.ensure_one()
        request._nps_lock()
        if not request._nps_is_open():
            raise UserError(self.env._("This survey can no longer be answered."))
        if request.state == "answered" and not request.campaign_id.allow_answer_change:
            return False
        score = score_tools.parse_score(score, measure)
        now = fields.Datetime.now()
        suspect = self._nps_suspect_reason(request, user_agent, remote_addr, now)
        self._nps_current(request, session_hash).verdict = "superseded"
        self.sudo().create(
            {
                "request_id": request.id,
                "score": score,
                "measure": measure,
                "attempt_date": now,
                "verdict": "suspect" if suspect else "pending",
                "reason": suspect or False,
                "user_agent": (user_agent or "")[:255] or False,
                "session_hash": session_hash,
                "channel": channel,
                "may_settle": may_settle,
            }
        )
        return not suspect

    @api.model
    def _nps_hold(self, request, score, reason, measure=score_tools.NPS):
        """Keep ``score`` (on the scale ``measure``) as the request's
        unconfirmed, suspect answer, for a manager to review
        (``nps.request.action_count_answer``)."""
        request.ensure_one()
        return self.sudo().create(
            {
                "request_id": request.id,
                "score": score_tools.parse_score(score, measure),
                "measure": measure,
                "verdict": "suspect",
                "reason": reason,
            }
        )

    @api.model
    def _nps_owns(self, request, session_hash):
        """Whether this browser session has an unconfirmed answer on the
        request."""
        return bool(session_hash and self._nps_current(request, session_hash))

    def _nps_mark_counted(self, confirmed_by, score=None):
        """This attempt counted as its request's answer (``confirmed_by``
        the customer, settled or reviewed: by the current user; with
        ``score`` where the same browser changed its mind): the other
        browsers' unconfirmed attempts stay as traces."""
        self.ensure_one()
        values = {
            "verdict": COUNTED_BY.get(confirmed_by, "confirmed"),
            "confirmed_date": fields.Datetime.now(),
        }
        if confirmed_by == "reviewed":
            values["reviewed_by_id"] = self.env.uid
        if score is not None and score != self.score:
            # a change of mind confirmed by the same browser: the attempt
            # keeps the score that counted
            values["score"] = score
        self.write(values)
        others = self._nps_live(self.request_id) - self
        suspect = others.filtered(lambda a: a.verdict == "suspect")
        suspect.verdict = "ignored"
        (others - suspect).verdict = "superseded"

    def _nps_is_live(self):
        """Whether this attempt may still become the answer."""
        self.ensure_one()
        return self.verdict in LIVE

    @api.model
    def _nps_settle_candidates(self, now):
        """The sent requests with a provisional score that may be counted
        unconfirmed (the settle job's work)."""
        return (
            self.sudo()
            .search(
                [
                    ("verdict", "=", "pending"),
                    ("may_settle", "=", True),
                    ("request_id.state", "=", "sent"),
                    ("attempt_date", "<=", now),
                ],
                order="id",
            )
            .request_id
        )

    @api.model
    def _nps_live(self, request):
        """The request's unconfirmed attempts, one per browser: each
        session's latest attempt, when it is live (sudo)."""
        latest = {}
        for attempt in request.sudo().attempt_ids.sorted("id", reverse=True):
            latest.setdefault(attempt.session_hash, attempt)
        return self.sudo().browse(
            attempt.id for attempt in latest.values() if attempt.verdict in LIVE
        )

    @api.model
    def _nps_owns_scripted(self, request, session_hash):
        """Whether this browser session's unconfirmed answer was posted by
        the page's script (or the signed-in customer): only then does a
        second score from the same browser confirm it."""
        return bool(self._nps_current(request, session_hash).may_settle)

    @api.model
    def _nps_counted_for(self, request, session_hash):
        """Whether the request's answer is the score this browser session
        posted: its attempt is the one that counted (confirmed, settled or
        reviewed).
        Only that browser may add to the answer (comment, CSAT, reasons)."""
        counted = (
            request.sudo()
            .attempt_ids.filtered(lambda a: a.verdict in COUNTED)
            .sorted("id", reverse=True)[:1]
        )
        return bool(
            session_hash
            and counted.session_hash
            and hmac.compare_digest(counted.session_hash, session_hash)
        )

    @api.model
    def _nps_current(self, request, session_hash):
        """This browser session's unconfirmed answer on the request: its
        latest attempt when live (sudo), or an empty recordset."""
        for attempt in self._nps_live(request):
            if attempt.session_hash and hmac.compare_digest(
                attempt.session_hash, session_hash or ""
            ):
                return attempt
        return self.sudo().browse()

    @api.model
    def _nps_scanner(self, request, user_agent, remote_addr):
        """The scanner signature (user agent or network) this visitor
        matches, or False: such a client never confirms an answer."""
        company = request.company_id or self.env.company
        return scanner_tools.scanner_signature(
            user_agent, remote_addr, company.nps_scanner_signatures
        )

    @api.model
    def _nps_suspect_reason(self, request, user_agent, remote_addr, now):
        """Why an unconfirmed answer made now by this visitor is taken for a
        mail security scanner, or False."""
        company = request.company_id or self.env.company
        signature = self._nps_scanner(request, user_agent, remote_addr)
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
