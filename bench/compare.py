#!/usr/bin/env python3
"""Index one corpus with newsidx, Xapian's scriptindex and SQLite FTS5, run the same queries
against each, and print one table. Called by compare.sh, which installs the tools."""
import argparse
import csv
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

OMEGA_SCRIPT = """\
id : boolean=Q unique=Q
url : field=url hash boolean=U
host : boolean=H
title : field=title index=S weight=3 index
date : field=date date=yyyymmdd value=0
body : field=body index
"""


def read_articles(corpus):
    for path in sorted(Path(corpus).rglob("*.txt")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        if len(lines) < 4:
            continue
        yield path, lines[0].strip(), lines[1].strip(), lines[2].strip(), [l for l in lines[3:] if l.strip()]


def prepare_inputs(corpus, work):
    """Writes the peers' input files (not timed): scriptindex's dump format and a CSV."""
    dump = open(work / "omega.dump", "w", encoding="utf-8")
    rows = open(work / "fts.csv", "w", encoding="utf-8", newline="")
    out = csv.writer(rows)
    count = size = 0
    for path, title, date, url, body in read_articles(corpus):
        count += 1
        size += path.stat().st_size
        # scriptindex's unique= trips over long URLs on a repeat; give it a short id instead.
        dump.write(f"id={hashlib.sha1(url.encode()).hexdigest()}\n")
        dump.write(f"url={url}\nhost={urlparse(url).hostname or ''}\ntitle={title}\ndate={date}\n")
        dump.write("body=" + "\n=".join(body) + "\n\n")
        out.writerow([title, "\n".join(body), url, date])
    dump.close()
    rows.close()
    (work / "omega.script").write_text(OMEGA_SCRIPT)
    (work / "fts.sql").write_text(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, url UNINDEXED, date UNINDEXED,"
        " tokenize='porter unicode61');\n"
        f".import --csv {work / 'fts.csv'} docs\n")
    return count, size


def sample_queries(corpus, count, seed):
    """`count` queries drawn from real titles, as users paste them: one to three consecutive
    title words, a quarter of them as quoted phrases of two or three words. Each corpus of the
    folder (the file name's prefix before the first '-') gives an equal share."""
    rng = random.Random(seed)
    groups = {}
    for path in sorted(Path(corpus).rglob("*.txt")):
        groups.setdefault(path.name.split("-", 1)[0], []).append(path)
    names = sorted(groups)
    queries = []
    while len(queries) < count:
        paths = groups[names[len(queries) % len(names)]]
        with open(rng.choice(paths), encoding="utf-8", errors="replace") as f:
            title = f.readline()
        words = [w for w in re.findall(r"\w+", title.lower()) if len(w) > 2 and not w.isdigit()]
        if not words:
            continue
        size = min(len(words), rng.choice((1, 2, 2, 3)))
        start = rng.randrange(len(words) - size + 1)
        query = " ".join(words[start:start + size])
        if size > 1 and rng.random() < 0.25:
            query = '"' + query + '"'
        if query not in queries:
            queries.append(query)
    return queries


def timed(cmd, stdin=None):
    """Runs cmd under GNU time; returns (seconds, peak RSS in MB)."""
    report = tempfile.NamedTemporaryFile(delete=False)
    report.close()
    with open(stdin) if stdin else open(os.devnull) as inp:
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name] + cmd,
                           stdin=inp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 3):
        sys.exit(f"compare: {' '.join(cmd)} failed ({r.returncode}): {r.stderr[-2000:]}")
    secs, rss_kb = open(report.name).read().split()[-2:]
    os.unlink(report.name)
    return float(secs), int(rss_kb) / 1024


def dir_mb(path):
    p = Path(path)
    files = [p] if p.is_file() else p.rglob("*")
    return sum(f.stat().st_size for f in files if f.is_file()) / 1e6


def fts_match(query):
    """Plain words become an OR query, as newsidx and Xapian rank them; phrases stay."""
    if query.startswith('"'):
        return query
    return " OR ".join('"' + w.replace('"', "") + '"' for w in query.split())


def paired_latencies(cmds_for, queries, repeats):
    """{tool: (median, p95)} with the tools taking turns on each query, so that the machine's
    noise falls on all of them alike."""
    times = {tool: [] for tool in cmds_for}
    for _ in range(repeats):
        for q in queries:
            for tool, cmd_for in cmds_for.items():
                start = time.perf_counter()
                subprocess.run(cmd_for(q), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[tool].append((time.perf_counter() - start) * 1000)
    out = {}
    for tool, t in times.items():
        t.sort()
        out[tool] = (statistics.median(t), t[max(0, int(len(t) * 0.95) - 1)])
    return out


def start_cpu(cmds, rounds):
    """{tool: median CPU ms (user + sys) of one process}, the tools taking turns."""
    cpu = {tool: [] for tool in cmds}
    for _ in range(rounds):
        for tool, cmd in cmds.items():
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(proc.pid, 0)
            cpu[tool].append((usage.ru_utime + usage.ru_stime) * 1000)
    return {tool: statistics.median(t) for tool, t in cpu.items()}


def latencies(cmd_for, queries, repeats):
    return paired_latencies({"": cmd_for}, queries, repeats)[""]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", required=True, help="folder with indexer and searcher")
    ap.add_argument("--queries", help="a file of queries, one a line (default: --sample of the "
                    "corpus's titles)")
    ap.add_argument("--sample", type=int, default=145, help="queries to draw from the titles")
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--work", help="scratch folder (default: a temporary one)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline-bin", help="an earlier build's folder: its searcher's latency "
                    "on an index its own indexer builds, taking turns with this build's")
    args = ap.parse_args()

    work = Path(args.work or tempfile.mkdtemp(prefix="newsidx-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    for name in ("newsidx.db", "newsidx1.db", "baseline.db", "omega.db", "fts.db"):
        shutil.rmtree(work / name, ignore_errors=True) if (work / name).is_dir() else (work / name).unlink(missing_ok=True)
    print(f"compare: preparing peer inputs in {work} ...", file=sys.stderr)
    count, size = prepare_inputs(args.corpus, work)
    if args.queries:
        queries = [l.strip() for l in open(args.queries, encoding="utf-8")
                   if l.strip() and not l.startswith("#")]
    else:
        queries = sample_queries(args.corpus, args.sample, args.seed)
        (work / "queries.txt").write_text("\n".join(queries) + "\n", encoding="utf-8")
    indexer, searcher = f"{args.bin}/indexer", f"{args.bin}/searcher"

    runs = {}
    print("compare: newsidx --jobs 1 ...", file=sys.stderr)
    runs["newsidx --jobs 1"] = timed([indexer, "--quiet", "--jobs", "1", "--db", str(work / "newsidx1.db"), args.corpus])
    shutil.rmtree(work / "newsidx1.db")
    print("compare: newsidx ...", file=sys.stderr)
    runs["newsidx"] = timed([indexer, "--quiet", "--db", str(work / "newsidx.db"), args.corpus])
    print("compare: scriptindex ...", file=sys.stderr)
    runs["scriptindex"] = timed(["scriptindex", "--overwrite", str(work / "omega.db"),
                                 str(work / "omega.script"), str(work / "omega.dump")])
    print("compare: sqlite3 FTS5 ...", file=sys.stderr)
    runs["SQLite FTS5"] = timed(["sqlite3", str(work / "fts.db")], stdin=work / "fts.sql")

    sizes = {"newsidx": dir_mb(work / "newsidx.db"), "scriptindex": dir_mb(work / "omega.db"),
             "SQLite FTS5": dir_mb(work / "fts.db")}
    print("compare: queries ...", file=sys.stderr)
    newsidx_cmds = {"newsidx": lambda q: [searcher, "--db", str(work / "newsidx.db"), "-n", "10", q]}
    if args.baseline_bin:
        print("compare: the baseline's index ...", file=sys.stderr)
        subprocess.run([f"{args.baseline_bin}/indexer", "--quiet", "--db", str(work / "baseline.db"),
                        args.corpus], check=True, stdout=subprocess.DEVNULL)
        newsidx_cmds["newsidx (baseline)"] = lambda q: [f"{args.baseline_bin}/searcher", "--db",
                                                        str(work / "baseline.db"), "-n", "10", q]
    # newsidx and FTS5 take turns on each query (and the baseline, when given), so that the
    # machine's noise falls on both alike; quest runs on its own afterwards.
    fts_cmd = lambda q: ["sqlite3", str(work / "fts.db"),
                         "SELECT url, snippet(docs, 1, '[', ']', '…', 24) FROM docs "
                         "WHERE docs MATCH '" + fts_match(q).replace("'", "''") +
                         "' ORDER BY bm25(docs) LIMIT 10"]
    lat = {
        **paired_latencies({**newsidx_cmds, "SQLite FTS5": fts_cmd}, queries, args.repeats),
        "scriptindex": latencies(lambda q: ["quest", "-d", str(work / "omega.db"), "-m", "10", q],
                                 queries, args.repeats),
    }

    # What a process costs before it does any work: each tool's --help or --version, turn
    # about, as the CPU time (user + sys) the kernel accounts to it, median of 30.
    start = start_cpu({"newsidx": [searcher, "--help"], "SQLite FTS5": ["sqlite3", "-version"]}, 30)

    mb = size / 1e6
    base_rate = count / runs["newsidx"][0]
    print(f"\nCorpus: {args.corpus} — {count:,} articles, {mb:.1f} MB; {os.cpu_count()} cores; "
          f"{len(queries)} queries × {args.repeats}, top 10 (newsidx and FTS5 with snippets, "
          f"quest without)\n")
    print("| tool | articles/s | MB/s | peak RSS MB | index MB | index/input | query median ms | query p95 ms | articles/s vs newsidx |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tool in ("newsidx", "newsidx --jobs 1", "scriptindex", "SQLite FTS5"):
        secs, rss = runs[tool]
        rate = count / secs
        size_mb = sizes.get(tool)
        med, p95 = lat.get(tool, (None, None))
        cells = [tool, f"{rate:,.0f}", f"{mb / secs:.2f}", f"{rss:.0f}",
                 f"{size_mb:.1f}" if size_mb else "—", f"{size_mb / mb:.2f}×" if size_mb else "—",
                 f"{med:.1f}" if med else "—", f"{p95:.1f}" if p95 else "—",
                 f"{rate / base_rate:.2f}×"]
        print("| " + " | ".join(cells) + " |")
    nm, np95 = lat["newsidx"]
    fm, fp95 = lat["SQLite FTS5"]
    print(f"\nQueries through the CLI, newsidx vs SQLite FTS5: median {nm / fm:.2f}×, "
          f"p95 {np95 / fp95:.2f}× (interleaved); start (`searcher --help` vs `sqlite3 -version`, "
          f"median CPU of 30): {start['newsidx']:.2f} vs {start['SQLite FTS5']:.2f} ms, "
          f"{start['newsidx'] / start['SQLite FTS5']:.2f}×")
    if args.baseline_bin:
        bm, bp95 = lat["newsidx (baseline)"]
        print(f"Queries, this build vs the baseline ({args.baseline_bin}), turn about: median "
              f"{nm:.1f} vs {bm:.1f} ms ({nm / bm:.2f}×), p95 {np95:.1f} vs {bp95:.1f} ms "
              f"({np95 / bp95:.2f}×); the baseline vs SQLite FTS5: median {bm / fm:.2f}×, "
              f"p95 {bp95 / fp95:.2f}×")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
