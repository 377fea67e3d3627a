from odoo import fields, models


class NpsReason(models.Model):
    """A reason behind a low score (response time, competence, price...):
    offered to detractors and passives on the answer page, and the root cause
    recorded when a follow-up is closed."""

    _name = "nps.reason"
    _description = "Satisfaction reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
