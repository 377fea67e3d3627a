from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import text_tools, theme_tools

#: the longest reason name: as a comment theme's word or phrase
MAX_NAME = theme_tools.MAX_WORD


class NpsTerminationReason(models.Model):
    """Why a customer gave notice (price, quality, support, a competitor,
    moved or closed, other): an editable list, shipped with these six. Its
    names are one line without control characters, of at most
    ``MAX_NAME`` characters, in every language; an import finds a reason by
    its name in any of them."""

    _name = "nps.termination.reason"
    _description = "Termination reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._nps_clean_values(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._nps_clean_values(vals))

    def _update_field_translations(
        self, field_name, translations, digest=None, source_lang=""
    ):
        """The translations typed in the translation dialog, cleaned as the
        values written."""
        if field_name in ("name", "description"):
            translations = {
                lang: self._nps_clean_values({field_name: value})[field_name]
                if isinstance(value, str)
                else value
                for lang, value in translations.items()
            }
        return super()._update_field_translations(
            field_name, translations, digest=digest, source_lang=source_lang
        )

    @api.model
    def _nps_clean_values(self, vals):
        """``vals`` with the name on one line and the description without
        control characters (a NUL made a database error); a name left
        empty or too long refused."""
        vals = dict(vals)
        if isinstance(vals.get("description"), str):
            vals["description"] = text_tools.plain_text(vals["description"])
        if not isinstance(vals.get("name"), str):
            return vals
        name = theme_tools.clean_word(vals["name"])
        if not name:
            raise ValidationError(self.env._("A reason needs a name."))
        if len(name) > MAX_NAME:
            raise ValidationError(
                self.env._(
                    "“%(name)s…” is too long: a reason's name has at most "
                    "%(max)s characters.",
                    name=name[:20],
                    max=MAX_NAME,
                )
            )
        vals["name"] = name
        return vals

    @api.model
    def _search_display_name(self, operator, value):
        """A name compared by equality (Odoo's import) matches in the user's
        language first, else in any language: a billing system's English
        reason names import for a French user too."""
        domain = super()._search_display_name(operator, value)
        if operator not in ("=", "in"):
            return domain
        names = [value] if operator == "=" else list(value)
        if not names or not all(isinstance(name, str) and name for name in names):
            return domain
        if self.search_count(domain, limit=1):
            return domain
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM nps_termination_reason
                 WHERE EXISTS (SELECT 1 FROM jsonb_each_text(name) t
                                WHERE t.value = ANY(%s))
                """,
                names,
            )
        )
        return [("id", "in", [row[0] for row in self.env.cr.fetchall()])]
