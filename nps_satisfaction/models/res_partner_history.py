from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.misc import format_date

from ..tools import score_tools
from ..tools.groups import STAFF
from .res_partner import FIGURE_GROUPS

#: the answers the form's graph of scores shows
SPARKLINE_ANSWERS = 12


class ResPartner(models.Model):
    """The customer's satisfaction history on his form: his surveys, his
    open follow-up cases, his terminations, his health over time, the graph
    of his scores and the lists and reports that open from it."""

    # split by what things are (STYLE.md): res_partner.py holds the figures
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    nps_score_sparkline = fields.Html(
        string="Scores over time",
        compute="_compute_nps_score_sparkline",
        sanitize=False,
        help="The last answers' scores, oldest first.",
        groups=STAFF,
    )
    nps_followup_count = fields.Integer(
        string="Open follow-ups",
        compute="_compute_nps_followup_count",
        groups=STAFF,
    )
    nps_request_ids = fields.One2many(
        comodel_name="nps.request",
        inverse_name="partner_id",
        string="Satisfaction surveys",
        groups=STAFF,
    )
    nps_history_ids = fields.Many2many(
        comodel_name="nps.request",
        string="Survey history",
        compute="_compute_nps_history_ids",
        help="The surveys of this contact; for a company, those of all its contacts.",
        groups=STAFF,
    )

    nps_termination_ids = fields.Many2many(
        comodel_name="nps.termination",
        string="Terminations",
        compute="_compute_nps_terminations",
        help="The customer's termination notices (a contact's are his company's).",
        groups=STAFF,
    )
    nps_termination_count = fields.Integer(
        string="Terminations (count)",
        compute="_compute_nps_terminations",
        groups=STAFF,
    )
    nps_termination_open = fields.Boolean(
        string="Notice given",
        compute="_compute_nps_terminations",
        help="The customer gave notice and has not withdrawn it, nor left.",
        groups=STAFF,
    )
    nps_may_record_termination = fields.Boolean(
        string="May record a termination",
        compute="_compute_nps_may_record_termination",
        help="The user records terminations of this customer: a "
        "satisfaction user, or the customer's account manager.",
        groups=STAFF,
    )
    nps_health_history_ids = fields.One2many(
        comodel_name="nps.health.history",
        inverse_name="partner_id",
        string="Health over time",
        readonly=True,
        groups=FIGURE_GROUPS,
    )

    @api.depends("commercial_partner_id")
    @api.depends_context("uid")
    def _compute_nps_terminations(self):
        """The terminations of the customers of these partners the user
        may read (his customers' for an account manager), newest first."""
        terminations = self.env["nps.termination"].search(
            [("partner_id", "in", self.commercial_partner_id.ids)]
        )
        for partner in self:
            own = terminations.filtered(
                lambda t, p=partner: t.partner_id == p.commercial_partner_id
            )
            partner.nps_termination_ids = own
            partner.nps_termination_count = len(own)
            partner.nps_termination_open = any(t.state == "notice" for t in own)

    @api.depends("commercial_partner_id", "nps_account_manager_id")
    @api.depends_context("uid")
    def _compute_nps_may_record_termination(self):
        may_all = self._nps_may_manage_accounts()
        for partner in self:
            partner.nps_may_record_termination = bool(partner._origin.id) and (
                may_all or partner._origin._nps_account_manager() == self.env.user
            )

    def action_nps_record_termination(self):
        """The form of a new termination of this customer (a contact's
        company)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a termination"),
            "res_model": "nps.termination",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_view_nps_terminations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_termination"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def _compute_nps_followup_count(self):
        rows = self.env["nps.followup"]._read_group(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("state", "in", ("open", "in_progress")),
            ],
            ["commercial_partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in rows}
        for partner in self:
            partner.nps_followup_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_nps_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_followup"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        return action

    def _compute_nps_history_ids(self):
        companies = self.filtered("is_company")
        requests = self.env["nps.request"].search(
            [
                "|",
                ("partner_id", "in", self.ids),
                ("commercial_partner_id", "in", companies.ids),
            ]
        )
        # the newest first, by when each was sent, else due, else decided
        # (a skipped survey was never due): the list keeps this order, which
        # no order on a column could give (the unsent ones have no sent date)
        requests = requests.sorted(
            lambda r: (r.sent_date or r.scheduled_date or r.create_date, r.id),
            reverse=True,
        )
        for partner in self:
            partner.nps_history_ids = requests.filtered(
                lambda r, p=partner: r.partner_id == p
                or (p.is_company and r.commercial_partner_id == p)
            )

    # --- The customer's evolution, on its form ---

    def _nps_scope_domain(self):
        """The answers that count for this customer: its own for a contact,
        all its contacts' for a company."""
        self.ensure_one()
        if self.is_company:
            return [("commercial_partner_id", "=", self.id)]
        return [("partner_id", "=", self.id)]

    def _compute_nps_score_sparkline(self):
        """A small graph of the last answers' scores, as inline SVG drawn
        from numbers and dates only (nothing a user typed), read with the
        user's own rights: an account manager sees his customers' answers,
        not another's."""
        Request = self.env["nps.request"]
        for partner in self:
            origin = partner._origin
            answers = Request
            if origin.id:
                answers = Request.search(
                    Domain.AND(
                        [
                            origin._nps_scope_domain(),
                            [("state", "=", "answered"), ("nps_category", "!=", False)],
                        ]
                    ),
                    order="answer_date desc, id desc",
                    limit=SPARKLINE_ANSWERS,
                )
            if not answers:
                # no graph of nothing: an empty line read as a score of 0
                partner.nps_score_sparkline = Markup(
                    '<span class="text-muted o_nps_sparkline_empty">%s</span>'
                ) % self.env._("No answer yet")
                continue
            partner.nps_score_sparkline = partner._nps_sparkline_svg(
                [(request.answer_date, request.score) for request in reversed(answers)]
            )

    def _nps_sparkline_svg(self, points):
        """Inline SVG of ``(date, score)`` points (0-10, oldest first); False
        without points. Every text goes through Markup's escaping."""
        if not points:
            return False
        width, height, pad = 240, 64, 6
        colours = {"promoter": "#2e9e5b", "passive": "#e0a800", "detractor": "#d9534f"}
        step = (width - 2 * pad) / max(len(points) - 1, 1)

        def x(index):
            return round(pad + index * step if len(points) > 1 else width / 2, 1)

        def y(score):
            return round(height - pad - score * (height - 2 * pad) / 10, 1)

        path = " ".join(f"{x(i)},{y(score)}" for i, (_date, score) in enumerate(points))
        dots = Markup().join(
            Markup(
                '<circle cx="%s" cy="%s" r="3.5" fill="%s"><title>%s: %s</title>'
                "</circle>"
            )
            % (
                x(i),
                y(score),
                colours[score_tools.classify(score)],
                format_date(self.env, date) if date else "",
                score,
            )
            for i, (date, score) in enumerate(points)
        )
        return Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="o_nps_sparkline" '
            'width="%(w)s" height="%(h)s" viewBox="0 0 %(w)s %(h)s" role="img">'
            '<line x1="0" x2="%(w)s" y1="%(p)s" y2="%(p)s" stroke="#2e9e5b" '
            'stroke-dasharray="2,3" stroke-width="1"/>'
            '<line x1="0" x2="%(w)s" y1="%(d)s" y2="%(d)s" stroke="#d9534f" '
            'stroke-dasharray="2,3" stroke-width="1"/>'
            '<polyline points="%(path)s" fill="none" stroke="#6c757d" '
            'stroke-width="1.5"/>%(dots)s</svg>'
        ) % {
            "w": width,
            "h": height,
            "p": y(8.5),
            "d": y(6.5),
            "path": path,
            "dots": dots,
        }

    def action_view_nps_report(self):
        """The satisfaction analysis of this customer (a contact's own
        answers, a company's all its contacts'), over time."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_report_nps"
        )
        field = "partner_id" if self.is_company else "contact_id"
        action["domain"] = [(field, "=", self.id)]
        action["context"] = {}
        action["display_name"] = self.env._(
            "Satisfaction of %(customer)s", customer=self.display_name
        )
        return action

    def action_view_nps_contacts(self):
        """The contacts behind the account NPS: each one's role and latest
        answer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Account NPS of %(customer)s", customer=self.display_name
            ),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref(
                        "nps_satisfaction.res_partner_view_list_nps_contacts"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            # its contacts who answered, and the company's own address when
            # it answered itself (answers the user reads)
            "domain": [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("nps_request_ids.state", "=", "answered"),
            ],
            "context": {"default_parent_id": self.commercial_partner_id.id},
        }

    def action_view_nps_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_request"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        return action
