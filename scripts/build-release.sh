#!/usr/bin/env bash
# Builds the binary as it is meant to be installed, and prints its path:
# - the Swift runtime linked statically (`--static-swift-stdlib`), which starts
#   several times faster than loading the shared Foundation and ICU libraries;
# - a fixed-address executable (`-no-pie`), which spares the loader about
#   90,000 relocations and the copy-on-write of the pages they touch.
# Usage: scripts/build-release.sh   (then copy the printed file onto your PATH)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# (The toolchain's static Foundation makes the linker warn about mktemp; that is not ours.)
swift build -c release -q --static-swift-stdlib -Xlinker -no-pie --product checkout-sim 2>&1 \
    | { grep -v "the use of \`mktemp' is dangerous" || true; } >&2
echo "$root/.build/release/checkout-sim"
