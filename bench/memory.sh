#!/usr/bin/env bash
# Memory in the number of files (docs/scale-out.md, "Memory"; issue #14, item 6): peak RSS
# (GNU time) and articles/s of a first build of a corpus and of the corpus copied K times
# (distinct URLs), then of a run over the copies that changes nothing.
#
#   bench/memory.sh CORPUS_DIR WORK_DIR [COPIES=20] [BIN_DIR=build-ci/bin]
set -euo pipefail
corpus=$(realpath "$1") work=$2 copies=${3:-20} bin=$(realpath "${4:-build-ci/bin}")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
work=$(realpath "$work")
if [[ ! -d $work/corpus ]]; then
    python3 "$here/replicate_corpus.py" "$corpus" "$work/corpus" "$copies"
fi

# Prints: files seconds articles/s peak-RSS-MB of one indexer run.
measure() {
    local db=$1 input=$2 log
    log=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$log.time" "$bin/indexer" -q --db "$db" "$input" > "$log"
    local files secs kb
    files=$(find "$input" -name '*.txt' | wc -l)
    read -r secs kb < "$log.time"
    rm -f "$log" "$log.time"
    echo "$files $secs $(echo "$files / $secs" | bc -l) $(echo "$kb / 1024" | bc -l)"
}

rm -rf "$work/one" "$work/many"
read -r f1 s1 r1 m1 <<< "$(measure "$work/one" "$corpus")"
read -r fk sk rk mk <<< "$(measure "$work/many" "$work/corpus")"
read -r fn sn rn mn <<< "$(measure "$work/many" "$work/corpus")"
printf '| run | files | seconds | articles/s | vs 1× | peak RSS MB |\n|---|---:|---:|---:|---:|---:|\n'
printf '| first build, 1× | %d | %.1f | %.0f | 1.00× | %.1f |\n' "$f1" "$s1" "$r1" "$m1"
printf '| first build, %d× | %d | %.1f | %.0f | %.2f× | %.1f |\n' "$copies" "$fk" "$sk" "$rk" \
    "$(echo "$rk / $r1" | bc -l)" "$mk"
printf '| no change, %d× | %d | %.1f | — | — | %.1f |\n' "$copies" "$fn" "$sn" "$mn"
