from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools import lang_tools, theme_tools

#: the id below which the comments are still to be tagged again (0: none)
RETAG_CURSOR = "nps_satisfaction.theme_retag_cursor"
#: what a change of a theme's is about its words
WORD_FIELDS = frozenset({"word_ids", "active", "company_id"})


class NpsTheme(models.Model):
    """What customers talk about in their comments (network quality,
    billing, the support's speed...): found in each comment by its words
    and phrases, in their word forms and in the comment's language, so
    that the figures tell what detractors complain about and what each
    theme costs in NPS points."""

    _name = "nps.theme"
    _description = "Comment theme"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Empty: the theme applies to the comments of every company.",
    )
    color = fields.Integer()
    description = fields.Text(translate=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        domain=[("share", "=", False)],
        help="Gets an activity on the follow-up case when a detractor (or a "
        "customer whose satisfaction falls under the threshold) mentions "
        "this theme, besides the account manager's.",
    )
    word_ids = fields.One2many(
        comodel_name="nps.theme.word",
        inverse_name="theme_id",
        string="Words and phrases",
        copy=True,
    )

    @api.model
    def _nps_matchers(self, company=None):
        """[(theme, [(word, lang)])]: the active themes of ``company`` (and
        those of every company) with their words, kept in memory until the
        themes' words change."""
        company = company or self.env.company
        theme_sudo = self.sudo()
        return [
            (theme_sudo.browse(theme_id), list(words))
            for theme_id, words in self._nps_theme_words(company.id)
        ]

    @api.model
    @tools.ormcache("company_id")
    def _nps_theme_words(self, company_id):
        """((theme id, ((word, lang), ...)), ...) of ``_nps_matchers``."""
        themes = (
            self.sudo()
            .with_context(active_test=True)
            .search([("company_id", "in", [False, company_id])])
        )
        return tuple(
            (
                theme.id,
                tuple((word.name, word.lang or False) for word in theme.word_ids),
            )
            for theme in themes
        )

    @api.model
    def _nps_find(self, text, lang, matchers):
        """The themes of ``matchers`` (``_nps_matchers``) whose words are in
        ``text``, a comment in the language ``lang``: as written (without
        regard to case or accents), or in another form of the same word (in
        the comment's language and in the word's own). A word given for
        another language than the comment's is not looked for.

        The words' forms are prepared once per set of words and language
        (``tools/theme_tools.py``), not once per comment."""
        if not text:
            return self.browse()
        prepared = theme_tools.prepare(
            tuple((theme.id, tuple(words)) for theme, words in matchers), lang or False
        )
        return self.browse(theme_tools.find_themes(text, lang, prepared))

    # --- Tagging again when the words change ---

    @api.model_create_multi
    def create(self, vals_list):
        themes = super().create(vals_list)
        self._nps_retag_later()
        return themes

    def write(self, vals):
        result = super().write(vals)
        if WORD_FIELDS.intersection(vals):
            self._nps_retag_later()
        return result

    def unlink(self):
        result = super().unlink()
        self._nps_retag_later()
        return result

    @api.model
    def _nps_retag_later(self):
        """The themes' words changed: every comment is tagged again by this
        model's job, a batch at a time, from the newest answer down (and
        the words kept in memory are read again)."""
        self.env.registry.clear_cache()
        self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM nps_request"))
        self.env["ir.config_parameter"].sudo().set_param(
            RETAG_CURSOR, self.env.cr.fetchone()[0]
        )
        cron = self.env.ref(
            "nps_satisfaction.ir_cron_nps_theme_retag", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _nps_retag_batch(self, cursor, batch_size, matchers):
        """Tag again the comments of the answers below id ``cursor``, at
        most ``batch_size`` of them; returns the next cursor (0: done)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM nps_request
                 WHERE id < %s AND state = 'answered' AND comment IS NOT NULL
                 ORDER BY id DESC
                 LIMIT %s
                """,
                cursor,
                batch_size,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return 0
        self.env["nps.request"].browse(ids)._nps_tag_themes(matchers)
        return min(ids)

    @api.model
    def _cron_retag(self, batch_size=500):
        """Tag the comments again after a change of the themes' words, a
        batch at a time, committing after each one: no answer stays locked
        for long, and a run cut short goes on from where it stopped."""
        params = self.env["ir.config_parameter"].sudo()
        cron = self.env["ir.cron"]
        matchers = {}
        while True:
            cursor = int(params.get_param(RETAG_CURSOR) or 0)
            if cursor <= 0:
                break
            cursor = self._nps_retag_batch(cursor, batch_size, matchers)
            params.set_param(RETAG_CURSOR, cursor)
            if not cursor or cron._commit_progress(batch_size) <= 0:
                break

    @api.model
    def _nps_retag_all(self, batch_size=2000):
        """Tag every comment now, in this transaction (the upgrade that
        brings the themes)."""
        self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM nps_request"))
        cursor = self.env.cr.fetchone()[0]
        matchers = {}
        while cursor:
            cursor = self._nps_retag_batch(cursor, batch_size, matchers)
            self.env.invalidate_all()


class NpsThemeWord(models.Model):
    _name = "nps.theme.word"
    _inherit = ["nps.theme.word.mixin"]
    _description = "Word or phrase of a comment theme"
    _order = "lang, name"

    theme_id = fields.Many2one(
        comodel_name="nps.theme", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(
        string="Word or phrase",
        required=True,
        help="Found in comments without regard to case or accents, in its "
        'word forms: "cancel" also finds "cancelling" and "cancellation"; '
        'a phrase ("call back") finds its words one after the other.',
    )
    lang = fields.Selection(
        selection=lambda self: lang_tools.language_selection(self.env),
        string="Language",
        help="The language of the comments it is looked for in; empty: every language.",
    )

    _unique_word = models.Constraint(
        "UNIQUE(theme_id, name, lang)", "This word is already in the theme."
    )

    @api.model_create_multi
    def create(self, vals_list):
        words = super().create(vals_list)
        self.env["nps.theme"]._nps_retag_later()
        return words

    def write(self, vals):
        result = super().write(vals)
        self.env["nps.theme"]._nps_retag_later()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["nps.theme"]._nps_retag_later()
        return result
