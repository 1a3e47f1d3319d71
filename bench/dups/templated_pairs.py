#!/usr/bin/env python3
"""Draws the templated near-miss candidates of templated.tsv (issue #26) and writes the sheets
their labels were given on. Run once, before any tuning; the labels were then given by readers
who saw only the sheets (headlines, dates and a word diff of the bodies), not the copy rule.

  templated_pairs.py draw CORPORA_DIR OUT_DIR    (OUT_DIR/candidates.tsv, OUT_DIR/sheet-*.txt)

Candidates: pairs of one corpus whose body word 3-grams overlap (Jaccard >= 0.3, the pairs a
MinHash candidate stage proposes), both headlines of one kind (patterns below), 50 pairs per
kind spread evenly over the Jaccard range 0.3-1.0 (random.Random(20261204)).
Rows of templated.tsv: kind, label (1: the same report; 0: another report on the same
template: another company, country, day, period or other figures), file A, file B.
"""
import collections
import difflib
import os
import random
import re
import sys

from labelled_set import read  # one article file: title, date, URL, paragraphs

WORD = re.compile(r"\w+")
KINDS = {
    "dividend": ("reuters21578", r"\b(DIV|DIVIDEND|PAYOUT|QTLY|QUARTERLY)\b"),
    "market": ("reuters21578", r"(FED ADDS|TREASURY BALANCES|JOBLESS|OUTPUT|MONEY SUPPLY|M-1|"
               r"RESERVES|BILL AUCTION|BANK OF ENGLAND|BUNDESBANK|STOCKS|DOLLAR|GOLD)"),
    "earnings": ("reuters21578", r"(\b(QTR|NET|LOSS|YEAR NET|1ST|2ND|3RD|4TH)\b)"),
    "market-ar": ("saudinewsnet-ar", r"(الأسهم|مؤشر|الذهب|النفط|برنت|السوق|تاسي)"),
    "congratulations": ("saudinewsnet-ar", r"(تهنئ|يهنئ|تهنئة|يهنئان|برقية|برقيتي)"),
    "weather": ("saudinewsnet-ar", r"(طقس|الأرصاد|أمطار|الحرارة|غبار|رياح)"),
    "casualty": ("saudinewsnet-ar", r"(مقتل|قتيل|قتلى|استشهاد|شهيد|شهداء|إصابة|مصرع|وفاة|جرحى)"),
}


def overlapping(folder):
    """(name A, name B, Jaccard) of the pairs whose body 3-grams overlap at least 0.3."""
    names = sorted(os.listdir(folder))
    arts = {n: read(os.path.join(folder, n)) for n in names}
    grams = []
    for n in names:
        w = [x.lower() for x in WORD.findall(" ".join(arts[n][3]))]
        grams.append(set(hash(tuple(w[k:k + 3])) for k in range(len(w) - 2)) if len(w) >= 8 else set())
    index = collections.defaultdict(list)
    for i, g in enumerate(grams):
        for x in g:
            index[x].append(i)
    shared = collections.Counter()
    for docs in index.values():
        if 2 <= len(docs) <= 200:
            for i in range(len(docs)):
                for j in range(i + 1, len(docs)):
                    shared[(docs[i], docs[j])] += 1
    for (i, j), n in shared.items():
        jac = n / len(grams[i] | grams[j])
        if n >= 2 and jac >= 0.3:
            yield names[i], names[j], jac, arts


def word_diff(x, y):
    a, b, out = x.split(), y.split(), []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            seg = a[i1:i2]
            out.append(" ".join(seg) if len(seg) <= 24 else
                       " ".join(seg[:10]) + " [...%d same words...] " % (len(seg) - 20) + " ".join(seg[-10:]))
        else:
            if i2 > i1:
                out.append("[-" + " ".join(a[i1:i2]) + "-]")
            if j2 > j1:
                out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def draw(corpora, out_dir):
    rng = random.Random(20261204)
    os.makedirs(out_dir, exist_ok=True)
    by_corpus = {}
    rows = []
    for kind, (corpus, pattern) in KINDS.items():
        if corpus not in by_corpus:
            by_corpus[corpus] = list(overlapping(os.path.join(corpora, corpus)))
        rx, div = re.compile(pattern), re.compile(KINDS["dividend"][1])
        cand = [(a, b, j) for a, b, j, arts in by_corpus[corpus]
                if rx.search(arts[a][0]) and rx.search(arts[b][0]) and
                not (kind == "earnings" and (div.search(arts[a][0]) or div.search(arts[b][0])))]
        bins = collections.defaultdict(list)
        for c in cand:
            bins[min(int(c[2] * 10), 9)].append(c)
        take = []
        for k in sorted(bins):
            take += rng.sample(bins[k], min(50 // len(bins), len(bins[k])))
        rest = [c for c in cand if c not in take]
        take += rng.sample(rest, min(len(rest), 50 - len(take)))
        arts = by_corpus[corpus][0][3] if by_corpus[corpus] else {}
        for a, b, _ in take:
            rows.append((kind, a, b, arts[a], arts[b]))
    with open(os.path.join(out_dir, "candidates.tsv"), "w") as f:
        for kind, a, b, _, _ in rows:
            f.write("%s\t%s\t%s\n" % (kind, a, b))
    for kind in KINDS:
        with open(os.path.join(out_dir, "sheet-%s.txt" % kind), "w") as f:
            for k, a, b, A, B in rows:
                if k != kind:
                    continue
                f.write("### PAIR %s\t%s\t%s\nA: %s | %s\nB: %s | %s\n" % (k, a, b, A[1], A[0], B[1], B[0]))
                f.write("BODY DIFF (A→B; [-only in A-] {+only in B+}):\n%s\n\n" %
                        word_diff(" ".join(A[3]), " ".join(B[3])))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "draw":
        draw(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
