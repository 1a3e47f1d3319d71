#!/usr/bin/env bash
# The package as a user meets it (issue #31): installed with apt from the .deb that
# scripts/package.sh built, run from a folder outside the source tree on a copy of the samples,
# its units verified, then removed, checking that no file of it is left. Needs root (or sudo).
#   scripts/package_check.sh [build-release/newsidx_VERSION_ARCH.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "${1:-$(ls -t build-release/newsidx_*.deb | head -1)}")
sudo=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
echo "package: $deb ($(du -k "$deb" | cut -f1) KB, installed $(dpkg-deb --field "$deb" Installed-Size) KB)"
start=$(date +%s.%N)
$sudo apt-get install -y "$deb" > /dev/null
echo "apt install: $(echo "$(date +%s.%N) - $start" | bc) s"
work=$(mktemp -d)
cp -r samples "$work/"
(
  cd "$work"
  export PATH=/usr/bin:/bin
  unset NEWSIDX_DB
  indexer samples/ | tail -1
  searcher "security guarantees" | head -1
  man -w indexer searcher
  systemd-analyze verify /usr/lib/systemd/system/newsidx-*.service && echo "units verified"
)
files=$(dpkg -L newsidx)
start=$(date +%s.%N)
$sudo apt-get remove -y newsidx > /dev/null
echo "apt remove: $(echo "$(date +%s.%N) - $start" | bc) s"
left=0
for f in $files; do
  if [ -f "$f" ]; then echo "left behind: $f"; left=1; fi
done
rm -rf "$work"
[ "$left" = 0 ] && echo "nothing of the package is left"
exit "$left"
