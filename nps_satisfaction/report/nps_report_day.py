"""The satisfaction figures by day, kept as the surveys change.

``nps.report`` has one row per survey sent: its NPS by month reads every
survey of the years shown. ``nps.report.day`` holds, per day and per value
of the dimensions the reports group by most (company, campaign, trigger,
helpdesk team, pilot), the sums its measures are made of: the surveys, the
answers, the promoters, passives and detractors, the scores and CSAT
answers and their sums, the comments. ``nps.report`` reads from it
whatever its domain, its groups and its measures allow
(``_nps_summary_domain``): the same figures from a table a few per cent of
its size.

It is never rebuilt behind the users' backs: triggers on ``nps_request``
add, in the same statement, the contribution of each row inserted or
changed and take away the old one (a statement's rows summed by key, one
insert), whatever writes it (the ORM, a related field recomputed, a
foreign key's cascade, plain SQL). A change is an insert of a *fresh* row,
never an update of a shared one, so that two answers of the same team and
day do not wait for each other; the job ``_cron_compact`` sums each key's
rows into one, which changes no figure."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import score_tools, stats_tools, summary_tools

#: the fields of nps.report the summary keeps, with their nps_request
#: columns: a domain or a grouping on these alone can read from it (the
#: state and the category are counts of each key, not keys: five times
#: fewer rows; a grouping or a filter on them reads the surveys)
DIMENSIONS = {
    "date": "report_date",
    "company_id": "company_id",
    "campaign_id": "campaign_id",
    "trigger": "trigger",
    "team_id": "team_id",
    "pilot": "COALESCE(pilot, FALSE)",
}
#: the sums kept per key: their SQL from a survey ``r`` of the report
MEASURES = {
    "row_count": "1",
    "answered_count": "CASE WHEN r.state = 'answered' THEN 1 END",
    "promoter_count": "CASE WHEN r.nps_category = 'promoter' THEN 1 END",
    "passive_count": "CASE WHEN r.nps_category = 'passive' THEN 1 END",
    "detractor_count": "CASE WHEN r.nps_category = 'detractor' THEN 1 END",
    "score_sum": "CASE WHEN r.state = 'answered' THEN COALESCE(r.score, 0) END",
    "score_count": "CASE WHEN r.state = 'answered' AND r.score IS NOT NULL THEN 1 END",
    "csat_count": "CASE WHEN r.state = 'answered' AND r.csat_score IS NOT NULL"
    " THEN 1 END",
    "csat_score_sum": "CASE WHEN r.state = 'answered' THEN r.csat_score END",
    "csat_sum": None,  # csat_value_sql, below
    "comment_count": "CASE WHEN COALESCE(r.comment, '') <> '' THEN 1 END",
}
#: the surveys nps.report counts
REPORTED_STATES = ("sent", "answered", "expired")


def _sums(table):
    """The SQL of the nps.report aggregates the summary gives, on its
    ``table`` (its alias in the query)."""
    t = f'"{table}"'
    promoters, detractors = f"SUM({t}.promoter_count)", f"SUM({t}.detractor_count)"
    rated = f"({promoters} + SUM({t}.passive_count) + {detractors})"
    some = f"SUM({t}.row_count) > 0"
    # n·(P + D) − (P − D)², exact: n² times the variance of one answer
    # (+1, 0, -1), the NPS's 100 left out
    spread = (
        f"({rated} * ({promoters} + {detractors}) - ({promoters} - {detractors}) ^ 2)"
    )
    return {
        "__count": f"COALESCE(SUM({t}.row_count), 0)::bigint",
        "nps_value:avg": f"100.0 * ({promoters} - {detractors}) / NULLIF({rated}, 0)",
        "nps_value:sum": f"(100 * ({promoters} - {detractors}))::bigint",
        "nps_value:count": f"COALESCE({rated}, 0)::bigint",
        "nps_margin": f"CASE WHEN {rated} >= %(min)s AND {spread} > 0"
        f" THEN %(z)s * 100 * SQRT({spread}::float / {rated}::float ^ 3) END",
        "answered:avg": f"100.0 * SUM({t}.answered_count)"
        f" / NULLIF(SUM({t}.row_count), 0)",
        "answer_count:sum": f"CASE WHEN {some}"
        f" THEN SUM({t}.answered_count)::bigint END",
        "csat:avg": f"SUM({t}.csat_sum)::float / NULLIF(SUM({t}.csat_count), 0)",
        "csat_score:avg": f"SUM({t}.csat_score_sum)::float"
        f" / NULLIF(SUM({t}.csat_count), 0)",
        "score:avg": f"SUM({t}.score_sum)::float / NULLIF(SUM({t}.score_count), 0)",
        "comment_count:sum": f"CASE WHEN {some}"
        f" THEN SUM({t}.comment_count)::bigint END",
    }


class NpsReportDay(models.Model):
    """One row per day and key of ``DIMENSIONS`` (several until the
    compaction job sums them): the sums of ``MEASURES`` over the surveys
    of ``nps.report`` that share them. Read through ``nps.report``."""

    _name = "nps.report.day"
    _description = "Satisfaction figures by day"
    _auto = False
    _log_access = False
    _order = "date desc"
    # its query flushes the surveys' pending writes first: the triggers
    # sum them in
    _depends = {
        "nps.request": [
            "report_date",
            "company_id",
            "campaign_id",
            "trigger",
            "team_id",
            "pilot",
            "state",
            "nps_category",
            "score",
            "csat_score",
            "comment",
        ]
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    campaign_id = fields.Many2one(comodel_name="nps.campaign", readonly=True)
    trigger = fields.Selection(
        selection=lambda self: self.env["nps.campaign"]
        ._fields["trigger"]
        ._description_selection(self.env),
        readonly=True,
    )
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    pilot = fields.Boolean(readonly=True)
    row_count = fields.Integer(string="Surveys", readonly=True)
    answered_count = fields.Integer(readonly=True)
    promoter_count = fields.Integer(readonly=True)
    passive_count = fields.Integer(readonly=True)
    detractor_count = fields.Integer(readonly=True)
    score_sum = fields.Integer(readonly=True)
    score_count = fields.Integer(readonly=True)
    csat_count = fields.Integer(readonly=True)
    csat_score_sum = fields.Integer(readonly=True)
    csat_sum = fields.Integer(readonly=True)
    comment_count = fields.Integer(readonly=True)
    # no columns: the names of the nps.report measures read from the sums
    # above (``_read_group_select``), whose types give their empty values
    nps_value = fields.Float(readonly=True)
    nps_margin = fields.Float(readonly=True)
    answered = fields.Float(readonly=True)
    answer_count = fields.Integer(readonly=True)
    csat = fields.Float(readonly=True)
    csat_score = fields.Float(readonly=True)
    score = fields.Float(readonly=True)

    # --- The table and its triggers ---

    def init(self):
        self._nps_create_table()
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION nps_report_day_sum() RETURNS trigger
                LANGUAGE plpgsql AS $body$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        %(insert)s;
                    ELSIF TG_OP = 'DELETE' THEN
                        %(delete)s;
                    ELSE
                        %(update)s;
                    END IF;
                    RETURN NULL;
                END
                $body$;
                DROP TRIGGER IF EXISTS nps_report_day_insert ON nps_request;
                DROP TRIGGER IF EXISTS nps_report_day_update ON nps_request;
                DROP TRIGGER IF EXISTS nps_report_day_delete ON nps_request;
                CREATE TRIGGER nps_report_day_insert AFTER INSERT ON nps_request
                    REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION nps_report_day_sum();
                CREATE TRIGGER nps_report_day_update AFTER UPDATE ON nps_request
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION nps_report_day_sum();
                CREATE TRIGGER nps_report_day_delete AFTER DELETE ON nps_request
                    REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION nps_report_day_sum();
                """,
                insert=self._nps_delta_sql(SQL("SELECT 1 AS sign, * FROM new_rows")),
                delete=self._nps_delta_sql(SQL("SELECT -1 AS sign, * FROM old_rows")),
                update=self._nps_delta_sql(
                    SQL(
                        "SELECT 1 AS sign, * FROM new_rows"
                        " UNION ALL SELECT -1 AS sign, * FROM old_rows"
                    )
                ),
            )
        )

    def _nps_create_table(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS nps_report_day (
                    id bigserial PRIMARY KEY,
                    date date,
                    company_id integer,
                    campaign_id integer,
                    trigger varchar,
                    team_id integer,
                    pilot boolean,
                    row_count bigint NOT NULL DEFAULT 0,
                    answered_count bigint NOT NULL DEFAULT 0,
                    promoter_count bigint NOT NULL DEFAULT 0,
                    passive_count bigint NOT NULL DEFAULT 0,
                    detractor_count bigint NOT NULL DEFAULT 0,
                    score_sum bigint NOT NULL DEFAULT 0,
                    score_count bigint NOT NULL DEFAULT 0,
                    csat_count bigint NOT NULL DEFAULT 0,
                    csat_score_sum bigint NOT NULL DEFAULT 0,
                    csat_sum bigint NOT NULL DEFAULT 0,
                    comment_count bigint NOT NULL DEFAULT 0,
                    fresh boolean NOT NULL DEFAULT TRUE
                );
                CREATE INDEX IF NOT EXISTS nps_report_day_date_idx
                    ON nps_report_day (date);
                CREATE INDEX IF NOT EXISTS nps_report_day_fresh_idx
                    ON nps_report_day (date) WHERE fresh;
                """
            )
        )

    @api.model
    def _nps_sums_sql(self, source, sign=None):
        """The summary's rows of the surveys ``r`` of the query ``source``,
        each counted ``sign`` times (the SQL of +1 or -1; once by default):
        the statement's rows summed by key, the keys whose sums do not
        change left out."""
        sign = sign or SQL("1")
        keys = SQL(", ").join(
            SQL("%s AS %s", SQL(column), SQL.identifier(name))
            for name, column in DIMENSIONS.items()
        )
        sums = SQL(", ").join(
            SQL(
                "SUM(%s * COALESCE(%s, 0)) AS %s",
                sign,
                self._nps_measure_sql(name),
                SQL.identifier(name),
            )
            for name in MEASURES
        )
        changed = SQL(" OR ").join(
            SQL("SUM(%s * COALESCE(%s, 0)) <> 0", sign, self._nps_measure_sql(name))
            for name in MEASURES
        )
        return SQL(
            """
            SELECT %(keys)s, %(sums)s
              FROM (%(source)s) AS r
             WHERE r.state IN %(states)s
          GROUP BY %(group)s
            HAVING %(changed)s
            """,
            keys=keys,
            sums=sums,
            source=source,
            states=REPORTED_STATES,
            group=SQL(", ").join(SQL(str(i + 1)) for i in range(len(DIMENSIONS))),
            changed=changed,
        )

    @api.model
    def _nps_measure_sql(self, name):
        if name == "csat_sum":
            return SQL(
                "CASE WHEN r.state = 'answered' THEN %s END",
                score_tools.csat_value_sql(SQL("r.csat_score")),
            )
        return SQL(MEASURES[name])

    @api.model
    def _nps_insert_sql(self, rows, fresh=True):
        """Insert the summary ``rows`` (a query of ``_nps_sums_sql``)."""
        return SQL(
            "INSERT INTO nps_report_day (%(columns)s, fresh) SELECT *, %(fresh)s"
            " FROM (%(rows)s) AS s",
            columns=SQL(", ").join(
                SQL.identifier(name) for name in (*DIMENSIONS, *MEASURES)
            ),
            rows=rows,
            fresh=fresh,
        )

    @api.model
    def _nps_delta_sql(self, signed_rows):
        """The trigger's statement: the rows of ``signed_rows`` (the
        transition tables, with their ``sign``) summed in as fresh rows.
        Inlined: a trigger function's body is plain text."""
        query = self._nps_insert_sql(self._nps_sums_sql(signed_rows, SQL("r.sign")))
        return SQL(self.env.cr.mogrify(query.code, query.params).decode())

    @api.model
    def _nps_rebuild(self):
        """Fill the summary anew from the surveys, set-based (the
        migration that brings it); returns the number of its rows."""
        self.env["nps.request"].flush_model()
        self.env.cr.execute(SQL("DELETE FROM nps_report_day"))
        self.env.cr.execute(
            self._nps_insert_sql(
                self._nps_sums_sql(SQL("SELECT * FROM nps_request")), fresh=False
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _cron_compact(self):
        """Sum each key's rows into one (the fresh rows the triggers added
        and its compacted row): the figures stay the same, the table
        small. The rows added meanwhile stay fresh for the next run."""
        self.env.cr.execute(
            summary_tools.compact_sql(self._table, DIMENSIONS, MEASURES, "row_count")
        )

    # --- Reading it for nps.report ---

    def _read_group_select(self, aggregate_spec, query):
        """The nps.report aggregates of ``_sums``, from the sums."""
        fname = aggregate_spec.partition(":")[0]
        key = "nps_margin" if fname == "nps_margin" else aggregate_spec
        sums = _sums(self._table)
        if key not in sums:
            return super()._read_group_select(aggregate_spec, query)
        return SQL(sums[key], min=stats_tools.MIN_ANSWERS, z=stats_tools.Z95)

    @api.model
    def _nps_summary_domain(self, report, domain, groupby, aggregates, order=None):
        """The domain on this model that gives ``report``'s (nps.report)
        aggregates over ``domain`` by ``groupby``, its record rules
        included; None when they need nps.report's rows (another field, a
        measure the sums do not give, the context's
        ``nps_report_no_summary``)."""
        if report.env.context.get("nps_report_no_summary"):
            return None
        supported = _sums(self._table)
        for spec in aggregates:
            if spec not in supported and spec.partition(":")[0] != "nps_margin":
                return None
        if any(spec.partition(":")[0] not in DIMENSIONS for spec in groupby):
            return None
        for term in (order or "").split(","):
            words = term.split()
            if words and not (
                words[0] in groupby
                or words[0] in aggregates
                or words[0].partition(":")[0] in DIMENSIONS
            ):
                return None
        return summary_tools.summary_domain(report, domain, DIMENSIONS)
