#!/usr/bin/env python3
"""Fill empty msgstr entries of a .po file from a JSON {msgid: msgstr} file.

Usage: scripts/po_fill.py locale/nl/LC_MESSAGES/django.po translations.json
Prints the msgids that are still untranslated afterwards.
"""

import json
import re
import sys

ENTRY = re.compile(r'((?:^#.*\n)*)(^msgctxt .*\n(?:^".*"\n)*)?(^msgid (?:".*"\n)(?:^".*"\n)*)(^msgstr (?:".*"\n)(?:^".*"\n)*)', re.M)


def unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(po_path: str, json_path: str) -> None:
    translations = json.load(open(json_path, encoding="utf-8"))
    source = open(po_path, encoding="utf-8").read()

    def fill(match):
        comments, ctxt, msgid_block, msgstr_block = match.groups()
        msgid = unquote(msgid_block[len("msgid "):])
        if msgid and not unquote(msgstr_block[len("msgstr "):]) and msgid in translations:
            msgstr_block = "msgstr " + quote(translations[msgid]) + "\n"
            comments = comments.replace("#, fuzzy\n", "")
        return comments + (ctxt or "") + msgid_block + msgstr_block

    result = ENTRY.sub(fill, source)
    open(po_path, "w", encoding="utf-8").write(result)
    missing = [unquote(m.group(3)[6:]) for m in ENTRY.finditer(result)
               if unquote(m.group(3)[6:]) and not unquote(m.group(4)[7:]) and "msgid_plural" not in m.group(0)]
    for msgid in missing:
        print("untranslated:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:3])
