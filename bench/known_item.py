#!/usr/bin/env python3
"""Known-item search on real news: 1,000 articles picked with a fixed seed, each searched for
by its title as plain words; success@1 and MRR@10 for newsidx and for SQLite FTS5 (bm25) on
the same queries and the same corpus.

  known_item.py CORPUS_DIR [--bin build/bin] [--db EXISTING_NEWSIDX_INDEX] [-- searcher flags]"""
import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from tune import fts5_ranks

SEED = 20221108
SAMPLE = 1000


def metrics(ranks):
    s1 = sum(1 for r in ranks if r == 1) / len(ranks)
    mrr = sum(1 / r for r in ranks if r and r <= 10) / len(ranks)
    return s1, mrr


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default=str(here.parent / "build" / "bin"))
    ap.add_argument("--db", help="an existing newsidx index of CORPUS (default: build one)")
    ap.add_argument("--misses", action="store_true",
                    help="list the unique-title articles newsidx does not rank first")
    ap.add_argument("--seed", type=int, default=SEED,
                    help=f"which articles are picked (default {SEED}, the one docs/quality.md reports)")
    argv = sys.argv[1:]
    flags = argv[argv.index("--") + 1:] if "--" in argv else []
    args = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    args.flags = flags

    files = sorted(Path(args.corpus).rglob("*.txt"))
    picked = random.Random(args.seed).sample(files, min(SAMPLE, len(files)))
    work = Path(tempfile.mkdtemp(prefix="newsidx-known-"))
    db = args.db
    if not db:
        db = str(work / "db")
        subprocess.run([f"{args.bin}/indexer", "--quiet", "--db", db, args.corpus], check=True,
                       stdout=subprocess.DEVNULL)

    titles = {}
    for f in picked:
        title = f.read_text(encoding="utf-8", errors="replace").splitlines()[0].strip()
        titles[f.stem] = title
    batch = work / "queries.tsv"
    batch.write_text("".join(f"{docid}\t{title}\n" for docid, title in titles.items()), encoding="utf-8")
    run = subprocess.run([f"{args.bin}/searcher", "--db", db, "--batch", str(batch), "--format", "trec",
                          "-n", "10"] + args.flags, capture_output=True, text=True)
    ranks = {docid: 0 for docid in titles}
    first = {}
    for line in run.stdout.splitlines():
        qid, _, docid, rank, *_ = line.split()
        if rank == "1":
            first[qid] = docid
        if qid == docid:
            ranks[qid] = int(rank)
    newsidx = metrics(list(ranks.values()))

    # Articles whose title another article shares cannot all be found first by their title.
    title_count = {}
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            t = fh.readline().strip().lower()
        title_count[t] = title_count.get(t, 0) + 1
    unique = [docid for docid, t in titles.items() if title_count[t.lower()] == 1]
    newsidx_unique = metrics([ranks[d] for d in unique])
    if args.misses:
        by_stem = {f.stem: f for f in files}
        for d in unique:
            if ranks[d] != 1:
                top = first.get(d)
                top_title = by_stem[top].open(encoding="utf-8", errors="replace").readline().strip() if top else "-"
                print(f"miss {d} rank {ranks[d] or '>10'}: {titles[d]!r}  first: {top} {top_title!r}")

    fts_by_doc = fts5_ranks(args.corpus, titles, work / "fts.db", ops=("OR",))["OR"]
    fts = metrics(list(fts_by_doc.values()))
    fts_unique = metrics([fts_by_doc.get(d, 0) for d in unique])

    print(f"Known-item search: {len(titles)} articles of {len(files):,} (seed {args.seed}), query = title as words")
    print(f"searcher flags: {' '.join(args.flags) or '(defaults)'}\n")
    print(f"| engine | success@1 | MRR@10 | success@1, the {len(unique)} with a title no other article has | MRR@10, same |")
    print("|---|---:|---:|---:|---:|")
    print(f"| newsidx | {newsidx[0]:.3f} | {newsidx[1]:.3f} | {newsidx_unique[0]:.3f} | {newsidx_unique[1]:.3f} |")
    print(f"| SQLite FTS5 (bm25) | {fts[0]:.3f} | {fts[1]:.3f} | {fts_unique[0]:.3f} | {fts_unique[1]:.3f} |")


if __name__ == "__main__":
    sys.exit(main())
