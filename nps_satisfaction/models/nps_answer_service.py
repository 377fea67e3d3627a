"""One way through a customer's answer.

Every way an answer comes in (the answer page, its confirming gesture and
the portal's prompt, the counter's QR code, an agent's phone record, the
settle job, a manager's review, a newsletter's answer page) goes through
``nps.answer.service``: it takes the request, what was posted
(:class:`Posted`) and who posted it (:class:`Poster`), and returns the
:class:`Outcome`. It owns the sequence: the one-click attempt, its
confirmation, the saving of the answer, then the answer's effects (which
copy it into Odoo's survey answer).
Controllers and wizards only parse what they receive and render the
outcome."""

import hmac
import logging
import math
from dataclasses import dataclass, field
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import score_tools, text_tools

_logger = logging.getLogger(__name__)

#: the longest comment kept (a longer one is cut: the page's field holds
#: no more)
MAX_COMMENT = text_tools.MAX_TEXT

#: the largest number a numerical answer may hold (whole numbers stay exact
#: in a float up to about 9e15)
MAX_NUMBER = 1e15

#: further question types the answer page asks, and how a posted value reads
_PARSERS = {"numerical_box": float, "scale": int, "simple_choice": int}

#: the steps of the answer page: ``auto`` the score the page posts by itself
#: (the link's), ``click`` a score clicked, ``more`` the comment step,
#: ``confirm`` the customer's first gesture on the page
STEPS = ("auto", "click", "more", "confirm")


@dataclass(frozen=True)
class Posted:
    """What was posted: the 0-10 ``score`` and the 1-5 ``csat_score`` (as
    received: checked here), the ``comment``, the survey's further
    questions (``extra``: question, or its id, to value), the ticked
    ``reasons`` (records or ids) and, on the answer page, its ``step``."""

    score: object = None
    csat_score: object = None
    comment: str = ""
    extra: dict = field(default_factory=dict)
    reasons: object = ()
    step: str = "click"


@dataclass(frozen=True)
class Poster:
    """Who posted the answer, and where.

    ``channel``: email (the email's answer page), web (the portal's and the
    website's prompt), qr (the counter), phone (an agent's record), or None
    for the request's own. A ``browser`` on a public page is known by its
    answer cookie's keyed hash (``session_hash``), user agent and address,
    the counter's device by ``device_hash``; ``scripted``: the page's own
    script posted (or the customer is signed in), so its score may count
    unconfirmed after the settle delay. ``held``: why the score is kept for
    a manager's review instead of counted (the counter's network ceiling).
    ``defer_effects``: the answer's effects are left to their job, run at
    once, so that a customer's page does not wait for them."""

    channel: str = None
    browser: bool = False
    session_hash: str = ""
    user_agent: str = ""
    remote_addr: str = ""
    scripted: bool = False
    device_hash: str = ""
    held: str = ""
    defer_effects: bool = False


@dataclass(frozen=True)
class Outcome:
    """What became of a post: ``recorded`` (the answer, or an addition to
    it), ``provisional`` (a one-click score waiting for its browser's
    confirmation), ``held`` (kept for a manager's review), ``unchanged``
    (nothing to record) or ``refused``, with the HTTP ``status``, a
    ``title`` and a ``message`` for the visitor."""

    kind: str
    status: int = 200
    title: str = ""
    message: str = ""

    @property
    def refused(self):
        return self.kind == "refused"


class NpsAnswerService(models.AbstractModel):
    _name = "nps.answer.service"
    _description = "Recording of satisfaction answers"

    # --- The entry point ---

    @api.model
    def _nps_answer(self, request, posted, poster):
        """Record what ``poster`` posted on ``request`` and return the
        :class:`Outcome`. A browser's post follows the answer page's
        protocol (a one-click score is provisional until the same browser
        confirms it); an agent's or a job's is recorded at once, and its
        errors raise (UserError, ValueError off a scale). The request comes
        in the customer's language: the visitor's messages are in it."""
        request.ensure_one()
        if poster.browser:
            try:
                self._nps_check_lengths(request, posted.extra)
                return self._nps_browser_answer(request, posted, poster)
            except UserError as exc:
                return self._nps_refused(400, self.env._("Not recorded"), str(exc))
        self._nps_check_lengths(request, posted.extra)
        request._nps_lock()
        if poster.held:
            measure = request.campaign_id._nps_lead_measure()
            self.env["nps.answer.attempt"]._nps_hold(
                request,
                self._nps_lead_posted(posted, measure),
                poster.held,
                measure=measure,
            )
            return Outcome("held")
        saved = self._nps_save(request, posted, poster)
        return Outcome("recorded" if saved else "unchanged")

    @api.model
    def _nps_refused(self, status, title, message):
        return Outcome("refused", status=status, title=title, message=message)

    @api.model
    def _nps_scale_message(self, measure):
        """What a visitor who sent no score, or one off the scale
        ``measure``, is told."""
        if measure == score_tools.CSAT:
            return self.env._(
                "Please choose a rating between 1 and 5. Nothing was recorded."
            )
        return self.env._(
            "Please choose a score between 0 and 10. Nothing was recorded."
        )

    @staticmethod
    def _nps_lead_posted(posted, measure):
        return posted.csat_score if measure == score_tools.CSAT else posted.score

    # --- A browser's post: the answer page and the portal's prompt ---

    @api.model
    def _nps_browser_answer(self, request, posted, poster):
        """The answer page's protocol. Mail security scanners open links,
        some run the page's script or replay its POST: a score is only
        provisional, bound to its browser, until that browser confirms it
        (its comment step, a gesture on the page, another score clicked
        where the page's script posted the first), or the settle job counts
        it. The comment step of an answered survey adds to the answer, from
        the browser whose score counted only."""
        if posted.step == "confirm":
            return self._nps_confirm(request, poster)
        scores = self._nps_posted_scores(request, posted)
        if isinstance(scores, Outcome):
            return scores
        lead = request.campaign_id._nps_lead_measure()
        score = scores[lead]
        attempts = self.env["nps.answer.attempt"]
        own = attempts._nps_owns(request, poster.session_hash)
        answered = request.state == "answered"
        if score is None and not answered and not own:
            return self._nps_refused(
                400, self.env._("No score"), self._nps_scale_message(lead)
            )
        if (
            score is not None
            and answered
            and request.campaign_id.allow_answer_change
            and not self._nps_answered_by(request, poster)
        ):
            # a change of the answer, from the browser that gave it only:
            # whoever else holds the link (a forwarded mail) changes nothing
            return self._nps_other_browser_refusal()
        addition = Posted(
            csat_score=scores[score_tools.CSAT] if lead == score_tools.NPS else None,
            comment=posted.comment,
            extra=posted.extra,
            reasons=posted.reasons,
        )
        if own and self._nps_confirms(request, posted, poster):
            # this browser's next step (the comment; another score where the
            # page's script posted the first one): it confirms this browser's
            # own score, never another's. A client that never ran the script
            # posting the form again only replaces its unconfirmed score
            return self._nps_confirm(request, poster, score=score, addition=addition)
        if score is not None:
            # a score, provisional until this browser confirms it; a change
            # of an answer too, where the campaign allows one
            attempts._nps_record(
                request,
                score,
                poster.session_hash,
                poster.user_agent,
                poster.remote_addr,
                channel=poster.channel,
                measure=lead,
                may_settle=poster.scripted,
            )
            return Outcome("provisional")
        if not answered:
            return Outcome("unchanged")
        return self._nps_add_to_answer(request, addition, poster)

    @api.model
    def _nps_confirms(self, request, posted, poster):
        """Whether this post of a browser holding an unconfirmed score
        confirms it: its comment step, or another score clicked where the
        page's script posted the first one."""
        return posted.step == "more" or (
            posted.step != "auto"
            and self.env["nps.answer.attempt"]._nps_owns_scripted(
                request, poster.session_hash
            )
        )

    @api.model
    def _nps_add_to_answer(self, request, addition, poster):
        """The comment step after the answer: the comment and further
        answers only, never the score; and only from the browser whose score
        counted (another holder of the link adds nothing, a scanner
        nothing)."""
        if self.env["nps.answer.attempt"]._nps_scanner(
            request, poster.user_agent, poster.remote_addr
        ):
            return self._nps_scanner_refusal()
        if not self._nps_answered_by(request, poster):
            return self._nps_other_browser_refusal()
        request._nps_lock()
        saved = self._nps_save(request, addition, poster)
        return Outcome("recorded" if saved else "unchanged")

    @api.model
    def _nps_other_browser_refusal(self):
        """What another browser than the one that answered is told when it
        adds to or changes the answer: nothing is recorded from it."""
        return self._nps_refused(
            403,
            self.env._("Answered from another browser"),
            self.env._(
                "This survey was answered from another browser: only that "
                "browser can add to or change the answer. Nothing was recorded."
            ),
        )

    @api.model
    def _nps_scanner_refusal(self):
        """What a browser taken for a mail security scanner is told when it
        posts a comment step: nothing is recorded from it."""
        return self._nps_refused(
            403,
            self.env._("Not recorded from this browser"),
            self.env._(
                "This browser or its network was taken for an automated link "
                "checker, so no answer can be recorded from it. Nothing was "
                "recorded: please open the link of the email in your usual web "
                "browser, or answer from another network."
            ),
        )

    @api.model
    def _nps_posted_scores(self, request, posted):
        """{measure: score} of each scale the campaign asks, from its own
        field; another scale's field (an old link, a crafted post) is not
        the campaign's question. The refusal when one is off its scale."""
        campaign = request.campaign_id
        scores = {}
        for measure, raw in (
            (score_tools.NPS, posted.score),
            (score_tools.CSAT, posted.csat_score),
        ):
            if raw in (None, "") or not campaign._nps_asks(measure):
                scores[measure] = None
                continue
            try:
                scores[measure] = score_tools.parse_score(raw, measure)
            except ValueError:
                return self._nps_refused(
                    400, self.env._("Invalid score"), self._nps_scale_message(measure)
                )
        return scores

    @api.model
    def _nps_answered_by(self, request, poster):
        """Whether this poster gave the survey's answer: its browser's score
        is the one that counted or, on the counter link, the answer came
        from its device."""
        if request.anonymous:
            device = request.sudo().device_hash
            return bool(device and poster.device_hash) and hmac.compare_digest(
                device, poster.device_hash
            )
        return self.env["nps.answer.attempt"]._nps_counted_for(
            request, poster.session_hash
        )

    @api.model
    def _nps_confirm(self, request, poster, score=None, addition=None):
        """Make this browser's unconfirmed score (or ``score``, a change of
        mind on the same scale) the answer, with ``addition`` (the comment,
        the CSAT after the score, further answers), when the confirming
        browser is not a scanner's: a suspect client never confirms, not
        even its own score."""
        request._nps_lock()
        attempts = self.env["nps.answer.attempt"]
        current = attempts._nps_current(request, poster.session_hash)
        if not current:
            return Outcome("unchanged")
        if attempts._nps_scanner(request, poster.user_agent, poster.remote_addr):
            # the comment step of a browser taken for a scanner: a customer
            # behind such a network is told, his comment is not dropped
            # without a word (the page's /confirm only answers false)
            return self._nps_scanner_refusal() if addition else Outcome("unchanged")
        self._nps_count(request, current, "customer", score, addition, poster)
        return Outcome("recorded")

    # --- Counting a one-click score: confirmed, settled or reviewed ---

    @api.model
    def _nps_count(
        self, request, attempt, confirmed_by, score=None, addition=None, poster=None
    ):
        """Count ``attempt`` as the request's answer (``confirmed_by`` the
        customer, settled or reviewed), with the attempt's channel unless
        the poster's says otherwise; the other browsers' unconfirmed
        attempts stay as traces."""
        attempt._nps_mark_counted(confirmed_by, score)
        request.sudo().confirmed_by = confirmed_by
        addition = addition or Posted()
        # the attempt's score on its own scale: the 0-10 score, or the CSAT
        value = attempt.score if score is None else score
        answer = Posted(
            score=value if attempt.measure == score_tools.NPS else addition.score,
            csat_score=value
            if attempt.measure == score_tools.CSAT
            else addition.csat_score,
            comment=addition.comment,
            extra=addition.extra,
            reasons=addition.reasons,
        )
        channel = poster.channel if poster and not poster.browser else None
        return self._nps_save(
            request,
            answer,
            Poster(
                channel=channel or attempt.channel,
                defer_effects=bool(poster and poster.defer_effects),
            ),
        )

    @api.model
    def _nps_settle(self):
        """Count the provisional answers no one confirmed within their
        company's settle delay; suspect ones are left uncounted, and so are
        the unconfirmed scores of browsers that disagree (``disputed``): no
        one can tell which is the customer's. Only scores the page's script
        posted (or the signed-in customer) are counted so: a client that
        never ran the script must confirm its score (its comment step).
        Returns the requests answered."""
        now = fields.Datetime.now()
        attempts = self.env["nps.answer.attempt"]
        settled = self.env["nps.request"]
        for request in attempts._nps_settle_candidates(now):
            company = request.company_id or self.env.company
            delay = timedelta(minutes=max(company.nps_settle_minutes, 0))
            waiting = attempts._nps_live(request).filtered(
                lambda a: a.verdict == "pending" and a.may_settle
            )
            if not waiting or max(waiting.mapped("attempt_date")) + delay > now:
                continue
            if len({(a.measure, a.score) for a in waiting}) > 1:
                waiting.verdict = "disputed"
                continue
            self._nps_count(request, waiting[0], "settled")
            settled |= request
        if settled:
            _logger.info("Counted %s unconfirmed one-click answer(s)", len(settled))
        return settled

    @api.model
    def _nps_count_reviewed(self, request):
        """Count the unconfirmed answer a manager reviewed (a suspect one, or
        one over its network's ceiling on the counter link)."""
        request._nps_lock()
        attempt = request._nps_latest_attempt()
        if request.state != "sent" or not (attempt and attempt._nps_is_live()):
            raise UserError(self.env._("This survey has no answer to count."))
        return self._nps_count(
            request, attempt.sudo(), "reviewed", poster=Poster(channel=request.channel)
        )

    # --- Saving the answer ---

    @api.model
    def _nps_answer_channel(self, request, channel):
        """The channel the answer counts with (a hook: a newsletter's
        answer stays the newsletter's)."""
        return channel

    @api.model
    def _nps_save(self, request, posted, poster):
        """Save ``posted`` as the request's answer (its row locked): the
        score and CSAT as the campaign asks them, in the survey answer too.
        The first answer stands unless the campaign allows a change; a
        comment, and the CSAT after the score, are added when none was
        given. Then the answer's effects (the survey answer marked done
        among them, when no question is left). Returns True when something was
        written."""
        request.ensure_one()
        if not request._nps_is_open():
            raise UserError(self.env._("This survey can no longer be answered."))
        score, csat_score = self._nps_checked_scores(request, posted)
        lines, values = self._nps_answer_lines(request, score, csat_score, posted)
        if lines:
            # the further questions, which only the survey answer holds; the
            # score, the CSAT and the comment are the request's, copied into
            # the survey answer by the answer's effects (which make the
            # survey answer where no further question made it here)
            if not request.user_input_id:
                self.env["survey.user_input"].sudo()._nps_create_for(request.sudo())
            request.user_input_id.sudo()._nps_save_lines(lines)
        if not (lines or values):
            return False
        values["effects_pending"] = True
        if request.state == "answered":
            request._nps_change_answer(values)
        else:
            request._nps_mark_answered(
                values, channel=self._nps_answer_channel(request, poster.channel)
            )
        effects = self.env["nps.answer.effects"]
        if poster.defer_effects:
            # the survey answer is marked done by the job too
            effects._nps_defer()
        else:
            effects._nps_apply(request)
        return True

    @api.model
    def _nps_checked_scores(self, request, posted):
        """(score, csat_score) checked against the campaign: each on its
        scale, only a scale the campaign asks, and the lead one (the score,
        or the CSAT of a CSAT campaign) given with the first answer. Raises
        before anything is written: ValueError off the scale, UserError
        otherwise."""
        campaign = request.campaign_id
        values = {score_tools.NPS: posted.score, score_tools.CSAT: posted.csat_score}
        for measure, value in values.items():
            if value is None:
                continue
            if not campaign._nps_asks(measure):
                raise UserError(
                    self.env._(
                        "The survey %(campaign)s does not ask this scale.",
                        campaign=campaign.name,
                    )
                )
            values[measure] = score_tools.parse_score(value, measure)
        if values[campaign._nps_lead_measure()] is None and request.state != "answered":
            raise UserError(self.env._("Please choose a score."))
        return values[score_tools.NPS], values[score_tools.CSAT]

    @api.model
    def _nps_answer_lines(self, request, score, csat_score, posted):
        """([(question, value)] of the further questions for the survey
        answer, {field: value} for the request): what this post adds to or
        changes in the answer."""
        may_change = request.campaign_id.allow_answer_change
        values = {}
        if score is not None and (
            request.state != "answered" or (may_change and score != request.score)
        ):
            values.update(score=score, nps_category=score_tools.classify(score))
        if csat_score is not None and (
            not request.csat_score or (may_change and csat_score != request.csat_score)
        ):
            values["csat_score"] = csat_score
        comment = text_tools.plain_text(posted.comment, MAX_COMMENT).strip()
        if comment and (not request.comment or may_change):
            values["comment"] = comment
        lines = self._nps_extra_lines(request, posted.extra)
        reasons = self._nps_reasons(request, posted.reasons, score, csat_score)
        if reasons and (not request.reason_ids or may_change):
            values["reason_ids"] = [(6, 0, reasons.ids)]
        return lines, values

    @api.model
    def _nps_reasons(self, request, reasons, score=None, csat_score=None):
        """The posted reasons (records or ids) among those the campaign
        offers, when the answer is asked why (``score_tools.asks_reasons``
        of its category, with this post's ``score`` and ``csat_score``): a
        promoter's are not kept, as the page never asks him."""
        category = (
            score_tools.classify(score) if score is not None else request.nps_category
        )
        if not reasons or not score_tools.asks_reasons(
            category, csat_score or request.csat_score
        ):
            return self.env["nps.reason"]
        ids = {
            reason.id if isinstance(reason, models.BaseModel) else reason
            for reason in reasons
        }
        return request.campaign_id.reason_ids.filtered(lambda r: r.id in ids)

    @api.model
    def _nps_extra_lines(self, request, extra):
        """[(question, value)] of the survey's further questions answered in
        ``extra`` (question, or its id, to value), each checked by survey's
        own question validation and, for a choice or a scale, against the
        question's answers and bounds; a value that does not pass is left
        out."""
        if not extra:
            return []
        posted = {
            key.id if isinstance(key, models.BaseModel) else key: value
            for key, value in extra.items()
        }
        lines = []
        for question in request._nps_remaining_questions():
            raw = posted.get(question.id)
            if raw in (None, "", False):
                continue
            value = self._nps_extra_value(question, raw)
            if value is not None:
                lines.append((question, str(value)))
        return lines

    @api.model
    def _nps_check_lengths(self, request, extra):
        """Raise UserError, before anything is written, when a further
        answer in ``extra`` (question, or its id, to value) is longer than
        the answer page lets a customer type (``text_tools.answer_limit``
        of its question's type; a line break counts once)."""
        if not extra:
            return
        questions = {q.id: q for q in request.campaign_id.survey_id.question_ids}
        for key, raw in extra.items():
            question = questions.get(
                key.id if isinstance(key, models.BaseModel) else key
            )
            limit = text_tools.answer_limit(question and question.question_type)
            if len(text_tools.plain_text(str(raw))) > limit:
                raise UserError(
                    self.env._(
                        "An answer is longer than %(limit)s characters. Nothing "
                        "was recorded: please shorten it.",
                        limit=limit,
                    )
                )

    @api.model
    def _nps_extra_value(self, question, raw):
        """The answer ``raw`` to ``question``, or None when it does not pass
        its validation."""
        raw = text_tools.plain_text(
            str(raw), text_tools.answer_limit(question.question_type)
        )
        parse = _PARSERS.get(question.question_type)
        try:
            value = parse(raw) if parse else raw
        except ValueError:
            return None
        if parse is float and not (math.isfinite(value) and abs(value) <= MAX_NUMBER):
            # nan, inf or a size no one types: survey's own check of the
            # line would fail on it (a server error)
            return None
        if question.validate_question(value if parse else raw):
            return None
        if question.question_type == "simple_choice" and (
            value not in question.suggested_answer_ids.ids
        ):
            return None
        if question.question_type == "scale" and not (
            question.scale_min <= value <= question.scale_max
        ):
            return None
        return value
