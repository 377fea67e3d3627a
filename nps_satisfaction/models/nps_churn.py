"""Did the customers stay? Churn by what the suite knew of each customer a
lead time before, and whether its health flag warned of the notices.

A customer's reference date is ``lead`` days before its notice, for a
customer who gave notice in the period, and ``lead`` days before the
period's end for the others: what the suite knew then (his account
category, his health, his follow-up cases) sorts him; nothing he said after
it counts. The customers counted are those the suite knew by their
reference date (a survey scheduled, sent or answered) and those who gave
notice in the period, less those who had given notice before it and not
withdrawn it (in the companies looked at: a customer shared between
companies who left one is still another's). A withdrawn notice is a
customer saved, not one who left. The early warning reads the same
customers' notices. The database's own companies are not
customers (their people answer surveys too).

Every figure is one set-based query over the customers, whatever their
number (``./run-benchmark --churn``)."""

from collections import namedtuple

from odoo import api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools import account_tools, churn_tools, health_tools, score_tools

#: the dimensions customers are sorted by, and their values' order
NEVER = "none"
DIMENSIONS = {
    "category": (score_tools.PROMOTER, score_tools.PASSIVE, score_tools.DETRACTOR)
    + (NEVER,),
    "health": (health_tools.HEALTHY, health_tools.WATCH, health_tools.AT_RISK)
    + (NEVER,),
    # detractor accounts: a follow-up case opened by then, or not
    "followed_up": ("yes", "no"),
    # customers with a case by then: a follow-up survey that says recovered
    "recovered": ("yes", "no"),
}
WARNING_HEALTHS = (health_tools.WATCH, health_tools.AT_RISK)

#: the early warning of a period's notices (``_nps_early_warning``)
EarlyWarning = namedtuple(
    "EarlyWarning",
    ["warned", "median_days", "flagged"],
)


class NpsChurn(models.AbstractModel):
    """The churn figures: by prior satisfaction, and the early warning."""

    _name = "nps.churn"
    _description = "Churn figures"

    @api.model
    def _nps_rows_sql(self, start, end, lead):
        """One row per customer counted over the period ``start``-``end``
        (dates, included), with what the suite knew ``lead`` days before:
        ``partner_id, termination_id, notice_date, ref_date, category,
        account_nps, health, risk_score, followed_up, recovered, churned,
        saved, company_id, user_id``.

        Each part reads its table once in the order of an index, for all
        the customers at once: the stayers share one reference date, the
        customers with a notice (``n``, a few) have theirs."""
        for model in ("nps.request", "nps.followup", "nps.termination"):
            self.env[model].flush_model()
        self.env["nps.health.history"].flush_model()
        return SQL(
            "WITH %s, %s %s",
            self._nps_customers_ctes(start, end, lead),
            self._nps_knowledge_ctes(end, lead),
            self._nps_rows_select(),
        )

    @api.model
    def _nps_customers_ctes(self, start, end, lead):
        """``customers``: the customers counted, each with his notice of the
        period (``_nps_notices_sql``), his reference date and his account
        NPS then (``account``); not those gone before the period
        (``_nps_gone_before``).

        ``notices`` is not materialized: each part that joins it reads the
        period's notices again (a few thousand rows), and the planner knows
        they are one per customer."""
        ref_date = self._nps_ref_date(end, lead)
        return SQL(
            """
            notices AS NOT MATERIALIZED (%(notices)s), known AS (
                -- scheduled, sent or answered by the stayers' reference
                -- date (a survey of the past imported later counts from
                -- its dates): a customer with a notice counts anyway; read
                -- from the entity_sent index in its order
                SELECT DISTINCT ON (r.commercial_partner_id)
                       r.commercial_partner_id AS partner_id
                  FROM nps_request r
                 WHERE r.commercial_partner_id IS NOT NULL
                   AND (r.company_id IS NULL OR r.company_id = ANY(%(companies)s))
                   AND LEAST(r.create_date, r.scheduled_date, r.sent_date,
                             r.answer_date) < %(stayers_ref)s + 1
                 ORDER BY r.commercial_partner_id
            ), %(account)s, customers AS (
                SELECT COALESCE(k.partner_id, n.partner_id) AS partner_id,
                       n.termination_id, n.notice_date, n.state AS notice_state,
                       %(ref_date)s AS ref_date, a.nps
                  FROM known k
             FULL JOIN notices n ON n.partner_id = k.partner_id
             LEFT JOIN account a ON a.partner_id = COALESCE(k.partner_id, n.partner_id)
                 WHERE NOT %(gone)s AND %(customer)s
            )
            """,
            notices=self._nps_notices_sql(start, end),
            gone=self._nps_gone_before(
                SQL("COALESCE(k.partner_id, n.partner_id)"), start
            ),
            ref_date=ref_date,
            stayers_ref=self._nps_stayers_ref(end, lead),
            account=self._nps_account_cte(end, lead),
            companies=self.env.companies.ids,
            customer=self._nps_customer_sql(
                SQL("COALESCE(k.partner_id, n.partner_id)")
            ),
        )

    @api.model
    def _nps_customer_sql(self, partner):
        """Whether ``partner`` (an SQL expression of a customer's id, a
        commercial partner) is a customer: not the partner of one of the
        database's own companies, whose people answer surveys too."""
        return SQL(
            "NOT EXISTS (SELECT 1 FROM res_company own WHERE own.partner_id = %s)",
            partner,
        )

    @api.model
    def _nps_notices_sql(self, start, end):
        """The period's notices of the customers counted, one per customer
        (a notice not withdrawn first): ``partner_id, termination_id,
        notice_date, state``. The analysis's lines and the early warning
        read the same notices: one population rule."""
        return SQL(
            """
            SELECT DISTINCT ON (t.partner_id)
                   t.partner_id, t.id AS termination_id, t.notice_date, t.state
              FROM nps_termination t
             WHERE t.notice_date BETWEEN %(start)s AND %(end)s
               AND (t.company_id IS NULL OR t.company_id = ANY(%(companies)s))
               AND NOT %(gone)s AND %(customer)s
             ORDER BY t.partner_id, t.state = 'withdrawn', t.notice_date, t.id
            """,
            start=start,
            end=end,
            companies=self.env.companies.ids,
            gone=self._nps_gone_before(SQL("t.partner_id"), start),
            customer=self._nps_customer_sql(SQL("t.partner_id")),
        )

    @api.model
    def _nps_gone_before(self, partner, start):
        """Whether the customer ``partner`` (an SQL expression) had given
        notice before ``start``, not withdrawn, in the companies looked at:
        gone before the period, he is not counted in it. A customer shared
        between companies who left one is still another's."""
        return SQL(
            """
            EXISTS (SELECT 1 FROM nps_termination g
                     WHERE g.partner_id = %(partner)s
                       AND g.notice_date < %(start)s AND g.state != 'withdrawn'
                       AND (g.company_id IS NULL
                            OR g.company_id = ANY(%(companies)s)))
            """,
            partner=partner,
            start=start,
            companies=self.env.companies.ids,
        )

    @api.model
    def _nps_account_cte(self, end, lead):
        """``account``: each customer's account NPS at his reference date,
        over the latest answer of each of his contacts by then, read from
        the ``contact_latest`` index of the surveys in its order. The
        answers are those his stored account NPS counts, on his form and in
        his health (``account_tools.account_answer_sql``): whichever company
        sent them, so that his category here is the one his form showed."""
        return SQL(
            """
            account AS (
                SELECT partner_id, 100.0 * avg(value) AS nps
                  FROM (
                       SELECT DISTINCT ON (r.commercial_partner_id, r.partner_id)
                              r.commercial_partner_id AS partner_id,
                              CASE r.nps_category WHEN 'promoter' THEN 1
                                   WHEN 'detractor' THEN -1 ELSE 0 END AS value
                         FROM nps_request r
                    LEFT JOIN notices n ON n.partner_id = r.commercial_partner_id
                        WHERE %(account)s
                          AND r.answer_date < %(ref_date)s + 1
                        ORDER BY r.commercial_partner_id, r.partner_id,
                                 %(latest_first)s
                       ) latest
                 GROUP BY partner_id
            )
            """,
            ref_date=self._nps_ref_date(end, lead),
            account=account_tools.account_answer_sql("r"),
            latest_first=account_tools.latest_first_sql("r"),
        )

    @api.model
    def _nps_ref_date(self, end, lead):
        """A customer's reference date, over ``n``, his notice of the period
        (``notices`` left-joined on the customer: none for a customer who
        stayed)."""
        return SQL(
            "COALESCE(n.notice_date - %s, %s)", lead, self._nps_stayers_ref(end, lead)
        )

    @api.model
    def _nps_stayers_ref(self, end, lead):
        """The reference date of the customers who stayed."""
        return SQL("(%s::date - %s)", end, lead)

    @api.model
    def _nps_knowledge_ctes(self, end, lead):
        """What else the suite knew of each customer at his reference date:
        his health (``health``, the last change by then), his risk score
        (``risk``, the last one by then) and his follow-up cases
        (``cases``: opened by then, recovered by then). The history is read
        in the order of its ``partner_date`` index, which holds the health,
        the score and the company."""
        ref_date = self._nps_ref_date(end, lead)
        return SQL(
            """
            health AS (
                SELECT DISTINCT ON (h.partner_id) h.partner_id,
                       CASE WHEN h.health::varchar = ANY(%(healths)s::varchar[])
                            THEN h.health END AS health
                  FROM nps_health_history h
             LEFT JOIN notices n ON n.partner_id = h.partner_id
                 WHERE h.date < %(ref_date)s + 1
                 ORDER BY h.partner_id, h.date DESC, h.id DESC
            ), risk AS (
                SELECT DISTINCT ON (h.partner_id) h.partner_id, h.risk_score
                  FROM nps_health_history h
             LEFT JOIN notices n ON n.partner_id = h.partner_id
                 WHERE h.date < %(ref_date)s + 1 AND h.risk_score IS NOT NULL
                 ORDER BY h.partner_id, h.date DESC, h.id DESC
            ), cases AS (
                SELECT f.commercial_partner_id AS partner_id,
                       bool_or(f.recovered AND s.answer_date < %(ref_date)s + 1)
                           AS recovered
                  FROM nps_followup f
             LEFT JOIN notices n ON n.partner_id = f.commercial_partner_id
             LEFT JOIN LATERAL (
                       SELECT answer_date FROM nps_request
                        WHERE id = f.survey_request_id) s ON TRUE
                 WHERE f.create_date < %(ref_date)s + 1
                 GROUP BY f.commercial_partner_id
            )
            """,
            healths=[code for code, _label in health_tools.HEALTH_SELECTION],
            ref_date=ref_date,
        )

    @api.model
    def _nps_rows_select(self):
        return SQL(
            """
            SELECT c.partner_id, c.termination_id, c.notice_date, c.ref_date,
                   CASE WHEN c.nps IS NULL THEN %(never)s
                        WHEN c.nps >= %(promoter_min)s THEN 'promoter'
                        WHEN c.nps <= %(detractor_max)s THEN 'detractor'
                        ELSE 'passive' END AS category,
                   c.nps AS account_nps,
                   COALESCE(h.health, %(never)s) AS health,
                   -- 0 without a score by then
                   COALESCE(x.risk_score, 0) AS risk_score,
                   CASE WHEN c.nps > %(detractor_max)s OR c.nps IS NULL THEN NULL
                        WHEN k.partner_id IS NULL THEN 'no' ELSE 'yes' END
                       AS followed_up,
                   CASE WHEN k.partner_id IS NULL THEN NULL
                        WHEN k.recovered THEN 'yes' ELSE 'no' END AS recovered,
                   COALESCE(c.notice_state != 'withdrawn', FALSE) AS churned,
                   COALESCE(c.notice_state = 'withdrawn', FALSE) AS saved,
                   p.company_id, p.user_id
              FROM customers c
              JOIN res_partner p ON p.id = c.partner_id
              -- joined on p.id, whose statistics the planner knows
         LEFT JOIN health h ON h.partner_id = p.id
         LEFT JOIN risk x ON x.partner_id = p.id
         LEFT JOIN cases k ON k.partner_id = p.id
            """,
            never=NEVER,
            promoter_min=account_tools.ACCOUNT_PROMOTER_MIN,
            detractor_max=account_tools.ACCOUNT_DETRACTOR_MAX,
        )

    @api.model
    def _nps_segments(self, start, end, lead, rows=None):
        """``{dimension: [(value, Rate)]}``: the churn rate of each value of
        each dimension, in ``DIMENSIONS``' order, in one query; over
        ``rows`` (an SQL source of ``_nps_rows_sql``'s columns: an
        analysis's stored lines) when given."""
        self._nps_check_access()
        columns = SQL(", ").join(SQL.identifier(name) for name in DIMENSIONS)
        self.env.cr.execute(
            SQL(
                """
                SELECT %(columns)s, count(*), count(*) FILTER (WHERE churned)
                  FROM (%(rows)s) rows
                 GROUP BY GROUPING SETS (%(sets)s)
                """,
                columns=columns,
                rows=rows or self._nps_rows_sql(start, end, lead),
                sets=SQL(", ").join(
                    SQL("(%s)", SQL.identifier(name)) for name in DIMENSIONS
                ),
            )
        )
        counts = {}
        for row in self.env.cr.fetchall():
            *values, total, left = row
            for name, value in zip(DIMENSIONS, values, strict=True):
                if value is not None:
                    counts[name, value] = (left, total)
        return {
            name: [
                (value, churn_tools.wilson(*counts.get((name, value), (0, 0))))
                for value in order
            ]
            for name, order in DIMENSIONS.items()
        }

    @api.model
    def _nps_summary(self, segments):
        """``(sentence, lift)``: how often detractors left against promoters
        (``_nps_segments``' result), the sentence the dashboard and the
        analysis say it in; the lift None when it cannot be told."""
        rates = dict(segments["category"])
        detractors, promoters = rates["detractor"], rates["promoter"]
        lift = churn_tools.lift(detractors, promoters)
        if lift is None:
            sentence = self.env._(
                "Not enough departures to compare detractors with promoters "
                "(%(d_left)s of %(d_total)s detractors and %(p_left)s of "
                "%(p_total)s promoters left).",
                d_left=detractors.left,
                d_total=detractors.total,
                p_left=promoters.left,
                p_total=promoters.total,
            )
        else:
            sentence = self.env._(
                "Here, detractors left %(lift)sx as often as promoters "
                "(%(d_left)s of %(d_total)s vs %(p_left)s of %(p_total)s).",
                lift=f"{lift:.1f}",
                d_left=detractors.left,
                d_total=detractors.total,
                p_left=promoters.left,
                p_total=promoters.total,
            )
        return sentence, lift

    @api.model
    def _nps_early_warning(self, start, end, lead):
        """How the health flag did over the period's notices, those of the
        analysis's customers (``_nps_notices_sql``, withdrawn ones
        included): ``warned``, the Rate of the notices whose customer was at
        risk or to watch ``lead`` days before; ``median_days``, from the start
        of that warning to the notice; ``flagged`` (``_nps_flagged``)."""
        self._nps_check_access()
        for model in ("nps.termination", "nps.health.history"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH notices AS (%(notices)s), known AS (
                    -- his changes by then, the last (greatest date, id)
                    -- first: is it the last, and was he fine after it
                    SELECT n.partner_id, n.notice_date, h.date,
                           h.health = ANY(%(warnings)s) AS warning,
                           row_number() OVER w = 1 AS last,
                           bool_or(h.health != ALL(%(warnings)s)) OVER (
                               w ROWS BETWEEN UNBOUNDED PRECEDING
                                          AND 1 PRECEDING) AS fine_after
                      FROM notices n
                      JOIN nps_health_history h ON h.partner_id = n.partner_id
                     WHERE h.date < %(ref_date)s + 1
                    WINDOW w AS (PARTITION BY n.partner_id
                                 ORDER BY h.date DESC, h.id DESC)
                ), streak AS (
                    -- since his first warning with no fine change after it
                    SELECT partner_id, notice_date, min(date) FILTER (
                               WHERE warning AND fine_after IS NOT TRUE)
                               AS warned_since
                      FROM known GROUP BY partner_id, notice_date
                    HAVING bool_or(last AND warning)
                )
                SELECT (SELECT count(*) FROM notices),
                       (SELECT count(*) FROM streak),
                       (SELECT array_agg(notice_date - warned_since::date)
                          FROM streak)
                """,
                notices=self._nps_notices_sql(start, end),
                ref_date=self._nps_ref_date(end, lead),
                warnings=list(WARNING_HEALTHS),
            )
        )
        notices, warned, days = self.env.cr.fetchone()
        return EarlyWarning(
            churn_tools.wilson(warned, notices),
            churn_tools.median_days(days or []),
            self._nps_flagged(start, end),
        )

    @api.model
    def _nps_flagged(self, start, end):
        """The Rate of the customers at risk or to watch on ``start`` who
        gave notice (not withdrawn) by ``end``."""
        self.env.cr.execute(
            SQL(
                """
                WITH flagged AS (
                    SELECT DISTINCT ON (h.partner_id) h.partner_id, h.health
                      FROM nps_health_history h
                     WHERE h.date < %(start)s::date + 1
                       AND (h.company_id IS NULL
                            OR h.company_id = ANY(%(companies)s))
                     ORDER BY h.partner_id, h.date DESC, h.id DESC
                )
                SELECT count(*),
                       -- the period's notices, hashed once
                       count(*) FILTER (WHERE f.partner_id IN (
                           SELECT n.partner_id FROM (%(notices)s) n
                            WHERE n.state != 'withdrawn'))
                  FROM flagged f
                 WHERE f.health = ANY(%(warnings)s) AND NOT %(gone)s
                   AND %(customer)s
                """,
                start=start,
                notices=self._nps_notices_sql(start, end),
                gone=self._nps_gone_before(SQL("f.partner_id"), start),
                companies=self.env.companies.ids,
                warnings=list(WARNING_HEALTHS),
                customer=self._nps_customer_sql(SQL("f.partner_id")),
            )
        )
        total, left = self.env.cr.fetchone()
        return churn_tools.wilson(left, total)

    @api.model
    def _nps_check_lead_days(self, days):
        """Refuse a lead time the figures cannot use: negative, or so long
        that the reference dates leave the calendar."""
        if not 0 <= days <= churn_tools.LEAD_DAYS_MAX:
            raise ValidationError(
                self.env._(
                    "The churn lead time is a number of days, from 0 to %(max)s.",
                    max=churn_tools.LEAD_DAYS_MAX,
                )
            )

    @api.model
    def _nps_check_access(self):
        """The figures read every customer's answers and notices: the
        satisfaction users' and managers', not an account manager's (who
        reads only his own customers')."""
        if not self.env.su and not self.env.user.has_group(
            "nps_satisfaction.group_nps_user"
        ):
            raise AccessError(
                self.env._("The churn figures are for the satisfaction users.")
            )
