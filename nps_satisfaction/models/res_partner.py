from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import account_tools, health_tools, score_tools
from ..tools.groups import STAFF

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
    """A customer's satisfaction figures (his own, his account's and his
    health), stored for the satisfaction users and shown on his form to
    whoever may read them, and what the campaigns read about him (his
    opt-out, dates, role and services). His account manager, his history on
    his form and the privacy actions are beside this file
    (``res_partner_account_manager.py``, ``res_partner_history.py``,
    ``res_partner_privacy.py``)."""

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
    nps_service_type_ids = fields.Many2many(
        comodel_name="nps.service.type",
        relation="nps_service_type_res_partner_rel",
        column1="partner_id",
        column2="service_type_id",
        string="Services",
        help="The services this customer subscribes to.",
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

    @api.depends("nps_service_type_ids.sequence")
    def _compute_nps_main_service_type_id(self):
        for partner in self:
            partner.nps_main_service_type_id = partner.nps_service_type_ids.sorted()[:1]

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

    # --- The figures, refreshed from the answers ---

    def _nps_refresh_stats(self):
        """Recompute the satisfaction figures of these partners from their
        answers: a contact counts its own answers, a customer (a company, an
        individual customer: the commercial partner) those of all its
        contacts. The account figures (and the health that reads them) count
        the latest NPS answer of each contact once, by the rule the churn
        figures read (``account_tools.account_answer_sql``). One query for the whole
        set. The customers' risk scores follow; a customer whose health, its
        reason or his risk score changes gets a row of his health history
        (``nps.health.history``), in one create for the set."""
        if not self:
            return
        stats = self._nps_read_stats()
        before = {
            partner.id: (partner.nps_health, partner.nps_health_reason)
            for partner in self.sudo()
        }
        changed = self.browse()
        for partner in self:
            values = partner._nps_stats_values(
                *stats.get(partner.id, ([], False, None, 0, 0, False, None))
            )
            # the figures are the system's, whoever's action refreshes them
            partner.sudo().write(values)
            if (
                values["nps_health"] or False,
                values["nps_health_reason"] or False,
            ) != before[partner.id] and partner.commercial_partner_id == partner:
                changed |= partner
        # the customers' risk scores read these figures (res_partner_risk.py)
        self._nps_refresh_risk(health_changed=changed)

    def _nps_read_stats(self):
        """The answers behind the figures of these partners, in one query:
        ``{partner id: (its NPS scores, newest first, two at most; its last
        answer date; its CSAT share; its CSAT answers; its answers; whether
        one of them has a case open; the two latest NPS answers of each of
        its contacts, as [contact, rank, score])}``. A partner without
        answers is not in it."""
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
                           CASE WHEN %(account)s
                                THEN row_number() OVER (
                                    PARTITION BY p.id, r.partner_id, %(account)s
                                    ORDER BY %(latest_first)s)
                           END AS contact_rank
                      FROM res_partner p
                      -- a customer's answers are his people's (a contact's
                      -- his own), as the churn figures count them
                      JOIN nps_request r
                        ON (r.partner_id = p.id
                            OR (p.commercial_partner_id = p.id
                                AND r.commercial_partner_id = p.id))
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
                account=account_tools.account_answer_sql("r"),
                latest_first=account_tools.latest_first_sql("r"),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _nps_stats_values(
        self, scores, last_date, csat, csat_count, count, open_followup, contacts
    ):
        """The figures of this partner, as values to write, from its row of
        ``_nps_read_stats``: its own last score, category and trend, its
        CSAT, its account figures and the health that reads them."""
        self.ensure_one()
        scores = scores or []
        csat = float(csat) if csat is not None else None
        last = scores[0] if scores else False
        account, before = account_tools.account_now_and_before(contacts or [])
        account_trend = (
            account["score"] - before["score"] if before["respondents"] else 0.0
        )
        health, reason = self._nps_health_and_reason(
            account["category"], account_trend, csat, open_followup
        )
        return {
            "nps_last_score": last if scores else 0,
            "nps_category": score_tools.classify(last) if scores else False,
            "nps_trend": scores[0] - scores[1] if len(scores) > 1 else 0,
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

    def _nps_health_and_reason(
        self, account_category, account_trend, csat, open_followup
    ):
        """``(health, reason)`` of this partner from its account figures, its
        CSAT and its open cases, with the thresholds of its company."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return health_tools.health(
            account_category,
            account_trend,
            csat,
            open_followup,
            drop_points=company.nps_health_drop_points,
            csat_min=company.nps_health_csat_min,
        )
