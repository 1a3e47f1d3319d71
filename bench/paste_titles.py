#!/usr/bin/env python3
"""Pasted headlines: titles of the corpus, picked with a fixed seed, each pasted as it is into
`searcher "TITLE"` (the query language, not --plain). A title is found when its article is
ranked first, or only articles of the same title (the same words, folded) rank above it: the
title alone cannot tell those apart. Prints the count found and each one that is not, with why.

  bench/paste_titles.py CORPUS_DIR [--bin build/bin] [--db EXISTING_INDEX] [--count 2000]
                        [--seed 20261204] [--jobs 2]

CORPUS_DIR holds the articles (the three shared corpora unpacked into one folder, for the
figure in docs/quality.md). Exit status 1 when a title is not found."""
import argparse
import concurrent.futures
import json
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

SEED = 20261204


def words(title):
    """The title's words, case and accents folded: two titles are the same when these are."""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"\w+", text)


def search(args, db, title):
    run = subprocess.run([f"{args.bin}/searcher", "--db", db, "--json", "-n", "50", "--", title],
                         capture_output=True, text=True)
    if run.returncode == 2:
        return None, run.stderr.strip().splitlines()[0] if run.stderr else "exit 2"
    return json.loads(run.stdout)["results"] if run.stdout.strip() else [], ""


def verdict(hits, url, title):
    """'' when found, else why not."""
    if hits is None:
        return "error"
    for rank, hit in enumerate(hits, 1):
        if hit["url"] == url:
            return ""
        if words(hit["title"]) != words(title):
            return f"rank {rank} is '{hit['title']}'"
    return "not in the top 50"


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--bin", default=str(here.parent / "build" / "bin"))
    ap.add_argument("--db", help="an existing newsidx index of CORPUS_DIR (default: build one)")
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    files = sorted(Path(args.corpus).rglob("*.txt"))
    picked = random.Random(args.seed).sample(files, min(args.count, len(files)))
    db = args.db
    if not db:
        db = str(Path(tempfile.mkdtemp(prefix="newsidx-paste-")) / "db")
        subprocess.run([f"{args.bin}/indexer", "--quiet", "--db", db, args.corpus], check=True,
                       stdout=subprocess.DEVNULL)
    articles = []
    for f in picked:
        lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
        if len(lines) >= 3:
            articles.append((lines[0].strip(), lines[2].strip()))
    failures = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        answers = pool.map(lambda a: search(args, db, a[0]), articles)
        for (title, url), (hits, error) in zip(articles, answers):
            why = error or verdict(hits, url, title)
            if why:
                failures.append((title, url, why))
    found = len(articles) - len(failures)
    for title, url, why in failures:
        print(f"not found: {title!r} ({url}): {why}")
    print(f"{found} of {len(articles)} pasted titles found first "
          f"({len(failures)} not; seed {args.seed})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
