#!/usr/bin/env python3
"""The ranking check: every shared test set indexed and scored with the searcher's defaults,
each figure held against the floor recorded in floors.json (1% under the figure shipped). A
unit under its floor fails the check, named with its drop. Run by ctest (label "ranking").

  check.py --bin BUILD/bin [--work DIR] [--units cacm,time,...] [-- extra searcher flags]
  check.py --bin BUILD/bin --expect-drop cacm -- --bm25 1.2,0.75
      passes only if that unit falls under its floor with those flags (the check can fail)
  check.py --bin BUILD/bin --record      writes floors.json from this build's figures

The sets: the seven collections of ../shared/eval (MAP) and the three known-item tests of
bench/tune.py over ../shared/corpora (success@1). Without ../shared it says so and exits 77
(ctest: skipped)."""
import argparse
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import tune  # noqa: E402  (bench/tune.py: the units, their queries and scoring)

FLOORS = HERE / "floors.json"
SKIP = 77
MARGIN = 0.01  # a floor is this share under the figure shipped
CORPORA = {"title": ["reuters21578", "bbc-news-zitros", "saudinewsnet-ar"],
           "body": ["reuters21578", "bbc-news-zitros"]}


def corpus_folder(shared, work, name, tarballs):
    """The articles of `tarballs` (../shared/corpora) in one folder, unpacked once."""
    folder = work / f"corpus-{name}"
    if folder.exists():
        return folder
    partial = work / f"corpus-{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for t in tarballs:
        subprocess.run(["tar", "xzf", str(shared / "corpora" / f"{t}.tar.gz"), "-C", str(partial)],
                       check=True)
    for sub in [p for p in partial.iterdir() if p.is_dir()]:  # one folder: ids are file stems
        for f in sub.iterdir():
            f.rename(partial / f.name)
        sub.rmdir()
    partial.rename(folder)
    return folder


def figures(args, units_wanted, flags):
    shared = ROOT.parent / "shared"
    needed = [shared / "eval" / "tools" / "score.py"] + [shared / "corpora" / f"{t}.tar.gz"
                                                         for t in CORPORA["title"]]
    for name in tune.COLLECTIONS:
        needed += [shared / "eval" / name / "topics.tsv", shared / "eval" / name / "qrels.txt"]
        if name not in tune.CORPUS_DOCS:
            needed.append(shared / "eval" / name / "docs.tar.gz")
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        print(f"ranking check: skipped: {missing[0]} is not there (the shared test sets)")
        sys.exit(SKIP)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    known = [u for u in units_wanted if u in ("title", "body", "phrase")]
    ns = types.SimpleNamespace(
        work=str(work), eval=str(shared / "eval"), seed=tune.SEED, fts=False,
        title_corpus=str(corpus_folder(shared, work, "all", CORPORA["title"])) if "title" in known else None,
        body_corpus=str(corpus_folder(shared, work, "english", CORPORA["body"]))
        if {"body", "phrase"} & set(known) else None)
    units = tune.Units(ns, ROOT)
    units.names = [u for u in units.names if u in units_wanted]
    result = units.evaluate(args.bin, flags)
    got = {u: tune.mean(result[u].values()) for u in units.names}
    empty = [u for u in units_wanted if u not in got or not result[u]]
    if empty:  # a unit that answered nothing is an error, never a drop or a pass
        sys.exit(f"ranking check: no figure for {', '.join(empty)}")
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the build's bin folder (indexer, searcher)")
    ap.add_argument("--work", default="/tmp/newsidx-ranking-check")
    ap.add_argument("--units", help="comma-separated (default: every unit of floors.json)")
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--expect-drop", metavar="UNIT")
    ap.add_argument("flags", nargs="*", help="extra searcher flags, after --")
    args = ap.parse_args()
    floors = json.loads(FLOORS.read_text()) if FLOORS.exists() else {}
    wanted = args.units.split(",") if args.units else (list(floors) or tune.COLLECTIONS + ["title", "body", "phrase"])
    if args.expect_drop:
        wanted = [args.expect_drop]
    got = figures(args, wanted, args.flags)
    if args.record:  # the units measured replace theirs; the others keep their floors
        floors.update({u: {"shipped": round(v, 4), "floor": round(v * (1 - MARGIN), 4)}
                       for u, v in got.items()})
        FLOORS.write_text(json.dumps(floors, indent=2) + "\n")
        print(f"recorded {FLOORS}")
        return
    failed = []
    for u, v in got.items():
        floor = floors[u]["floor"]
        drop = (v / floors[u]["shipped"] - 1) * 100
        status = "ok" if v >= floor else "FAIL"
        print(f"{status:4} {u:14} {v:.4f}  floor {floor:.4f}  shipped {floors[u]['shipped']:.4f}  ({drop:+.1f}%)")
        if v < floor:
            failed.append(f"{u} {v:.4f} is under its floor {floor:.4f} ({drop:+.1f}% against {floors[u]['shipped']:.4f} shipped)")
    if args.expect_drop:
        if failed:
            print(f"ranking check: as expected, with {' '.join(args.flags)}: {failed[0]}")
            return
        print(f"ranking check: {args.expect_drop} did not fall under its floor with {' '.join(args.flags)}")
        sys.exit(1)
    for f in failed:
        print(f"ranking check: {f}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
