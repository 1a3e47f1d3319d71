#!/usr/bin/env python3
"""How well an indexing run keeps the cores busy (issue #28).

Runs indexing commands one after the other, each on the same corpus from nothing, and samples
the CPU time of the whole process tree every 50 ms (/proc/PID/stat of every descendant). For
each run it prints the wall time, the CPU seconds (user + sys, the kernel's accounting of the
process, from wait4), CPU milliseconds per article, articles per second, its peak RSS, the
index's bytes on disk, and the **one-core share**: the part of the wall time in which the tree
used less than 1.5 cores (on this 2-core machine: one core or none busy while the other waits).

  bench/cores.py CORPUS [--bin build/bin] [--work DIR] [--shards 1,2,4,8,16] [--jobs N]

Layouts: `one` is `indexer --jobs N` (N = the cores); `N shards` is `indexer --shards N
--jobs J` (one process writing every shard). Markdown table on stdout.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PERIOD = 0.05


def tree_cpu(root):
    """CPU seconds of `root` and its live descendants, from /proc."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append((int(d), fields))
    total, todo = 0.0, [root]
    try:
        with open(f"/proc/{root}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICK
    except OSError:
        pass
    while todo:
        for pid, fields in children.get(todo.pop(), []):
            total += (int(fields[11]) + int(fields[12])) / TICK
            todo.append(pid)
    return total


def measure(cmd):
    """(wall s, the process's rusage, one-core share) of `cmd`."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    last_t, last_cpu, one_core = start, 0.0, 0.0
    while True:
        pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(PERIOD)
        now, cpu = time.monotonic(), tree_cpu(proc.pid)
        # CPU time is counted in ticks (10 ms): windows are long enough to smooth that out.
        if now - last_t >= 0.25:
            if cpu >= last_cpu and (cpu - last_cpu) / (now - last_t) < 1.5:
                one_core += now - last_t
            last_t, last_cpu = now, max(cpu, last_cpu)
    proc.returncode = 0
    wall = time.monotonic() - start
    return wall, usage, one_core / wall


def du(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--bin", default="build/bin")
    ap.add_argument("--work", default="/tmp/newsidx-cores")
    ap.add_argument("--shards", default="1,2,4,8,16", help="1 = one index")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    args = ap.parse_args()
    indexer = str(Path(args.bin).resolve() / "indexer")
    articles = sum(1 for _ in Path(args.corpus).rglob("*.txt"))
    input_bytes = du(args.corpus)
    Path(args.work).mkdir(parents=True, exist_ok=True)
    print(f"corpus: {args.corpus}, {articles:,} files, {input_bytes / 1e6:.1f} MB; "
          f"{os.cpu_count()} cores; --jobs {args.jobs}\n")
    print("| layout | wall s | CPU s | CPU ms/article | vs one | articles/s | one-core share "
          "| peak RSS MB | index MB | index/input |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = None
    for n in [int(x) for x in args.shards.split(",")]:
        db = Path(args.work) / f"db-{n}"
        shutil.rmtree(db, ignore_errors=True)
        cmd = [indexer, "--quiet", "--jobs", str(args.jobs), "--db", str(db), args.corpus]
        if n > 1:
            cmd[1:1] = ["--shards", str(n)]
        wall, usage, share = measure(cmd)
        cpu = usage.ru_utime + usage.ru_stime
        per = cpu * 1000 / articles
        base = base or per
        size = du(db)
        label = "one index" if n == 1 else f"{n} shards"
        print(f"| {label} | {wall:.1f} | {cpu:.1f} | {per:.2f} | {per / base:.2f}× "
              f"| {articles / wall:,.0f} | {share * 100:.1f}% | {usage.ru_maxrss / 1024:.0f} "
              f"| {size / 1e6:.1f} | {size / input_bytes:.2f}× |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
