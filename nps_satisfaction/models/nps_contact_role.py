from odoo import fields, models

from ..tools import account_tools


class NpsContactRole(models.Model):
    """A role a contact holds at its customer (decision maker, user,
    technical, other), as a record, so that a periodic campaign can choose
    the roles it surveys (``nps.campaign.contact_role_ids``). The contact
    carries his role as a selection (``res.partner.nps_contact_role``) of
    the same codes; the four roles are shipped data."""

    _name = "nps.contact.role"
    _description = "Contact role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        selection=account_tools.CONTACT_ROLE_SELECTION,
        required=True,
        readonly=True,
        help="The contacts' role this record stands for.",
    )
    sequence = fields.Integer(default=10)

    _unique_code = models.Constraint("UNIQUE(code)", "Each role exists once.")
