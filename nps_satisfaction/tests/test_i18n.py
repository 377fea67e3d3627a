import pathlib
import re

import polib

from odoo.tests import BaseCase, tagged

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
