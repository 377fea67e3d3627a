"""Benchmark: tagging the comments with their themes (``nps.theme``).

Not a test: it prints figures. Run by ./run-benchmark --themes (which
prepares the machine and runs this script with the virtual environment's
Python):

    ./run-benchmark --themes [--comments 10000] [--effects 1000] [--rounds 3]

On one database with nps_satisfaction (its shipped themes, in English, French
and German), it inserts N answered surveys with a comment, in one INSERT ...
SELECT unnest: sentences of 10 to 40 words in French, German and English
(a third each, the customers' language), made of clauses that name a theme
in one of its word forms ("factures", "Rechnungen", "outages") and clauses
that name none. It loads the lemma dictionaries (simplemma) and the language
model (py3langid) first, as a running server holds them after its first
comments, so that the figures are the steady cost. Then it measures, in the
same run:

- tagging every comment again as the re-tag job does (``nps.theme``'s
  ``_nps_retag_batch``: batches of 500, the themes' words read once), up to
  the flush of the writes, and the share of it spent finding the themes in
  the text (``nps.theme._nps_find``), in all and per comment of each
  language;
- the answer's effects job (``nps.answer.effects._nps_apply``, batches of
  200 as its cron) over M of those answers made pending, and the share of
  it the tagging takes (``nps.request._nps_tag_themes``).

The goal: tagging adds at most 2 ms per comment to the effects job. Each
figure is the median of the rounds (every round is rolled back). The
database is dropped at the end.
"""

import argparse
import json
import pathlib
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_close_dispatch import (  # noqa: E402
    REPO,
    drop_database,
    install_template,
    log,
    settle,
    setup_odoo,
    timed_method,
)

DB = "nps_bench_themes"
RETAG_BATCH = 500
EFFECTS_BATCH = 200
GOAL_MS = 2.0
LANGS = ("fr_FR", "de_DE", "en_US")

# --- The comments: clauses naming a theme, clauses naming none ---

THEME_CLAUSES = {
    "fr_FR": [
        "les factures sont fausses depuis trois mois",
        "encore une panne du réseau toute la soirée",
        "le technicien n'est jamais venu au rendez-vous",
        "j'ai attendu deux semaines un rappel qui n'est jamais venu",
        "le conseiller était impoli et pas compétent",
        "je vais résilier mon abonnement à la fin du contrat",
        "personne ne nous a dit qu'il y aurait des travaux",
        "le débit est ridicule le soir",
        "les prix ont encore augmenté sans prévenir",
        "l'installation a pris un mois de retard",
        "la documentation ne sert à rien",
        "mon problème n'est toujours pas résolu",
    ],
    "de_DE": [
        "die Rechnungen stimmen seit Monaten nicht",
        "schon wieder eine Störung im Netz den ganzen Abend",
        "der Techniker kam nicht zum Termin",
        "ich warte seit zwei Wochen auf einen Rückruf",
        "der Berater war unfreundlich und nicht kompetent",
        "ich werde den Vertrag kündigen",
        "niemand hat uns über die Wartungsarbeiten informiert",
        "die Geschwindigkeit ist abends viel zu niedrig",
        "die Preise sind schon wieder gestiegen",
        "die Installation hat einen Monat länger gedauert",
        "die Anleitung hilft überhaupt nicht",
        "mein Problem ist immer noch nicht gelöst",
    ],
    "en_US": [
        "the invoices have been wrong for three months",
        "another network outage all evening",
        "the technician never showed up for the appointment",
        "I waited two weeks for a call back that never came",
        "the agent was rude and not competent",
        "I am going to cancel my subscription",
        "nobody told us about the planned works",
        "the internet speed is ridiculous in the evening",
        "prices went up again without any warning",
        "the installation was a month late",
        "the documentation is useless",
        "my problem is still not solved",
    ],
}
OTHER_CLAUSES = {
    "fr_FR": [
        "je suis client depuis cinq ans",
        "l'application plante sur mon téléphone",
        "le roaming en Espagne n'a pas marché",
        "mon voisin a eu le même souci",
        "la boutique du centre-ville est fermée le lundi",
        "franchement je suis déçu",
        "la box redémarre toute seule la nuit",
        "le mot de passe du portail ne marche plus",
    ],
    "de_DE": [
        "ich bin seit fünf Jahren Kunde",
        "die App stürzt auf meinem Handy ab",
        "Roaming in Spanien hat nicht funktioniert",
        "mein Nachbar hatte das gleiche Problem",
        "der Laden in der Innenstadt ist montags geschlossen",
        "ehrlich gesagt bin ich enttäuscht",
        "der Router startet nachts von selbst neu",
        "das Passwort für das Portal geht nicht mehr",
    ],
    "en_US": [
        "I have been a customer for five years",
        "the app keeps crashing on my phone",
        "roaming in Spain did not work at all",
        "my neighbour had the same problem",
        "the shop in town is closed on Mondays",
        "honestly I am disappointed",
        "the router restarts by itself at night",
        "the portal password does not work anymore",
    ],
}
JOINERS = {"fr_FR": " et ", "de_DE": " und ", "en_US": " and "}


def make_comment(rng, lang):
    """A comment of 10 to 40 words: clauses, a theme's about two in three,
    joined as a customer writes them."""
    words = []
    parts = []
    while len(words) < 10 or (len(words) < 40 and rng.random() < 0.75):
        pool = THEME_CLAUSES if rng.random() < 0.6 else OTHER_CLAUSES
        clause = rng.choice(pool[lang])
        if len(words) + len(clause.split()) > 40:
            break
        parts.append(clause)
        words += clause.split()
    text = ""
    for index, part in enumerate(parts):
        if index:
            text += rng.choice([", ", ". ", JOINERS[lang]])
        text += part
    return text[0].upper() + text[1:] + rng.choice([".", "!", "..."])


# --- Data ---


def populate(env, comments, seed=7):
    """300 customers (a third per language), then ``comments`` answered
    surveys with a comment in their customer's language, in one INSERT."""
    for lang in LANGS:
        env["res.lang"]._activate_lang(lang)
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {i}",
                "email": f"c{i}@bench.example",
                "lang": LANGS[i % 3],
            }
            for i in range(300)
        ]
    )
    rng = random.Random(seed)
    partner_ids, texts, scores = [], [], []
    for i in range(comments):
        partner = partners[i % 300]
        partner_ids.append(partner.id)
        texts.append(make_comment(rng, partner.lang))
        scores.append(rng.choice([0, 1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10]))
    campaign = env.ref("nps_satisfaction.campaign_post_ticket")
    env.flush_all()
    insert_answers(env, campaign, partner_ids, texts, scores)
    env.cr.commit()
    return texts


def insert_answers(env, campaign, partner_ids, texts, scores):
    env.cr.execute(
        SQL(
            """
            INSERT INTO nps_request (
                campaign_id, trigger, company_id, partner_id,
                commercial_partner_id, state, channel, access_token,
                scheduled_date, sent_date, answer_date, report_date, score,
                nps_category, comment, effects_pending, reminder_count,
                create_date, write_date, create_uid, write_uid)
            SELECT %(campaign)s, 'ticket_closed', %(company)s, a.partner_id,
                   a.partner_id, 'answered', 'email',
                   md5(a.n::text || random()::text),
                   sent, sent, sent + interval '5 hours', sent::date, a.score,
                   CASE WHEN a.score >= 9 THEN 'promoter'
                        WHEN a.score >= 7 THEN 'passive'
                        ELSE 'detractor' END,
                   a.comment, FALSE, 0, sent, sent, 1, 1
              FROM unnest(%(partners)s::int[], %(comments)s::text[],
                          %(scores)s::int[]) WITH ORDINALITY
                   AS a(partner_id, comment, score, n),
                   LATERAL (SELECT now() - a.n * interval '1 minute' AS sent) AS x
            """,
            campaign=campaign.id,
            company=env.company.id,
            partners=partner_ids,
            comments=texts,
            scores=scores,
        )
    )


# --- What is timed ---


def preload(env):
    """Load what a long-running server holds after its first comments, so
    that the timed part gives the steady cost: simplemma's dictionary of
    each language (German: about a second) and py3langid's model."""
    # the addons' path is known once setup_odoo has run
    from odoo.addons.nps_satisfaction.tools import (  # noqa: PLC0415
        lang_tools,
        lemma_tools,
    )

    start = time.perf_counter()
    candidates = [code for code, _name in env["res.lang"].get_installed()]
    for lang in LANGS:
        lemma_tools.lemma("résiliation", lang)
        lemma_tools.compound_parts("Vertragskündigung", lang)
        lang_tools.comment_lang(THEME_CLAUSES[lang][0], lang, candidates)
    return time.perf_counter() - start


def retag_all(env):
    """Every comment tagged again as the re-tag job tags them (a batch of
    500 at a time, the themes' words read once), each batch flushed."""
    theme = env["nps.theme"]
    env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM nps_request"))
    cursor = env.cr.fetchone()[0]
    matchers = {}
    while cursor:
        cursor = theme._nps_retag_batch(cursor, RETAG_BATCH, matchers)
        env.flush_all()
        env.invalidate_all()


@contextmanager
def timed_by_lang(model):
    """Accumulate, by the comment's language, the time spent finding the
    themes (``nps.theme._nps_find(text, lang, matchers)``) and its calls."""
    cls = type(model)
    original = cls._nps_find
    spent = defaultdict(lambda: [0.0, 0])

    def wrapper(self, text, lang, matchers):
        start = time.perf_counter()
        try:
            return original(self, text, lang, matchers)
        finally:
            spent[lang or "none"][0] += time.perf_counter() - start
            spent[lang or "none"][1] += 1

    cls._nps_find = wrapper
    try:
        yield spent
    finally:
        cls._nps_find = original


def time_retag(env, comments, rounds):
    """Seconds of each round of tagging every comment, and of the finding
    of the themes in it (in all and by the comment's language); rolled back
    after each round."""
    samples = []
    for _round in range(rounds):
        with timed_by_lang(env["nps.theme"]) as finding:
            start = time.perf_counter()
            retag_all(env)
            total = time.perf_counter() - start
        samples.append(
            {
                "ms": 1000 * total / comments,
                "find_ms": 1000 * sum(s for s, _n in finding.values()) / comments,
                "find_ms_by_lang": {
                    lang: 1000 * seconds / calls
                    for lang, (seconds, calls) in finding.items()
                },
            }
        )
        env.cr.rollback()
        env.invalidate_all()
    return {
        "ms_per_comment": statistics.median(s["ms"] for s in samples),
        "find_ms_per_comment": statistics.median(s["find_ms"] for s in samples),
        "find_ms_by_lang": {
            lang: statistics.median(s["find_ms_by_lang"][lang] for s in samples)
            for lang in samples[0]["find_ms_by_lang"]
        },
        "rounds": samples,
    }


def time_effects(env, count, rounds):
    """Milliseconds per answer of the effects job over ``count`` answers made
    pending (first answers), and of the tagging inside it; rolled back after
    each round."""
    samples = []
    for _round in range(rounds):
        env.cr.execute(
            SQL(
                """
                UPDATE nps_request SET effects_pending = TRUE, effects_date = NULL
                 WHERE id IN (SELECT id FROM nps_request ORDER BY id LIMIT %s)
                RETURNING id
                """,
                count,
            )
        )
        ids = sorted(row[0] for row in env.cr.fetchall())
        env.invalidate_all()
        effects = env["nps.answer.effects"]
        with timed_method(env["nps.request"], "_nps_tag_themes") as tagging:
            start = time.perf_counter()
            for index in range(0, len(ids), EFFECTS_BATCH):
                batch = env["nps.request"].browse(ids[index : index + EFFECTS_BATCH])
                effects._nps_apply(batch)
                env.flush_all()
            total = time.perf_counter() - start
        samples.append(
            {"ms": 1000 * total / count, "tag_ms": 1000 * tagging["seconds"] / count}
        )
        env.cr.rollback()
        env.invalidate_all()
    return {
        "ms_per_answer": statistics.median(s["ms"] for s in samples),
        "tag_ms_per_answer": statistics.median(s["tag_ms"] for s in samples),
        "rounds": samples,
    }


def theme_counts(env):
    """How many comments each theme got (a check that the tagging found
    them), by theme name."""
    env.cr.execute(
        SQL(
            """
            SELECT theme_id, COUNT(*) FROM nps_request_theme_rel
             GROUP BY theme_id
            """
        )
    )
    counts = dict(env.cr.fetchall())
    themes = env["nps.theme"].browse(list(counts))
    return {theme.name: counts[theme.id] for theme in themes}


# --- Main ---


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--effects", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument(
        "--json", default=str(REPO / "tests" / "benchmark" / "last_themes_run.json")
    )
    return parser.parse_args()


def main():
    args = parse_args()
    odoo_src = pathlib.Path(args.odoo_src)
    setup_odoo(odoo_src)
    log("installing nps_satisfaction")
    install_template(odoo_src, "nps", DB)
    figures = {"comments": args.comments, "effects_answers": args.effects}
    try:
        with Registry(DB).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            log(f"inserting {args.comments} answered surveys with a comment")
            texts = populate(env, args.comments)
            figures["words_per_comment"] = statistics.mean(
                len(text.split()) for text in texts
            )
            log("loading the lemma dictionaries and the language model")
            figures["preload_seconds"] = preload(env)
            settle(env)
            log("timing the tagging of every comment")
            figures["retag"] = time_retag(env, args.comments, args.rounds)
            retag_all(env)
            figures["themes"] = theme_counts(env)
            settle(env)
            log(f"timing the effects job over {args.effects} answers")
            figures["effects"] = time_effects(env, args.effects, args.rounds)
    finally:
        drop_database(DB)
    report(figures, args.rounds)
    pathlib.Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    log(f"figures written to {args.json}")


def report(figures, rounds):
    retag, effects = figures["retag"], figures["effects"]
    tagged = Counter(figures["themes"])
    lines = [
        "-" * 72,
        f"Tagging {figures['comments']:,} comments with their themes "
        f"(fr, de, en; {figures['words_per_comment']:.1f} words on average; "
        f"median of {rounds})",
        "-" * 72,
        f"{'what':<54}{'ms per comment':>18}",
        f"{'tagging again (re-tag job, batches of 500)':<54}"
        f"{retag['ms_per_comment']:>18.2f}",
        f"{'  of which finding the themes (_nps_find)':<54}"
        f"{retag['find_ms_per_comment']:>18.2f}",
        *(
            f"{'    in a comment in ' + lang:<54}{ms:>18.2f}"
            for lang, ms in sorted(retag["find_ms_by_lang"].items())
        ),
        f"{'effects job, first answer (batches of 200)':<54}"
        f"{effects['ms_per_answer']:>18.2f}",
        f"{'  of which the tagging (_nps_tag_themes)':<54}"
        f"{effects['tag_ms_per_answer']:>18.2f}",
        f"goal: tagging adds at most {GOAL_MS} ms per comment to the effects "
        f"job: {'met' if effects['tag_ms_per_answer'] <= GOAL_MS else 'NOT met'}",
        f"dictionaries and language model loaded before timing: "
        f"{figures['preload_seconds']:.1f} s",
        "comments per theme: "
        + ", ".join(f"{name} {count}" for name, count in tagged.most_common()),
        "-" * 72,
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
