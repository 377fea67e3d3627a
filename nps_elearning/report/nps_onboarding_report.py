from odoo import fields, models
from odoo.tools import SQL

#: the window after onboarding in which support tickets are counted
WINDOW_DAYS = 90


class NpsOnboardingReport(models.Model):
    """One row per onboarded customer (company): when its onboarding began,
    whether every enrolled learner completed it, and the helpdesk tickets it
    opened in its first 90 days. Averaging ``ticket_count`` over a group
    gives that group's tickets per customer."""

    _name = "nps.onboarding.report"
    _description = "Onboarding and support tickets"
    _auto = False
    _rec_name = "partner_id"
    _order = "onboarding_date desc"

    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Account manager", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    onboarding_date = fields.Datetime(
        string="Onboarded on",
        readonly=True,
        help="The first enrolment of one of the customer's contacts in an "
        "onboarding course.",
    )
    onboarding_state = fields.Selection(
        selection=[
            ("completed", "Onboarding completed"),
            ("not_completed", "Onboarding not completed"),
        ],
        string="Onboarding",
        readonly=True,
        help="Completed when every enrolled learner finished every onboarding "
        "course they follow.",
    )
    learner_count = fields.Integer(string="Learners", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    ticket_count = fields.Integer(
        string="Tickets in the first 90 days", readonly=True, aggregator="sum"
    )
    ticket_avg = fields.Float(
        string="Tickets per customer",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
    )
    window_over = fields.Boolean(
        string="90 days elapsed",
        readonly=True,
        help="The customer's first 90 days are over: its ticket count is final.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH onboarding AS (
                SELECT m.nps_commercial_partner_id AS partner_id,
                       min(m.nps_enrolled_date) AS onboarding_date,
                       count(DISTINCT m.partner_id) AS learner_count,
                       bool_and(m.member_status = 'completed') AS completed
                  FROM slide_channel_partner m
                 WHERE m.nps_onboarding
                   AND m.nps_source IS NOT NULL
                   AND m.active
                   AND m.nps_commercial_partner_id IS NOT NULL
                 GROUP BY m.nps_commercial_partner_id
            )
            SELECT o.partner_id AS id,
                   o.partner_id,
                   p.nps_account_manager_id AS user_id,
                   p.company_id,
                   o.onboarding_date,
                   CASE WHEN o.completed THEN 'completed'
                        ELSE 'not_completed' END AS onboarding_state,
                   o.learner_count,
                   1 AS customer_count,
                   coalesce(t.ticket_count, 0) AS ticket_count,
                   coalesce(t.ticket_count, 0)::float AS ticket_avg,
                   o.onboarding_date + make_interval(days => %(days)s)
                       <= now() AT TIME ZONE 'UTC' AS window_over
              FROM onboarding o
              JOIN res_partner p ON p.id = o.partner_id
         LEFT JOIN LATERAL (
                    SELECT count(*) AS ticket_count
                      FROM helpdesk_ticket ht
                     WHERE ht.commercial_partner_id = o.partner_id
                       AND ht.create_date >= o.onboarding_date
                       AND ht.create_date
                           < o.onboarding_date + make_interval(days => %(days)s)
                   ) t ON TRUE
            """,
            days=WINDOW_DAYS,
        )
