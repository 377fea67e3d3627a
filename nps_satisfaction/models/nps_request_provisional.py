"""What the one-click attempts show on the survey request: its unconfirmed
answer, how the answer was confirmed, and a manager's count of an answer he
reviewed."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.groups import STAFF
from .nps_answer_attempt import LIVE, TRACE


class NpsRequest(models.Model):
    """What the one-click attempts show on the survey request: its
    unconfirmed answer, how the answer was confirmed, and a manager's count
    of an answer he reviewed."""

    _inherit = "nps.request"  # pylint: disable=consider-merging-classes-inherited

    attempt_ids = fields.One2many(
        comodel_name="nps.answer.attempt",
        inverse_name="request_id",
        string="One-click attempts",
        readonly=True,
        groups="nps_satisfaction.group_nps_user",
        help="Each score posted by the one-click link: when, from which "
        "browser, and what became of it.",
    )
    provisional_state = fields.Selection(
        selection=[
            ("pending", "Provisional"),
            ("suspect", "Suspect, not counted"),
        ],
        string="Unconfirmed answer",
        compute="_compute_provisional",
        store=True,
        index="btree_not_null",
        help="A score recorded by the one-click link and not confirmed yet by "
        "the customer. Provisional: it counts once the customer confirms it "
        "or after the settle delay. Suspect (made by a mail security scanner "
        "or right after sending): it never counts.",
        groups=STAFF,
    )
    provisional_score = fields.Integer(
        string="Unconfirmed score",
        compute="_compute_provisional",
        store=True,
        groups=STAFF,
    )
    provisional_date = fields.Datetime(
        string="Unconfirmed since",
        compute="_compute_provisional",
        store=True,
        groups=STAFF,
    )
    provisional_measure = fields.Selection(
        selection=[("nps", "NPS (0-10)"), ("csat", "CSAT (1-5)")],
        string="Scale of the unconfirmed score",
        compute="_compute_provisional_details",
        compute_sudo=True,
        groups=STAFF,
    )
    provisional_reason = fields.Char(
        string="Why suspect",
        compute="_compute_provisional_details",
        compute_sudo=True,
        help="What made the unconfirmed answer suspect.",
        groups=STAFF,
    )
    provisional_user_agent = fields.Char(
        string="Unconfirmed from",
        compute="_compute_provisional_details",
        compute_sudo=True,
        help="The browser (user agent) that recorded the unconfirmed score.",
        groups=STAFF,
    )
    confirmed_by = fields.Selection(
        selection=[
            ("customer", "The customer, on the answer page"),
            ("settled", "Unconfirmed, counted after the settle delay"),
            ("reviewed", "Counted after a manager's review"),
        ],
        string="Confirmation",
        readonly=True,
        help="How a one-click answer became the answer.",
        groups=STAFF,
    )

    def _nps_latest_attempt(self):
        """The latest one-click attempt that is not a mere trace, a
        provisional one before a suspect one (sudo)."""
        self.ensure_one()
        attempts = (
            self.sudo()
            .attempt_ids.sorted("id", reverse=True)
            .filtered(lambda a: a.verdict not in TRACE)
        )
        return (attempts.filtered(lambda a: a.verdict == "pending") or attempts)[:1]

    @api.depends("attempt_ids.verdict", "attempt_ids.score", "attempt_ids.attempt_date")
    def _compute_provisional(self):
        """Unconfirmed while the latest attempt is live; once it is
        confirmed, its score and time stay."""
        for request in self:
            request.update(self._nps_provisional_values(request._nps_latest_attempt()))

    @api.model
    def _nps_provisional_values(self, latest):
        """The unconfirmed answer shown for the ``latest`` attempt (none yet
        on a new request)."""
        live = latest.verdict in LIVE
        return {
            "provisional_state": latest.verdict if live else False,
            "provisional_score": latest.score,
            "provisional_date": latest.attempt_date,
        }

    def _compute_provisional_details(self):
        for request in self:
            latest = request._nps_latest_attempt()
            live = latest.verdict in LIVE
            request.provisional_reason = latest.reason if live else False
            request.provisional_user_agent = latest.user_agent
            request.provisional_measure = latest.measure

    def action_count_answer(self):
        """A manager counts the unconfirmed answer he reviewed (a suspect one,
        or one over its network's ceiling on the counter link)."""
        if not self.env.user.has_group("nps_satisfaction.group_nps_manager"):
            raise AccessError(self.env._("Only satisfaction managers count answers."))
        service = self.env["nps.answer.service"]
        for request in self:
            service._nps_count_reviewed(request)
