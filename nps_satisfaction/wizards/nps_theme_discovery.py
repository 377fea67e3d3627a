from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import discovery_tools, score_tools

#: the most recent comments of the period read, at most
MAX_COMMENTS = 20_000
#: the lines listed, at most, of words and of phrases
WORD_LINES = 30
PHRASE_LINES = 20
#: a word or phrase is listed from this many comments
MIN_COMMENTS = 2
#: the example comments of a line, and their length
EXAMPLES = 3
EXAMPLE_LENGTH = 200


class NpsThemeDiscovery(models.TransientModel):
    """The words and phrases customers use in their comments that no comment
    theme covers yet, the most frequent first, with example comments: a
    satisfaction manager adds them to a theme or to the alert keywords."""

    _name = "nps.theme.discovery"
    _description = "Words no comment theme covers"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - timedelta(days=90),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        required=True,
        default=lambda self: self._default_lang(),
        help="The comments written in this language (whatever the country): "
        "their words are brought to their dictionary form and its stop words "
        "left out.",
    )
    only_detractors = fields.Boolean(
        default=True,
        help="Only the comments of detractors (0 to 6) and of customers "
        "dissatisfied on the 1-5 scale (1 or 2).",
    )
    comment_count = fields.Integer(string="Comments read", readonly=True)
    capped = fields.Boolean(readonly=True)
    searched = fields.Boolean(readonly=True)
    line_ids = fields.One2many(
        comodel_name="nps.theme.discovery.line", inverse_name="discovery_id"
    )
    word_line_ids = fields.One2many(
        comodel_name="nps.theme.discovery.line",
        inverse_name="discovery_id",
        string="Words",
        domain=[("kind", "=", "word")],
    )
    phrase_line_ids = fields.One2many(
        comodel_name="nps.theme.discovery.line",
        inverse_name="discovery_id",
        string="Phrases",
        domain=[("kind", "=", "phrase")],
    )

    @api.model
    def _default_lang(self):
        installed = dict(self.env["res.lang"].get_installed())
        lang = self.env.lang or "en_US"
        return lang if lang in installed else next(iter(installed), False)

    @api.depends("lang")
    def _compute_display_name(self):
        for discovery in self:
            discovery.display_name = self.env._("Words no theme covers")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for discovery in self:
            if discovery.date_to < discovery.date_from:
                raise ValidationError(self.env._("The period ends before it starts."))

    @api.model
    def action_open(self):
        """Open a fresh search (a transient record: nothing to keep), its
        form without New (a search tool, like the dashboard)."""
        discovery = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Words no theme covers"),
            "res_model": self._name,
            "res_id": discovery.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_find(self):
        """List the most frequent words and phrases of the period's comments
        that no active theme covers."""
        self.ensure_one()
        comments, capped = self._read_comments()
        counter = discovery_tools.TermCounter(self.lang, examples=EXAMPLES)
        for index, comment in enumerate(comments):
            counter.add(index, comment)
        values = []
        for kind, limit in (("word", WORD_LINES), ("phrase", PHRASE_LINES)):
            values += self._prepare_line_values(counter, kind, limit, comments)
        self.line_ids.unlink()
        self.write(
            {
                "comment_count": len(comments),
                "capped": capped,
                "searched": True,
                "line_ids": [fields.Command.create(vals) for vals in values],
            }
        )
        return True

    def _read_comments(self):
        """The comments of the period in the language (the most recent
        ``MAX_COMMENTS``), newest first, in one query; and whether there
        were more."""
        Request = self.env["nps.request"]
        Request.check_access("read")
        Request.flush_model(
            ["comment", "comment_lang", "answer_date", "state", "company_id"]
            + ["nps_category", "csat_score"]
        )
        unhappy = SQL("TRUE")
        if self.only_detractors:
            unhappy = SQL(
                "(nps_category = 'detractor' OR csat_score < %s)",
                score_tools.CSAT_SATISFIED - 1,
            )
        self.env.cr.execute(
            SQL(
                """
                SELECT comment FROM nps_request
                 WHERE state = 'answered' AND comment IS NOT NULL
                   AND answer_date >= %(start)s AND answer_date < %(end)s
                   AND split_part(comment_lang, '_', 1) = %(lang)s
                   AND (company_id IS NULL OR company_id = ANY(%(companies)s))
                   AND %(unhappy)s
                 ORDER BY answer_date DESC, id DESC
                 LIMIT %(limit)s
                """,
                start=self._utc(self.date_from),
                end=self._utc(self.date_to + timedelta(days=1)),
                lang=discovery_tools.lang_prefix(self.lang),
                companies=self.env.companies.ids,
                unhappy=unhappy,
                limit=MAX_COMMENTS + 1,
            )
        )
        comments = [row[0] for row in self.env.cr.fetchall()]
        return comments[:MAX_COMMENTS], len(comments) > MAX_COMMENTS

    def _utc(self, day):
        """The start of ``day`` in the user's time zone, in UTC (as answer
        dates are stored)."""
        tz = ZoneInfo(self.env.context.get("tz") or self.env.user.tz or "UTC")
        start = datetime.combine(day, time.min, tzinfo=tz)
        return start.astimezone(UTC).replace(tzinfo=None)

    def _prepare_line_values(self, counter, kind, limit, comments):
        """The values of the lines of ``kind``: the most frequent terms no
        active theme covers (a theme word of the language, or without
        language, sharing a word form with the term or its usual spelling)."""
        Theme = self.env["nps.theme"]
        matchers = Theme._nps_matchers(self.env.company)
        values = []
        for term in counter.most_common(kind, MIN_COMMENTS):
            if any(
                Theme._nps_find(text, self.lang, matchers)
                for text in (term["name"], term["forms"][0])
            ):
                continue
            values.append(
                {
                    "kind": kind,
                    "name": term["name"],
                    "forms": ", ".join(term["forms"][:3]),
                    "count": term["count"],
                    "examples": "\n".join(
                        "- " + self._shorten(comments[index])
                        for index in term["examples"]
                    ),
                    "is_alert_keyword": bool(
                        self.env["nps.alert.keyword"]._nps_match(
                            term["name"], lang=self.lang
                        )
                    ),
                }
            )
            if len(values) >= limit:
                break
        return values

    @api.model
    def _shorten(self, comment):
        comment = " ".join(comment.split())
        if len(comment) <= EXAMPLE_LENGTH:
            return comment
        return comment[: EXAMPLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


class NpsThemeDiscoveryLine(models.TransientModel):
    _name = "nps.theme.discovery.line"
    _inherit = ["nps.theme.word.mixin"]
    _description = "Word no comment theme covers"
    _order = "count desc, id"

    discovery_id = fields.Many2one(
        comodel_name="nps.theme.discovery",
        required=True,
        ondelete="cascade",
        index=True,
    )
    kind = fields.Selection(
        selection=[("word", "Word"), ("phrase", "Phrase")], required=True
    )
    name = fields.Char(
        string="Word or phrase",
        required=True,
        help="Its dictionary form; change it before adding it if another "
        "form reads better.",
    )
    forms = fields.Char(string="As written", readonly=True)
    count = fields.Integer(
        string="Comments", readonly=True, help="The comments that use it."
    )
    examples = fields.Text(readonly=True)
    is_alert_keyword = fields.Boolean(string="Alert keyword", readonly=True)
    theme_id = fields.Many2one(
        comodel_name="nps.theme",
        help="The theme to add it to.",
    )
    theme_word_id = fields.Many2one(
        comodel_name="nps.theme.word",
        string="Added to the theme",
        readonly=True,
        ondelete="set null",
    )

    def _lang_code(self):
        """The language code theme words and keywords carry ("fr")."""
        return discovery_tools.lang_prefix(self.discovery_id.lang) or False

    def action_add_to_theme(self):
        """The word becomes a word of the chosen theme, in the comments'
        language: the comments are tagged again by the themes' job."""
        self.ensure_one()
        if not self.theme_id:
            raise UserError(self.env._("Choose the theme to add it to."))
        name = self.name.strip()
        existing = self.theme_id.word_ids.filtered(
            lambda word: word.name.casefold() == name.casefold()
            and (word.lang or False) == self._lang_code()
        )
        if existing:
            raise UserError(
                self.env._(
                    "“%(word)s” is already a word of the theme %(theme)s.",
                    word=name,
                    theme=self.theme_id.name,
                )
            )
        word = self.env["nps.theme.word"].create(
            {"theme_id": self.theme_id.id, "name": name, "lang": self._lang_code()}
        )
        self.theme_word_id = word
        return True

    def action_add_to_alert_keywords(self):
        """The word becomes an alert keyword, in the comments' language."""
        self.ensure_one()
        name = self.name.strip()
        Keyword = self.env["nps.alert.keyword"]
        same = (
            Keyword.with_context(active_test=False)
            .search_fetch(
                [("company_id", "in", [False, self.env.company.id])], ["name", "active"]
            )
            .filtered(lambda keyword: keyword.name.casefold() == name.casefold())
        )
        if same.filtered("active"):
            raise UserError(
                self.env._("“%(word)s” is already an alert keyword.", word=name)
            )
        if same:  # archived: back in the list
            same[:1].write({"active": True, "lang": self._lang_code()})
        else:
            Keyword.create({"name": name, "lang": self._lang_code()})
        self.is_alert_keyword = True
        return True
