#!/usr/bin/env python3
"""What --share and --compare cost: each search with and without, same binary and index, turn about.

  python3 bench/attention.py --bin build/bin/searcher --db /tmp/all.db [--runs 9]

Prints Markdown tables of the median elapsed_ms (the searcher's own time in its JSON, which
leaves out the process start) per query, over the combined corpora's index (issue #29).
"""
import argparse
import json
import statistics
import subprocess

CASES = [
    ("oil", ["--timeline", "month", "--facet", "site"]),
    ("film", ["--timeline", "year"]),
    ("السعودية", ["--timeline", "day", "--since", "2015"]),
    ("السعودية", ["--collapse", "--timeline", "day", "--since", "2015"]),
    ("النفط", ["--collapse", "--timeline", "day", "--facet", "site"]),
]


# A query, and the queries compared with it on one month timeline.
COMPARED = [
    ("oil", ["gold", "wheat"]),
    ("oil", ["gold", "wheat", "\"crude oil\"", "coffee"]),
    ("النفط", ["اليمن", "الحج", "السعودية", "إيران"]),
]


def elapsed(binary, db, query, flags):
    out = subprocess.run([binary, "--db", db, "--json", "-n", "10", *flags, query],
                         capture_output=True, text=True, check=True).stdout
    answer = json.loads(out)
    return answer["elapsed_ms"], answer.get("articles", answer["total_estimate"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the searcher")
    parser.add_argument("--db", required=True, help="the index")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print("| query | flags | matching articles | without | with --share | ratio |")
    print("|---|---|---:|---:|---:|---:|")
    for query, flags in CASES:
        times = {False: [], True: []}
        matches = 0
        for _ in range(args.runs):
            for share in (False, True):  # turn about, so that a noisy moment hits both
                ms, matches = elapsed(args.bin, args.db, query, flags + (["--share"] if share else []))
                times[share].append(ms)
        without, with_share = statistics.median(times[False]), statistics.median(times[True])
        print(f"| {query} | `{' '.join(flags)}` | {matches:,} | {without:.1f} ms | "
              f"{with_share:.1f} ms | {with_share / without:.2f} |")
    print()
    print("| query | compared with | alone | compared | ratio |")
    print("|---|---|---:|---:|---:|")
    for query, others in COMPARED:
        flags = ["--timeline", "month"]
        compare = [arg for other in others for arg in ("--compare", other)]
        alone, together = [], []
        for _ in range(args.runs):
            alone.append(elapsed(args.bin, args.db, query, flags)[0])
            together.append(elapsed(args.bin, args.db, query, flags + compare)[0])
        a, b = statistics.median(alone), statistics.median(together)
        print(f"| {query} | {', '.join(others)} | {a:.1f} ms | {b:.1f} ms | {b / a:.2f} |")


if __name__ == "__main__":
    main()
