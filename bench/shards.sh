#!/usr/bin/env bash
# Scale-out figures (docs/scale-out.md): on a corpus copied K times (distinct URLs),
#  1. indexing throughput: one indexer process (--jobs 2) against two shard processes run side
#     by side (--shard 1/2 and 2/2, --jobs 1 each), wall-clock articles/s;
#  2. query latency (bench/latency.py, in-process, top 10 with snippets): one index, four local
#     shards (indexer --shards 4) and the same four served by xapian-tcpsrv on 127.0.0.1.
#
#   bench/shards.sh CORPUS_DIR WORK_DIR [COPIES=4] [BIN_DIR=build-ci/bin]
set -euo pipefail
corpus=$1 work=$2 copies=${3:-4} bin=$(realpath "${4:-build-ci/bin}")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
work=$(realpath "$work")
if [[ ! -d $work/corpus ]]; then
    python3 "$here/replicate_corpus.py" "$corpus" "$work/corpus" "$copies"
fi
articles=$(find "$work/corpus" -name '*.txt' | wc -l)
echo "corpus: $articles article files ($copies copies of $corpus)"

seconds() { # the wall-clock seconds of a command (its output dropped)
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

rm -rf "$work/one" "$work/half-1" "$work/half-2" "$work/set4"
one=$(seconds "$bin/indexer" -q --jobs 2 --db "$work/one" "$work/corpus")
two=$(seconds bash -c "'$bin/indexer' -q --jobs 1 --shard 1/2 --db '$work/half-1' '$work/corpus' &
                       '$bin/indexer' -q --jobs 1 --shard 2/2 --db '$work/half-2' '$work/corpus' &
                       wait")
printf '| processes | seconds | articles/s | vs one |\n|---|---:|---:|---:|\n'
printf '| 1 (--jobs 2) | %.1f | %.0f | 1.00× |\n' "$one" "$(echo "$articles / $one" | bc -l)"
printf '| 2 shards side by side (--jobs 1 each) | %.1f | %.0f | %.2f× |\n' "$two" \
    "$(echo "$articles / $two" | bc -l)" "$(echo "$one / $two" | bc -l)"

"$bin/indexer" -q --shards 4 --db "$work/set4" "$work/corpus" > /dev/null
# Queries: the benchmark's own, and the first words of 300 titles of the corpus.
python3 - "$work/corpus" "$here/queries.txt" > "$work/queries.txt" <<'PY'
import random, sys
from pathlib import Path
random.seed(14)
print("".join(l for l in open(sys.argv[2], encoding="utf-8") if l.strip() and not l.startswith("#")), end="")
files = sorted(Path(sys.argv[1]).rglob("*.txt"))
for f in random.sample(files, 300):
    words = f.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0].split()
    if words: print(" ".join(words[:random.randint(2, 4)]))
PY
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap stop EXIT
: > "$work/remote.stub"
for k in 1 2 3 4; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$work/set4/$k" > /dev/null 2>&1 &
    pids+=($!)
    echo "remote :127.0.0.1:$port" >> "$work/remote.stub"
done
sleep 2
python3 "$here/latency.py" --queries "$work/queries.txt" --rounds 3 \
    "one index=$bin@$work/one" "4 local shards=$bin@$work/set4" \
    "4 remote shards (loopback)=$bin@$work/remote.stub"
