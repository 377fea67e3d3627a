from odoo import api, fields, models

from ..tools import text_tools


class NpsAlertKeyword(models.Model):
    """A word or phrase that, in a customer's comment, raises a satisfaction
    alert whatever the score (e.g. "cancel", "résilier", "kündigen")."""

    _name = "nps.alert.keyword"
    _description = "Satisfaction alert keyword"
    _order = "name"

    name = fields.Char(
        string="Keyword",
        required=True,
        help="Matched in comments without regard to case or accents.",
    )
    lang = fields.Char(string="Language", help="For reference only: matched in any.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company")

    _unique_name = models.Constraint(
        "UNIQUE(name, company_id)", "This keyword is already in the list."
    )

    @api.model
    def _nps_match(self, text, company=None):
        """The active keywords found in ``text`` (a list of strings)."""
        if not text:
            return []
        domain = [("company_id", "in", [False, (company or self.env.company).id])]
        keywords = self.sudo().search_fetch(domain, ["name"]).mapped("name")
        return text_tools.find_keywords(text, keywords)
