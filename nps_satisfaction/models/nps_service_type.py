from odoo import fields, models


class NpsServiceType(models.Model):
    """A service a customer subscribes to (SIP trunk, hosted PBX, fibre...).

    Shared by the suite's addons: segments of newsletters select customers by
    it, onboarding courses are linked to it, reports group answers by it."""

    _name = "nps.service.type"
    _description = "Service type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code, e.g. for imports from a billing system.")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="nps_service_type_res_partner_rel",
        column1="service_type_id",
        column2="partner_id",
        string="Customers",
    )
    partner_count = fields.Integer(
        string="Customers count", compute="_compute_partner_count"
    )

    _unique_code = models.Constraint(
        "UNIQUE(code)", "Another service type already has this code."
    )

    def _compute_partner_count(self):
        rows = self.env["res.partner"]._read_group(
            [("nps_service_type_ids", "in", self.ids)],
            ["nps_service_type_ids"],
            ["__count"],
        )
        counts = {service.id: count for service, count in rows}
        for service in self:
            service.partner_count = counts.get(service.id, 0)

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("nps_service_type_ids", "in", self.ids)],
        }
