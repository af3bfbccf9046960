"""Time `git-credential-anaconda get` against `git credential-store get`
answering the same request from a temporary HOME, interleaved in rounds,
and print the ratio of the best rounds (target: <= 1.05).

usage: bench_git_credential.py BUILD_DIR [RUNS_PER_ROUND] [ROUNDS]"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_key():
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps({"sub": "bench", "exp": int(time.time()) + 86400})
                  .encode())
    return f"{head}.{body}.{b64url(b'bench-signature')}"


def per_run_ms(cmd, stdin, env, runs):
    start = time.perf_counter()
    for _ in range(runs):
        subprocess.run(cmd, input=stdin, capture_output=True, env=env,
                       check=True)
    return (time.perf_counter() - start) / runs * 1e3


def main(argv):
    build = os.path.abspath(argv[1] if len(argv) > 1 else "build/default")
    runs = int(argv[2]) if len(argv) > 2 else 200
    rounds = int(argv[3]) if len(argv) > 3 else 5
    key = test_key()
    with tempfile.TemporaryDirectory() as home:
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
        subprocess.run([os.path.join(build, "bin", "anaconda-auth"), "login",
                        "--with-api-key"], input=key.encode(), env=env,
                       capture_output=True, check=True)
        creds = os.path.join(home, "creds")
        with open(creds, "w") as f:
            f.write(f"https://anaconda:{key}@anaconda.cloud\n")
        stdin = b"protocol=https\nhost=anaconda.cloud\n\n"
        cmds = {
            "git credential-store get": ["git", "credential-store",
                                         f"--file={creds}", "get"],
            "git-credential-anaconda get": [
                os.path.join(build, "bin", "git-credential-anaconda"), "get"],
        }
        for cmd in cmds.values():  # both must answer with the key
            out = subprocess.run(cmd, input=stdin, capture_output=True,
                                 env=env, check=True).stdout.decode()
            assert f"password={key}\n" in out, cmd
        best = {name: float("inf") for name in cmds}
        for _ in range(rounds):
            for name, cmd in cmds.items():
                best[name] = min(best[name], per_run_ms(cmd, stdin, env, runs))
    base = best["git credential-store get"]
    for name, ms in best.items():
        print(f"{name:30s} {ms:7.3f} ms/run")
    ratio = best["git-credential-anaconda get"] / base
    print(f"ratio git-credential-anaconda / credential-store: {ratio:.2f} "
          f"(target <= 1.05)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
