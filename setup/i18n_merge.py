"""Merge an addon's fresh .pot into its fr.po and de.po (kept translations,
new terms added untranslated, vanished terms dropped), with polib.

    python setup/i18n_merge.py ADDON_DIR [LANG ...]    (default: fr de)
"""

import pathlib
import sys

import polib

HEADERS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "de": "nplurals=2; plural=(n != 1);",
}


def merge(addon_dir, lang):
    addon_dir = pathlib.Path(addon_dir)
    pot = polib.pofile(str(addon_dir / "i18n" / f"{addon_dir.name}.pot"))
    po_path = addon_dir / "i18n" / f"{lang}.po"
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {(entry.msgctxt, entry.msgid): entry for entry in old}
    new = polib.POFile(wrapwidth=78)
    new.metadata = dict(pot.metadata)
    new.metadata.update(
        {
            "Language": lang,
            "Plural-Forms": HEADERS.get(lang, "nplurals=2; plural=(n != 1);"),
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "",
        }
    )
    new.header = pot.header
    missing = 0
    for entry in pot:
        previous = known.get((entry.msgctxt, entry.msgid))
        entry.msgstr = previous.msgstr if previous else ""
        missing += not entry.msgstr
        new.append(entry)
    new.save(str(po_path))
    return len(new), missing


def main():
    addon_dir = sys.argv[1]
    for lang in sys.argv[2:] or ["fr", "de"]:
        total, missing = merge(addon_dir, lang)
        print(f"{addon_dir}/i18n/{lang}.po: {total} terms, {missing} untranslated")


if __name__ == "__main__":
    main()
