#!/usr/bin/env python3
"""Queries per second and p50/p99 latency of `searcher --serve` at 1, 8 and 32 concurrent
clients (wrk, keep-alive connections), beside the process-per-query CLI (`searcher --json`,
one process a query, CLIENTS at a time) and, for reference, SQLite FTS5 called in-process
(Python's sqlite3, a connection per client thread, bm25() and snippet()). Then the server
again while `indexer --watch` absorbs a steady stream of new articles into the index it
serves; every phase counts its failed requests.

  serve.py CORPUS [--bin build-ci/bin] [--work /tmp/newsidx-serve] [--seconds 10]
           [--clients 1,8,32] [--queries bench/queries.txt] [--stream 10]

CORPUS is a folder of article files (the combined corpus: bbc-news-zitros, reuters21578 and
saudinewsnet-ar from ../shared/corpora, extracted side by side). The work folder keeps the
indexes between runs. Needs wrk (apt-get install wrk).
"""
import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent


def read_queries(path):
    return [l.strip() for l in open(path, encoding="utf-8") if l.strip() and not l.startswith("#")]


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def start_server(bin_dir, db, nice=None):
    args = [f"{bin_dir}/searcher", "--db", db, "--serve", "127.0.0.1:0"]
    if nice is not None:
        args += ["--nice", str(nice)]
    log = tempfile.NamedTemporaryFile(prefix="newsidx-serve-", suffix=".log", delete=False)
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(400):
        m = re.search(r"on http://127\.0\.0\.1:(\d+)/", Path(log.name).read_text(errors="replace"))
        if m:
            return proc, int(m.group(1)), log.name
        if proc.poll() is not None:
            sys.exit("the server did not start: " + Path(log.name).read_text(errors="replace"))
        time.sleep(0.05)
    sys.exit("the server did not say its port")


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)$", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(port, paths, clients, seconds):
    """QPS, p50 and p99 (ms), failed requests of wrk at `clients` keep-alive connections."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write("local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
                 "local n = 0\n"
                 "request = function()\n"
                 "  n = n + 1\n"
                 "  return wrk.format('GET', paths[(n % #paths) + 1])\n"
                 "end\n")
    script.close()
    threads = min(clients, 2)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s",
                          "--timeout", "10s", "--latency", "-s", script.name,
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    qps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    failed = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        failed += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        failed += sum(int(x) for x in m.groups())
    return qps, p50, p99, failed


def closed_loop(clients, seconds, make_worker):
    """Runs `clients` threads, each calling its worker's query function in a loop for
    `seconds`; returns QPS, p50, p99 (ms), failures."""
    latencies, failures = [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(i):
        ask = make_worker(i)
        mine, bad, n = [], 0, i
        while time.monotonic() < deadline:
            t = time.perf_counter()
            ok = ask(n)
            mine.append((time.perf_counter() - t) * 1000)
            bad += 0 if ok else 1
            n += clients
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, percentile(latencies, 50), percentile(latencies, 99), failures[0]


def cli_worker(bin_dir, db, queries):
    def make(_):
        def ask(n):
            r = subprocess.run([f"{bin_dir}/searcher", "--db", db, "--json", "-n", "10",
                                queries[n % len(queries)]], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            return r.returncode in (0, 1)
        return ask
    return make


def fts5_query(q):
    """A newsidx query as FTS5 asks it: a phrase stays a phrase, words are ORed (ranked any
    word, as newsidx ranks them by default)."""
    if q.startswith('"') and q.endswith('"'):
        return q
    words = re.findall(r"\w+", q)
    return " OR ".join(f'"{w}"' for w in words)


def build_fts5(corpus, path):
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    if tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(tmp)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, url UNINDEXED, date UNINDEXED, "
               "tokenize='unicode61 remove_diacritics 2')")
    rows = []
    for f in sorted(Path(corpus).rglob("*")):
        if not f.is_file() or f.suffix.lower() != ".txt":
            continue
        lines = f.read_text(encoding="utf-8", errors="replace").split("\n")
        if len(lines) < 4:
            continue
        rows.append((lines[0], "\n".join(lines[3:]), lines[2], lines[1]))
        if len(rows) >= 5000:
            db.executemany("INSERT INTO docs VALUES (?,?,?,?)", rows)
            rows = []
    db.executemany("INSERT INTO docs VALUES (?,?,?,?)", rows)
    db.commit()
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.commit()
    db.close()
    tmp.rename(path)


def fts5_worker(path, queries):
    sql = ("SELECT url, title, date, snippet(docs, 1, '[', ']', '…', 24) FROM docs "
           "WHERE docs MATCH ? ORDER BY bm25(docs, 2.0, 1.0) LIMIT 10")

    def make(_):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

        def ask(n):
            try:
                db.execute(sql, (fts5_query(queries[n % len(queries)]),)).fetchall()
                return True
            except sqlite3.Error:
                return False
        return ask
    return make


def row(name, clients, result):
    qps, p50, p99, failed = result
    print(f"| {name} | {clients} | {qps:,.0f} | {p50:.2f} | {p99:.2f} | {failed} |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--bin", default=str(HERE.parent / "build-ci/bin"))
    ap.add_argument("--work", default="/tmp/newsidx-serve")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--queries", default=str(HERE / "queries.txt"))
    ap.add_argument("--stream", type=float, default=10, help="articles a second written while --watch runs")
    ap.add_argument("--only-stream", action="store_true", help="only the phase with indexer --watch")
    ap.add_argument("--nice", type=int, default=None, help="searcher --serve --nice N (default: its own)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("serve.py needs wrk: apt-get install wrk")
    corpus = str(Path(args.corpus).resolve())
    bin_dir = str(Path(args.bin).resolve())
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    db = str(work / "newsidx.db")
    queries = read_queries(args.queries)
    clients = [int(c) for c in args.clients.split(",")]
    if not Path(db).exists():
        print(f"indexing {corpus} into {db} ...", file=sys.stderr, flush=True)
        subprocess.run([f"{bin_dir}/indexer", "-q", "--db", db, corpus], check=True)
    fts = work / "fts5.sqlite"
    print(f"building {fts} (if absent) ...", file=sys.stderr, flush=True)
    build_fts5(corpus, fts)
    paths = ["/search?" + urllib.parse.urlencode({"q": q, "limit": 10}) for q in queries]

    print(f"{len(queries)} queries ({args.queries}), top 10 with snippets, {args.seconds} s a cell, "
          f"{os.cpu_count()} cores shared by clients and server\n")
    print("| how | clients | queries/s | p50 ms | p99 ms | failed |")
    print("|---|---:|---:|---:|---:|---:|")
    server, port, log = start_server(bin_dir, db, args.nice)
    try:
        for c in ([] if args.only_stream else clients):
            wrk(port, paths, c, 2)  # warm the workers' handles and the page cache
            row("searcher --serve (HTTP)", c, wrk(port, paths, c, args.seconds))
            row("searcher CLI, a process a query", c, closed_loop(c, args.seconds, cli_worker(bin_dir, db, queries)))
            row("SQLite FTS5 in-process (reference)", c, closed_loop(c, args.seconds, fts5_worker(fts, queries)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()

    # The same server while indexer --watch adds articles to the index it serves.
    live = work / "live.db"
    stream = work / "stream"
    if live.exists():
        shutil.rmtree(live)
    shutil.copytree(db, live)
    if stream.exists():
        shutil.rmtree(stream)
    stream.mkdir()
    watch_log = open(work / "watch.log", "w")
    watcher = subprocess.Popen([f"{bin_dir}/indexer", "--watch", "-q", "--db", str(live), corpus, str(stream)],
                               stdout=watch_log, stderr=subprocess.STDOUT)
    while not (work / "watch.log").read_text().strip():
        if watcher.poll() is not None:
            sys.exit("the watcher ended: " + (work / "watch.log").read_text())
        time.sleep(0.1)
    server, port, log = start_server(bin_dir, str(live), args.nice)
    stop = threading.Event()
    written = [0]
    write_times, seen = [], []  # when each article was written; (time, articles found) polls

    def poll():
        # How many stream articles the server finds, every 100 ms: when each became searchable.
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while not stop.is_set() or (written[0] and (not seen or seen[-1][1] < written[0])
                                    and time.monotonic() - write_times[-1] < 30):
            conn.request("GET", "/search?q=site%3Astream.example.org&limit=1")
            found = json.loads(conn.getresponse().read()).get("total_estimate", 0)
            seen.append((time.monotonic(), found))
            time.sleep(0.1)

    def feed():
        n = 0
        while not stop.is_set():
            text = (f"Stream report {n} on harbour traffic\n2026-12-01\nhttps://stream.example.org/{n}\n"
                    f"The harbour authority published traffic figures for hour {n}, oil tankers included.\n")
            tmp = stream / f".{n}.tmp"
            tmp.write_text(text)
            tmp.rename(stream / f"s{n}.txt")  # whole files only
            write_times.append(time.monotonic())
            n += 1
            written[0] = n
            stop.wait(1 / args.stream)

    feeder = threading.Thread(target=feed)
    feeder.start()
    poller = threading.Thread(target=poll)
    poller.start()
    phases = []  # (clients, start, end)
    try:
        for c in clients:
            started = time.monotonic()
            row(f"--serve while --watch takes {args.stream:g} articles/s", c, wrk(port, paths, c, args.seconds))
            phases.append((c, started, time.monotonic()))
    finally:
        stop.set()
        feeder.join()
        poller.join()
        health = subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/health"], capture_output=True, text=True).stdout
        server.send_signal(signal.SIGTERM)
        server.wait()
        watcher.send_signal(signal.SIGTERM)
        watcher.wait()
    print(f"\nstream: {written[0]} articles written; /health after it settled: {health.strip()}")
    found = json.loads(subprocess.run([f"{bin_dir}/searcher", "--db", str(live), "--json", "-n", "1",
                                       "site:stream.example.org"], capture_output=True, text=True).stdout or "{}")
    print(f"articles of the stream found in the live index: {found.get('total_estimate')} of {written[0]}")
    delays = []
    for i, wrote in enumerate(write_times):
        when = next((t for t, n in seen if n >= i + 1 and t >= wrote), None)
        delays.append(when - wrote if when is not None else float("inf"))
    print("\nfrom a file's rename into the folder to the server finding it (polled every 100 ms):\n")
    print("| clients querying meanwhile | articles | p50 s | p99 s | max s | within 2 s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for c, start, end in phases:
        mine = [d for wrote, d in zip(write_times, delays) if start <= wrote < end]
        if mine:
            print(f"| {c} | {len(mine)} | {percentile(mine, 50):.2f} | {percentile(mine, 99):.2f} | "
                  f"{max(mine):.2f} | {sum(d <= 2 for d in mine)} |")


if __name__ == "__main__":
    main()
