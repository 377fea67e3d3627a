from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..tools import account_tools, health_tools, score_tools
from ..tools.groups import STAFF

#: the answers the form's graph of scores shows
SPARKLINE_ANSWERS = 12

#: who reads every customer's satisfaction figures, and sets the customers'
#: account managers: customer satisfaction users (and administrators)
FIGURE_GROUPS = "nps_satisfaction.group_nps_user"

#: the customer's stored satisfaction figures (readable by satisfaction users
#: only), each shown on the contact form through ``<name>_shown``: to
#: satisfaction users for every customer, to an internal user for the
#: customers he manages, empty otherwise
FIGURE_FIELDS = (
    "nps_last_score",
    "nps_category",
    "nps_trend",
    "csat_avg",
    "csat_answer_count",
    "nps_answer_count",
    "nps_last_survey_date",
    "nps_health",
    "nps_health_reason",
    "nps_account_nps",
    "nps_account_score",
    "nps_account_trend",
    "nps_account_respondents",
    "nps_account_category",
)

#: what moves a contact to another customer (its commercial entity)
MOVE_FIELDS = frozenset({"parent_id", "is_company", "commercial_partner_id"})

HEALTH_REASON_SELECTION = [
    ("open_followup", "A follow-up is open"),
    ("detractor", "Account NPS: detractor"),
    ("low_csat", "Low satisfaction with support"),
    ("drop", "Score dropped"),
    ("passive", "Account NPS: passive"),
    ("promoter", "Account NPS: promoter"),
    ("satisfied", "Satisfied with support"),
]


def _shown(field_class, string, **kwargs):
    """The field of a figure as the contact form shows it to the current
    user (see ``_compute_nps_figures_shown``)."""
    return field_class(
        string=string,
        compute="_compute_nps_figures_shown",
        compute_sudo=False,
        groups="base.group_user",
        **kwargs,
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    nps_last_score = fields.Integer(
        string="Last NPS score", readonly=True, copy=False, groups=FIGURE_GROUPS
    )
    nps_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION,
        string="NPS category",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    nps_trend = fields.Integer(
        string="NPS trend",
        readonly=True,
        help="Last score minus the previous one.",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    csat_avg = fields.Float(
        string="CSAT (%)",
        readonly=True,
        digits=(16, 1),
        help="Share of the customer's 1-5 satisfaction answers that are 4 or 5.",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    csat_answer_count = fields.Integer(
        string="CSAT answers",
        readonly=True,
        help="How many 1-5 satisfaction answers the CSAT counts.",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    nps_answer_count = fields.Integer(
        string="Survey answers", readonly=True, copy=False, groups=FIGURE_GROUPS
    )
    nps_last_survey_date = fields.Datetime(
        string="Last survey answered", readonly=True, copy=False, groups=FIGURE_GROUPS
    )
    nps_opt_out = fields.Boolean(
        string="No satisfaction surveys",
        tracking=True,
        help="The customer asked not to receive satisfaction surveys.",
    )
    # the customer's dates a campaign may survey around (trigger "date")
    nps_contract_start_date = fields.Date(
        string="Contract start",
        index="btree_not_null",
        help="The date the customer's contract started.",
    )
    nps_go_live_date = fields.Date(
        string="Go-live",
        index="btree_not_null",
        help="The date the customer's service went live.",
    )
    nps_health = fields.Selection(
        selection=health_tools.HEALTH_SELECTION,
        string="Health",
        readonly=True,
        index="btree_not_null",
        help="Healthy, to watch or at risk, from the customer's account NPS "
        "(the latest answer of each of its contacts), its support "
        "satisfaction and its open follow-ups: see the reason beside it.",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    nps_health_reason = fields.Selection(
        selection=HEALTH_REASON_SELECTION,
        string="Health reason",
        readonly=True,
        copy=False,
        groups=FIGURE_GROUPS,
    )
    # --- The account view: each contact's latest answer counts once ---
    nps_contact_role = fields.Selection(
        selection=account_tools.CONTACT_ROLE_SELECTION,
        string="Contact role",
        index="btree_not_null",
        help="The contact's role at the customer: periodic relationship "
        "surveys go to the roles their campaign chooses; reports filter and "
        "group answers by it.",
    )
    nps_account_nps = fields.Float(
        string="Account NPS",
        readonly=True,
        aggregator="avg",
        help="The NPS over the latest answer of each contact of the customer "
        "(each contact counts once): % promoters minus % detractors.",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    nps_account_score = fields.Float(
        string="Account average score",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="The average of the latest score of each contact (0-10).",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    nps_account_trend = fields.Float(
        string="Account trend",
        readonly=True,
        digits=(16, 1),
        aggregator=False,
        help="How the account's average score moved with its last answer.",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    nps_account_respondents = fields.Integer(
        string="Contacts counted",
        readonly=True,
        aggregator="sum",
        help="The contacts whose latest answer makes the account NPS.",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    nps_account_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION,
        string="Account category",
        readonly=True,
        index="btree_not_null",
        help="Promoter account from an account NPS of +30, detractor account "
        "from -30; the health reads it.",
        copy=False,
        groups=FIGURE_GROUPS,
    )
    # --- The figures as the contact form shows them ---
    nps_last_score_shown = _shown(fields.Integer, "Last NPS score (as shown)")
    nps_category_shown = _shown(
        fields.Selection,
        "NPS category (as shown)",
        selection=score_tools.CATEGORY_SELECTION,
        search="_search_nps_category_shown",
    )
    nps_trend_shown = _shown(
        fields.Integer,
        "NPS trend (as shown)",
        help="Last score minus the previous one.",
    )
    csat_avg_shown = _shown(
        fields.Float,
        "CSAT (%) (as shown)",
        digits=(16, 1),
        help="Share of the customer's 1-5 satisfaction answers that are 4 or 5.",
    )
    csat_answer_count_shown = _shown(
        fields.Integer,
        "CSAT answers (as shown)",
        help="How many 1-5 satisfaction answers the CSAT counts.",
    )
    nps_answer_count_shown = _shown(fields.Integer, "Survey answers (as shown)")
    nps_last_survey_date_shown = _shown(
        fields.Datetime, "Last survey answered (as shown)"
    )
    nps_health_shown = _shown(
        fields.Selection,
        "Health (as shown)",
        selection=health_tools.HEALTH_SELECTION,
        search="_search_nps_health_shown",
        help="Healthy, to watch or at risk, from the customer's account NPS "
        "(the latest answer of each of its contacts), its support "
        "satisfaction and its open follow-ups: see the reason beside it.",
    )
    nps_health_reason_shown = _shown(
        fields.Selection,
        "Health reason (as shown)",
        selection=HEALTH_REASON_SELECTION,
    )
    nps_account_nps_shown = _shown(
        fields.Float,
        "Account NPS (as shown)",
        help="The NPS over the latest answer of each contact of the customer "
        "(each contact counts once): % promoters minus % detractors.",
    )
    nps_account_score_shown = _shown(
        fields.Float,
        "Account average score (as shown)",
        digits=(16, 1),
        help="The average of the latest score of each contact (0-10).",
    )
    nps_account_trend_shown = _shown(
        fields.Float,
        "Account trend (as shown)",
        digits=(16, 1),
        help="How the account's average score moved with its last answer.",
    )
    nps_account_respondents_shown = _shown(
        fields.Integer,
        "Contacts counted (as shown)",
        help="The contacts whose latest answer makes the account NPS.",
    )
    nps_account_category_shown = _shown(
        fields.Selection,
        "Account category (as shown)",
        selection=score_tools.CATEGORY_SELECTION,
        help="Promoter account from an account NPS of +30, detractor account "
        "from -30; the health reads it.",
    )
    # --- Who manages the customer's satisfaction data ---
    nps_account_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Account manager (satisfaction)",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        tracking=True,
        domain=[("share", "=", False)],
        groups="base.group_user",
        help="The user who reads this customer's satisfaction answers, "
        "figures and follow-up cases and is given its follow-ups. A new "
        "customer starts with its salesperson, a new contact with its "
        "company's account manager. Only customer satisfaction users set it; "
        "it follows the salesperson when one of them changes the salesperson, "
        "not when anyone else does: then the satisfaction data keep their "
        "account manager.",
    )
    nps_score_sparkline = fields.Html(
        string="Scores over time",
        compute="_compute_nps_score_sparkline",
        sanitize=False,
        help="The last answers' scores, oldest first.",
        groups=STAFF,
    )
    nps_service_type_ids = fields.Many2many(
        comodel_name="nps.service.type",
        relation="nps_service_type_res_partner_rel",
        column1="partner_id",
        column2="service_type_id",
        string="Services",
        help="The services this customer subscribes to.",
        groups=STAFF,
    )
    nps_followup_count = fields.Integer(
        string="Open follow-ups",
        compute="_compute_nps_followup_count",
        groups=STAFF,
    )
    nps_main_service_type_id = fields.Many2one(
        comodel_name="nps.service.type",
        string="Main service",
        compute="_compute_nps_main_service_type_id",
        store=True,
        index="btree_not_null",
        help="The first of the customer's services: reports group by it.",
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

    @api.depends("nps_service_type_ids.sequence")
    def _compute_nps_main_service_type_id(self):
        for partner in self:
            partner.nps_main_service_type_id = partner.nps_service_type_ids.sorted()[:1]

    # --- The account manager of the satisfaction data ---

    @api.model
    def _nps_may_manage_accounts(self):
        """Whether the current user sets the customers' account managers and
        reads every customer's figures: a satisfaction user, or the
        superuser."""
        return self.env.su or self.env.user.has_group(FIGURE_GROUPS)

    def _nps_account_manager(self):
        """Who manages this customer's satisfaction data: the account manager
        of its commercial entity, else its own."""
        self.ensure_one()
        partner_sudo = self.sudo()
        return (
            partner_sudo.commercial_partner_id.nps_account_manager_id
            or partner_sudo.nps_account_manager_id
        )

    @api.model
    def _nps_managed_domain(self, user):
        """The customers whose satisfaction data ``user`` manages (see
        ``_nps_account_manager``)."""
        managed_by = "commercial_partner_id.nps_account_manager_id"
        return Domain(managed_by, "=", user.id) | (
            Domain(managed_by, "=", False)
            & Domain("nps_account_manager_id", "=", user.id)
        )

    @api.model
    def _has_field_access(self, field, operation):
        # the account manager opens the customer's answers: set by
        # satisfaction users only (the salesperson, which anyone creating
        # contacts may set, does not)
        if (
            operation == "write"
            and field.name == "nps_account_manager_id"
            and not self._nps_may_manage_accounts()
        ):
            return False
        return super()._has_field_access(field, operation)

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # a new customer starts with its salesperson as account manager, a
        # new contact of a customer with the customer's
        by_manager = {}
        for partner in partners.sudo():
            if partner.nps_account_manager_id:
                continue
            commercial = partner.commercial_partner_id
            manager = (
                commercial.nps_account_manager_id
                if commercial != partner
                else partner.user_id
            )
            if manager:
                by_manager.setdefault(manager, partner.browse())
                by_manager[manager] |= partner
        for manager, group in by_manager.items():
            super(ResPartner, group).write({"nps_account_manager_id": manager.id})
        return partners

    def write(self, vals):
        may_manage = self._nps_may_manage_accounts()
        if may_manage:
            # the account manager follows the salesperson a satisfaction user
            # (or the system) sets
            if "user_id" in vals and "nps_account_manager_id" not in vals:
                vals = dict(vals, nps_account_manager_id=vals["user_id"])
        elif "nps_account_manager_id" in vals and all(
            partner.nps_account_manager_id.id
            == (vals["nps_account_manager_id"] or False)
            for partner in self
        ):
            # unchanged (a merge, a form saving what it read): nothing to check
            vals = {k: v for k, v in vals.items() if k != "nps_account_manager_id"}
        before = {}
        if not may_manage and MOVE_FIELDS.intersection(vals):
            before = self._nps_commercial_partners()
        managers_before = {}
        if may_manage and "nps_account_manager_id" in vals:
            managers_before = {
                partner: partner.nps_account_manager_id
                for partner in self.sudo()
                if partner.commercial_partner_id == partner
            }
        result = super().write(vals)
        if before:
            self._nps_check_not_moved(before)
        for customer, manager in managers_before.items():
            customer._nps_contacts_follow_manager(manager)
        if not may_manage and "user_id" in vals:
            self._nps_note_account_manager_kept()
        return result

    def _nps_contacts_follow_manager(self, previous):
        """The contacts of this customer that had its previous account
        manager (``previous``), or none, take its new one: the contact form
        says what the rules apply (they read the customer's)."""
        self.ensure_one()
        contacts = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("id", "child_of", self.id),
                    ("id", "!=", self.id),
                    ("nps_account_manager_id", "in", [previous.id, False]),
                ]
            )
        )
        if contacts and self.nps_account_manager_id != previous:
            contacts.write({"nps_account_manager_id": self.nps_account_manager_id.id})

    def _nps_commercial_partners(self):
        """``{contact: its customer}`` of these partners and the contacts
        under them that have satisfaction surveys."""
        scope = (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", self.ids)])
        )
        surveyed = (
            self.env["nps.request"]
            .sudo()
            ._read_group(
                # a campaign's test email (state test) is no survey of his
                [("partner_id", "in", scope.ids), ("state", "!=", "test")],
                ["partner_id"],
            )
        )
        return {partner: partner.commercial_partner_id for (partner,) in surveyed}

    def _nps_check_not_moved(self, before):
        """Refuse to move a contact that has satisfaction surveys to another
        customer (its answers would follow the new customer's account
        manager): a satisfaction user's decision."""
        for partner, customer in before.items():
            if partner.commercial_partner_id != customer:
                raise AccessError(
                    self.env._(
                        "%(contact)s has satisfaction surveys: only customer "
                        "satisfaction users can move it from %(customer)s to "
                        "another customer, whose account manager would read "
                        "them.",
                        contact=partner.name,
                        customer=customer.name,
                    )
                )

    def _nps_note_account_manager_kept(self):
        """Say on the customer that a new salesperson set by a user without
        satisfaction rights does not become its account manager."""
        bodies = {}
        for partner in self.sudo():
            if partner.user_id == partner.nps_account_manager_id:
                continue
            bodies[partner.id] = Markup("<p>%s</p>") % self.env._(
                "The salesperson changed; the account manager of the "
                "satisfaction data stays %(manager)s (only customer "
                "satisfaction users change it).",
                manager=partner.nps_account_manager_id.name or self.env._("unassigned"),
            )
        if bodies:
            self.browse(bodies)._message_log_batch(bodies=bodies)

    # --- The figures as the contact form shows them ---

    @api.depends_context("uid")
    @api.depends(
        *FIGURE_FIELDS,
        "nps_account_manager_id",
        "commercial_partner_id.nps_account_manager_id",
    )
    def _compute_nps_figures_shown(self):
        """The customer's figures for satisfaction users, and for the
        internal user who manages the customer; empty for anyone else."""
        may_all = self._nps_may_manage_accounts()
        for partner in self:
            partner_sudo = partner.sudo()
            shown = may_all or partner._nps_account_manager() == self.env.user
            for name in FIGURE_FIELDS:
                partner[f"{name}_shown"] = partner_sudo[name] if shown else False

    def _search_nps_health_shown(self, operator, value):
        return self._nps_search_figure("nps_health", operator, value)

    def _search_nps_category_shown(self, operator, value):
        return self._nps_search_figure("nps_category", operator, value)

    def _nps_search_figure(self, name, operator, value):
        """The customers whose figure ``name`` matches, among those whose
        figures the current user reads."""
        if operator not in ("in", "="):
            return NotImplemented
        domain = Domain(name, operator, value)
        if not self._nps_may_manage_accounts():
            domain &= self._nps_managed_domain(self.env.user)
        partners_sudo = self.sudo().with_context(active_test=False)
        return Domain("id", "in", partners_sudo._search(domain))

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

    def _nps_refresh_stats(self):
        """Recompute the satisfaction figures of these partners from their
        answers: a contact counts its own answers, a company those of all its
        contacts. The account figures (and the health that reads them) count
        the latest NPS answer of each contact once. One query for the whole
        set."""
        if not self:
            return
        self.env["nps.request"].flush_model()
        self.env["nps.followup"].flush_model(["state", "request_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH answers AS (
                    SELECT p.id AS partner_id, r.id AS request_id, r.score,
                           r.nps_category, r.csat_score, r.answer_date,
                           f.id IS NOT NULL AS open_followup,
                           r.partner_id AS contact_id,
                           CASE WHEN r.nps_category IS NOT NULL
                                THEN row_number() OVER (
                                    PARTITION BY p.id, r.partner_id,
                                                 r.nps_category IS NULL
                                    ORDER BY r.answer_date DESC, r.id DESC)
                           END AS contact_rank
                      FROM res_partner p
                      JOIN nps_request r
                        ON (r.partner_id = p.id
                            OR (p.is_company AND r.commercial_partner_id = p.id))
                 LEFT JOIN nps_followup f
                        ON f.request_id = r.id
                       AND f.state IN ('open', 'in_progress')
                     WHERE p.id IN %(ids)s AND r.state = 'answered'
                )
                SELECT partner_id,
                       (array_agg(score ORDER BY answer_date DESC,
                                         request_id DESC)
                            FILTER (WHERE nps_category IS NOT NULL))[1:2],
                       max(answer_date),
                       avg(%(csat_value)s),
                       count(csat_score),
                       count(*),
                       bool_or(open_followup),
                       array_agg(ARRAY[contact_id, contact_rank, score]
                                 ORDER BY answer_date DESC, request_id DESC)
                           FILTER (WHERE contact_rank <= 2)
                  FROM answers
                 GROUP BY partner_id
                """,
                ids=tuple(self.ids),
                csat_value=score_tools.csat_value_sql(SQL("csat_score")),
            )
        )
        stats = {row[0]: row[1:] for row in self.env.cr.fetchall()}

        for partner in self:
            (
                scores,
                last_date,
                csat,
                csat_count,
                count,
                open_followup,
                contacts,
            ) = stats.get(partner.id, ([], False, None, 0, 0, False, None))
            scores = scores or []
            csat = float(csat) if csat is not None else None
            last = scores[0] if scores else False
            category = score_tools.classify(last) if scores else False
            trend = scores[0] - scores[1] if len(scores) > 1 else 0
            account, before = account_tools.account_now_and_before(contacts or [])
            account_trend = (
                account["score"] - before["score"] if before["respondents"] else 0.0
            )
            company = partner.company_id or self.env.company
            health, reason = health_tools.health(
                account["category"],
                account_trend,
                csat,
                open_followup,
                drop_points=company.nps_health_drop_points,
                csat_min=company.nps_health_csat_min,
            )
            # the figures are the system's, whoever's action refreshes them
            partner.sudo().write(
                {
                    "nps_last_score": last if scores else 0,
                    "nps_category": category,
                    "nps_trend": trend,
                    "csat_avg": csat or 0.0,
                    "csat_answer_count": csat_count,
                    "nps_last_survey_date": last_date,
                    "nps_answer_count": count,
                    "nps_account_nps": account["nps"],
                    "nps_account_score": account["score"],
                    "nps_account_trend": account_trend,
                    "nps_account_respondents": account["respondents"],
                    "nps_account_category": account["category"],
                    "nps_health": health,
                    "nps_health_reason": reason,
                }
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

    # --- Privacy ---

    @api.model
    def _nps_check_privacy_access(self):
        if not self.env.user.has_group("nps_satisfaction.group_nps_manager"):
            raise AccessError(
                self.env._(
                    "Only customer satisfaction administrators can export or "
                    "anonymise a customer's satisfaction data."
                )
            )

    def _nps_privacy_scope(self):
        """The contacts a privacy request about this one covers: itself, and
        for a company its contacts too."""
        self.ensure_one()
        if not self.is_company:
            return self
        return self.with_context(active_test=False).search(
            [("commercial_partner_id", "=", self.id)], order="is_company desc, id"
        )

    def _nps_privacy_requests(self):
        """The survey requests of this customer (and, for a company, of its
        contacts)."""
        self.ensure_one()
        return (
            self.env["nps.request"]
            .sudo()
            .search([("partner_id", "in", self._nps_privacy_scope().ids)])
        )

    def _nps_privacy_target(self):
        """Whom this customer's answers count for once anonymised: the
        company of a contact, so that the company's figures and health stay
        whole; nobody (the shared anonymised customer) for a company or a
        private person."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        if commercial != self and not self.is_company:
            return commercial
        return self.env.ref("nps_satisfaction.partner_nps_anonymised")

    def action_nps_export_data(self):
        """Download this customer's satisfaction data (zip: JSON and CSV)."""
        self.ensure_one()
        self._nps_check_privacy_access()
        self.check_access("read")
        export = self.env["nps.privacy.export"].create({"partner_id": self.id})
        return export.action_download()

    def action_nps_anonymize_data(self):
        """Open the confirmation of the anonymisation."""
        self.ensure_one()
        self._nps_check_privacy_access()
        self.check_access("read")
        wizard = self.env["nps.privacy.anonymize"].create({"partner_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Anonymise satisfaction data"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
