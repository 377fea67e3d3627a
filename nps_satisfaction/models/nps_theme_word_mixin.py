from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import theme_tools


class NpsThemeWordMixin(models.AbstractModel):
    """A word or phrase typed for the comment themes (a theme's word, a line
    of the words no theme covers): one line of text, without control and
    invisible format characters, at most ``theme_tools.MAX_WORD``
    characters."""

    _name = "nps.theme.word.mixin"
    _description = "Word or phrase of the comment themes"

    name = fields.Char(string="Word or phrase", required=True)

    @api.model
    def _prepare_word_values(self, vals):
        """``vals`` with its name cleaned (``theme_tools.clean_word``)."""
        if isinstance(vals.get("name"), str):
            return dict(vals, name=theme_tools.clean_word(vals["name"]))
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._prepare_word_values(v) for v in vals_list])

    def write(self, vals):
        return super().write(self._prepare_word_values(vals))

    @api.constrains("name")
    def _check_word_name(self):
        for record in self:
            if not record.name:
                raise ValidationError(self.env._("A word or phrase cannot be empty."))
            if len(record.name) > theme_tools.MAX_WORD:
                raise ValidationError(
                    self.env._(
                        "“%(word)s…” is too long: a word or phrase has at most "
                        "%(max)s characters.",
                        word=record.name[:20],
                        max=theme_tools.MAX_WORD,
                    )
                )
