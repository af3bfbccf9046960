#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""check_cycles.py - fail when library files depend on each other in a circle.

Two graphs: #include "..." between the files of common/, and symbol
references between the objects of common/ (file A -> file B when A's object
uses a symbol B's object defines, read with nm). Any strongly connected
component of more than one file is a cycle and is printed.
Usage: check_cycles.py BUILD_DIR (e.g. build/default)."""
import os
import re
import subprocess
import sys

SRC = "common"


def include_graph():
    g = {}
    for name in sorted(os.listdir(SRC)):
        if not name.endswith((".c", ".h")):
            continue
        with open(os.path.join(SRC, name), encoding="utf-8") as f:
            incs = re.findall(r'^#include "([^"]+)"', f.read(), re.M)
        g[name] = {i for i in incs if os.path.exists(os.path.join(SRC, i))}
    return g


def symbol_graph(build):
    objdir = os.path.join(build, "obj", SRC)
    defs, uses = {}, {}
    for name in sorted(os.listdir(objdir)):
        # only objects whose source still exists (no stale ones)
        if not name.endswith(".o") or not os.path.exists(
                os.path.join(SRC, name[:-2] + ".c")):
            continue
        out = subprocess.run(["nm", os.path.join(objdir, name)], check=True,
                             capture_output=True, text=True).stdout
        src = name[:-2] + ".c"
        uses[src] = set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "U":
                uses[src].add(parts[1])
            elif len(parts) == 3 and parts[1] in "TDBR":
                defs[parts[2]] = src
    return {src: {defs[s] for s in syms if s in defs and defs[s] != src}
            for src, syms in uses.items()}


def cycles(g):
    """Tarjan's strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def main():
    build = os.path.abspath(sys.argv[1])
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    bad = 0
    for kind, g in (("include", include_graph()),
                    ("symbol", symbol_graph(build))):
        for comp in cycles(g):
            print(f"check_cycles: {kind} cycle: {' <-> '.join(comp)}")
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
