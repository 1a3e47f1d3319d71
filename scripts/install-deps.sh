#!/usr/bin/env bash
# Installs what newsidx needs to build and test, from Debian's (bookworm) packages.
#   scripts/install-deps.sh           what building and the quickstart need
#   scripts/install-deps.sh --tests   also headless Chromium and its driver (~300 MB), for the
#                                     tests of the search page (scripts/test.sh asks for them)
set -euo pipefail

packages=(
  cmake g++ make pkg-config ca-certificates python3
  libxapian-dev xapian-tools        # index, query, snippets; xapian-check/compact for tests
  libicu-dev                        # normalisation, case folding, charset detection
  libcli11-dev                      # command-line flags
  nlohmann-json3-dev                # --json output, the HTTP server's answers
  libcpp-httplib-dev                # searcher --serve (HTTP), alert webhooks
  libssl-dev                        # alert webhooks' HMAC-SHA256 signatures (httplib needs it too)
  libxxhash-dev                     # content hashes for incremental runs
  libgtest-dev libgmock-dev         # tests
  libbenchmark-dev                  # bench/
  clang libclang-rt-14-dev          # libFuzzer targets (scripts/fuzz.sh)
)

if [ "${1:-}" = "--tests" ]; then
  packages+=(chromium chromium-driver)  # the search page's tests (tests/e2e/page_test.cpp)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
