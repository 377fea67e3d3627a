"""Terminations imported with Odoo's import (a CSV from the billing system):
each bad row says its row, its column and why, in the user's language, and
a row that could not be read is not tried (its database error said nothing
of the row)."""

from odoo import fields, models

from .nps_termination import NOTICE

#: the shipped reasons' external ids, by their last part
REASON_XMLID = "nps_satisfaction.nps_termination_reason_"


class NpsTermination(models.Model):
    _inherit = "nps.termination"

    def _convert_records(self, records, *, log=lambda a: None, savepoint):
        """Odoo's conversion of the imported rows, with their messages said
        again (``_nps_import_message``) and each converted row checked as a
        termination (``_nps_import_problem``); a row with an error is not
        created (the import is refused as a whole anyway)."""
        failed = set()
        raw = {}

        def remember(rows):
            for record, extras in rows:
                raw["record"] = record
                yield record, extras

        def log_row(message):
            if message.get("type") == "error" and "record" in message:
                failed.add(message["record"])
                message = self._nps_import_message(message, raw.get("record", {}))
            log(message)

        open_rows = {}
        converted = super()._convert_records(
            remember(records), log=log_row, savepoint=savepoint
        )
        for dbid, xid, record, info in converted:
            if info["record"] not in failed:
                problem = self._nps_import_problem(
                    record, info, bool(dbid or xid), open_rows
                )
                if problem:
                    field, text = problem
                    log(
                        dict(
                            info,
                            type="error",
                            field=field,
                            message=self._nps_import_row(info, field, text),
                        )
                    )
                    failed.add(info["record"])
            if info["record"] not in failed:
                yield dbid, xid, record, info

    def _nps_import_row(self, info, field, problem):
        """``problem`` as the message of its row and column."""
        return self.env._(
            "Row %(row)s, %(field)s: %(problem)s",
            row=info["rows"]["from"] + 1,
            field=self._fields[field]._description_string(self.env),
            problem=problem,
        )

    def _nps_import_message(self, message, raw):
        """Odoo's message of a value it could not read, said for its row
        and column: an unknown customer or reason, a status or a date that
        is none."""
        field = message.get("field")
        if field not in self._fields:
            return message
        value = message.get("value")
        if value is None and isinstance(raw.get(field), str):
            value = raw[field]
        by_xmlid = (message.get("field_path") or [])[-1:] == ["id"]
        problem = None
        if field == "partner_id":
            problem = self._nps_unknown_customer(value, by_xmlid)
        elif field == "reason_id":
            problem = self._nps_unknown_reason(value, by_xmlid)
        elif field == "state":
            problem = self._nps_unknown_state(value)
        elif field in ("notice_date", "end_date"):
            problem = self._nps_unknown_date(value)
        message = dict(
            message,
            message=self._nps_import_row(message, field, problem or message["message"]),
        )
        if field == "state":
            message["moreinfo"] = self._nps_state_labels()
        return message

    def _nps_unknown_customer(self, value, by_xmlid):
        if by_xmlid:
            return self.env._(
                "no customer has the external id “%(value)s”.", value=value
            )
        return self.env._("no customer is named “%(value)s”.", value=value)

    def _nps_unknown_reason(self, value, by_xmlid):
        if by_xmlid:
            return self.env._(
                "no reason has the external id “%(value)s”; the shipped reasons' "
                "are %(prefix)s followed by price, quality, support, "
                "competitor, moved or other.",
                value=value,
                prefix=REASON_XMLID,
            )
        names = self.env["nps.termination.reason"].search([], limit=100).mapped("name")
        return self.env._(
            "no reason is named “%(value)s”; the reasons: %(names)s (or "
            "their external ids, such as %(example)s).",
            value=value,
            names=", ".join(names),
            example=f"{REASON_XMLID}price",
        )

    def _nps_state_labels(self):
        return [
            label
            for _value, label in self._fields["state"]._description_selection(self.env)
        ]

    def _nps_unknown_state(self, value):
        return self.env._(
            "“%(value)s” is not a status: notice, withdrawn or done (or %(labels)s).",
            value=value,
            labels=", ".join(self._nps_state_labels()),
        )

    def _nps_unknown_date(self, value):
        first, last = self._nps_date_window()
        return self.env._(
            "“%(value)s” is not a date a termination takes (YYYY-MM-DD, from "
            "%(first)s to %(last)s).",
            value=value,
            first=fields.Date.to_string(first),
            last=fields.Date.to_string(last),
        )

    def _nps_import_problem(self, record, info, existing, open_rows):
        """``(field, problem)``: why a converted row cannot be a termination
        (a date out of range, an end before the notice, a second open notice
        of its customer, in the database or the file), or None."""
        partner = self.env["res.partner"].browse(record.get("partner_id")).sudo()
        if not partner:
            if existing:
                return None
            return "partner_id", self.env._(
                "the customer is missing: his name, or his external id in a "
                "column partner_id/id."
            )
        termination = self.new(
            {
                "partner_id": partner.commercial_partner_id.id,
                "notice_date": record.get("notice_date")
                or fields.Date.context_today(self),
                "end_date": record.get("end_date") or False,
                "company_id": record.get("company_id") or self.env.company.id,
            }
        )
        for name in ("notice_date", "end_date"):
            problem = self._nps_date_problem(termination[name])
            if problem:
                return name, problem
        problem = termination._nps_end_date_problem()
        if problem:
            return "end_date", problem
        if existing or record.get("state", NOTICE) != NOTICE:
            return None
        return self._nps_import_open_notice(termination, info, open_rows)

    def _nps_import_open_notice(self, termination, info, open_rows):
        """``(field, problem)`` when the row's customer has an open notice
        already, in the database (one the user may read: another's is
        refused by the access rules, without a word of it) or on an earlier
        row of the file."""
        other = self._nps_open_notice(
            termination.partner_id, termination.company_id, readable=True
        )
        if other:
            return "partner_id", other._nps_open_notice_message()
        key = (termination.partner_id.id, termination.company_id.id)
        row = info["rows"]["from"] + 1
        if key in open_rows:
            return "partner_id", self.env._(
                "%(customer)s has another open notice on row %(other)s of the file.",
                customer=termination.partner_id.display_name,
                other=open_rows[key],
            )
        open_rows[key] = row
        return None
