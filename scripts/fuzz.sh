#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for SECONDS (default 60),
# starting from the seed corpora in tests/fuzz/corpus/. New inputs go to a scratch copy, so the
# repository is not touched; a crash leaves its input in build-fuzz/crashes/ and fails the run.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      TARGET: article, query (default both)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(article query)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p build-fuzz/crashes
status=0
for t in "${targets[@]}"; do
  work="build-fuzz/corpus-$t"
  mkdir -p "$work"
  echo "fuzz: $t for ${seconds}s"
  if ! build-fuzz/bin/fuzz_"$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/"$t"- \
      "$work" tests/fuzz/corpus/"$t" > "build-fuzz/fuzz-$t.log" 2>&1; then
    status=1
    echo "fuzz: $t FAILED; the input is in build-fuzz/crashes/, the log in build-fuzz/fuzz-$t.log" >&2
    tail -n 40 "build-fuzz/fuzz-$t.log" >&2
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "build-fuzz/fuzz-$t.log" | sed "s/^/fuzz: $t /"
done
exit $status
