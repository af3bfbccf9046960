# SPDX-License-Identifier: BSD-3-Clause
"""Compare our TOML reader (build/.../tests/toml_dump) with Python's tomllib.

Both sides become the same tagged tree: a table is a dict, an array a list,
every other value {"type": T, "value": TEXT}. Normalised before comparing:
  - floats: compared as numbers (nan equals nan; -0.0 differs from 0.0);
  - date-times: ours is text ("T", "Z", the fraction as written); it is read
    back with the fraction cut to microseconds, as tomllib does, and compared
    as datetime/date/time objects (offsets by their value: Z == +00:00);
  - strings, integers, booleans, keys: exactly.
Documents tomllib accepts and we refuse on purpose (TOML 1.0 asks for it):
integers outside 64 bits, nesting deeper than AA_TOML_MAX_DEPTH, numbers
longer than our 500-digit buffer. Anything else that differs is a bug.

Used by tests/integration/test_toml_conformance.py and fuzz/toml_differential.
"""
import datetime
import json
import math
import os
import re
import subprocess
import tempfile
import tomllib

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_DEPTH = 100


def tag_python(value):
    """tomllib's result as a tagged tree."""
    if isinstance(value, dict):
        return {k: tag_python(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tag_python(v) for v in value]
    if isinstance(value, bool):
        return {"type": "bool", "value": "true" if value else "false"}
    if isinstance(value, int):
        return {"type": "integer", "value": str(value)}
    if isinstance(value, float):
        return {"type": "float", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, datetime.datetime):
        kind = "datetime" if value.tzinfo is not None else "datetime-local"
        return {"type": kind, "value": value}
    if isinstance(value, datetime.date):
        return {"type": "date-local", "value": value}
    if isinstance(value, datetime.time):
        return {"type": "time-local", "value": value}
    raise TypeError(type(value))


def python_parse(data):
    """("ok", tagged tree) or ("error", message), as tomllib.load sees bytes."""
    try:
        text = data.decode("utf-8")
        return "ok", tag_python(tomllib.loads(text))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        return "error", str(e)
    except RecursionError:
        return "error", "RecursionError"


def run_ours(dump, paths):
    """Our result for each path: ("ok", tagged tree) or ("error", message)."""
    out = subprocess.run([dump, "--each", *paths], capture_output=True, check=True,
                         timeout=120).stdout.decode("utf-8", "replace")
    lines = out.split("\n")
    results = []
    for line in lines[: len(paths)]:
        if line.startswith("ok "):
            results.append(("ok", json.loads(line[3:])))
        else:
            results.append(("error", line[6:]))
    if len(results) != len(paths):
        raise AssertionError("toml_dump printed %d results for %d files" %
                             (len(results), len(paths)))
    return results


def ours_for_bytes(dump, blobs):
    """run_ours for documents held in memory."""
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i, data in enumerate(blobs):
            p = os.path.join(d, "%d.toml" % i)
            with open(p, "wb") as f:
                f.write(data)
            paths.append(p)
        return run_ours(dump, paths)


_TIME = r"(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
_DT = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T" + _TIME + r"(Z|[+-]\d{2}:\d{2})?)?$")
_T = re.compile(_TIME + "$")


def _micro(frac):
    return int((frac or "0")[:6].ljust(6, "0"))


def read_our_datetime(text):
    """Our canonical date-time text as the object tomllib would make."""
    m = _T.match(text)
    if m:
        h, mi, s, frac = m.groups()
        return datetime.time(int(h), int(mi), int(s), _micro(frac))
    m = _DT.match(text)
    if not m:
        raise ValueError("not a date-time: %r" % text)
    y, mo, d, h, mi, s, frac, off = m.groups()
    if h is None:
        return datetime.date(int(y), int(mo), int(d))
    tz = None
    if off == "Z":
        tz = datetime.timezone.utc
    elif off:
        sign = 1 if off[0] == "+" else -1
        tz = datetime.timezone(sign * datetime.timedelta(hours=int(off[1:3]),
                                                         minutes=int(off[4:6])))
    return datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                             _micro(frac), tzinfo=tz)


def _float(text):
    return float(text)


def _same_scalar(py, c):
    if py["type"] != c["type"]:
        return False
    t = py["type"]
    if t == "float":
        a, b = py["value"], _float(c["value"])
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if t in ("datetime", "datetime-local", "date-local", "time-local"):
        ours = read_our_datetime(c["value"])
        if t == "datetime" and ours.utcoffset() != py["value"].utcoffset():
            return False
        return ours == py["value"]
    return py["value"] == c["value"]


def difference(py, c, path="$"):
    """None when the trees agree, else where and how they differ."""
    if isinstance(py, dict) and "type" in py and not isinstance(py["type"], dict):
        if not (isinstance(c, dict) and "type" in c and not isinstance(c["type"], dict)):
            return "%s: tomllib has a %s, we have %r" % (path, py["type"], c)
        if not _same_scalar(py, c):
            return "%s: tomllib %r, we %r" % (path, py, c)
        return None
    if isinstance(py, dict):
        if not isinstance(c, dict) or ("type" in c and not isinstance(c["type"], dict)):
            return "%s: tomllib has a table, we have %r" % (path, c)
        if list(py) != list(c):
            if sorted(py) != sorted(c):
                return "%s: keys differ: tomllib %r, we %r" % (path, sorted(py), sorted(c))
        for k in py:
            d = difference(py[k], c[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(py, list):
        if not isinstance(c, list) or len(py) != len(c):
            return "%s: tomllib has an array of %d, we have %r" % (path, len(py), c)
        for i, (a, b) in enumerate(zip(py, c)):
            d = difference(a, b, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return "%s: unexpected %r" % (path, py)


def _walk_python(tree, depth=0):
    """(deepest nesting, an integer outside 64 bits was seen)."""
    if isinstance(tree, dict) and "type" in tree and not isinstance(tree["type"], dict):
        big = tree["type"] == "integer" and not (
            INT64_MIN <= int(tree["value"]) <= INT64_MAX)
        return depth, big
    items = tree.values() if isinstance(tree, dict) else tree
    deepest, big = depth, False
    for v in items:
        d, b = _walk_python(v, depth + 1)
        deepest, big = max(deepest, d), big or b
    return deepest, big


def _long_number(data):
    return re.search(rb"[0-9_.eE+-]{480,}", data) is not None


def verdict(data, py, ours):
    """None when we agree with tomllib (or differ on purpose), else why not."""
    if py[0] == "ok" and ours[0] == "ok":
        return difference(py[1], ours[1])
    if py[0] == "error" and ours[0] == "error":
        return None
    if py[0] == "ok":
        deepest, big = _walk_python(py[1])
        msg = ours[1]
        if big and ("out of range" in msg or "too large" in msg):
            return None
        if deepest > MAX_DEPTH - 2 and "deeper than" in msg:
            return None
        if "number too long" in msg and _long_number(data):
            return None
        return "tomllib accepts, we refuse: %s" % msg
    if py[1] == "RecursionError":
        return None
    return "tomllib refuses (%s), we accept: %s" % (py[1], json.dumps(ours[1])[:300])


# ---- mutations (fuzz/toml_differential, test_toml_conformance.py) ----

ALPHABET = [b"[", b"]", b"[[", b"]]", b"{", b"}", b"=", b".", b",", b"#", b"\n", b"\r\n",
            b"\r", b'"', b"'", b'"""', b"'''", b"\\", b"\\u00e9", b"\\U0001F600", b"\\n",
            b" ", b"\t", b"a", b"b", b"0", b"1", b"_", b"e", b"+", b"-", b":", b"T",
            b"Z", b"x", b"o", b"true", b"false", b"inf", b"nan", b"1979-05-27",
            b"07:32:00", b".5", b"\x00", b"\x7f", b"\xc3\xa9", b"\xff", b"\xed\xa0\x80",
            b"a.b", b"[a]", b"[[a]]", b"a = 1", b"{a = 1}", b"[1, 2]"]


def mutate(rng, data, pool):
    """One to four edits: insert, delete, replace, or splice lines from another seed."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        at = rng.randint(0, len(data))
        if op == 0:
            data[at:at] = rng.choice(ALPHABET)
        elif op == 1 and data:
            del data[at:at + rng.randint(1, 4)]
        elif op == 2 and data:
            data[at:at + 1] = rng.choice(ALPHABET)
        elif op == 3:
            other = rng.choice(pool).split(b"\n")
            i = rng.randrange(len(other))
            data[at:at] = b"\n".join(other[i:i + rng.randint(1, 3)]) + b"\n"
        else:
            lines = bytes(data).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[rng.randrange(len(lines))])
            data = bytearray(b"\n".join(lines))
    return bytes(data[:4096])
