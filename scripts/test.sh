#!/usr/bin/env bash
# Builds newsidx with warnings as errors and runs every test (unit and end-to-end).
#   scripts/test.sh          the ci preset (RelWithDebInfo, -Werror), in build-ci/
#   scripts/test.sh asan     the same suite under AddressSanitizer + UBSan, in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"

# The search page's tests run in headless Chromium (about 300 MB). Without it (offline, no
# sudo) they are skipped, saying so.
scripts/install-deps.sh --tests ||
  echo "test: could not install Chromium and ChromeDriver; the search page's tests will be skipped" >&2

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
if [ "$preset" = asan ]; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi
ctest --preset "$preset"
