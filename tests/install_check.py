#!/usr/bin/env python3
"""The installed newsidx (issue #31): `cmake --install BUILD --prefix TMP`, then the installed
binaries run from a folder outside the source tree on a copy of the samples; each man page
renders with `man -l`; every option that `--help` lists is in the man page and in the bash, zsh
and fish completions; the systemd units pass `systemd-analyze verify`.

  install_check.py BUILD_DIR SAMPLES_DIR
Exit 0 when all hold, 1 with the failures named, 77 (skipped) without cmake or man."""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def options_in_help(binary):
    """Every option --help lists: "-n,--limit", "--since" ... -> ["--limit", "-n", "--since"]."""
    text = run([binary, "--help"]).stdout
    found = set()
    for line in text.splitlines():
        m = re.match(r"\s{2}((?:-\w,)?--[\w-]+)", line)
        if m:
            found.update(m.group(1).split(","))
    return found


def main():
    build, samples = Path(sys.argv[1]), Path(sys.argv[2])
    if not shutil.which("cmake") or not shutil.which("man"):
        print("skipped: cmake or man is not installed")
        return 77
    prefix = Path(tempfile.mkdtemp(prefix="newsidx-install-"))
    try:
        r = run(["cmake", "--install", str(build), "--prefix", str(prefix)])
        check(r.returncode == 0, f"cmake --install: {r.stderr}")
        bindir = prefix / "bin"
        for name in ("indexer", "searcher"):
            check((bindir / name).is_file(), f"{name} is not in {bindir}")
        check((prefix / "libexec/newsidx/newsidx-serve").is_file(), "newsidx-serve is not in libexec/newsidx")

        # The installed binaries, from a folder outside the source tree, on a copy of the samples.
        work = prefix / "work"
        shutil.copytree(samples, work / "samples")
        env = {k: v for k, v in os.environ.items() if k != "NEWSIDX_DB"}
        env["PATH"] = f"{bindir}:{env.get('PATH', '')}"
        r = run(["indexer", "samples"], cwd=work, env=env)
        check(r.returncode == 0 and r.stdout.startswith("indexed 34 articles"), f"indexer samples: {r.stdout}{r.stderr}")
        r = run(["searcher", "security guarantees"], cwd=work, env=env)
        check(r.returncode == 0 and r.stdout.startswith(
            "1. Talks end with offer of security guarantees for the border region"), f"searcher: {r.stdout}{r.stderr}")
        # The server's program, found from the installed searcher (libexec/newsidx).
        r = run(["searcher", "--alerts-check"], cwd=work, env=env)
        check(r.returncode == 2 and "no saved searches" in r.stderr, f"searcher --alerts-check: {r.stderr}")

        for name in ("indexer", "searcher"):
            page = prefix / f"share/man/man1/{name}.1.gz"
            r = run(["man", "-l", str(page)], env={**env, "MANWIDTH": "100", "MAN_KEEP_FORMATTING": "0"})
            text = re.sub(r".\x08", "", r.stdout)
            check(r.returncode == 0 and "SYNOPSIS" in text and "OPTIONS" in text, f"man -l {page}: {r.stderr}")
            check("warning" not in r.stderr, f"man -l {page} warns: {r.stderr}")
            roff = gzip.decompress(page.read_bytes()).decode()
            scripts = {
                "bash": (prefix / f"share/bash-completion/completions/{name}").read_text(),
                "zsh": (prefix / f"share/zsh/vendor-completions/_{name}").read_text(),
                "fish": (prefix / f"share/fish/vendor_completions.d/{name}.fish").read_text(),
            }
            r = run(["bash", "-n"], input=scripts["bash"])
            check(r.returncode == 0, f"bash -n {name}: {r.stderr}")
            options = options_in_help(str(bindir / name))
            check(len(options) > 10, f"{name} --help lists {len(options)} options")
            for option in sorted(options):
                check(option.replace("-", "\\-") in roff, f"{name}: {option} is not in the man page")
                check(re.search(r"(^|[\s\"])" + re.escape(option) + r"(\s|\"|$)", scripts["bash"]) is not None,
                      f"{name}: {option} is not in the bash completion")
                bare = option.lstrip("-")
                check(f"'{option}[" in scripts["zsh"], f"{name}: {option} is not in the zsh completion")
                flag = f" -l {bare}" if option.startswith("--") else f" -s {bare}"
                check(flag in scripts["fish"], f"{name}: {option} is not in the fish completion")

        if shutil.which("systemd-analyze"):
            units = sorted((prefix / "lib/systemd/system").glob("*.service"))
            check(len(units) == 3, f"units installed: {[u.name for u in units]}")
            for unit in units:
                # The units name the configured prefix's binaries; here, the temporary one's.
                text = re.sub(r"ExecStart=\S*/bin/", f"ExecStart={bindir}/", unit.read_text())
                unit.write_text(text)
                r = run(["systemd-analyze", "verify", "--man=no", str(unit)])
                check(r.returncode == 0 and not r.stderr.strip(), f"systemd-analyze verify {unit.name}: {r.stderr}")
        else:
            print("note: systemd-analyze is not installed: the units are not verified")
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
