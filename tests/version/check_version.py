#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""check_version.py - every place that states the version agrees with VERSION.

The Makefile reads VERSION itself (and passes -DAA_VERSION); this checks the
copies that cannot read it: the public header's macros, the .TH line of each
man page, and the Python plugin's pyproject.toml, METADATA, dist-info
directory and __version__. Prints one line per mismatch and exits 1."""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PLUGIN = "conda-helper/python"


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def found(path, pattern):
    """The first group of pattern in the file, or None."""
    m = re.search(pattern, read(path), re.M)
    return m.group(1) if m else None


def stated():
    """(where, what it says) for every copy of the version."""
    hdr = "common/include/anaconda_auth.h"
    out = [(hdr + " AA_VERSION", found(hdr, r'^#define AA_VERSION "([^"]*)"'))]
    parts = [found(hdr, rf"^#define AA_VERSION_{p} (\d+)") for p in ("MAJOR", "MINOR", "PATCH")]
    out.append((hdr + " AA_VERSION_MAJOR/MINOR/PATCH", ".".join(str(p) for p in parts)))
    for page in sorted(glob.glob(os.path.join(ROOT, "docs", "*.[1-8]"))):
        rel = os.path.relpath(page, ROOT)
        out.append((rel + " .TH", found(rel, r'^\.TH .*"anaconda-auth(?:-c)? ([^"]+)"')))
    out.append((PLUGIN + "/pyproject.toml", found(PLUGIN + "/pyproject.toml",
                                                  r'^version = "([^"]*)"')))
    out.append((PLUGIN + "/conda_anaconda_helper/__init__.py",
                found(PLUGIN + "/conda_anaconda_helper/__init__.py",
                      r'^__version__ = "([^"]*)"')))
    infos = glob.glob(os.path.join(ROOT, PLUGIN, "conda_anaconda_helper-*.dist-info"))
    for info in infos:
        rel = os.path.relpath(info, ROOT)
        out.append((rel + " (directory name)",
                    os.path.basename(info)[len("conda_anaconda_helper-"):-len(".dist-info")]))
        out.append((rel + "/METADATA", found(rel + "/METADATA", r"^Version: (\S+)")))
    if len(infos) != 1:
        out.append((PLUGIN + "/*.dist-info: one directory", str(len(infos))))
    return out


def main():
    version = read("VERSION").strip()
    bad = [(where, what) for where, what in stated() if what != version]
    for where, what in bad:
        print(f"check_version: {where} says {what!r}, VERSION says {version!r} "
              "(change it to match)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
