import pathlib
import re

import polib

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
    without translations) fails here (setup/i18n.sh refreshes it)."""

    def test_pot_files_up_to_date(self):
        problems = []
        for addon in addons_with_translations():
            reader = TranslationModuleReader(self.env.cr, modules=[addon.name])
            exported = {row[4] for row in reader if row[0] == addon.name}
            pot = {
                entry.msgid
                for entry in polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
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
