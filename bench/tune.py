#!/usr/bin/env python3
"""Chooses ranking settings honestly on a test collection: indexes it once, runs every
combination of searcher flags in batch mode, scores each on the odd and on the even topics,
picks the best on one half and reports it on the other (both ways).

  tune.py --bin build/bin [--collection ../shared/eval/cacm] [--grid k1s bs expands]"""
import argparse
import itertools
import subprocess
import tempfile
from pathlib import Path


def score(scorer, qrels, run):
    out = subprocess.run(["python3", scorer, qrels, run], capture_output=True, text=True, check=True).stdout
    return {line.split()[0]: float(line.split()[2]) for line in out.splitlines() if line.split()}


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(here.parent / "build" / "bin"))
    ap.add_argument("--collection", default=str(here.parent.parent / "shared" / "eval" / "cacm"))
    ap.add_argument("--k1", default="0.9,1.2,1.5,2.0,2.5,3.0")
    ap.add_argument("--b", default="0.2,0.3,0.4,0.5,0.75")
    ap.add_argument("--expand", default="0,10")
    args = ap.parse_args()
    coll = Path(args.collection)
    scorer = str(coll.parent / "tools" / "score.py")
    work = Path(tempfile.mkdtemp(prefix="newsidx-tune-"))
    subprocess.run(["tar", "xzf", str(coll / "docs.tar.gz"), "-C", str(work)], check=True)
    subprocess.run([f"{args.bin}/indexer", "--quiet", "--db", str(work / "db"), str(work / "docs")],
                   check=True, capture_output=True)
    halves = {}
    for part, keep in (("odd", 1), ("even", 0)):
        path = work / f"qrels.{part}"
        path.write_text("".join(l for l in open(coll / "qrels.txt") if int(l.split()[0]) % 2 == keep))
        halves[part] = str(path)
    rows = []
    for k1, b, e in itertools.product(args.k1.split(","), args.b.split(","), args.expand.split(",")):
        run = work / "run"
        with open(run, "w") as out:
            subprocess.run([f"{args.bin}/searcher", "--db", str(work / "db"), "--batch", str(coll / "topics.tsv"),
                            "--format", "trec", "-n", "1000", "--bm25", f"{k1},{b}", "--expand", e],
                           stdout=out, check=True)
        r = {part: score(scorer, q, str(run)) for part, q in halves.items()}
        r["all"] = score(scorer, str(coll / "qrels.txt"), str(run))
        rows.append(((k1, b, e), r))
    print("| k1 | b | expand | MAP all | MAP odd | MAP even | nDCG@10 all | nDCG@10 odd | nDCG@10 even |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (k1, b, e), r in rows:
        print(f"| {k1} | {b} | {e} | {r['all']['map']:.4f} | {r['odd']['map']:.4f} | {r['even']['map']:.4f} | "
              f"{r['all']['ndcg_cut_10']:.4f} | {r['odd']['ndcg_cut_10']:.4f} | {r['even']['ndcg_cut_10']:.4f} |")
    for train, test in (("odd", "even"), ("even", "odd")):
        (k1, b, e), r = max(rows, key=lambda row: row[1][train]["map"])
        print(f"\nbest on {train}: k1 {k1}, b {b}, expand {e}: MAP {train} {r[train]['map']:.4f}; "
              f"held-out {test}: MAP {r[test]['map']:.4f}, nDCG@10 {r[test]['ndcg_cut_10']:.4f}")


if __name__ == "__main__":
    main()
