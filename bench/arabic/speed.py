#!/usr/bin/env python3
"""Indexing time of newsidx against SQLite FTS5 in the same run, alternating, on one corpus
(issue #12: the cost of per-article analysis on the Arabic corpus). With --baseline, another
newsidx build (e.g. one before a change) is timed in the same rounds.

  speed.py CORPUS_DIR [--bin build/bin] [--baseline OTHER_BIN_DIR] [--rounds 3]"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import compare  # noqa: E402  (the peers' input files)


def timed(cmd, stdin=None):
    fh = open(stdin, "rb") if stdin else None
    start = time.monotonic()
    subprocess.run(cmd, stdin=fh or subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
    elapsed = time.monotonic() - start
    if fh:
        fh.close()
    return elapsed


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default=str(here.parent.parent / "build" / "bin"))
    ap.add_argument("--baseline", help="another newsidx bin directory to time alongside")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsidx-speed-"))
    count, size = compare.prepare_inputs(args.corpus, work)
    tools = {"newsidx": [f"{args.bin}/indexer", "--quiet", "--db", str(work / "n.db"), args.corpus]}
    if args.baseline:
        tools["baseline"] = [f"{args.baseline}/indexer", "--quiet", "--db", str(work / "b.db"),
                             args.corpus]
    times = {name: [] for name in list(tools) + ["SQLite FTS5"]}
    for r in range(args.rounds):
        for name, cmd in tools.items():
            shutil.rmtree(cmd[3], ignore_errors=True)
            times[name].append(timed(cmd))
        (work / "fts.db").unlink(missing_ok=True)
        times["SQLite FTS5"].append(timed(["sqlite3", str(work / "fts.db")], stdin=work / "fts.sql"))
        print(f"round {r + 1}: " + ", ".join(f"{n} {t[-1]:.1f} s" for n, t in times.items()),
              file=sys.stderr)
    fts = statistics.median(times["SQLite FTS5"])
    print(f"{count:,} articles, {size / 1e6:.1f} MB, {args.rounds} rounds, medians:")
    print("| tool | seconds | articles/s | time vs SQLite FTS5 |")
    print("|---|---:|---:|---:|")
    for name, t in times.items():
        m = statistics.median(t)
        print(f"| {name} | {m:.1f} | {count / m:,.0f} | {m / fts:.2f}× |")
    if args.baseline:
        print(f"\nnewsidx vs baseline (time): {statistics.median(times['newsidx']) / statistics.median(times['baseline']):.2f}×")
    shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
