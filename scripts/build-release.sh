#!/usr/bin/env bash
# Builds the binary as it is meant to be installed, and prints its path. It is
# made to start fast; the first frame is measured by scripts/bench-startup.sh
# and counted by scripts/profile-startup.sh.
# - The Swift runtime linked statically (`--static-swift-stdlib`), which starts
#   several times faster than loading the shared Foundation and ICU libraries.
# - The C and C++ libraries linked statically as well (libstdc++, libgcc, SQLite,
#   ncurses, zlib; glibc stays shared, and is all the binary links): the loader would otherwise resolve about
#   4,000 symbols in them at every start. The linker finds the static archives
#   first because .build/static-libs, the first library folder it searches,
#   holds only those.
# - A fixed-address executable (`-no-pie`), which spares the loader about
#   90,000 relocations and the copy-on-write of the pages they touch.
# - No exported symbols (`--no-export-dynamic`, overriding the static runtime's
#   `-export-dynamic`): the runtime's start-up `dladdr` would otherwise walk
#   some 36,000 of them.
# Usage: scripts/build-release.sh   (then copy the printed file onto your PATH)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

static="$root/.build/static-libs"
mkdir -p "$static"
archive() {
    local path
    path=$(gcc -print-file-name="$1")
    [ -f "$path" ] || { echo "build-release: $1 not found (install $2)" >&2; exit 1; }
    echo "$path"
}
ln -sf "$(archive libstdc++.a g++)" "$static/libstdc++.a"
ln -sf "$(archive libsqlite3.a libsqlite3-dev)" "$static/libsqlite3.a"
ln -sf "$(archive libz.a zlib1g-dev)" "$static/libz.a"
# Static ncurses comes in two archives; a linker script names both, as a group,
# since the module map links only libncursesw.
rm -f "$static/libncursesw.a"
echo "GROUP ( $(archive libncursesw.a libncurses-dev) $(archive libtinfo.a libncurses-dev) )" >"$static/libncursesw.a"

# Our own modules are compiled afresh whenever a source changed since the last binary:
# with the release build's cross-module optimisation, an incremental build can keep a
# dependent module that inlined a class's old size (a private stored property added is
# enough), and the binary then corrupts the heap. The packages we depend on stay built.
binary="$root/.build/release/checkout-sim"
if [ -f "$binary" ] && [ -n "$(find Sources Package.swift -newer "$binary" -print -quit)" ]; then
    objects="$root/.build/$(uname -m)-unknown-linux-gnu/release"
    for target in Sources/*/; do
        target=$(basename "$target")
        rm -rf "$objects/${target//-/_}.build"
    done
    # The cached build plan would go on without the files planning writes in those folders
    # (an output file map per module), and the build would fail: it is made again.
    rm -f "$objects/description.json"
fi

# (The toolchain's static Foundation makes the linker warn about mktemp; that is not ours.)
swift build -c release -q --static-swift-stdlib \
    -Xlinker -no-pie -Xlinker --no-export-dynamic -Xlinker "-L$static" \
    -Xswiftc -Xclang-linker -Xswiftc -static-libgcc \
    --product checkout-sim 2>&1 \
    | { grep -v "the use of \`mktemp' is dangerous" || true; } >&2
if ldd "$binary" | grep -Eq 'libstdc\+\+|libgcc_s|libsqlite3|libncurses|libtinfo|libz\.'; then
    echo "build-release: a C library was linked shared:" >&2
    ldd "$binary" >&2
    exit 1
fi
echo "$binary"
