#!/usr/bin/env bash
# Builds the same index of CORPUS_DIR with newsidx, Xapian's scriptindex and SQLite FTS5, runs
# the same queries against each (145 drawn from the corpus's titles, or --queries FILE, e.g.
# bench/queries.txt), and prints one table (articles/s, MB/s, peak RSS, index size, query
# median/p95, and each tool's rate relative to newsidx) and the query and start-up ratios.
# How: each query is one process, as a user runs it (`searcher -n 10 Q` with snippets, `sqlite3
# DB "SELECT ... snippet() ... MATCH ... ORDER BY bm25 LIMIT 10"`), wall time from Python; the
# newsidx and FTS5 processes take turns query by query in one run (interleaved), so that the
# machine's noise falls on both alike. Start-up: the CPU time (user + sys) of `searcher --help`
# and `sqlite3 -version`, turn about, median of 30.
#
#   bench/compare.sh CORPUS_DIR [--work DIR] [--repeats N] [--queries FILE | --sample N --seed S]
#                    [--baseline-bin OLD/bin]   (an earlier build: its query latency, turn about)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: bench/compare.sh CORPUS_DIR [--work DIR] [--repeats N] [--queries FILE] [--baseline-bin DIR]" >&2
  exit 2
fi
corpus="$(cd "$1" && pwd)"
shift

need=()
command -v scriptindex >/dev/null || need+=(xapian-omega)
command -v quest >/dev/null || need+=(xapian-tools)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "compare: installing the peers' packages: ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

if [ ! -x "$root/build/bin/indexer" ] || [ ! -x "$root/build/bin/searcher" ]; then
  echo "compare: building newsidx (cmake --preset dev) ..." >&2
  (cd "$root" && cmake --preset dev >/dev/null && cmake --build --preset dev --target indexer searcher -j "$(nproc)" >&2)
fi

exec python3 "$here/compare.py" "$corpus" --bin "$root/build/bin" "$@"
