#!/usr/bin/env python3
"""Known-item search on the Arabic corpus: the 40 queries of queries.tsv (written by hand from
real titles, in the forms readers type), success@1 and success@10. An article counts as found
when it, or an article with the same title (the same story filed twice), is at that rank or
better.

  eval.py CORPUS_DIR [--bin build/bin] [--db EXISTING_INDEX] [--misses] [-- searcher flags]"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path


def main():
    here = Path(__file__).resolve().parent
    argv = sys.argv[1:]
    flags = argv[argv.index("--") + 1:] if "--" in argv else []
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default=str(here.parent.parent / "build" / "bin"))
    ap.add_argument("--db", help="an existing newsidx index of CORPUS (default: build one)")
    ap.add_argument("--misses", action="store_true", help="list the queries not answered first")
    args = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)

    queries = {}
    for line in (here / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            stem, query = line.split("\t")
            queries[stem] = query
    db = args.db
    if not db:
        db = str(Path(tempfile.mkdtemp(prefix="newsidx-arabic-")) / "db")
        subprocess.run([f"{args.bin}/indexer", "--quiet", "--db", db, args.corpus], check=True,
                       stdout=subprocess.DEVNULL)
    batch = "".join(f"{stem}\t{q}\n" for stem, q in queries.items())
    run = subprocess.run([f"{args.bin}/searcher", "--db", db, "--batch", "-", "--format", "trec",
                          "-n", "10"] + flags, input=batch, capture_output=True, text=True,
                         check=True)

    def title(stem):
        path = Path(args.corpus) / f"{stem}.txt"
        with open(path, encoding="utf-8", errors="replace") as fh:
            return " ".join(fh.readline().split())

    rank = {stem: 0 for stem in queries}
    top = {}
    for line in run.stdout.splitlines():
        qid, _, docid, r, *_ = line.split()
        if r == "1":
            top[qid] = docid
        if not rank[qid] and (docid == qid or title(docid) == title(qid)):
            rank[qid] = int(r)
    n = len(queries)
    s1 = sum(1 for r in rank.values() if r == 1) / n
    s10 = sum(1 for r in rank.values() if r) / n
    if args.misses:
        for stem, r in rank.items():
            if r != 1:
                first = top.get(stem)
                print(f"rank {r or '>10'}: {queries[stem]}  | wanted: {title(stem)}"
                      f"  | first: {title(first) if first else '-'}")
    print(f"{n} queries, searcher flags: {' '.join(flags) or '(defaults)'}")
    print(f"success@1 {s1:.3f}  success@10 {s10:.3f}")


if __name__ == "__main__":
    sys.exit(main())
