"""The columns a survey request derives from its other values (its customer
company and account manager, its rates, its report date), one rule for the
ORM's computes and for the insert of thousands of requests at once (a
newsletter's), which writes the same rows in one query per thousand."""

from odoo import api, models
from odoo.tools import SQL, split_every

from ..tools import token_tools

#: requests inserted per query by ``_nps_bulk_insert``
BULK_CHUNK = 1000


class NpsRequest(models.Model):
    """The derived columns of a request, and its bulk insert."""

    _inherit = "nps.request"  # pylint: disable=consider-merging-classes-inherited

    # --- Derived columns: the computes, and the same values for the insert ---

    @api.depends(
        "partner_id.commercial_partner_id.nps_account_manager_id",
        "partner_id.nps_account_manager_id",
    )
    def _compute_commercial_partner_id(self):
        for request in self:
            request.update(self._nps_customer_values(request.partner_id))

    @api.depends("sent_date", "answer_date")
    def _compute_report_date(self):
        for request in self:
            request.report_date = self._nps_report_date(
                request.sent_date, request.answer_date
            )

    @api.depends("state", "skip_reason")
    def _compute_rates(self):
        for request in self:
            request.update(self._nps_rates(request.state, request.skip_reason))

    @api.model
    def _nps_customer_values(self, partner):
        """The customer company of a request to ``partner`` and the account
        manager of the satisfaction data, never the salesperson (which
        anyone creating contacts may set): he reads the answers."""
        return {
            "commercial_partner_id": partner.commercial_partner_id.id,
            "user_id": partner._nps_account_manager().id if partner else False,
        }

    @api.model
    def _nps_report_date(self, sent_date, answer_date):
        moment = sent_date or answer_date
        return moment.date() if moment else False

    @api.model
    def _nps_rates(self, state, skip_reason):
        return {
            "agent_opt_out_rate": 100 if skip_reason == "agent_opt_out" else 0,
            "answered_rate": 100 if state == "answered" else 0,
        }

    # --- Bulk insert ---

    @api.model
    def _nps_bulk_insert(self, vals_list):
        """Insert these requests in one query per thousand (the batch form
        of ``nps.schedule._nps_create_requests``): the rows the ORM's create
        writes, its defaults and derived columns included, without its work
        per record (its defaults, cache and inverses, then every derived
        column written back by a second UPDATE of each row: about 0.5 ms a
        request). ``vals_list``: column values of fields neither computed
        nor x2many; a test holds the rows to the ORM's, column by column."""
        if not vals_list:
            return self.browse()
        self.check_access("create")
        rows = self._nps_bulk_rows(vals_list)
        columns = sorted({name for row in rows for name in row})
        ids = []
        for chunk in split_every(BULK_CHUNK, rows):
            ids += self._nps_bulk_insert_rows(columns, chunk)
        requests = self.browse(ids)
        # what depends on the requests (a document's survey fields, the
        # inverse one2many of their many2one) learns of them as after a
        # create; their own derived columns are written already
        for name in columns:
            for inverse in self.pool.field_inverses[self._fields[name]]:
                self.env[inverse.model_name].invalidate_model([inverse.name])
        derived = [field for field in self._fields.values() if field.compute]
        with self.env.protecting(derived, requests):
            requests.modified(columns, create=True)
        return requests

    @api.model
    def _nps_bulk_rows(self, vals_list):
        """Each request's column values: ``vals_list`` over the defaults (a
        token of its own each), then the derived columns."""
        for name in {name for vals in vals_list for name in vals}:
            field = self._fields[name]
            if not field.column_type or field.compute or field.translate:
                raise ValueError(f"nps.request.{name} is no column to insert")
        defaults = self.default_get(
            [
                name
                for name, field in self._fields.items()
                if field.store and field.column_type and not field.compute
            ]
        )
        now = self.env.cr.now()
        log = {"create_uid": self.env.uid, "write_uid": self.env.uid}
        log.update(create_date=now, write_date=now)
        rows = []
        for vals in vals_list:
            row = dict(defaults, access_token=token_tools.new_token())
            row.update(vals)
            row.update(log)
            rows.append(row)
        self._nps_bulk_derive(rows)
        return rows

    @api.model
    def _nps_bulk_derive(self, rows):
        """The derived columns of the rows, by the rules of their computes
        (related ones read from their records, in batch); a derived column
        with no rule here refuses the insert."""
        rules = {"commercial_partner_id", "user_id", "report_date"}
        rules |= {"agent_opt_out_rate", "answered_rate"}
        rules |= {"provisional_state", "provisional_score", "provisional_date"}
        # the ticket's agent (``_compute_agent_id``), unless given
        rules.add("agent_id")
        self._nps_bulk_related(
            [row for row in rows if "agent_id" not in row],
            "agent_id",
            "ticket_id.user_id",
        )
        # computed as the ORM computes stored fields: as superuser
        partners = (
            self.env["res.partner"].sudo().browse({row["partner_id"] for row in rows})
        )
        customers = {
            partner.id: self._nps_customer_values(partner) for partner in partners
        }
        # no answer attempt yet
        provisional = self._nps_provisional_values(self.env["nps.answer.attempt"])
        for row in rows:
            row.update(customers[row["partner_id"]], **provisional)
            row.update(self._nps_rates(row.get("state"), row.get("skip_reason")))
            row["report_date"] = self._nps_report_date(
                row.get("sent_date"), row.get("answer_date")
            )
        for name, field in self._fields.items():
            if not (field.store and field.compute) or name in rules:
                continue
            if not field.related:
                raise ValueError(f"nps.request.{name}: no rule for the bulk insert")
            self._nps_bulk_related(rows, name)

    @api.model
    def _nps_bulk_related(self, rows, name, related=None):
        """A related column (``campaign_id.trigger``, or ``related``) of the
        rows, read from their records in one batch."""
        first, path = (related or self._fields[name].related).split(".", 1)
        comodel = self.env[self._fields[first].comodel_name].sudo()
        records = comodel.browse({row.get(first) for row in rows} - {False, None})
        values = {record.id: record.mapped(path) for record in records}
        field = self._fields[name]
        for row in rows:
            value = values.get(row.get(first))
            row[name] = field.convert_to_write(
                value[0] if value and field.type != "many2many" else False, self
            )

    @api.model
    def _nps_bulk_insert_rows(self, columns, rows):
        """Insert one chunk of rows; their ids, in order. A column of one
        value for the whole chunk goes once; the others go as arrays."""
        constants, arrays = {}, {}
        for name in columns:
            field = self._fields[name]
            cast = SQL(field.column_type[1])
            first = rows[0].get(name)
            if all(row.get(name) == first for row in rows):
                value = field.convert_to_column_insert(first, self, rows[0])
                constants[name] = SQL("%s::%s", value, cast)
            else:
                values = [
                    field.convert_to_column_insert(row.get(name), self, row)
                    for row in rows
                ]
                arrays[name] = SQL("%s::%s[]", values, cast)
        sources = [SQL.identifier(f"c{index}") for index in range(len(arrays))]
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s %s RETURNING id, access_token",
                SQL.identifier(self._table),
                SQL(", ").join(map(SQL.identifier, [*constants, *arrays])),
                SQL(", ").join([*constants.values(), *sources]),
                SQL(
                    "FROM unnest(%s) AS u(%s)",
                    SQL(", ").join(arrays.values()),
                    SQL(", ").join(sources),
                )
                if arrays
                else SQL(),
            )
        )
        ids = dict((token, id_) for id_, token in self.env.cr.fetchall())
        return [ids[row["access_token"]] for row in rows]
