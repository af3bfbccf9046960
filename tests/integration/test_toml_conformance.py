# SPDX-License-Identifier: BSD-3-Clause
"""TOML conformance: our reader (common/toml_*.c, through tests/toml_dump)
against Python 3.11's tomllib on every document in tests/toml/.

valid/   both accept, and the parsed trees are equal (tests/toml/differential.py
         says how floats and date-times are compared);
invalid/ both refuse, except where TOML 1.0 makes us refuse what tomllib
         accepts (integers outside 64 bits), and then we must refuse.
Every refusal is one line "FILE:LINE: ..." naming the file.
"""
import glob
import os
import re
import subprocess
import sys

import pytest

from conftest import BUILD, ROOT

sys.path.insert(0, os.path.join(ROOT, "tests", "toml"))
import differential  # noqa: E402

DUMP = os.path.join(BUILD, "tests", "toml_dump")
CORPUS = os.path.join(ROOT, "tests", "toml")


def corpus(kind):
    return sorted(glob.glob(os.path.join(CORPUS, kind, "*.toml")))


@pytest.fixture(scope="module")
def ours():
    if not os.access(DUMP, os.X_OK):
        pytest.fail("%s is missing: run make" % DUMP)
    paths = corpus("valid") + corpus("invalid")
    return dict(zip(paths, differential.run_ours(DUMP, paths)))


def test_corpus_is_large_enough():
    assert len(corpus("valid")) >= 60 and len(corpus("invalid")) >= 150


@pytest.mark.parametrize("path", corpus("valid"), ids=os.path.basename)
def test_valid_document_reads_as_tomllib_reads_it(path, ours):
    with open(path, "rb") as f:
        data = f.read()
    py = differential.python_parse(data)
    assert py[0] == "ok", "the corpus is wrong: tomllib refuses %s: %s" % (path, py[1])
    assert ours[path][0] == "ok", ours[path][1]
    assert differential.verdict(data, py, ours[path]) is None


@pytest.mark.parametrize("path", corpus("invalid"), ids=os.path.basename)
def test_invalid_document_is_refused_with_file_and_line(path, ours):
    with open(path, "rb") as f:
        data = f.read()
    kind, message = ours[path]
    assert kind == "error", "accepted: %s" % message
    assert re.match(re.escape(path) + r":[0-9]+: \S", message), message
    assert "\n" not in message
    py = differential.python_parse(data)
    assert differential.verdict(data, py, ours[path]) is None


def test_error_names_the_line_of_the_problem(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('# settings\n\n[plugin.auth]\ndomain = "x"\n\nssl_verify tru\n')
    kind, message = differential.run_ours(DUMP, [str(p)])[0]
    assert kind == "error"
    assert message == '%s:6: expected \'=\' after the key "ssl_verify"' % p


def test_error_never_quotes_a_value(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[sites.x]\napi_key = "secret-key-value\n')
    kind, message = differential.run_ours(DUMP, [str(p)])[0]
    assert kind == "error" and "secret-key-value" not in message


def test_mutated_documents_agree_with_tomllib():
    """A short differential fuzz run (fuzz/toml_differential runs longer)."""
    import random
    rng = random.Random(20261206)
    pool = []
    for p in corpus("valid") + corpus("invalid"):
        with open(p, "rb") as f:
            pool.append(f.read())
    batch = [differential.mutate(rng, rng.choice(pool), pool) for _ in range(3000)]
    ours = differential.ours_for_bytes(DUMP, batch)
    bad = [(data, why) for data, mine in zip(batch, ours)
           for why in [differential.verdict(data, differential.python_parse(data), mine)] if why]
    assert not bad, bad[:3]


@pytest.mark.parametrize("shape", ["array", "inline", "dotted", "header"])
def test_hostile_nesting_is_refused_without_exhausting_the_stack(tmp_path, shape):
    """A file of nothing but nesting (within the 1 MiB limit) is one error
    line, never a crash: the reader recurses only up to AA_TOML_MAX_DEPTH."""
    n = 200000
    text = {"array": "a = " + "[" * n,
            "inline": "a = " + "{b = " * n,
            "dotted": "a" + ".a" * n + " = 1\n",
            "header": "[a" + ".a" * n + "]\n"}[shape]
    p = tmp_path / "deep.toml"
    p.write_text(text)
    r = subprocess.run([DUMP, str(p)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r.returncode
    assert "deeper than 100 levels" in r.stderr, r.stderr
