#!/usr/bin/env python3
"""A second reading of the story clusters of an index (issue #26): the copy rule of copies.hpp
written again, independently, over Python's difflib line-up, applied to every member of every
cluster against the cluster's first. It disagrees with the indexer only where the two line-ups
differ (borderline pairs); a chain (a member that is a copy of another member only) shows as
many members that are no copy of their first.

  searcher --db DB --export jsonl 'date:1800..2199' > export.jsonl
  crosscheck.py export.jsonl          (reads the articles' files, as the export names them)
"""
import collections
import datetime
import difflib
import json
import re
import sys

WORDS = re.compile(r"[^\W\d_]+|\d+")
FOLD = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹أإآةى", "01234567890123456789اااهي")
NUMBERS = {w: str(v) for v, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBERS.update({w: str(30 + 10 * i) for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split())})
for forms, value in [("واحد واحده", 1), ("اثنان اثنين اثنتين اثنتان", 2), ("ثلاث ثلاثه", 3), ("اربع اربعه", 4),
                     ("خمس خمسه", 5), ("ست سته", 6), ("سبع سبعه", 7), ("ثمان ثماني ثمانيه", 8), ("تسع تسعه", 9),
                     ("عشر عشره", 10), ("عشرين عشرون", 20), ("ثلاثين ثلاثون", 30), ("اربعين اربعون", 40),
                     ("خمسين خمسون", 50), ("ستين ستون", 60), ("سبعين سبعون", 70), ("ثمانين ثمانون", 80),
                     ("تسعين تسعون", 90)]:
    NUMBERS.update({w: str(value) for w in forms.split()})
NUMBERS.update({"half": "0.5", "quarter": "0.25", "nil": "0", "flat": "0"})
SIGNS = {w: "+" for w in "profit profits gain gains up rise rises rose higher increase increased raise raised surplus".split()}
SIGNS.update({w: "-" for w in "loss losses down fall falls fell lower decrease decreased cut cuts reduced reduction deficit".split()})


def words(text):
    out = []
    for w in WORDS.findall(text.translate(FOLD).lower()):
        out.append(w.lstrip("0") or "0" if w.isdigit() else w)
    return out


MONTHS = set(words("january february march april may june july august september october november december "
                   "monday tuesday wednesday thursday friday saturday sunday يناير فبراير مارس ابريل مايو يونيو "
                   "يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت"))


PLACES = set(words("north south east west northern southern eastern western northeast northwest southeast "
                   "southwest central شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي شماليه جنوبيه شرقيه غربيه"))
RELATIVE = set(words("today tomorrow yesterday tonight اليوم غدا امس الليله البارحه"))


def place(w):
    b = bare(w, PLACES)
    return b or (bare(w[:-2], PLACES) if w.endswith("ها") else None)


def bare(w, table):
    for p in ("", "و", "ب", "ل", "ال", "وال", "بال", "لل"):
        if w.startswith(p) and w[len(p):] in table:
            return w[len(p):]
    return None


def number(w):
    if w.isdigit():
        return w
    b = bare(w, NUMBERS)
    return NUMBERS[b] if b else SIGNS.get(w)


def near(x, y):
    if x in y or y in x or sorted(x) == sorted(y):
        return True
    if abs(len(x) - len(y)) <= 1:  # one letter added, dropped or changed
        i = 0
        while i < min(len(x), len(y)) and x[i] == y[i]:
            i += 1
        j = 0
        while j < min(len(x), len(y)) - i and x[-1 - j] == y[-1 - j]:
            j += 1
        if i + j + 1 >= max(len(x), len(y)):
            return True
    m = difflib.SequenceMatcher(None, x, y).find_longest_match(0, len(x), 0, len(y))
    return m.size >= 0.75 * min(len(x), len(y))


def read(path):
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    day = datetime.date(int(lines[1][:4]), int(lines[1][4:6]), int(lines[1][6:8]))
    return words(lines[0]), words(" ".join(lines[3:])), day


def copy(first, other):
    (ta, a, da), (tb, b, db) = first, other
    if len(a) < 8 or len(b) < 8:
        return "too short"
    if abs((da - db).days) > 7 and a != b:
        return "too far apart"
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    matched = sum(i2 - i1 for op, i1, i2, _, _ in ops if op == "equal")
    longer, shorter = max(len(a), len(b)), min(len(a), len(b))
    if matched < 0.5 * longer and not (matched >= 0.8 * shorter and matched >= 0.4 * longer):
        return "too different"
    all_a, all_b = set(a) | set(ta), set(b) | set(tb)
    names_a = [w for w in ta if w not in all_b and not w.isdigit() and len(w) >= 3 and w not in RELATIVE]
    names_b = [w for w in tb if w not in all_a and not w.isdigit() and len(w) >= 3 and w not in RELATIVE]
    for op, i1, i2, j1, j2 in ops:
        if op != "replace":
            continue
        x, y = a[i1:i2], b[j1:j2]
        nx, ny = [n for n in map(number, x) if n], [n for n in map(number, y) if n]
        if nx and ny and "".join(nx) != "".join(ny) and sorted(nx) != sorted(ny):
            return "numbers differ"
        dx, dy = {bare(w, MONTHS) for w in x} - {None}, {bare(w, MONTHS) for w in y} - {None}
        if dx and dy and not (dx <= dy or dy <= dx):
            return "dates differ"
        lx, ly = [place(w) for w in x if place(w)], [place(w) for w in y if place(w)]
        if lx and ly and lx != ly:
            return "places differ"
        px = [w for w in x if w not in all_b and len(w) >= 3 and w not in RELATIVE and any(near(n, w) for n in names_a)]
        py = [w for w in y if w not in all_a and len(w) >= 3 and w not in RELATIVE and any(near(n, w) for n in names_b)]
        if any(not near(p, q) for p in px for q in py):
            return "names differ"
    cover = lambda t, body: sum(w in set(body) for w in t) / max(1, len(t))
    if longer < 60 and cover(ta, a) < 0.5 and cover(tb, b) < 0.5:
        if len(set(ta) & set(tb)) / max(1, len(set(ta) | set(tb))) < 0.5:
            return "headlines differ"
    return None


def main(export):
    clusters = collections.defaultdict(list)
    for line in open(export, encoding="utf-8"):
        row = json.loads(line)
        clusters[row["cluster"]].append(row)
    multi = {k: v for k, v in clusters.items() if len(v) > 1}
    members = 0
    why = collections.Counter()
    doubted = 0
    for first_url, rows in multi.items():
        first = [r for r in rows if r["url"] == first_url]
        if not first:
            why["first not in its cluster"] += 1
            continue
        text = read(first[0]["path"])
        bad = False
        for r in rows:
            if r is first[0]:
                continue
            members += 1
            verdict = copy(text, read(r["path"]))
            if verdict:
                why[verdict] += 1
                bad = True
        doubted += bad
    print("%d clusters of 2 or more, %d members besides their firsts; no copy of their first by "
          "this reading: %d (%s), in %d clusters" %
          (len(multi), members, sum(why.values()), dict(why), doubted))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
