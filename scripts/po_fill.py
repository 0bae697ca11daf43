#!/usr/bin/env python
"""Fill Indonesian translations into a .po file from a JSON or Python dict file.

    python scripts/po_fill.py beneficiaries/locale/id/LC_MESSAGES/django.po translations.json

The JSON maps an English msgid to its Indonesian msgstr (for plurals: a list of forms; Indonesian
has one). Entries already translated are kept unless --force. Prints what is still missing.
"""

import argparse
import json
import sys

import polib


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("po")
    parser.add_argument("translations")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    with open(args.translations, encoding="utf-8") as handle:
        table = json.load(handle)
    po = polib.pofile(args.po)
    for entry in po:
        if entry.obsolete:
            continue
        value = table.get(entry.msgid)
        if value is None:
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            if args.force or not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = dict(enumerate(forms))
        elif args.force or not entry.msgstr:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
