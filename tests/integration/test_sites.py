# SPDX-License-Identifier: BSD-3-Clause
"""anaconda-auth sites: add/modify/remove edit config.toml in place (every
byte outside the edited table stays), dry runs, backups, safe writes, keys
only from stdin, and the list/show output and rules of anaconda-auth 0.15."""
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import tomllib

import pytest

from conftest import make_jwt, needs_root

HAND = (
    "# my own settings, by hand\n"
    'default_site = "prod"  # chosen on purpose\n'
    "\n"
    "[plugin.auth]\n"
    "# keep TLS on\n"
    "ssl_verify = true\n"
    "\n"
    "[sites.prod]\n"
    'domain = "prod.example.com"   # production\n'
    "\n"
    "[other.tool]\n"
    "x = [ 1, 2,   3 ]\n"
    "\n"
    "# the last comment\n"
)


def nl(text, crlf):
    return text.replace("\n", "\r\n") if crlf else text


def cfg_path(env):
    return env.home / ".anaconda" / "config.toml"


def put(env, text, mode=0o600):
    p = cfg_path(env)
    p.parent.mkdir(mode=0o700, exist_ok=True)
    p.write_bytes(text.encode())
    os.chmod(p, mode)
    return p


def sites(env, *args, **kw):
    kw.setdefault("input", "")
    return env.run("anaconda-auth", "sites", *args, **kw)


def effective(env, *args):
    r = env.run("anaconda-auth", "config", "--json", *args)
    assert r.returncode == 0, r
    return json.loads(r.stdout)


def backups(env):
    return sorted(p.name for p in cfg_path(env).parent.iterdir()
                  if p.name.startswith("config.backup."))


# ---- byte-for-byte edits -----------------------------------------------------

@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_add_appends_a_table_and_keeps_every_byte(env, crlf):
    before = nl(HAND, crlf)
    put(env, before)
    r = sites(env, "add", "--domain", "https://New.Example.com/x", "--name", "new",
              "--no-ssl-verify", "--extra-headers", '{"X-Team": "data"}', "--yes")
    assert r.returncode == 0, r
    after = cfg_path(env).read_bytes().decode()
    assert after == before + nl('\n[sites.new]\ndomain = "new.example.com"\n'
                                'ssl_verify = false\nextra_headers = { X-Team = "data" }\n',
                                crlf)
    doc = tomllib.loads(after)
    assert doc["sites"]["new"] == {"domain": "new.example.com", "ssl_verify": False,
                                   "extra_headers": {"X-Team": "data"}}
    cfg = effective(env, "--at", "new")
    assert cfg["site"]["name"] == "new"
    assert cfg["settings"]["domain"]["value"] == "new.example.com"
    assert cfg["settings"]["ssl_verify"]["value"] == "false"
    st = json.loads(env.run("anaconda-auth", "status", "--json", "--at", "new").stdout)
    assert st["domain"] == "new.example.com" and st["site"] == "new"
    # the default site stays the hand-chosen one
    assert effective(env)["site"]["name"] == "prod"


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_modify_changes_only_its_values(env, crlf):
    before = nl(HAND, crlf)
    put(env, before)
    r = sites(env, "modify", "--name", "prod", "--domain", "prod2.example.com",
              "--use-device-flow", "-y")
    assert r.returncode == 0, r
    want = before.replace('"prod.example.com"', '"prod2.example.com"').replace(
        nl("# production\n", crlf), nl("# production\nuse_device_flow = true\n", crlf))
    assert cfg_path(env).read_bytes().decode() == want
    assert effective(env)["settings"]["domain"]["value"] == "prod2.example.com"


def test_modify_by_domain_and_default(env):
    put(env, HAND + '\n[sites.dev]\ndomain = "dev.example.com"\n')
    r = sites(env, "modify", "--domain", "dev.example.com", "--default",
              "--use-truststore", "-y")
    assert r.returncode == 0, r
    doc = tomllib.loads(cfg_path(env).read_text())
    assert doc["default_site"] == "dev"
    assert doc["sites"]["dev"] == {"domain": "dev.example.com", "ssl_verify": "truststore"}
    assert cfg_path(env).read_text().startswith(
        '# my own settings, by hand\ndefault_site = "dev"  # chosen on purpose\n')
    assert effective(env)["site"]["name"] == "dev"


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_remove_takes_only_its_table_and_moves_the_default(env, crlf):
    dev = '[sites.dev]\ndomain = "dev.example.com"\n\n'
    before = nl(HAND.replace("[other.tool]\n", dev + "[other.tool]\n"), crlf)
    put(env, before)
    r = sites(env, "remove", "prod.example.com", "--yes")
    assert r.returncode == 0, r
    want = nl(HAND.replace('default_site = "prod"', 'default_site = "dev"').replace(
        '[sites.prod]\ndomain = "prod.example.com"   # production\n\n', dev), crlf)
    assert cfg_path(env).read_bytes().decode() == want
    assert effective(env)["site"]["name"] == "dev"


@pytest.mark.parametrize("text,how", [
    ('sites.dot.domain = "dot.example.com"\nsites.ok.domain = "ok.example.com"\n',
     "dotted keys"),
    ('[sites]\ndot = { domain = "dot.example.com" }\nok = { domain = "ok.example.com" }\n',
     "inline"),
])
def test_a_site_not_defined_by_a_header_is_refused(env, text, how):
    p = put(env, text)
    for args in (["modify", "--name", "dot", "--no-ssl-verify"], ["remove", "dot"]):
        r = sites(env, *args, "--yes")
        assert r.returncode == 2, r
        assert how in r.stderr and "edit it by hand" in r.stderr, r
        assert len(r.stderr.strip().splitlines()) == 1, r
        assert p.read_text() == text
    assert backups(env) == []


# ---- dry run, confirmation, backups -------------------------------------------

def test_dry_run_writes_nothing_and_shows_a_diff(env):
    p = put(env, HAND)
    st = p.stat()
    r = sites(env, "add", "--domain", "new.example.com", "--dry-run")
    assert r.returncode == 0, r
    assert r.stdout.startswith("--- ~/.anaconda/config.toml\n+++ ~/.anaconda/config.toml\n@@ ")
    assert '+[sites."new.example.com"]\n+domain = "new.example.com"\n' in r.stdout
    assert " # the last comment\n" in r.stdout  # context
    assert p.read_text() == HAND and p.stat().st_mtime_ns == st.st_mtime_ns
    assert backups(env) == []


def test_dry_run_on_no_file_creates_nothing(env):
    r = sites(env, "add", "--domain", "new.example.com", "--dry-run")
    assert r.returncode == 0, r
    assert "(new file)" in r.stdout and '+default_site = "new.example.com"' in r.stdout
    assert not (env.home / ".anaconda").exists()


def test_without_a_terminal_or_yes_nothing_is_written(env):
    p = put(env, HAND + '\n[sites.dev]\ndomain = "dev.example.com"\n')
    before = p.read_text()
    r = sites(env, "remove", "prod")
    assert r.returncode == 1, r
    assert "-[sites.prod]" in r.stdout
    assert "not written" in r.stderr and "--yes" in r.stderr
    assert p.read_text() == before


def test_no_change_is_said_and_not_written(env):
    p = put(env, HAND)
    r = sites(env, "modify", "--domain", "prod.example.com", "-y")
    assert r.returncode == 0 and "No change" in r.stdout, r
    assert p.read_text() == HAND and backups(env) == []


def test_backups_as_0_15_names_them_keeping_five(env):
    p = put(env, HAND)
    texts = []
    for i in range(7):
        texts.append(p.read_text())
        flag = "--use-device-flow" if i % 2 else "--no-use-device-flow"
        r = sites(env, "modify", "--name", "prod", flag, "-y")
        assert r.returncode == 0, r
    names = backups(env)
    assert len(names) == 5
    assert all(re.fullmatch(r"config\.backup\.\d{8}_\d{6}_\d{6}\.toml", n) for n in names)
    newest = cfg_path(env).parent / names[-1]
    assert newest.read_text() == texts[-1]
    assert stat.S_IMODE(newest.stat().st_mode) == 0o600


# ---- how the file is written ------------------------------------------------------

def test_new_file_is_private_in_a_private_directory(env):
    r = sites(env, "add", "--domain", "a.example.com", "--yes")
    assert r.returncode == 0, r
    p = cfg_path(env)
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(p.parent.stat().st_mode) == 0o700
    assert p.read_text() == ('default_site = "a.example.com"\n\n'
                             '[sites."a.example.com"]\ndomain = "a.example.com"\n')


def test_mode_of_an_existing_file_is_kept(env):
    p = put(env, HAND, mode=0o640)
    r = sites(env, "add", "--domain", "b.example.com", "--yes")
    assert r.returncode == 0, r
    assert stat.S_IMODE(p.stat().st_mode) == 0o640


def test_a_key_into_a_readable_file_makes_it_private(env):
    p = put(env, HAND, mode=0o644)
    r = sites(env, "modify", "--name", "prod", "--api-key", "-", "--yes",
              input=make_jwt() + "\n")
    assert r.returncode == 0, r
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert "private" in r.stderr


def test_symlink_at_the_final_name_is_not_followed(env, tmp_path):
    target = tmp_path / "elsewhere.toml"
    target.write_text(HAND)
    cfg_path(env).parent.mkdir(mode=0o700)
    cfg_path(env).symlink_to(target)
    r = sites(env, "add", "--domain", "evil.example.com", "--yes")
    assert r.returncode == 6, r
    assert "symbolic link" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert target.read_text() == HAND
    assert cfg_path(env).is_symlink()


def test_file_writable_by_others_is_refused(env):
    p = put(env, HAND, mode=0o666)
    r = sites(env, "add", "--domain", "c.example.com", "--yes")
    # not even read: every command refuses such a file when loading settings
    assert r.returncode == 2 and "writable by other users" in r.stderr, r
    assert p.read_text() == HAND


@needs_root
def test_failed_write_leaves_the_old_file(tmp_path):
    """As an ordinary user whose ~/.anaconda cannot be written to."""
    top = tempfile.mkdtemp(prefix="aa-sites-", dir="/tmp")
    try:
        os.chmod(top, 0o755)
        home = os.path.join(top, "home")
        conf = os.path.join(home, ".anaconda")
        os.makedirs(conf)
        path = os.path.join(conf, "config.toml")
        with open(path, "w") as f:
            f.write(HAND)
        for d in (home, conf, path):
            os.chown(d, 65534, 65534)
        os.chmod(path, 0o600)
        os.chmod(conf, 0o500)  # read-only for its owner
        e = {k: v for k, v in os.environ.items() if not k.startswith("ANACONDA_")}
        e.update(HOME=home, ANACONDA_SECRETS_DIR=os.path.join(top, "none"), LC_ALL="C")
        from conftest import BIN
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            os.path.join(BIN, "anaconda-auth"), "sites", "add",
                            "--domain", "d.example.com", "--yes"],
                           capture_output=True, text=True, env=e, cwd=top, timeout=60)
        assert p.returncode == 6, p
        assert "Permission denied" in p.stderr and "nothing was written" in p.stderr, p
        assert len(p.stderr.strip().splitlines()) == 1, p
        assert open(path).read() == HAND
        assert sorted(os.listdir(conf)) == ["config.toml"]
    finally:
        os.chmod(os.path.join(top, "home", ".anaconda"), 0o700)
        shutil.rmtree(top)


# ---- secrets ---------------------------------------------------------------------

def test_api_key_literal_in_argv_is_refused(env):
    key = make_jwt()
    r = sites(env, "add", "--domain", "k.example.com", "--api-key", key, "--yes")
    assert r.returncode == 2, r
    assert "--api-key takes '-'" in r.stderr and "stdin" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert key not in r.stderr + r.stdout
    assert not cfg_path(env).exists()
    r = sites(env, "add", "--domain", "k.example.com", "--keyring", '{"a": {"b": "c"}}',
              "--yes")
    assert r.returncode == 2 and "--keyring takes '-'" in r.stderr, r


def test_api_key_from_stdin_is_stored_and_never_shown(env):
    key = make_jwt(sub="sites-user")
    r = sites(env, "add", "--domain", "k.example.com", "--api-key", "-", "--dry-run",
              input=key + "\n")
    assert r.returncode == 0, r
    assert key not in r.stdout + r.stderr
    assert '+api_key = "(hidden)"' in r.stdout
    assert "will be stored in ~/.anaconda/config.toml and may not be secure" in r.stderr
    r = sites(env, "add", "--domain", "k.example.com", "--api-key", "-", "--yes",
              input=key + "\n")
    assert r.returncode == 0, r
    assert key not in r.stdout + r.stderr
    doc = tomllib.loads(cfg_path(env).read_text())
    assert doc["sites"]["k.example.com"]["api_key"] == key
    st = json.loads(env.run("anaconda-auth", "status", "--json").stdout)
    assert st["logged_in"] and st["domain"] == "k.example.com"
    # a later diff hides the stored key in its context lines too
    r = sites(env, "modify", "--name", "k.example.com", "--no-ssl-verify", "--dry-run")
    assert key not in r.stdout and 'api_key = "(hidden)"' in r.stdout, r


def test_proxy_password_in_argv_is_refused_and_taken_from_stdin(env):
    proxies = '{"https": "http://alice:s3cret-pw@proxy.example.com:3128"}'
    r = sites(env, "add", "--domain", "k.example.com", "--proxy-servers", proxies, "--yes")
    assert r.returncode == 2, r
    assert "--proxy-servers does not take a proxy user name or password" in r.stderr
    assert "--proxy-servers -" in r.stderr and "s3cret-pw" not in r.stderr
    assert not cfg_path(env).exists()
    escaped = proxies.replace("@", "\\u0040")
    r = sites(env, "add", "--domain", "k.example.com", f"--proxy-servers={escaped}", "--yes")
    assert r.returncode == 2 and "user name or password" in r.stderr, r
    r = sites(env, "add", "--domain", "k.example.com", "--proxy-servers", "-", "--yes",
              input=proxies + "\n")
    assert r.returncode == 0, r
    assert "s3cret-pw" not in r.stdout + r.stderr
    doc = tomllib.loads(cfg_path(env).read_text())
    assert doc["sites"]["k.example.com"]["proxy_servers"] == json.loads(proxies)
    # a proxy without credentials may still be given inline, and headers from stdin
    r = sites(env, "modify", "--name", "k.example.com", "--proxy-servers",
              '{"https": "http://proxy.example.com:3128"}', "--yes")
    assert r.returncode == 0, r
    r = sites(env, "modify", "--name", "k.example.com", "--extra-headers", "-", "--yes",
              input='{"X-Team": "data"}\n')
    assert r.returncode == 0, r
    site = tomllib.loads(cfg_path(env).read_text())["sites"]["k.example.com"]
    assert site["proxy_servers"] == {"https": "http://proxy.example.com:3128"}
    assert site["extra_headers"] == {"X-Team": "data"}
    # one flag reads stdin
    r = sites(env, "modify", "--name", "k.example.com", "--extra-headers", "-",
              "--proxy-servers", "-", "--yes", input="{}\n")
    assert r.returncode == 2 and "only one of" in r.stderr, r


def test_escaped_proxy_password_and_header_secrets_make_the_file_private(env):
    """JSON's \\u0040 is an '@': hidden in the diff, and the file turns 0600;
    so do headers (their values may be credentials)."""
    escaped = r'{"https": "http://bob:hunter2\u0040proxy.example:3128"}'
    p = put(env, HAND, mode=0o644)
    r = sites(env, "modify", "--name", "prod", "--proxy-servers", "-", "--dry-run",
              input=escaped + "\n")
    assert r.returncode == 0 and "hunter2" not in r.stdout + r.stderr, r
    r = sites(env, "modify", "--name", "prod", "--proxy-servers", "-", "--yes",
              input=escaped + "\n")
    assert r.returncode == 0, r
    assert "hunter2" in p.read_text()
    assert os.stat(p).st_mode & 0o777 == 0o600
    for flag in ("--extra-headers", "--oidc-request-headers"):
        p = put(env, HAND, mode=0o644)
        r = sites(env, "modify", "--name", "prod", flag, "-", "--yes",
                  input='{"Authorization": "Bearer hdr-s3cret"}\n')
        assert r.returncode == 0 and "hdr-s3cret" not in r.stdout + r.stderr, r
        assert os.stat(p).st_mode & 0o777 == 0o600, flag


def test_pretty_printed_json_on_stdin(env):
    """`--proxy-servers - < proxies.json`: the whole of stdin, not its first line."""
    put(env, HAND)
    r = sites(env, "modify", "--name", "prod", "--proxy-servers", "-", "--yes",
              input='{\n  "https": "http://bob:pw@proxy.example:3128"\n}\n')
    assert r.returncode == 0, r
    doc = tomllib.loads(cfg_path(env).read_text())
    assert doc["sites"]["prod"]["proxy_servers"] == {"https": "http://bob:pw@proxy.example:3128"}


def test_stdin_that_is_empty_or_too_long_is_refused(env):
    r = sites(env, "add", "--domain", "k.example.com", "--api-key", "-", "--yes", input="")
    assert r.returncode == 2 and "--api-key -: nothing on stdin" in r.stderr, r
    huge = '{"https": "http://proxy.example.com:3128", "x": "' + "a" * 70000 + '"}'
    r = sites(env, "add", "--domain", "k.example.com", "--proxy-servers", "-", "--yes",
              input=huge)
    assert r.returncode == 2, r
    assert "--proxy-servers: what stdin holds is longer than 65536 bytes" in r.stderr, r
    assert not cfg_path(env).exists()


def test_api_key_of_the_wrong_shape_is_refused(env):
    r = sites(env, "add", "--domain", "k.example.com", "--api-key", "-", "--yes",
              input="has space\n")
    assert r.returncode == 2 and "--api-key" in r.stderr, r
    assert not cfg_path(env).exists()


@pytest.mark.parametrize("args,what", [
    (["--extra-headers", "[1, 2]"], "--extra-headers"),
    (["--extra-headers", "{bad"], "--extra-headers"),
    (["--proxy-servers", '{"https": 3}'], "--proxy-servers"),
    (["--login-success-path", "//evil.example"], "--login-success-path"),
    (["--preferred-token-storage", "cloud"], "--preferred-token-storage"),
    (["--ssl-verify", "--no-ssl-verify", "--use-truststore"], "truststore"),
])
def test_invalid_values_are_one_line_and_write_nothing(env, args, what):
    p = put(env, HAND)
    r = sites(env, "add", "--domain", "v.example.com", *args, "--yes")
    assert r.returncode == 2, r
    assert what in r.stderr and len(r.stderr.strip().splitlines()) == 1, r
    assert p.read_text() == HAND


def test_values_are_written_as_0_15_reads_them(env):
    put(env, HAND)
    r = sites(env, "modify", "--name", "prod", "--preferred-token-storage", "FILE",
              "--auth-domain-override", "https://ID.example.com/", "--hash-host-name", "-y")
    assert r.returncode == 0, r
    site = tomllib.loads(cfg_path(env).read_text())["sites"]["prod"]
    assert site["preferred_token_storage"] == "anaconda-keyring"
    assert site["auth_domain_override"] == "id.example.com"
    assert site["hash_hostname"] is True


def test_proxy_password_is_never_in_the_diff_and_the_file_turns_private(env):
    """A proxy's user:password (often the person's network password) is
    hidden in the diff, and a file others could read becomes 0600, as for
    an API key."""
    p = put(env, HAND, mode=0o644)
    proxies = '{"https": "http://bob:hunter2@proxy.example:3128"}'
    r = sites(env, "modify", "--name", "prod", "--proxy-servers", "-", "--dry-run",
              input=proxies + "\n")
    assert r.returncode == 0, r
    assert "hunter2" not in r.stdout + r.stderr and "proxy_servers" in r.stdout, r
    r = sites(env, "modify", "--name", "prod", "--proxy-servers", "-", "--yes",
              input=proxies + "\n")
    assert r.returncode == 0, r
    assert "hunter2" not in r.stdout + r.stderr, r
    assert "hunter2" in p.read_text()
    assert os.stat(p).st_mode & 0o777 == 0o600


def test_proxy_and_client_cert_are_written(env):
    put(env, HAND)
    cert, key = env.tmp / "c.pem", env.tmp / "k.pem"
    cert.write_text("not checked beyond being a readable file\n")
    key.write_text("not checked beyond being a readable file\n")
    r = sites(env, "modify", "--name", "prod", "--proxy-servers",
              '{"https": "http://proxy:3128"}', "--client-cert", str(cert),
              "--client-cert-key", str(key), "--yes")
    assert r.returncode == 0, r
    site = tomllib.loads(cfg_path(env).read_text())["sites"]["prod"]
    assert site["proxy_servers"] == {"https": "http://proxy:3128"}
    assert site["client_cert"] == str(cert) and site["client_cert_key"] == str(key)


def test_a_client_cert_that_is_no_file_is_refused(env):
    put(env, HAND)
    before = cfg_path(env).read_bytes()
    r = sites(env, "modify", "--name", "prod", "--client-cert", "/nonexistent/c.pem", "--yes")
    assert r.returncode == 2 and "--client-cert" in r.stderr, r
    assert cfg_path(env).read_bytes() == before


# ---- 0.15's rules, list and show ---------------------------------------------------

def test_add_rules(env):
    r = sites(env, "add", "--domain", "one.example.com", "-y")
    assert r.returncode == 0, r
    r = sites(env, "add", "--domain", "one.example.com", "-y")
    assert r.returncode == 1 and "already exists" in r.stderr, r
    r = sites(env, "add", "--domain", "two.example.com", "--name", "two", "-y")
    assert r.returncode == 0, r
    assert tomllib.loads(cfg_path(env).read_text())["default_site"] == "one.example.com"
    r = sites(env, "add", "--domain", "three.example.com", "--name", "three", "--default", "-y")
    assert tomllib.loads(cfg_path(env).read_text())["default_site"] == "three"
    r = sites(env, "add", "--name", "x")
    assert r.returncode == 2 and "--domain" in r.stderr, r


def test_add_drops_the_anaconda_com_site_unless_told(env):
    text = '[sites."anaconda.com"]\ndomain = "anaconda.com"\n\n[sites.w]\ndomain = "w.example"\n'
    p = put(env, text)
    r = sites(env, "add", "--domain", "z.example.com", "--no-remove-anaconda-com", "-y")
    assert r.returncode == 0, r
    assert "anaconda.com" in tomllib.loads(p.read_text())["sites"]
    r = sites(env, "add", "--domain", "y.example.com", "-y")
    assert r.returncode == 0 and "removing the site 'anaconda.com'" in r.stderr, r
    assert "anaconda.com" not in tomllib.loads(p.read_text())["sites"]


def test_remove_rules(env):
    put(env, '[sites.only]\ndomain = "only.example.com"\n')
    r = sites(env, "remove", "only", "-y")
    assert r.returncode == 1 and "only configured site" in r.stderr, r
    r = sites(env, "remove", "nosuch", "-y")
    assert r.returncode == 1 and "no site 'nosuch'" in r.stderr, r
    r = sites(env, "remove")
    assert r.returncode == 2, r


def test_list_and_show(env):
    put(env, HAND + '\n[sites.dev]\ndomain = "dev.example.com"\nextra_headers = { X-Secret = "s3cr3t" }\n')
    env.write_keyring({"Anaconda Cloud": {}})
    env.run("anaconda-auth", "login", "--with-api-key", "--domain", "dev.example.com",
            input=make_jwt() + "\n")
    r = sites(env, "list")
    assert r.returncode == 0, r
    rows = [line.split() for line in r.stdout.splitlines()]
    assert rows[0] == ["Site", "name", "Domain", "name", "Default", "site", "Logged", "in"]
    assert rows[1:] == [["prod", "prod.example.com", "yes", "no"],
                        ["dev", "dev.example.com", "no", "yes"]]
    show = json.loads(sites(env, "show").stdout)
    assert show["site"] == "prod" and show["domain"] == "prod.example.com"
    assert "client_id" not in show and "api_key" not in show
    show = json.loads(sites(env, "show", "dev.example.com", "--show-hidden").stdout)
    assert show["site"] == "dev" and "client_id" in show
    assert "s3cr3t" not in json.dumps(show)
    every = json.loads(sites(env, "show", "--all").stdout)
    assert sorted(every) == ["dev", "prod"]
    assert every["dev"]["domain"] == "dev.example.com"
    r = sites(env, "show", "nosuch")
    assert r.returncode != 0 and "no site 'nosuch'" in r.stderr, r


def test_help_and_usage(env):
    for sub in ("add", "modify", "remove", "list", "show"):
        r = sites(env, sub, "--help")
        assert r.returncode == 0 and r.stdout.startswith("usage: anaconda-auth sites"), r
    assert sites(env).returncode == 2
    assert sites(env, "frob").returncode == 2


@pytest.mark.parametrize("answer,written", [("y", True), ("n", False), ("", False)])
def test_terminal_confirmation(env, answer, written):
    import pty
    p = put(env, HAND)
    master, slave = pty.openpty()
    e = dict(env.vars)
    proc = subprocess.Popen([env.bin("anaconda-auth"), "sites", "add", "--domain",
                             "t.example.com"], stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=e, cwd=str(env.cwd))
    os.close(slave)
    os.write(master, (answer + "\n").encode())
    out, err = proc.communicate(timeout=60)
    os.close(master)
    assert b"Confirm: [y/N]" in err
    assert b'+[sites."t.example.com"]' in out
    assert proc.returncode == (0 if written else 1), (out, err)
    assert ("t.example.com" in p.read_text()) == written


def test_directory_writable_by_others_is_refused(env):
    p = put(env, HAND)
    os.chmod(p.parent, 0o777)
    try:
        r = sites(env, "add", "--domain", "e.example.com", "--yes")
    finally:
        os.chmod(p.parent, 0o700)
    assert r.returncode == 6 and "other users can write its directory" in r.stderr, r
    assert p.read_text() == HAND and backups(env) == []


def test_diff_hides_every_key_header_and_proxy_password(env):
    """The diff `sites` prints (to a CI log, say) hides every api_key, not
    only the first 64, and header values and proxy passwords, as `config` does."""
    text = "".join(f'[sites.s{i:02d}]\ndomain = "s{i:02d}.example.com"\n'
                   f'api_key = "sk-key-number-{i:02d}"\n\n' for i in range(70))
    text += ('[sites.last]\ndomain = "last.example.com"\n'
             'extra_headers = {X-Token = "header-secret-value"}\n'
             'proxy_servers = {https = "http://u:proxy-password@proxy.example:3128"}\n')
    put(env, text)
    for name in ("s69", "last"):
        r = sites(env, "modify", "--name", name, "--no-ssl-verify", "--dry-run")
        assert r.returncode == 0, r
        assert "+ssl_verify = false" in r.stdout, r
        for secret in ("sk-key-number-", "header-secret-value", "proxy-password"):
            assert secret not in r.stdout + r.stderr, (secret, r)
