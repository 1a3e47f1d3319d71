#!/usr/bin/env bash
# Ranking quality on a test collection: index its documents, run its topics in batch mode
# (1,000 results each, TREC format) and score with ../shared/eval/tools/score.py: MAP,
# nDCG@10, P@10, MRR over all judged topics, and over the odd and the even topics apart
# (tune on one half, report the other).
#
#   bench/eval.sh [COLLECTION_DIR] [-- extra searcher flags]
#   COLLECTION_DIR defaults to ../shared/eval/cacm (docs.tar.gz, topics.tsv, qrels.txt)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
collection="$root/../shared/eval/cacm"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then collection="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
scorer="$(dirname "$collection")/tools/score.py"
for f in "$collection/docs.tar.gz" "$collection/topics.tsv" "$collection/qrels.txt" "$scorer"; do
  [ -f "$f" ] || { echo "eval: missing $f" >&2; exit 2; }
done
if [ ! -x "$root/build/bin/indexer" ] || [ ! -x "$root/build/bin/searcher" ]; then
  (cd "$root" && cmake --preset dev >/dev/null && cmake --build --preset dev --target indexer searcher -j "$(nproc)" >&2)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar xzf "$collection/docs.tar.gz" -C "$work"
"$root/build/bin/indexer" --quiet --db "$work/db" "$work/docs" >&2
"$root/build/bin/searcher" --db "$work/db" --batch "$collection/topics.tsv" --format trec \
  -n 1000 "$@" > "$work/run"

awk '$1 % 2 == 1' "$collection/qrels.txt" > "$work/qrels.odd"
awk '$1 % 2 == 0' "$collection/qrels.txt" > "$work/qrels.even"
echo "searcher flags: ${*:-(defaults)}"
for part in all odd even; do
  qrels="$collection/qrels.txt"
  [ "$part" = all ] || qrels="$work/qrels.$part"
  printf '%-5s ' "$part"
  python3 "$scorer" "$qrels" "$work/run" | awk '{printf "%s %s  ", $1, $3} END {print ""}'
done
