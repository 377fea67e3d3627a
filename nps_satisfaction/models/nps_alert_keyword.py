from odoo import api, fields, models

from ..tools import lang_tools, stem_tools, text_tools


class NpsAlertKeyword(models.Model):
    """A word or phrase that, in a customer's comment, raises a satisfaction
    alert whatever the score (e.g. "cancel", "résilier", "kündigen")."""

    _name = "nps.alert.keyword"
    _description = "Satisfaction alert keyword"
    _order = "name"

    name = fields.Char(
        string="Keyword",
        required=True,
        help="Matched in comments without regard to case or accents, in its "
        'word forms: "cancel" also finds "cancelling" and "cancellation".',
    )
    lang = fields.Selection(
        selection=lambda self: lang_tools.language_selection(self.env),
        string="Language",
        help="The keyword's language: its word forms are found in "
        "the answers in this language and in the answer's own language.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company")

    _unique_name = models.Constraint(
        "UNIQUE(name, company_id)", "This keyword is already in the list."
    )

    @api.model
    def _nps_match(self, text, company=None, lang=None):
        """The active keywords found in ``text`` (a list of strings): as
        written (without regard to case or accents), or in another form of
        the same word (stems, lemmas and German compound parts, see
        ``stem_tools``, in the comment's language ``lang`` and in the
        keyword's own language)."""
        if not text:
            return []
        domain = [("company_id", "in", [False, (company or self.env.company).id])]
        keywords = self.sudo().search_fetch(domain, ["name", "lang"])
        found = set(text_tools.find_keywords(text, keywords.mapped("name")))
        by_lang = {}
        for keyword in keywords:
            if keyword.name not in found:
                by_lang.setdefault(keyword.lang or False, []).append(keyword.name)
        for keyword_lang, names in by_lang.items():
            langs = [code for code in (lang, keyword_lang) if code]
            found.update(stem_tools.find_keywords(text, names, langs))
        return [name for name in keywords.mapped("name") if name in found]
