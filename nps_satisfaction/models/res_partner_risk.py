from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import health_tools, risk_tools, score_tools
from ..tools.groups import STAFF
from .nps_followup import OPEN_STATES
from .nps_termination import DONE
from .res_partner import FIGURE_GROUPS, _shown

#: customers whose risk the daily job computes at once (one commit each)
RISK_BATCH = 500
#: the customers (commercial partners): companies and individual customers
#: (less the database's own companies: ``_nps_customer_domain``)
CUSTOMER_DOMAIN = Domain("is_company", "=", True) | Domain("parent_id", "=", False)


class ResPartner(models.Model):
    """A customer's risk score (0-100) and its drivers: the sum of the
    points of what the suite knows against him (his account NPS, his CSAT,
    his follow-up cases, his silence, his tickets; the other addons add
    theirs through ``_nps_risk_drivers``), its band the health levels.
    Stored on the customers (commercial partners) where the health is
    refreshed and by a daily job, for the satisfaction users; shown on the
    form to them and to the customer's account manager."""

    # split by what things are (STYLE.md): res_partner.py holds the figures
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    nps_risk_score = fields.Integer(
        string="Risk score",
        readonly=True,
        index=True,
        default=0,
        copy=False,
        aggregator="avg",
        groups=FIGURE_GROUPS,
        help="From 0 to 100: the sum of the points of the customer's risk "
        "drivers (weights in the settings), capped at 100.",
    )
    nps_risk_band = fields.Selection(
        selection=health_tools.HEALTH_SELECTION,
        string="Risk band",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups=FIGURE_GROUPS,
        help="The risk score's band: 0-29 healthy, 30-59 to watch, 60-100 at risk.",
    )
    nps_risk_drivers = fields.Text(
        string="Risk drivers (stored)",
        readonly=True,
        copy=False,
        groups=FIGURE_GROUPS,
        help="The drivers of the risk score with their points, as codes "
        "(JSON); the form shows them in words.",
    )
    nps_risk_score_shown = _shown(
        fields.Integer,
        "Risk score (as shown)",
        help="From 0 to 100: the sum of the points of the customer's risk "
        "drivers (weights in the settings), capped at 100.",
    )
    nps_risk_band_shown = _shown(
        fields.Selection,
        "Risk band (as shown)",
        selection=health_tools.HEALTH_SELECTION,
        search="_search_nps_risk_band_shown",
        help="The risk score's band: 0-29 healthy, 30-59 to watch, 60-100 at risk.",
    )
    nps_risk_drivers_shown = _shown(
        fields.Text,
        "Risk drivers (as shown)",
        help="What makes the risk score, one driver a line with its points.",
    )
    # who the lists of customers leave aside
    nps_own_company = fields.Boolean(
        string="Own company",
        compute="_compute_nps_own_company",
        search="_search_nps_own_company",
        help="The partner of one of the database's companies, or one of its "
        "contacts: not a customer.",
        groups=STAFF,
    )
    nps_left = fields.Boolean(
        string="Left",
        compute="_compute_nps_left",
        search="_search_nps_left",
        help="The customer left: one of his terminations is done.",
        groups=STAFF,
    )

    def _nps_own_companies(self):
        """The database's companies, archived ones included."""
        return self.env["res.company"].sudo().with_context(active_test=False)

    @api.depends("commercial_partner_id")
    def _compute_nps_own_company(self):
        own = self._nps_own_companies().search(
            [("partner_id", "in", self.commercial_partner_id.ids)]
        )
        for partner in self:
            partner.nps_own_company = partner.commercial_partner_id in own.partner_id

    def _search_nps_own_company(self, operator, value):
        if operator != "in":
            return NotImplemented
        # a subquery: a list's or a segment's count stays one query
        companies = self._nps_own_companies()._search([])
        return Domain("commercial_partner_id", "in", companies.subselect("partner_id"))

    @api.depends("commercial_partner_id")
    @api.depends_context("uid")
    def _compute_nps_left(self):
        """From the terminations the user reads (his customers' for an
        account manager)."""
        gone = (
            self.env["nps.termination"]
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("state", "=", DONE),
                ]
            )
            .partner_id
        )
        for partner in self:
            partner.nps_left = partner.commercial_partner_id in gone

    def _search_nps_left(self, operator, value):
        if operator != "in":
            return NotImplemented
        done = self.env["nps.termination"]._search([("state", "=", DONE)])
        return Domain("commercial_partner_id", "in", done.subselect("partner_id"))

    @api.model
    def _nps_customer_domain(self):
        """The customers: companies and individual customers, not the
        database's own companies and their people."""
        return CUSTOMER_DOMAIN & Domain("nps_own_company", "=", False)

    # the ``_shown`` fields above share the figures' compute method
    # (res_partner.py); the risk's come from this one
    @api.depends_context("lang")
    @api.depends("nps_risk_score", "nps_risk_band", "nps_risk_drivers")
    def _compute_nps_figures_shown(self):
        result = super()._compute_nps_figures_shown()
        may_all = self._nps_may_manage_accounts()
        for partner in self:
            partner_sudo = partner.sudo()
            shown = may_all or partner._nps_account_manager() == self.env.user
            drivers = risk_tools.loads(partner_sudo.nps_risk_drivers) if shown else []
            partner.nps_risk_score_shown = partner_sudo.nps_risk_score if shown else 0
            partner.nps_risk_band_shown = partner_sudo.nps_risk_band if shown else False
            partner.nps_risk_drivers_shown = partner._nps_risk_words(drivers)
        return result

    def _search_nps_risk_band_shown(self, operator, value):
        return self._nps_search_figure("nps_risk_band", operator, value)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # the customers by their risk as the current user reads it: his own
        # customers' scores (all of them for a satisfaction user), the
        # others' after them
        if field_name != "nps_risk_score_shown":
            return super()._order_field_to_sql(
                alias, field_name, direction, nulls, query
            )
        score = SQL.identifier(alias, "nps_risk_score")
        if not self._nps_may_manage_accounts():
            score = SQL(
                "CASE WHEN %s = %s THEN %s END",
                SQL.identifier(alias, "nps_account_manager_id"),
                self.env.uid,
                score,
            )
        return SQL("COALESCE(%s, -1) %s %s", score, direction, nulls)

    # --- The drivers in words ---

    @api.model
    def _nps_risk_words(self, drivers):
        """The drivers (``(code, points, label_args)``), one a line, in the
        reader's language: "+60 detractor account"."""
        return (
            "\n".join(
                self.env._(
                    "+%(points)s %(driver)s",
                    points=points,
                    driver=self._nps_risk_driver_label(code, args),
                )
                for code, points, args in drivers
            )
            or False
        )

    @api.model
    def _nps_risk_driver_label(self, code, args):
        """The words of a driver, in the reader's language; each addon names
        its own drivers (the code itself when none does)."""
        labels = {
            "detractor": lambda: self.env._("detractor account"),
            "passive": lambda: self.env._("passive account"),
            "drop": lambda: self.env._(
                "account average score dropped by %(points)s",
                points=args.get("points"),
            ),
            "low_csat": lambda: self.env._(
                "CSAT %(csat)s%% under the minimum %(minimum)s%%",
                csat=args.get("csat"),
                minimum=args.get("minimum"),
            ),
            "open_followup": lambda: self.env._(
                "open follow-ups: %(count)s", count=args.get("count")
            ),
            "overdue_followup": lambda: self.env._(
                "overdue follow-ups: %(count)s", count=args.get("count")
            ),
            "silence": lambda: self.env._(
                "surveys unanswered after their reminders (180 days): %(count)s",
                count=args.get("count"),
            ),
            "tickets": lambda: self.env._(
                "tickets in the last 90 days: %(count)s", count=args.get("count")
            ),
            "reopened_tickets": lambda: self.env._(
                "reopened tickets in the last 90 days: %(count)s",
                count=args.get("count"),
            ),
        }
        label = labels.get(code)
        return label() if label else code

    # --- The drivers ---

    def _nps_risk_drivers(self):
        """The risk drivers of these customers (commercial partners):
        ``{partner id: [(code, points, label_args)]}``, ``label_args`` a dict
        of the numbers the driver's words show (see
        ``_nps_risk_driver_label``). A few queries for the whole set,
        whatever its size. Each addon extends it with its own drivers (call
        ``super()`` and add to its lists); a driver's points are its weight
        in the customer's company's settings."""
        drivers = {partner.id: [] for partner in self}
        if self:
            self._nps_risk_answer_drivers(drivers)
            self._nps_risk_followup_drivers(drivers)
            self._nps_risk_silence_drivers(drivers)
            self._nps_risk_ticket_drivers(drivers)
        return drivers

    def _nps_risk_company(self):
        """The company whose weights count for this customer."""
        self.ensure_one()
        return self.sudo().company_id or self.env.company

    def _nps_risk_answer_drivers(self, drivers):
        """The account's category and trend, and the CSAT, from the stored
        figures (the health's signals)."""
        for partner in self.sudo():
            drivers[partner.id] += partner._nps_risk_figure_drivers(
                {
                    field: partner[field]
                    for field in (
                        "nps_account_category",
                        "nps_account_trend",
                        "nps_account_respondents",
                        "csat_answer_count",
                        "csat_avg",
                    )
                }
            )

    def _nps_risk_figure_drivers(self, figures):
        """The drivers of this customer's answer figures ``figures`` (a
        mapping of ``nps_account_category``, ``nps_account_trend``,
        ``nps_account_respondents``, ``csat_answer_count``, ``csat_avg``: the
        stored ones, or those of a date of the past), weighed by its
        company."""
        self.ensure_one()
        company = self._nps_risk_company()
        found = []
        category = figures["nps_account_category"]
        if category == score_tools.DETRACTOR:
            found.append(("detractor", company.nps_risk_detractor_points, {}))
        elif category == score_tools.PASSIVE:
            found.append(("passive", company.nps_risk_passive_points, {}))
        drop = company.nps_health_drop_points
        trend = figures["nps_account_trend"]
        if drop and figures["nps_account_respondents"] and round(trend, 6) <= -drop:
            found.append(
                ("drop", company.nps_risk_drop_points, {"points": round(-trend, 1)})
            )
        minimum = company.nps_health_csat_min
        if figures["csat_answer_count"] and figures["csat_avg"] < minimum:
            args = {"csat": round(figures["csat_avg"]), "minimum": round(minimum)}
            found.append(("low_csat", company.nps_risk_low_csat_points, args))
        return found

    def _nps_risk_case_driver(self, count, overdue):
        """The driver of this customer's ``count`` open follow-up cases,
        ``overdue`` of them past their deadline."""
        self.ensure_one()
        company = self._nps_risk_company()
        if overdue:
            return (
                "overdue_followup",
                company.nps_risk_overdue_points,
                {"count": overdue},
            )
        return ("open_followup", company.nps_risk_followup_points, {"count": count})

    def _nps_risk_followup_drivers(self, drivers):
        """Follow-up cases open (overdue: past their deadline)."""
        self.env["nps.followup"].flush_model(
            ["commercial_partner_id", "state", "date_deadline"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT commercial_partner_id, count(*),
                       count(*) FILTER (WHERE date_deadline < %(today)s)
                  FROM nps_followup
                 WHERE commercial_partner_id = ANY(%(ids)s)
                   AND state = ANY(%(open)s)
                 GROUP BY commercial_partner_id
                """,
                ids=self.ids,
                open=list(OPEN_STATES),
                today=fields.Date.context_today(self),
            )
        )
        for partner_id, count, overdue in self.env.cr.fetchall():
            partner = self.browse(partner_id)
            drivers[partner_id].append(partner._nps_risk_case_driver(count, overdue))

    def _nps_risk_silence_drivers(self, drivers):
        """Surveys that expired unanswered after their reminders, in the last
        ``SILENCE_DAYS`` days."""
        self.env["nps.request"].flush_model(
            ["commercial_partner_id", "state", "reminder_count", "last_reminder_date"]
        )
        since = fields.Datetime.now() - timedelta(days=risk_tools.SILENCE_DAYS)
        self.env.cr.execute(
            SQL(
                """
                SELECT commercial_partner_id, count(*)
                  FROM nps_request
                 WHERE commercial_partner_id = ANY(%(ids)s)
                   AND state = 'expired' AND reminder_count > 0
                   AND last_reminder_date >= %(since)s
                 GROUP BY commercial_partner_id
                """,
                ids=self.ids,
                since=since,
            )
        )
        for partner_id, count in self.env.cr.fetchall():
            points = self.browse(partner_id)._nps_risk_company().nps_risk_silence_points
            drivers[partner_id].append(("silence", points, {"count": count}))

    def _nps_risk_ticket_drivers(self, drivers):
        """More than ``TICKET_COUNT_MAX`` tickets opened, and each ticket
        reopened, in the last ``TICKET_DAYS`` days."""
        self.env["helpdesk.ticket"].flush_model(
            ["commercial_partner_id", "nps_last_reopen_date"]
        )
        since = fields.Datetime.now() - timedelta(days=risk_tools.TICKET_DAYS)
        self.env.cr.execute(
            SQL(
                """
                SELECT commercial_partner_id,
                       count(*) FILTER (WHERE create_date >= %(since)s),
                       count(*) FILTER (WHERE nps_last_reopen_date >= %(since)s)
                  FROM helpdesk_ticket
                 WHERE commercial_partner_id = ANY(%(ids)s)
                   AND (create_date >= %(since)s
                        OR nps_last_reopen_date >= %(since)s)
                 GROUP BY commercial_partner_id
                """,
                ids=self.ids,
                since=since,
            )
        )
        for partner_id, opened, reopened in self.env.cr.fetchall():
            company = self.browse(partner_id)._nps_risk_company()
            if opened > risk_tools.TICKET_COUNT_MAX:
                points = company.nps_risk_tickets_points
                drivers[partner_id].append(("tickets", points, {"count": opened}))
            if reopened:
                points = company.nps_risk_reopen_points * reopened
                driver = ("reopened_tickets", points, {"count": reopened})
                drivers[partner_id].append(driver)

    # --- The score, refreshed ---

    def _nps_refresh_risk(self, health_changed=None):
        """Compute the risk score, band and drivers of the customers among
        these partners and store those that changed (one write per set of
        equal values). A customer whose score changed, or who is in
        ``health_changed`` (his health just changed), gets a row of his
        health history, in one create for the set. The system's figures,
        whoever's action refreshes them."""
        customers = self.sudo().filtered(lambda p: p.commercial_partner_id == p)
        changed = (health_changed or self.browse()).sudo()
        if not customers:
            self.env["nps.health.history"]._record_changes(changed)
            return
        found = customers._nps_risk_drivers()
        by_values = {}
        for partner in customers:
            drivers = found.get(partner.id, [])
            score = risk_tools.score(drivers)
            values = (
                score,
                risk_tools.band(score) if drivers or partner.nps_health else False,
                risk_tools.dumps(drivers),
            )
            stored = (
                partner.nps_risk_score,
                partner.nps_risk_band or False,
                partner.nps_risk_drivers or False,
            )
            if values != stored:
                by_values.setdefault(values, []).append(partner.id)
                if score != partner.nps_risk_score:
                    changed |= partner
        for (score, band, text), ids in by_values.items():
            customers.browse(ids).write(
                {
                    "nps_risk_score": score,
                    "nps_risk_band": band,
                    "nps_risk_drivers": text,
                }
            )
        if not self.env.context.get("nps_risk_no_history"):
            self.env["nps.health.history"]._record_changes(changed)

    @api.model
    def _cron_nps_risk_score(self, batch_size=RISK_BATCH):
        """Compute every customer's risk score again (the drivers that go
        with time: deadlines passed, tickets and silences leaving their
        window, renewals coming), in batches, committing after each."""
        partners_sudo = self.sudo()
        ids = partners_sudo.search(self._nps_customer_domain(), order="id").ids
        cron = self.env["ir.cron"]
        for start in range(0, len(ids), batch_size):
            batch = partners_sudo.browse(ids[start : start + batch_size])
            batch._nps_refresh_risk()
            remaining = max(0, len(ids) - start - batch_size)
            if cron._commit_progress(len(batch), remaining=remaining) <= 0:
                break
            self.env.invalidate_all()
