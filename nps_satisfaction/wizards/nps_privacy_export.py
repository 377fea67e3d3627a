import base64
import csv
import io
import json
import zipfile

from odoo import api, fields, models

#: the columns of the CSV file, one row per survey request
CSV_COLUMNS = (
    "request",
    "customer",
    "email",
    "company",
    "campaign",
    "survey",
    "channel",
    "state",
    "skip_reason",
    "scheduled_date",
    "sent_date",
    "reminders",
    "last_reminder_date",
    "answer_date",
    "ticket",
    "project",
    "score",
    "category",
    "csat",
    "comment",
    "reasons",
    "answers",
    "follow_up",
)


class NpsPrivacyExport(models.TransientModel):
    """A customer's satisfaction data, as a file to hand over on request:
    a zip with ``satisfaction.json`` (everything, nested) and
    ``survey_requests.csv`` (one row per survey request)."""

    _name = "nps.privacy.export"
    _description = "Export of a customer's satisfaction data"

    partner_id = fields.Many2one(
        comodel_name="res.partner", required=True, ondelete="cascade"
    )
    data = fields.Binary(string="File", attachment=False, readonly=True)
    filename = fields.Char(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.partner"]._nps_check_privacy_access()
        exports = super().create(vals_list)
        for export in exports:
            export.write(export._nps_build())
        return exports

    def _nps_document(self):
        """The export as a dict ready for JSON."""
        self.ensure_one()
        partner = self.partner_id
        scope = partner._nps_privacy_scope()
        requests = partner._nps_privacy_requests()
        return {
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "customer": partner.display_name,
            "contacts": [
                {
                    "name": contact.display_name,
                    "email": contact.email or None,
                    "survey_opt_out": contact.nps_opt_out,
                    "last_score": contact.nps_last_score
                    if contact.nps_category
                    else None,
                    "category": contact.nps_category or None,
                    "csat_percent": contact.csat_avg
                    if contact.csat_answer_count
                    else None,
                    "answers": contact.nps_answer_count,
                    "last_answer_date": fields.Datetime.to_string(
                        contact.nps_last_survey_date
                    )
                    if contact.nps_last_survey_date
                    else None,
                    "health": contact.nps_health or None,
                }
                for contact in scope
            ],
            "survey_requests": self.env["nps.privacy"]._nps_export_rows(requests),
            "terminations": self.env["nps.privacy"]._nps_export_terminations(
                partner._nps_privacy_terminations()
            ),
        }

    def _nps_csv(self, rows):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in rows:
            flat = dict(row)
            flat["reasons"] = "; ".join(row["reasons"])
            flat["answers"] = "; ".join(
                f"{answer['question']}: {answer['answer']}" for answer in row["answers"]
            )
            flat["follow_up"] = (
                json.dumps(row["follow_up"], ensure_ascii=False)
                if row["follow_up"]
                else ""
            )
            writer.writerow(flat)
        return buffer.getvalue()

    def _nps_build(self):
        self.ensure_one()
        document = self._nps_document()
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.writestr(
                "satisfaction.json",
                json.dumps(document, ensure_ascii=False, indent=2),
            )
            zipped.writestr(
                "survey_requests.csv", self._nps_csv(document["survey_requests"])
            )
        name = "".join(
            c if c.isalnum() else "_" for c in self.partner_id.display_name or ""
        )
        return {
            "data": base64.b64encode(archive.getvalue()),
            "filename": f"satisfaction_{name or self.partner_id.id}.zip",
        }

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=data"
            "&filename_field=filename&download=true",
            "target": "self",
        }
