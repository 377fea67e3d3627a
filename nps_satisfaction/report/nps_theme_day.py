"""The themes of the answers by day, kept as the answers and their themes
change.

``nps.theme.report`` has one row per answer and theme: the dashboard's
*What detractors talk about* reads every answer of its 90 days. At ten
million surveys that is hundreds of thousands of rows. ``nps.theme.day``
holds, per day (the survey's report date), company and theme, what a
theme's figures are made of: its answers, those with a comment, its
promoters, passives and detractors. ``nps.theme.report.
_nps_theme_figures`` reads it whenever the domain and the record rules use
only those keys.

It is never rebuilt behind the users' backs; triggers keep it in the
statement that changes it:

- a theme added to or taken from an answer (``nps_request_theme_rel``,
  whatever writes it: the tagging, a user, a theme deleted): the answer's
  row as it stands, added or taken away;
- an answer changed (its score, its comment, its company, its date, its
  state): its themes' old contribution taken away, the new one added;
- an answer deleted: its themes' contribution taken away before the row
  goes (its themes go with it by the foreign key's cascade, once the
  answer can no longer be read).

As ``nps.report.day``, a change inserts fresh rows and an hourly job sums
each key's rows into one."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import summary_tools

#: the keys, with the SQL of each from an answer ``r``
DIMENSIONS = {
    "date": "r.report_date",
    "company_id": "r.company_id",
    "theme_id": "r.theme_id",
}
#: the sums kept per key, with the SQL of each from an answer ``r``
MEASURES = {
    "answer_count": "1",
    "comment_count": "CASE WHEN COALESCE(r.comment, '') <> '' THEN 1 ELSE 0 END",
    "promoter_count": "CASE WHEN r.nps_category = 'promoter' THEN 1 ELSE 0 END",
    "passive_count": "CASE WHEN r.nps_category = 'passive' THEN 1 ELSE 0 END",
    "detractor_count": "CASE WHEN r.nps_category = 'detractor' THEN 1 ELSE 0 END",
}
#: the columns of an answer the sums read, as its themes' sources give them
COLUMNS = ("report_date", "company_id", "state", "comment", "nps_category")
#: those columns of an answer ``r``, as the trigger queries select them
ANSWER_COLUMNS = SQL(", ".join(f"r.{column}" for column in COLUMNS))
#: the themes of the answer a row trigger is about to delete (``OLD``)
ANSWER_GONE = SQL(
    """
    SELECT -1 AS sign, rel.theme_id, OLD.report_date, OLD.company_id,
           OLD.state, OLD.comment, OLD.nps_category
      FROM nps_request_theme_rel rel
     WHERE rel.request_id = OLD.id
    """
)


class NpsThemeDay(models.Model):
    """One row per day, company and theme (several until the compaction
    job sums them): the sums of ``MEASURES`` over the answered surveys
    that mention the theme. Read through ``nps.theme.report``."""

    _name = "nps.theme.day"
    _description = "Comment themes by day"
    _auto = False
    _log_access = False
    _order = "date desc"
    # its query flushes the pending writes first: the triggers sum them in
    _depends = {
        "nps.request": [
            "report_date",
            "company_id",
            "state",
            "comment",
            "nps_category",
            "theme_ids",
        ]
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    theme_id = fields.Many2one(comodel_name="nps.theme", readonly=True)
    answer_count = fields.Integer(readonly=True)
    comment_count = fields.Integer(readonly=True)
    promoter_count = fields.Integer(readonly=True)
    passive_count = fields.Integer(readonly=True)
    detractor_count = fields.Integer(readonly=True)

    # --- The table and its triggers ---

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS nps_theme_day (
                    id bigserial PRIMARY KEY,
                    date date,
                    company_id integer,
                    theme_id integer,
                    answer_count bigint NOT NULL DEFAULT 0,
                    comment_count bigint NOT NULL DEFAULT 0,
                    promoter_count bigint NOT NULL DEFAULT 0,
                    passive_count bigint NOT NULL DEFAULT 0,
                    detractor_count bigint NOT NULL DEFAULT 0,
                    fresh boolean NOT NULL DEFAULT TRUE
                );
                CREATE INDEX IF NOT EXISTS nps_theme_day_date_idx
                    ON nps_theme_day (date);
                CREATE INDEX IF NOT EXISTS nps_theme_day_fresh_idx
                    ON nps_theme_day (date) WHERE fresh;
                """
            )
        )
        self.env.cr.execute(self._nps_functions_sql())
        self.env.cr.execute(
            SQL(
                """
                DROP TRIGGER IF EXISTS nps_theme_day_insert
                    ON nps_request_theme_rel;
                DROP TRIGGER IF EXISTS nps_theme_day_update
                    ON nps_request_theme_rel;
                DROP TRIGGER IF EXISTS nps_theme_day_delete
                    ON nps_request_theme_rel;
                DROP TRIGGER IF EXISTS nps_theme_day_update ON nps_request;
                DROP TRIGGER IF EXISTS nps_theme_day_delete ON nps_request;
                CREATE TRIGGER nps_theme_day_insert AFTER INSERT
                    ON nps_request_theme_rel REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION nps_theme_day_themes();
                CREATE TRIGGER nps_theme_day_update AFTER UPDATE
                    ON nps_request_theme_rel
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION nps_theme_day_themes();
                CREATE TRIGGER nps_theme_day_delete AFTER DELETE
                    ON nps_request_theme_rel REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION nps_theme_day_themes();
                CREATE TRIGGER nps_theme_day_update AFTER UPDATE ON nps_request
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION nps_theme_day_answers();
                CREATE TRIGGER nps_theme_day_delete BEFORE DELETE ON nps_request
                    FOR EACH ROW EXECUTE FUNCTION nps_theme_day_answer_gone();
                """
            )
        )

    @api.model
    def _nps_functions_sql(self):
        """The triggers' functions: a theme added, removed or changed on an
        answer; answers changed; an answer about to be deleted."""
        return SQL(
            """
            CREATE OR REPLACE FUNCTION nps_theme_day_themes() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    %(themes_added)s;
                ELSIF TG_OP = 'DELETE' THEN
                    %(themes_removed)s;
                ELSE
                    %(themes_changed)s;
                END IF;
                RETURN NULL;
            END
            $body$;
            CREATE OR REPLACE FUNCTION nps_theme_day_answers() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            BEGIN
                %(answers_changed)s;
                RETURN NULL;
            END
            $body$;
            CREATE OR REPLACE FUNCTION nps_theme_day_answer_gone()
            RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF OLD.state = 'answered' THEN
                    %(answer_gone)s;
                END IF;
                RETURN OLD;
            END
            $body$;
            """,
            themes_added=self._nps_insert_sql(self._nps_themes_sql("new_rows")),
            themes_removed=self._nps_insert_sql(self._nps_themes_sql("old_rows", -1)),
            themes_changed=self._nps_insert_sql(
                SQL(
                    "%s UNION ALL %s",
                    self._nps_themes_sql("new_rows"),
                    self._nps_themes_sql("old_rows", -1),
                )
            ),
            answers_changed=self._nps_insert_sql(
                SQL(
                    "%s UNION ALL %s",
                    self._nps_answers_sql("new_rows"),
                    self._nps_answers_sql("old_rows", -1),
                )
            ),
            answer_gone=self._nps_insert_sql(ANSWER_GONE),
        )

    @api.model
    def _nps_themes_sql(self, rows, sign=1):
        """The answers of the themes' rows ``rows`` (a transition table of
        ``nps_request_theme_rel``), each with its ``sign``: the answers as
        they stand (an answer deleted is no longer there: its themes were
        taken away before it went)."""
        return SQL(
            "SELECT %s AS sign, t.theme_id, %s FROM %s t"
            " JOIN nps_request r ON r.id = t.request_id",
            sign,
            ANSWER_COLUMNS,
            SQL.identifier(rows),
        )

    @api.model
    def _nps_answers_sql(self, rows, sign=1):
        """Each theme of the answers ``rows`` (a transition table of
        ``nps_request``), with the answer's columns there and ``sign``."""
        return SQL(
            "SELECT %s AS sign, rel.theme_id, %s FROM %s r"
            " JOIN nps_request_theme_rel rel ON rel.request_id = r.id",
            sign,
            ANSWER_COLUMNS,
            SQL.identifier(rows),
        )

    @api.model
    def _nps_sums_sql(self, source):
        """The summary's rows of the signed answers ``r`` of the query
        ``source`` (``sign``, ``theme_id`` and ``COLUMNS``): the answered
        ones summed by key, the keys whose sums do not change left out."""
        keys = SQL(", ").join(
            SQL("%s AS %s", SQL(column), SQL.identifier(name))
            for name, column in DIMENSIONS.items()
        )
        sums = SQL(", ").join(
            SQL("SUM(r.sign * %s) AS %s", SQL(column), SQL.identifier(name))
            for name, column in MEASURES.items()
        )
        changed = SQL(" OR ").join(
            SQL("SUM(r.sign * %s) <> 0", SQL(column)) for column in MEASURES.values()
        )
        return SQL(
            """
            SELECT %(keys)s, %(sums)s
              FROM (%(source)s) AS r
             WHERE r.state = 'answered'
          GROUP BY %(group)s
            HAVING %(changed)s
            """,
            keys=keys,
            sums=sums,
            source=source,
            group=SQL(", ").join(SQL(str(i + 1)) for i in range(len(DIMENSIONS))),
            changed=changed,
        )

    @api.model
    def _nps_insert_sql(self, source, fresh=True):
        """Insert the sums of the signed answers of ``source``."""
        query = SQL(
            "INSERT INTO nps_theme_day (%(columns)s, fresh) SELECT *, %(fresh)s"
            " FROM (%(rows)s) AS s",
            columns=SQL(", ").join(
                SQL.identifier(name) for name in (*DIMENSIONS, *MEASURES)
            ),
            rows=self._nps_sums_sql(source),
            fresh=fresh,
        )
        # a trigger function's body is plain text: the parameters inlined
        return SQL(self.env.cr.mogrify(query.code, query.params).decode())

    @api.model
    def _nps_rebuild(self):
        """Fill the summary anew from the answers and their themes,
        set-based (the migration that brings it); returns its rows."""
        self.env["nps.request"].flush_model()
        self.env.cr.execute(SQL("DELETE FROM nps_theme_day"))
        self.env.cr.execute(
            self._nps_insert_sql(
                self._nps_themes_sql("nps_request_theme_rel"), fresh=False
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _cron_compact(self):
        """Sum each key's rows into one: the figures stay the same."""
        self.env.cr.execute(
            summary_tools.compact_sql(self._table, DIMENSIONS, MEASURES, "answer_count")
        )

    # --- Reading it for nps.theme.report ---

    @api.model
    def _nps_summary_domain(self, report, domain):
        """The domain on this model that gives ``report``'s
        (``nps.theme.report``) answers of ``domain`` by theme, its record
        rules included; None when they need the report's rows (another
        field, the context's ``nps_report_no_summary``)."""
        if report.env.context.get("nps_report_no_summary"):
            return None
        return summary_tools.summary_domain(report, domain, DIMENSIONS)

    @api.model
    def _nps_by_theme(self, domain):
        """{theme: (answers, comments, promoters, passives, detractors)}
        over the summary's ``domain``, the themes with an answer only. One
        aggregate query (as superuser: the caller checked the rules)."""
        rows = self.sudo()._read_group(
            domain, ["theme_id"], [f"{name}:sum" for name in MEASURES]
        )
        return {
            theme: tuple(int(value or 0) for value in sums)
            for theme, *sums in rows
            if theme and sums[0]
        }
