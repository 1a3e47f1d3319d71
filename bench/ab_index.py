#!/usr/bin/env python3
"""Indexing, one build against another, turn about: each round indexes CORPUS_DIR from scratch
with build A then build B (B then A the next round, so that neither always runs on a warmer
machine), and the medians and their ratio are printed. For "no slowdown" checks on a shared,
noisy machine, where only a ratio measured in the same run means anything.

  bench/ab_index.py CORPUS_DIR --a OLD/bin --b NEW/bin [--rounds 3] [--work DIR]"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def index_once(bin_dir, corpus, db):
    shutil.rmtree(db, ignore_errors=True)
    started = time.monotonic()
    subprocess.run([f"{bin_dir}/indexer", "--quiet", "--db", str(db), corpus], check=True,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--a", required=True, help="the earlier build's bin folder")
    ap.add_argument("--b", required=True, help="the build to check")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", help="scratch folder (default: a temporary one)")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="newsidx-ab-"))
    times = {"a": [], "b": []}
    for r in range(args.rounds):
        order = ["a", "b"] if r % 2 == 0 else ["b", "a"]
        for which in order:
            t = index_once(getattr(args, which), args.corpus, work / f"{which}.db")
            times[which].append(t)
            print(f"round {r + 1}: {which} {t:.2f} s", file=sys.stderr)
    a, b = statistics.median(times["a"]), statistics.median(times["b"])
    print(f"indexing {args.corpus}: A ({args.a}) median {a:.2f} s, B ({args.b}) median {b:.2f} s; "
          f"B/A {b / a:.3f} over {args.rounds} rounds, turn about")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
