import ast
import pathlib
import re

import polib
from lxml import etree

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

REPO = pathlib.Path(__file__).resolve().parents[2]
LANGS = ("fr", "de")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\{\{.*?\}\}|t-\w+(?:-\w+)*=\"[^\"]*\"")


def addons_with_translations():
    for manifest in sorted(REPO.glob("*/__manifest__.py")):
        addon = manifest.parent
        if (addon / "i18n" / f"{addon.name}.pot").exists():
            yield addon


def demo_records(addon):
    """(model, xml id, record node) of each record of the addon's demo files."""
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    for path in manifest.get("demo", []):
        if not path.endswith(".xml"):
            continue
        for record in etree.parse(str(addon / path)).iter("record"):
            xmlid = record.get("id")
            if "." not in xmlid:
                xmlid = f"{addon.name}.{xmlid}"
            yield record.get("model"), xmlid, record


def term_xmlid(occurrence):
    """The record of a model term's occurrence (``model:res.partner,name:
    addon.xmlid``), None for a code or view term."""
    kind, _sep, rest = occurrence.partition(":")
    if kind not in ("model", "model_terms"):
        return None
    return rest.rpartition(":")[2]


@tagged("post_install", "-at_install")
class TestTranslations(BaseCase):
    """Every term of an addon's .pot is translated in French and German, with
    the same placeholders and QWeb expressions."""

    def test_po_files_complete(self):
        addons = list(addons_with_translations())
        self.assertTrue(addons, "at least one addon ships translations")
        problems = []
        for addon in addons:
            pot = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
            for lang in LANGS:
                path = addon / "i18n" / f"{lang}.po"
                if not path.exists():
                    problems.append(f"{addon.name}: no {lang}.po")
                    continue
                po = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))}
                for term in pot:
                    entry = po.get((term.msgctxt, term.msgid))
                    if not entry or not entry.msgstr or "fuzzy" in entry.flags:
                        problems.append(
                            f"{addon.name}/{lang}: untranslated {term.msgid[:60]!r}"
                        )
                        continue
                    expected = sorted(PLACEHOLDER.findall(term.msgid))
                    found = sorted(PLACEHOLDER.findall(entry.msgstr))
                    if expected != found:
                        problems.append(
                            f"{addon.name}/{lang}: placeholders differ in "
                            f"{term.msgid[:60]!r}"
                        )
        self.assertFalse(problems, "\n".join(problems))


@tagged("post_install", "-at_install")
class TestPotUpToDate(TransactionCase):
    """Each addon's .pot holds exactly the terms Odoo exports for it now: a
    label, message or page text added without refreshing the .pot (and so
    without translations) fails here (setup/i18n.sh refreshes it). The .pot
    carries the demo records' terms too, as Odoo's own do (setup/i18n.sh
    exports from a database with the demo data): this database has none, so
    a term only demo records use is not looked for here (see
    TestDemoTranslations)."""

    def test_pot_files_up_to_date(self):
        problems = []
        for addon in addons_with_translations():
            reader = TranslationModuleReader(self.env.cr, modules=[addon.name])
            exported = {row[4] for row in reader if row[0] == addon.name}
            demo = {xmlid for _model, xmlid, _record in demo_records(addon)}
            pot = {
                entry.msgid
                for entry in polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
                if not entry.occurrences
                or not all(
                    term_xmlid(path) in demo for path, _line in entry.occurrences
                )
            }
            problems += [
                f"{addon.name}: {term[:60]!r} missing from the .pot"
                for term in sorted(exported - pot)
            ]
            problems += [
                f"{addon.name}: {term[:60]!r} in the .pot, no longer in the addon"
                for term in sorted(pot - exported)
            ]
        self.assertFalse(problems, "\n".join(problems))


@tagged("post_install", "-at_install")
class TestDemoTranslations(TransactionCase):
    """Regression: the demo's relationship campaign and its courses read in
    English on French and German screens and in the customers' emails
    ("Sie haben Getting started with your hosted PBX abgeschlossen"): each
    translatable value of a demo record is a term of its addon's .pot, and
    so translated in French and German (TestTranslations)."""

    def test_demo_records_are_translated(self):
        problems = []
        for addon in addons_with_translations():
            pot = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
            occurrences = {path for entry in pot for path, _line in entry.occurrences}
            for model, xmlid, record in demo_records(addon):
                if model not in self.env:
                    continue
                for node in record.iter("field"):
                    field = self.env[model]._fields.get(node.get("name"))
                    if (
                        not field
                        or not field.translate
                        or any(node.get(key) for key in ("ref", "eval", "search"))
                        or not "".join(node.itertext()).strip()
                    ):
                        continue
                    kind = "model_terms" if callable(field.translate) else "model"
                    where = f"{kind}:{model},{field.name}:{xmlid}"
                    if where not in occurrences:
                        problems.append(f"{addon.name}: no term for {where}")
        self.assertFalse(problems, "\n".join(problems))
