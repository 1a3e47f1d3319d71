#!/usr/bin/env python3
"""Chooses ranking defaults on every test set at once, honestly.

Runs each configuration of searcher flags on the seven test collections of ../shared/eval (MAP
per topic) and on three known-item tests over news (success@1 per query): the title test (an
article's title as the query, combined corpus), the body-words test (5 distinct non-stop
words drawn from an article's body, English corpora) and the phrase test (3 words in a row of
its body, at most one a stop word, typed as plain words: what a reader remembers). SQLite FTS5 answers the same known-item
queries (words ORed and ANDed) in the same run. Indexes and runs are cached in --work, so a
second call with more configurations only runs those.

Then it picks the configuration with the best weighted score (news units together weigh as
much as the abstract collections together; each unit counts as the ratio of its figure to the
first configuration's), among those that lose no more than 1% on any unit, by
leave-one-unit-out cross-validation: for each unit, the choice made
on all the others, reported on the one left out. Finally a paired randomization test of the
choice made on all units against the first configuration, unit by unit.

  tune.py --title-corpus ALL_DIR --body-corpus ENGLISH_DIR [--work DIR] [--bin build/bin]
          --config 'name=FLAGS' ... | --grid '--flag v1|v2' --grid ...
The first configuration is the baseline (give it as --config 'today='). A configuration's
FLAGS may start with --bin DIR: another build (e.g. the one before a change), which gets
indexes of its own."""
import argparse
import hashlib
import itertools
import json
import random
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

COLLECTIONS = ["cacm", "cisi", "cranfield", "med", "lisa", "time", "reuters-short"]
NEWS = {"time", "reuters-short", "title", "body", "phrase"}
# Collections whose documents are a shared news corpus rather than a docs.tar.gz of their own.
CORPUS_DOCS = {"reuters-short": "reuters21578"}
SEED = 20221108
SAMPLE = 1000
BODY_WORDS = 5
PHRASE_WORDS = 3
PUNCTUATION = "\"'()[]{}<>.,;:!?-‘’“”«»"


def english_stop_words(root):
    """Our own English stop list, read from the analyzer's source (the words it drops)."""
    text = (root / "common" / "text" / "analyzer.cpp").read_text(encoding="utf-8")
    block = text[text.index("kEnglishStopWords[]"):]
    block = block[:block.index("};")]
    return set(re.findall(r'"([^"]+)"', block))


def articles(corpus):
    return sorted(Path(corpus).rglob("*.txt"))


def known_item_queries(kind, corpus, stop, seed):
    """{article id: query}: its title, or BODY_WORDS distinct non-stop words of its body drawn
    from its word positions (so a word the article repeats is likelier), or PHRASE_WORDS words
    in a row of its body."""
    files = articles(corpus)
    rng = random.Random(seed)
    if kind == "title":  # the sample docs/quality.md has reported since schema 2
        return {f.stem: f.read_text(encoding="utf-8", errors="replace").splitlines()[0].strip()
                for f in rng.sample(files, min(SAMPLE, len(files)))}
    queries = {}
    for f in rng.sample(files, len(files)):
        if len(queries) == SAMPLE:
            break
        lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
        if kind == "phrase":  # PHRASE_WORDS words in a row, as a reader remembers a story's words
            run = phrase_of(" ".join(lines[3:]), stop, rng)
            if run:
                queries[f.stem] = run
            continue
        # Words as written between spaces, punctuation around them stripped; only letters
        # ("clarke's" and "1987" are left out: each engine splits those its own way).
        words = [w for w in (t.strip(PUNCTUATION) for t in " ".join(lines[3:]).lower().split())
                 if w.isalpha() and w not in stop]
        if len(set(words)) < BODY_WORDS:
            continue
        picked = []
        while len(picked) < BODY_WORDS:
            w = rng.choice(words)
            if w not in picked:
                picked.append(w)
        queries[f.stem] = " ".join(picked)
    return queries


def phrase_of(body, stop, rng):
    """PHRASE_WORDS consecutive words of letters from `body`, at most one of them a stop word,
    drawn at random; None when the body has no such run."""
    words = [t.strip(PUNCTUATION) for t in body.lower().split()]
    starts = [i for i in range(len(words) - PHRASE_WORDS + 1)
              if all(w.isalpha() for w in words[i:i + PHRASE_WORDS])
              and sum(w in stop for w in words[i:i + PHRASE_WORDS]) <= 1]
    if not starts:
        return None
    i = rng.choice(starts)
    return " ".join(words[i:i + PHRASE_WORDS])


def fts5_ranks(corpus, queries, db_path, ops=("OR", "AND")):
    """{op: {id: rank of the article (0: not in the top 10)}} for FTS5 (porter unicode61, bm25,
    title and body) with the query's words joined by each op; the table is built once."""
    db_path = Path(db_path)
    if not db_path.exists():  # built under another name, renamed when whole
        partial = db_path.with_name(db_path.name + ".partial")
        partial.unlink(missing_ok=True)
        con = sqlite3.connect(str(partial))
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(docid UNINDEXED, title, body,"
                    " tokenize='porter unicode61')")
        with con:
            for f in articles(corpus):
                lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
                con.execute("INSERT INTO docs VALUES (?, ?, ?)", (f.stem, lines[0], "\n".join(lines[3:])))
        con.close()
        partial.rename(db_path)
    con = sqlite3.connect(str(db_path))
    out = {}
    for op in ops:
        ranks = {}
        for docid, text in queries.items():
            words = re.findall(r"\w+", text)
            match = f" {op} ".join('"' + w + '"' for w in words)
            got = [r[0] for r in con.execute(
                "SELECT docid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", (match,))] if words else []
            ranks[docid] = got.index(docid) + 1 if docid in got else 0
        out[op] = ranks
    return out


def run_searcher(binary, db, batch, depth, flags):
    out = subprocess.run([f"{binary}/searcher", "--db", str(db), "--batch", str(batch), "--format", "trec",
                          "-n", str(depth)] + flags, capture_output=True, text=True, check=True).stdout
    return out


def ap_per_topic(scorer, qrels, run_text, work):
    run = work / "run.tmp"
    run.write_text(run_text)
    out = subprocess.run(["python3", scorer, "-q", str(qrels), str(run)], capture_output=True, text=True,
                         check=True).stdout
    per = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "map" and parts[1] != "all":
            per[parts[1]] = float(parts[2])
    return per


def ranks_of(run_text, queries):
    ranks = {q: 0 for q in queries}
    for line in run_text.splitlines():
        qid, _, docid, rank, *_ = line.split()
        if qid == docid:
            ranks[qid] = int(rank)
    return ranks


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def randomization_p(a, b, rounds=10000, seed=1):
    """Two-sided paired randomization (sign-flip) test of mean(a) - mean(b)."""
    diffs = [x - y for x, y in zip(a, b)]
    observed = abs(sum(diffs))
    rng = random.Random(seed)
    hits = 0
    for _ in range(rounds):
        if abs(sum(d if rng.random() < 0.5 else -d for d in diffs)) >= observed - 1e-12:
            hits += 1
    return (hits + 1) / (rounds + 1)


class Units:
    """The evaluation units (the collections, reuters-short, the known-item tests): indexes built once, runs cached per flag set."""

    def __init__(self, args, root):
        self.args, self.work = args, Path(args.work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.eval = Path(args.eval)
        self.scorer = str(self.eval / "tools" / "score.py")
        self.names = list(COLLECTIONS)
        stop = english_stop_words(root)
        self.known = {}
        for kind, corpus in (("title", args.title_corpus), ("body", args.body_corpus),
                             ("phrase", args.body_corpus)):
            if not corpus:
                continue
            queries = known_item_queries(kind, corpus, stop, args.seed)
            batch = self.work / f"{kind}.tsv"
            batch.write_text("".join(f"{k}\t{v}\n" for k, v in queries.items()), encoding="utf-8")
            fts_cache = self.work / f"fts-{kind}-{hashlib.sha1(batch.read_bytes()).hexdigest()[:16]}.json"
            if not getattr(args, "fts", True):  # the ranking check (tests/ranking) has no use for it
                fts = {}
            elif fts_cache.exists():
                fts = json.loads(fts_cache.read_text())
            else:
                fts = fts5_ranks(corpus, queries, self.work / f"fts-{Path(corpus).name}.sqlite")
                fts_cache.write_text(json.dumps(fts))
            self.known[kind] = (queries, batch, corpus, fts)
            self.names.append(kind)

    def index(self, binary, name, docs):
        """An index of `docs` by this build's indexer (one per build: schemas differ)."""
        build = hashlib.sha1(Path(f"{binary}/indexer").read_bytes()).hexdigest()[:8]
        db = self.work / f"db-{name}-{build}"
        if not db.exists():  # built under another name, renamed when whole
            partial = db.with_name(db.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            subprocess.run([f"{binary}/indexer", "--quiet", "--db", str(partial), str(docs)], check=True,
                           stdout=subprocess.DEVNULL)
            partial.rename(db)
        return db

    def collection_db(self, binary, name):
        docs = self.work / f"docs-{name}"
        corpus = CORPUS_DOCS.get(name)
        tarball = (self.eval.parent / "corpora" / f"{corpus}.tar.gz") if corpus else (self.eval / name / "docs.tar.gz")
        if not docs.exists():  # unpacked under another name, renamed when whole
            partial = docs.with_name(docs.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            subprocess.run(["tar", "xzf", str(tarball), "-C", str(partial)], check=True)
            partial.rename(docs)
        return self.index(binary, name, docs / (corpus or "docs"))

    def evaluate(self, binary, flags):
        """{unit: {query id: value}} for one build and flag set (cached per unit, build, flags
        and queries: a rebuilt searcher may rank otherwise)."""
        build_id = hashlib.sha1(Path(f"{binary}/searcher").read_bytes()).digest()
        result = {}
        for name in self.names:
            queries = (self.eval / name / "topics.tsv") if name in COLLECTIONS else self.known[name][1]
            key = hashlib.sha1((name + "|" + " ".join(flags) + "|").encode() + queries.read_bytes()
                               + build_id)
            cache = self.work / f"result-{name}-{key.hexdigest()[:16]}.json"
            if cache.exists():
                result[name] = json.loads(cache.read_text())
                continue
            if name in COLLECTIONS:
                run = run_searcher(binary, self.collection_db(binary, name), queries, 1000, flags)
                result[name] = ap_per_topic(self.scorer, self.eval / name / "qrels.txt", run, self.work)
            else:
                ids, _, corpus, _ = self.known[name]
                db = self.index(binary, f"news-{Path(corpus).name}", corpus)
                ranks = ranks_of(run_searcher(binary, db, queries, 10, flags), ids)
                result[name] = {q: 1.0 if r == 1 else 0.0 for q, r in ranks.items()}
            cache.write_text(json.dumps(result[name]))
        return result


def score(result, base, units):
    """Weighted ratio to the baseline: news units together weigh as much as the others."""
    groups = [[u for u in units if u in NEWS], [u for u in units if u not in NEWS]]
    groups = [g for g in groups if g]
    return mean(mean(mean(result[u].values()) / mean(base[u].values()) for u in g) for g in groups)


MAX_LOSS = 0.01


def choose(results, base, units):
    """The best-scoring configuration among those that lose at most MAX_LOSS of the baseline's
    figure on every unit (the baseline itself always qualifies)."""
    def keeps(r):
        return all(mean(r[u].values()) >= (1 - MAX_LOSS) * mean(base[u].values()) for u in units)
    return max((n for n in results if keeps(results[n])), key=lambda n: score(results[n], base, units))


def main():
    here = Path(__file__).resolve().parent
    root = here.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(root / "build" / "bin"))
    ap.add_argument("--eval", default=str(root.parent / "shared" / "eval"))
    ap.add_argument("--title-corpus", help="articles for the title known-item test (all corpora)")
    ap.add_argument("--body-corpus", help="articles for the body-words and phrase known-item tests (English corpora)")
    ap.add_argument("--work", default="/tmp/newsidx-tune")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--config", action="append", default=[], help="NAME=FLAGS")
    ap.add_argument("--grid", action="append", default=[], help="'--flag v1|v2|...' (product of all)")
    ap.add_argument("--json", help="write every figure here")
    args = ap.parse_args()

    configs = []
    for c in args.config:
        name, _, flags = c.partition("=")
        configs.append((name, shlex.split(flags)))
    configs = [(name, ([] if flags[:1] == ["--bin"] else ["--bin", args.bin]) + flags)
               for name, flags in configs]
    if args.grid:
        axes = []
        for g in args.grid:
            flag, _, values = g.partition(" ")
            axes.append([(flag, v) for v in values.split("|")])
        for combo in itertools.product(*axes):
            flags = [x for flag, v in combo for x in (flag, v)]
            configs.append((" ".join(flags), ["--bin", args.bin] + flags))
    if not configs:
        sys.exit("tune: give --config or --grid")

    units = Units(args, root)
    results = {}
    for name, flags in configs:
        results[name] = units.evaluate(flags[1], flags[2:])
        print(f"ran {name or '(defaults)'}", file=sys.stderr)
    names = units.names
    base_name = configs[0][0]
    base = results[base_name]

    header = "| configuration | " + " | ".join(names) + " | score |"
    print(header)
    print("|---|" + "---:|" * (len(names) + 1))
    for name, _ in configs:
        r = results[name]
        print(f"| {name or '(defaults)'} | " + " | ".join(f"{mean(r[u].values()):.4f}" for u in names)
              + f" | {score(r, base, names):.4f} |")
    for kind, (_, _, _, fts) in units.known.items():
        for op in ("OR", "AND"):
            print(f"FTS5 {op} on {kind}: success@1 {mean(1.0 if r == 1 else 0.0 for r in fts[op].values()):.4f}")

    print("\nLeave-one-unit-out: the configuration chosen on the other units, on the one left out")
    print("| left out | chosen on the others | its figure | baseline |")
    print("|---|---|---:|---:|")
    cv = {}
    for held in names:
        others = [u for u in names if u != held]
        chosen = choose(results, base, others)
        cv[held] = chosen
        print(f"| {held} | {chosen or '(defaults)'} | {mean(results[chosen][held].values()):.4f} | "
              f"{mean(base[held].values()):.4f} |")

    best = choose(results, base, names)
    print(f"\nChosen on every unit: {best or '(defaults)'}; against {base_name or '(defaults)'}:")
    print("| unit | baseline | chosen | change | p (paired randomization) |")
    print("|---|---:|---:|---:|---:|")
    for u in names:
        keys = sorted(base[u])
        a = [results[best][u].get(k, 0.0) for k in keys]
        b = [base[u][k] for k in keys]
        change = (mean(a) / mean(b) - 1) * 100 if mean(b) else 0
        print(f"| {u} | {mean(b):.4f} | {mean(a):.4f} | {change:+.1f}% | {randomization_p(a, b):.3f} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"configs": configs, "results": results, "cv": cv, "best": best}))


if __name__ == "__main__":
    main()
