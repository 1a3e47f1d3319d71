#!/usr/bin/env bash
# Builds the Debian package of newsidx: a Release build installed under /usr, packed by CPack's
# DEB generator, its Depends worked out by dpkg-shlibdeps from the binaries' libraries.
#   scripts/package.sh            -> build-release/newsidx_VERSION_ARCH.deb
# ICU is linked as Debian's shared library here (libicu72, about 10 MB of data once), not
# statically as in a build from source (30 MB of ICU data in each of the three programs).
# Then: sudo apt install ./build-release/newsidx_*.deb   (and: sudo apt remove newsidx)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dpkg-shlibdeps > /dev/null || {
  echo "package.sh: dpkg-shlibdeps is missing: sudo apt-get install dpkg-dev" >&2
  exit 2
}
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DBUILD_TESTING=OFF -DNEWSIDX_BUILD_BENCH=OFF -DNEWSIDX_WARNINGS_AS_ERRORS=OFF \
  -DNEWSIDX_STATIC_ICU=OFF > /dev/null
cmake --build build-release -j "$(nproc)"
(cd build-release && cpack -G DEB > /dev/null)
deb=$(ls -t build-release/newsidx_*.deb | head -1)
echo "built $deb ($(du -k "$deb" | cut -f1) KB)"
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends Installed-Size
