from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..tools import account_tools, health_tools, score_tools

#: the answers the form's graph of scores shows
SPARKLINE_ANSWERS = 12


class ResPartner(models.Model):
    _inherit = "res.partner"

    nps_last_score = fields.Integer(
        string="Last NPS score", readonly=True, groups="base.group_user"
    )
    nps_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION,
        string="NPS category",
        readonly=True,
        index="btree_not_null",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_trend = fields.Integer(
        string="NPS trend",
        readonly=True,
        help="Last score minus the previous one.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    csat_avg = fields.Float(
        string="CSAT (%)",
        readonly=True,
        digits=(16, 1),
        help="Share of the customer's 1-5 satisfaction answers that are 4 or 5.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    csat_answer_count = fields.Integer(
        string="CSAT answers",
        readonly=True,
        help="How many 1-5 satisfaction answers the CSAT counts.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_answer_count = fields.Integer(
        string="Survey answers", readonly=True, groups="base.group_user"
    )
    nps_last_survey_date = fields.Datetime(
        string="Last survey answered", readonly=True, groups="base.group_user"
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
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_health_reason = fields.Selection(
        selection=[
            ("open_followup", "A follow-up is open"),
            ("detractor", "Account NPS: detractor"),
            ("low_csat", "Low satisfaction with support"),
            ("drop", "Score dropped"),
            ("passive", "Account NPS: passive"),
            ("promoter", "Account NPS: promoter"),
            ("satisfied", "Satisfied with support"),
        ],
        string="Health reason",
        readonly=True,
        groups="base.group_user,nps_satisfaction.group_nps_user",
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
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_account_score = fields.Float(
        string="Account average score",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="The average of the latest score of each contact (0-10).",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_account_trend = fields.Float(
        string="Account trend",
        readonly=True,
        digits=(16, 1),
        aggregator=False,
        help="How the account's average score moved with its last answer.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_account_respondents = fields.Integer(
        string="Contacts counted",
        readonly=True,
        aggregator="sum",
        help="The contacts whose latest answer makes the account NPS.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_account_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION,
        string="Account category",
        readonly=True,
        index="btree_not_null",
        help="Promoter account from an account NPS of +30, detractor account "
        "from -30; the health reads it.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_score_sparkline = fields.Html(
        string="Scores over time",
        compute="_compute_nps_score_sparkline",
        sanitize=False,
        help="The last answers' scores, oldest first.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_service_type_ids = fields.Many2many(
        comodel_name="nps.service.type",
        relation="nps_service_type_res_partner_rel",
        column1="partner_id",
        column2="service_type_id",
        string="Services",
        help="The services this customer subscribes to.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_followup_count = fields.Integer(
        string="Open follow-ups",
        compute="_compute_nps_followup_count",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_main_service_type_id = fields.Many2one(
        comodel_name="nps.service.type",
        string="Main service",
        compute="_compute_nps_main_service_type_id",
        store=True,
        index="btree_not_null",
        help="The first of the customer's services: reports group by it.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_request_ids = fields.One2many(
        comodel_name="nps.request",
        inverse_name="partner_id",
        string="Satisfaction surveys",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )
    nps_history_ids = fields.Many2many(
        comodel_name="nps.request",
        string="Survey history",
        compute="_compute_nps_history_ids",
        help="The surveys of this contact; for a company, those of all its contacts.",
        groups="base.group_user,nps_satisfaction.group_nps_user",
    )

    @api.depends("nps_service_type_ids.sequence")
    def _compute_nps_main_service_type_id(self):
        for partner in self:
            partner.nps_main_service_type_id = partner.nps_service_type_ids.sorted()[:1]

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
            partner.write(
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
            # it answered itself
            "domain": [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("nps_answer_count", ">", 0),
                "|",
                ("id", "!=", self.commercial_partner_id.id),
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
