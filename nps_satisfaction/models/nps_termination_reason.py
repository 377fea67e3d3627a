from odoo import fields, models


class NpsTerminationReason(models.Model):
    """Why a customer gave notice (price, quality, support, a competitor,
    moved or closed, other): an editable list, shipped with these six."""

    _name = "nps.termination.reason"
    _description = "Termination reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
