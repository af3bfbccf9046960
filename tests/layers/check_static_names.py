#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""check_static_names.py - fail when two product files define a static
function of the same name.

Two files with one helper name either wrote the same helper twice (it
belongs in common/util/) or do different things under one name (one of them
should say what it does). Reads the C sources of common/, cli/,
git-credential-anaconda/, conda-helper/ and pam_anaconda/ (subdirectories
too) and prints each name with its files. ALLOWED lists names that stand for
a role every front-end has (each file's own usage text, say), not a helper.
Usage: check_static_names.py [--count]  (--count: print the number only)."""
import os
import re
import sys

DIRS = ["common", "cli", "git-credential-anaconda", "conda-helper",
        "pam_anaconda"]

# Names every program may define for itself: each one prints that program's
# own text, nothing could be shared.
ALLOWED = {
    "usage",  # each program's usage text
    "help",   # each program's --help text
}

# "static <type> name(<params>) {": a definition, not a prototype.
DEF = re.compile(r"^static\s+[^;{}()=]*?\b(\w+)\s*\(([^;{}]|\([^;{}]*\))*\)\s*"
                 r"(__attribute__\s*\(\(.*?\)\)\s*)?\{", re.M)


def static_defs():
    found = {}
    for top in DIRS:
        for root, _, files in os.walk(top):
            for name in sorted(files):
                if not name.endswith(".c"):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for m in DEF.finditer(text):
                    found.setdefault(m.group(1), set()).add(path)
    return {n: sorted(p) for n, p in found.items() if len(p) > 1}


def main():
    dups = static_defs()
    bad = {n: p for n, p in dups.items() if n not in ALLOWED}
    if "--count" in sys.argv[1:]:
        print(len(dups), "names defined in two or more files,",
              len(bad), "not allowed")
        return 0
    for name in sorted(bad):
        print(f"static {name}() is defined in: {', '.join(bad[name])}")
    if bad:
        print(f"{len(bad)} static names are defined in more than one file: "
              "move a shared helper to common/util/ (aa_util.h), or rename "
              "each to say what it does", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
