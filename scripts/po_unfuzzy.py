#!/usr/bin/env python3
"""Turn fuzzy guesses of msgmerge back into empty entries (so po_fill.py can fill them).

Usage: scripts/po_unfuzzy.py locale/nl/LC_MESSAGES/django.po
The header entry keeps its flag. Prints how many entries were reset.
"""

import re
import sys

ENTRY = re.compile(r"((?:^#.*\n)*)(^msgctxt .*\n(?:^\".*\"\n)*)?(^msgid (?:\".*\"\n)(?:^\".*\"\n)*)((?:^msgid_plural .*\n(?:^\".*\"\n)*)?)((?:^msgstr.*\n(?:^\".*\"\n)*)+)", re.M)


def main(path: str) -> None:
    source = open(path, encoding="utf-8").read()
    reset = 0

    def fix(match):
        nonlocal reset
        comments, ctxt, msgid, plural, msgstr = match.groups()
        if "#, fuzzy" not in comments or msgid.startswith('msgid ""\nmsgstr') or msgid == 'msgid ""\n':
            return match.group(0)
        reset += 1
        comments = "".join(line + "\n" for line in comments.splitlines() if not line.startswith(("#, fuzzy", "#|")))
        if plural:
            msgstr = 'msgstr[0] ""\nmsgstr[1] ""\n'
        else:
            msgstr = 'msgstr ""\n'
        return comments + (ctxt or "") + msgid + plural + msgstr

    result = ENTRY.sub(fix, source)
    open(path, "w", encoding="utf-8").write(result)
    print(f"reset {reset} fuzzy entries")


if __name__ == "__main__":
    main(sys.argv[1])
