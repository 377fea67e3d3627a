"""What an answer's comment talks about: its language and its themes, found
when the answer's effects are applied; a satisfaction user's own choice of
themes on an answer is kept across later taggings."""

from odoo import Command, fields, models

from ..tools import lang_tools
from ..tools.groups import STAFF

#: the context key of the tagging's own writes (not a user's choice)
TAGGING = "nps_theme_tagging"


class NpsRequest(models.Model):
    _inherit = "nps.request"

    comment_lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Comment language",
        readonly=True,
        groups=STAFF,
        help="The language the comment is written in: the customer's, unless "
        "the text is plainly in another one.",
    )
    theme_ids = fields.Many2many(
        comodel_name="nps.theme",
        relation="nps_request_theme_rel",
        column1="request_id",
        column2="theme_id",
        string="Themes",
        groups=STAFF,
        help="What the comment talks about: found in its words, or chosen by "
        "a satisfaction user (his choice stays when the comments are tagged "
        "again).",
    )
    theme_found_ids = fields.Many2many(
        comodel_name="nps.theme",
        relation="nps_request_theme_found_rel",
        column1="request_id",
        column2="theme_id",
        string="Themes found",
        readonly=True,
        groups=STAFF,
        help="The themes whose words the comment holds, at its last tagging.",
    )
    theme_added_ids = fields.Many2many(
        comodel_name="nps.theme",
        relation="nps_request_theme_added_rel",
        column1="request_id",
        column2="theme_id",
        string="Themes added by hand",
        readonly=True,
        groups=STAFF,
    )
    theme_removed_ids = fields.Many2many(
        comodel_name="nps.theme",
        relation="nps_request_theme_removed_rel",
        column1="request_id",
        column2="theme_id",
        string="Themes removed by hand",
        readonly=True,
        groups=STAFF,
    )

    # The figures by theme (nps.theme.report) read the answers from these
    # two small indexes alone, the answers with a comment and those
    # without, never the table and its texts.
    _answered_commented_idx = models.Index(
        "(report_date, company_id) INCLUDE (nps_category, id)"
        " WHERE state = 'answered' AND comment <> ''"
    )
    _answered_uncommented_idx = models.Index(
        "(report_date, company_id) INCLUDE (nps_category, id)"
        " WHERE state = 'answered' AND (comment IS NULL OR comment = '')"
    )

    def write(self, vals):
        if "theme_ids" not in vals or self.env.context.get(TAGGING):
            return super().write(vals)
        before = {request.id: request.theme_ids for request in self}
        result = super().write(vals)
        for request in self:
            added = request.theme_ids - before[request.id]
            removed = before[request.id] - request.theme_ids
            if added or removed:
                request.sudo().with_context(**{TAGGING: True}).write(
                    {
                        "theme_added_ids": [
                            (6, 0, ((request.theme_added_ids | added) - removed).ids)
                        ],
                        "theme_removed_ids": [
                            (6, 0, ((request.theme_removed_ids | removed) - added).ids)
                        ],
                    }
                )
        return result

    def _nps_customer_lang(self):
        """The language the customer answers in: his survey answer's, else
        his own."""
        self.ensure_one()
        request_sudo = self.sudo()
        return request_sudo.user_input_id.lang_id.code or request_sudo.partner_id.lang

    def _nps_tag_themes(self, matchers=None):
        """Find the language and the themes of these answers' comments
        (``nps.theme``); the themes a satisfaction user added or removed by
        hand stay so. ``matchers``: {company: ``nps.theme._nps_matchers``},
        read once for a batch."""
        Theme = self.env["nps.theme"]
        matchers = {} if matchers is None else matchers
        changes = {}
        for request in self.sudo():
            company = request.company_id or self.env.company
            if company not in matchers:
                matchers[company] = Theme._nps_matchers(company)
            comment = request.comment
            lang = comment and request._nps_comment_lang_of(comment)
            found = Theme._nps_find(comment, lang, matchers[company])
            request._nps_theme_changes(lang or False, found, changes)
        self._nps_write_theme_changes(changes)

    def _nps_theme_changes(self, lang, found, changes):
        """What tagging this answer changes: its comment's language, the
        themes ``found`` in it and those it carries (found, with the user's
        own choice), added to ``changes`` {(field, command, value): [ids]}.
        Tagging again mostly finds what it found: nothing to write then."""
        self.ensure_one()
        if (self.comment_lang or False) != lang:
            changes.setdefault(("comment_lang", None, lang), []).append(self.id)
        themes = (found | self.theme_added_ids) - self.theme_removed_ids
        for field, new in (("theme_found_ids", found), ("theme_ids", themes)):
            old = self[field]
            for theme in new - old:
                changes.setdefault((field, Command.LINK, theme.id), []).append(self.id)
            for theme in old - new:
                changes.setdefault((field, Command.UNLINK, theme.id), []).append(
                    self.id
                )

    def _nps_write_theme_changes(self, changes):
        """Write ``changes`` (``_nps_theme_changes``): one write per value,
        a theme linked to or unlinked from all its answers at once."""
        requests = self.sudo().with_context(**{TAGGING: True})
        for (field, command, value), ids in changes.items():
            records = requests.browse(ids)
            if command is None:
                records.write({field: value})
            else:
                records.write({field: [(command, value, 0)]})

    def _nps_comment_lang_of(self, comment):
        """The language ``comment`` is written in: the customer's, unless
        the text is plainly in another active language
        (``lang_tools.comment_lang``)."""
        self.ensure_one()
        return lang_tools.comment_lang(
            comment,
            self._nps_customer_lang(),
            [code for code, _name in self.env["res.lang"].get_installed()],
        )

    def _nps_forget_themes(self):
        """The comment is gone (removed or anonymised): so are its language
        and themes, found or chosen."""
        self.sudo().with_context(**{TAGGING: True}).write(
            {
                "comment_lang": False,
                "theme_ids": [(5,)],
                "theme_found_ids": [(5,)],
                "theme_added_ids": [(5,)],
                "theme_removed_ids": [(5,)],
            }
        )
