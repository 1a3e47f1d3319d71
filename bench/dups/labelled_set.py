#!/usr/bin/env python3
"""The labelled set for near-duplicate detection (issue #11): pairs of articles, each marked a
copy (1) or not (0). Built once from the corpora in ../shared/corpora and then frozen: the
committed labels.tsv is the set, and `materialise` rebuilds its articles from the corpora.

  labelled_set.py build CORPORA_DIR > labels.tsv     (done once; do not re-run to tune)
  labelled_set.py materialise CORPORA_DIR OUT_DIR    (writes OUT_DIR/a, OUT_DIR/pairs.tsv)

materialise writes the pairs of templated.tsv too (issue #26: templated reports, drawn by
templated_pairs.py and labelled by readers; its rows have this file's four columns, files
straight from the corpora).

CORPORA_DIR holds the unpacked saudinewsnet-ar/, reuters21578/ and bbc-news-zitros/.

Rows of labels.tsv (tab-separated): kind, label, file A, file B or an edit recipe.
  real     SaudiNewsNet pairs found by shared word 4-grams: label 1 when one article is
           mostly the other (4-gram containment >= 0.8 and Jaccard >= 0.5: the same agency
           text under two URLs), label 0 when they share a subject and dates (at least 5
           shared 4-grams, published within 2 days) but little text (Jaccard < 0.15).
           Pairs between the two are left out: whether a rewrite of one press release is
           "the same story" is a judgement the set does not make.
  edited   an English article (Reuters or BBC) and a copy made by the recipe in column 4,
           label 1. Recipe steps, separated by ' ; ':
             dateline=TEXT     TEXT is put before the first paragraph
             credit=TEXT       a last paragraph TEXT is added
             drop=K            paragraph K (0-based) is dropped
             add=K=TEXT        paragraph TEXT is inserted before paragraph K
             title=TEXT        the headline becomes TEXT
             typo=K=W          in paragraph K, word W has two letters swapped
  english  two English articles of the same corpus, dates within 2 days (Reuters) or the
           same category (BBC), sharing at least 5 word 4-grams but Jaccard < 0.15: label 0.
"""
import collections
import os
import random
import re
import sys

WORD = re.compile(r"\w+")


def read(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    return lines[0], lines[1], lines[2], [l for l in lines[3:] if l]


def shingles(paragraphs):
    w = WORD.findall(" ".join(paragraphs).lower())
    return set(hash(tuple(w[k:k + 4])) for k in range(len(w) - 3))


def candidate_pairs(names, arts):
    sh = [shingles(a[3]) for a in arts]
    inv = collections.defaultdict(list)
    for i, s in enumerate(sh):
        for x in s:
            inv[x].append(i)
    shared = collections.Counter()
    for docs in inv.values():
        if 2 <= len(docs) <= 30:
            for i in range(len(docs)):
                for j in range(i + 1, len(docs)):
                    shared[(docs[i], docs[j])] += 1
    for (i, j), n in sorted(shared.items()):
        if n < 5:
            continue
        inter = len(sh[i] & sh[j])
        yield i, j, inter / len(sh[i] | sh[j]), inter / min(len(sh[i]), len(sh[j]))


def days_apart(a, b):
    import datetime
    d = lambda s: datetime.date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    return abs((d(a) - d(b)).days)


def load(folder):
    names = sorted(os.listdir(folder))
    return names, [read(os.path.join(folder, n)) for n in names]


DATELINES = ["LONDON, {d} (Reuters) - ", "NEW YORK, {d} (Reuters) - ", "WASHINGTON (AP) -- ",
             "TOKYO, {d} - ", "PARIS (AFP) - ", "By Staff Writers | "]
CREDITS = ["(Reporting by Anna Clarke; editing by Tom Hale)", "Copyright 2005 BBC. All rights reserved.",
           "(c) Reuters Limited 1987", "Additional reporting by our correspondent in Brussels.",
           "This story was updated to correct a spelling."]
ADDED = ["Shares in the company were little changed in early trading.",
         "The announcement came after markets had closed for the day.",
         "A spokesman declined to comment further when contacted by telephone on Thursday.",
         "Analysts said the figures were broadly in line with their expectations.",
         "The full statement is expected to be published later this week."]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def recipe(rng, art):
    title, date, _, paras = art
    steps = []
    kinds = rng.sample(["dateline", "credit", "drop", "add", "title", "typo"], rng.choice([1, 2, 2, 3]))
    for k in kinds:
        if k == "dateline":
            steps.append("dateline=" + rng.choice(DATELINES).format(d=MONTHS[int(date[4:6]) - 1] + " " + str(int(date[6:]))))
        elif k == "credit":
            steps.append("credit=" + rng.choice(CREDITS))
        elif k == "drop" and len(paras) >= 4:
            steps.append("drop=%d" % rng.choice([len(paras) - 1, rng.randrange(1, len(paras))]))
        elif k == "add":
            steps.append("add=%d=%s" % (rng.randrange(1, len(paras) + 1), rng.choice(ADDED)))
        elif k == "title":
            words = title.split()
            new = " ".join(words[: max(3, len(words) - 2)])
            steps.append("title=" + rng.choice(["UPDATE 1-", "", "CORRECTED-"]) + new)
        elif k == "typo":
            for _ in range(rng.randint(1, 3)):
                p = rng.randrange(len(paras))
                steps.append("typo=%d=%d" % (p, rng.randrange(len(paras[p].split()))))
    return " ; ".join(steps) or "credit=" + CREDITS[0]


def apply(recipe_text, art):
    title, date, url, paras = art[0], art[1], art[2], list(art[3])
    dropped = []
    for step in recipe_text.split(" ; "):
        op, _, arg = step.partition("=")
        if op == "dateline":
            paras[0] = arg + paras[0]
        elif op == "credit":
            paras.append(arg)
        elif op == "drop":
            dropped.append(int(arg))
        elif op == "add":
            k, _, text = arg.partition("=")
            paras.insert(int(k), text)
        elif op == "title":
            title = arg
        elif op == "typo":
            k, _, w = arg.partition("=")
            words = paras[int(k)].split(" ")
            i = int(w) % len(words)
            if len(words[i]) >= 3:
                words[i] = words[i][0] + words[i][2] + words[i][1] + words[i][3:]
            paras[int(k)] = " ".join(words)
    paras = [p for i, p in enumerate(paras) if i not in dropped] if dropped else paras
    return title, date, url + "-copy", paras


def build(corpora):
    rng = random.Random(20261130)
    out = []
    names, arts = load(os.path.join(corpora, "saudinewsnet-ar"))
    pos, neg = [], []
    for i, j, jac, cont in candidate_pairs(names, arts):
        if cont >= 0.8 and jac >= 0.5:
            pos.append((names[i], names[j]))
        elif jac < 0.15 and days_apart(arts[i][1], arts[j][1]) <= 2:
            neg.append((names[i], names[j]))
    out += [("real", 1, a, b) for a, b in rng.sample(pos, 300)]
    out += [("real", 0, a, b) for a, b in rng.sample(neg, 300)]
    for corpus, n in (("reuters21578", 200), ("bbc-news-zitros", 100)):
        names, arts = load(os.path.join(corpora, corpus))
        fit = [i for i, a in enumerate(arts) if len(a[3]) >= 3 and len(" ".join(a[3]).split()) >= 80]
        for i in rng.sample(fit, n):
            out.append(("edited", 1, names[i], recipe(rng, arts[i])))
        neg = []
        for i, j, jac, cont in candidate_pairs(names, arts):
            if jac >= 0.15:
                continue
            if corpus.startswith("reuters") and days_apart(arts[i][1], arts[j][1]) > 2:
                continue
            if corpus.startswith("bbc") and names[i].split("-")[1] != names[j].split("-")[1]:
                continue
            neg.append((names[i], names[j]))
        out += [("english", 0, a, b) for a, b in rng.sample(neg, min(n, len(neg)))]
    for row in out:
        print("\t".join(map(str, row)))


def corpus_of(name):
    return {"saudinewsnet": "saudinewsnet-ar", "reuters": "reuters21578", "bbc": "bbc-news-zitros"}[name.split("-")[0]]


def write(path, art):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join([art[0], art[1], art[2]] + art[3]) + "\n")


def materialise(corpora, out_dir):
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(out_dir, "a"), exist_ok=True)
    with open(os.path.join(out_dir, "pairs.tsv"), "w") as pairs:
        for name in ("labels.tsv", "templated.tsv"):
            with open(os.path.join(here, name), encoding="utf-8") as f:
                materialise_rows(corpora, out_dir, f, pairs)


def materialise_rows(corpora, out_dir, f, pairs):
    for n, line in enumerate(f):
        kind, label, a, b = line.rstrip("\n").split("\t")
        art_a = read(os.path.join(corpora, corpus_of(a), a))
        write(os.path.join(out_dir, "a", a), art_a)
        if kind == "edited":
            b_name = "copy-%04d-%s" % (n, a)
            write(os.path.join(out_dir, "a", b_name), apply(b, art_a))
        else:
            b_name = b
            write(os.path.join(out_dir, "a", b), read(os.path.join(corpora, corpus_of(b), b)))
        pairs.write("%s\t%s\t%s\t%s\n" % (kind, label, a, b_name))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "build":
        build(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "materialise":
        materialise(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
