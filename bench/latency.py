#!/usr/bin/env python3
"""In-process query latency of searcher configurations on one index: each configuration
answers every query of a file in one `--batch --format json` run (top 10, snippets), the
configurations take turns for ROUNDS rounds, and the searcher's own elapsed_ms per query gives
the median and p95 (process start-up left out; bench/compare.sh times whole CLI calls).

  latency.py --db DB --queries FILE 'NAME=BIN_DIR[@DB] [FLAGS]' ... [--rounds 3]
The first configuration is the one the others are compared with; BIN_DIR@DB searches an index
of its own (an earlier build may not read this one's schema)."""
import argparse
import json
import shlex
import statistics
import subprocess
import tempfile
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="the index, for configurations that do not name their own")
    ap.add_argument("--queries", required=True, help="one query a line (# lines skipped)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("configs", nargs="+", help="NAME=BIN_DIR [searcher flags]")
    args = ap.parse_args()
    queries = [l.strip() for l in open(args.queries, encoding="utf-8") if l.strip() and not l.startswith("#")]
    batch = Path(tempfile.mkdtemp(prefix="newsidx-latency-")) / "batch.tsv"
    batch.write_text("".join(f"{i}\t{q}\n" for i, q in enumerate(queries)), encoding="utf-8")
    configs = []
    for c in args.configs:
        name, _, rest = c.partition("=")
        bin_dir, *flags = shlex.split(rest)
        bin_dir, _, db = bin_dir.partition("@")
        if not (db or args.db):
            ap.error(f"{name}: no index (--db, or BIN_DIR@DB)")
        configs.append((name, bin_dir, [db or args.db] + flags))
    times = {name: [] for name, _, _ in configs}
    for _ in range(args.rounds):
        for name, bin_dir, (db, *flags) in configs:
            out = subprocess.run([f"{bin_dir}/searcher", "--db", db, "--batch", str(batch), "--format",
                                  "json", "-n", "10"] + flags, capture_output=True, text=True).stdout
            times[name] += [json.loads(line)["elapsed_ms"] for line in out.splitlines() if line.strip()]
    print(f"{len(queries)} queries × {args.rounds} rounds, top 10 with snippets, in-process ms")
    print("| configuration | median | p95 | median vs first | p95 vs first |")
    print("|---|---:|---:|---:|---:|")
    first = None
    for name, _, _ in configs:
        t = sorted(times[name])
        med, p95 = statistics.median(t), t[max(0, int(len(t) * 0.95) - 1)]
        first = first or (med, p95)
        print(f"| {name} | {med:.2f} | {p95:.2f} | {med / first[0]:.2f}× | {p95 / first[1]:.2f}× |")


if __name__ == "__main__":
    main()
