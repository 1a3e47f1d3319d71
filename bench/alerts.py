#!/usr/bin/env python3
"""The cost of checking saved searches after each batch of new articles (issue #30).

An index of a corpus's files but the last ones; SEARCHES saved searches (bench/alert_queries.txt);
then, round after round, a batch of the held-back files comes (linked into the indexed folder),
is indexed, and `searcher --alerts-check` checks every saved search over it. Beside each check
the same queries are answered by one `searcher --batch` process (top 10, no snippets): the
peer a check is measured against, in the same run, on the same index.

  alerts.py --bin BUILD/bin --corpus ../shared corpus folder [--batches 10,100,1000] [--rounds 3]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def run(cmd, **kw):
    started = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return r, time.perf_counter() - started


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True, help="a folder of article files")
    ap.add_argument("--queries", default=str(Path(__file__).with_name("alert_queries.txt")))
    ap.add_argument("--searches", type=int, default=100)
    ap.add_argument("--batches", default="10,100,1000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", help="a folder to work in (default: a new temporary one)")
    args = ap.parse_args()
    indexer, searcher = str(Path(args.bin) / "indexer"), str(Path(args.bin) / "searcher")
    queries = [l.strip() for l in open(args.queries, encoding="utf-8") if l.strip() and not l.startswith("#")]
    queries = queries[: args.searches]
    batches = [int(b) for b in args.batches.split(",")]
    files = sorted(Path(args.corpus).rglob("*.txt"))
    held = sum(batches) * args.rounds
    if held >= len(files):
        raise SystemExit(f"the corpus has {len(files)} files: too few to hold {held} back")
    work = Path(args.work or tempfile.mkdtemp(prefix="newsidx-alerts-"))
    shutil.rmtree(work / "in", ignore_errors=True)
    shutil.rmtree(work / "db", ignore_errors=True)
    shutil.rmtree(work / "db.alerts", ignore_errors=True)
    archive, rest = files[: len(files) - held], files[len(files) - held:]
    (work / "in" / "archive").mkdir(parents=True)
    for i, f in enumerate(archive):
        os.link(f, work / "in" / "archive" / f"{i:07d}.txt")
    db = str(work / "db")
    r, secs = run([indexer, "--quiet", "--db", db, str(work / "in")])
    print(f"archive: {len(archive)} articles indexed in {secs:.1f} s; {len(queries)} saved searches")
    for i, q in enumerate(queries):
        r, _ = run([searcher, "--db", db, "--alert-add", f"s{i:03d}", q])
        if r.returncode != 0:
            raise SystemExit(f"--alert-add {q!r}: {r.stderr}")
    batch_file = work / "queries.tsv"
    batch_file.write_text("".join(f"{i}\t{q}\n" for i, q in enumerate(queries)), encoding="utf-8")
    results = {b: {"check": [], "peer": [], "alerts": [], "index": []} for b in batches}
    taken = 0
    for rnd in range(args.rounds):
        for b in batches:
            folder = work / "in" / f"batch-{rnd}-{b}"
            folder.mkdir()
            for f in rest[taken: taken + b]:
                os.link(f, folder / f.name)
            taken += b
            r, secs = run([indexer, "--quiet", "--db", db, str(work / "in")])
            results[b]["index"].append(secs)
            r, check = run([searcher, "--db", db, "--alerts-check"])
            if r.returncode > 1:
                raise SystemExit(f"--alerts-check: {r.stderr}")
            results[b]["check"].append(check)
            results[b]["alerts"].append(len([l for l in r.stdout.splitlines() if l.startswith("alert #")]))
            r, peer = run([searcher, "--db", db, "--batch", str(batch_file), "--format", "trec"])
            results[b]["peer"].append(peer)
    print(f"{'batch':>6} {'check (median)':>15} {'per search':>11} {'100 queries, one process':>25} {'ratio':>6} {'alerts':>7}")
    for b in batches:
        c, p = statistics.median(results[b]["check"]), statistics.median(results[b]["peer"])
        print(f"{b:>6} {c * 1000:>12.0f} ms {c * 1000 / len(queries):>8.2f} ms {p * 1000:>22.0f} ms {c / p:>6.2f} "
              f"{statistics.median(results[b]['alerts']):>7.0f}")
    print(json.dumps({str(b): results[b] for b in batches}))


if __name__ == "__main__":
    main()
