#!/usr/bin/env bash
# First run on a fresh Debian machine: install dependencies, build, index samples/ and search.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target indexer searcher -j "$(nproc)"

export PATH="$PWD/build/bin:$PATH"
echo
echo "\$ indexer samples/"
indexer samples/
echo
echo "\$ searcher \"security guarantees\""
searcher "security guarantees"
