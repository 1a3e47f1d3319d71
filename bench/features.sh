#!/usr/bin/env bash
# Median query latency of each news feature against the same queries without it, in one
# process per setting (searcher --batch, which reports each query's time in its JSON):
#   bench/features.sh INDEX [QUERIES]   (a query a line, # comments; default bench/queries.txt)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${NEWSIDX_BIN:-$here/../build/bin}"
db="$1"
queries="$(mktemp)"
trap 'rm -f "$queries"' EXIT
grep -v '^#' "${2:-$here/queries.txt}" | grep . | awk '{printf "q%d\t%s\n", NR, $0}' > "$queries"
median() { python3 -c 'import json,sys,statistics
ms=[json.loads(l)["elapsed_ms"] for l in sys.stdin if l.strip()]
print(f"{statistics.median(ms):.2f}")'; }
base=$("$bin/searcher" --db "$db" --batch "$queries" --json | median)
printf "%-28s %8s %6s\n" "setting" "median" "ratio"
printf "%-28s %8s %6s\n" "plain" "$base" "1.00"
for setting in "--collapse" "--recency 30" "--facet site" "--facet site --facet year" \
               "--timeline month" "--collapse --timeline month"; do
  # shellcheck disable=SC2086
  m=$("$bin/searcher" --db "$db" --batch "$queries" --json $setting | median)
  printf "%-28s %8s %6s\n" "$setting" "$m" "$(python3 -c "print(f'{$m/$base:.2f}')")"
done
