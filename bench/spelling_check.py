#!/usr/bin/env python3
""""Did you mean" on correct words: draws words from a corpus's article bodies and searches each
alone; every word the searcher offers to correct is listed with how many articles have it, so
that a person can tell a real typo of the corpus from a correct word "corrected".

Two samples (seed fixed): TOKENS words drawn from the bodies' word positions (common words
are likelier, as in text), and TYPES distinct words drawn from the vocabulary (rare words as
likely as common ones: where corrections go wrong). Words of letters only, 4 or more.

  spelling_check.py CORPUS_DIR --db DB [--bin build/bin] [--tokens 1000] [--types 1000]
                    [--seed N] [--typos WORD,...]
--typos: misspellings that must each get a correction (listed with it)."""
import argparse
import json
import random
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

PUNCTUATION = "\"'()[]{}<>.,;:!?-‘’“”«»،؛؟"


def is_word(token):
    """Letters only (and the marks written on them: Arabic vowel signs), 4 or more: "didn't"
    and "1987" are left out, as the index does not split them so."""
    letters = [c for c in token if unicodedata.category(c).startswith("L")]
    return len(letters) >= 4 and all(unicodedata.category(c)[0] in "LM" for c in token)


def body_words(corpus):
    """Every body word (lower-cased) of every article, in order: the text split at white space,
    punctuation around each piece stripped."""
    words = []
    for f in sorted(Path(corpus).rglob("*.txt")):
        lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
        words += [w for w in (t.strip(PUNCTUATION).lower() for t in " ".join(lines[3:]).split())
                  if is_word(w)]
    return words


def suggestions(binary, db, queries):
    """{query: (did_you_mean or None, total)} from one batch run."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as batch:
        for i, q in enumerate(queries):
            batch.write(f"{i}\t{q}\n")
    out = subprocess.run([f"{binary}/searcher", "--db", db, "--batch", batch.name, "--format", "json",
                          "-n", "1"], capture_output=True, text=True, check=True).stdout
    Path(batch.name).unlink()
    result = {}
    for line in out.splitlines():
        if line.strip():
            j = json.loads(line)
            result[j["query"]] = (j.get("did_you_mean"), j.get("total_estimate", 0))
    return result


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--db", required=True)
    ap.add_argument("--bin", default=str(here.parent / "build" / "bin"))
    ap.add_argument("--tokens", type=int, default=1000)
    ap.add_argument("--types", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20221108)
    ap.add_argument("--typos", default="")
    args = ap.parse_args()
    words = body_words(args.corpus)
    counts = Counter(words)
    rng = random.Random(args.seed)
    samples = {"tokens": [rng.choice(words) for _ in range(args.tokens)],
               "types": rng.sample(sorted(counts), min(args.types, len(counts)))}
    failed = False
    for name, sample in samples.items():
        got = suggestions(args.bin, args.db, sorted(set(sample)))
        corrected = sorted((w, s, counts[w]) for w, (s, _) in got.items() if s)
        print(f"{name}: {len(sample)} words ({len(set(sample))} distinct), {len(corrected)} corrected")
        for w, s, n in corrected:
            print(f"  {w} ({n}x in bodies) -> {s}")
    typos = [t for t in args.typos.split(",") if t]
    if typos:
        got = suggestions(args.bin, args.db, typos)
        for t in typos:
            s, _ = got.get(t, (None, 0))
            found = suggestions(args.bin, args.db, [s])[s][1] if s else 0
            print(f"typo {t} -> {s} ({found} articles)")
            failed |= not s or found == 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
