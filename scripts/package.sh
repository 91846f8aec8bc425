#!/usr/bin/env bash
# Builds the release of checkout-sim for people without a Swift toolchain, in dist/:
#   checkout-sim_<version>_<arch>.deb   /usr/bin/checkout-sim (stripped), the man page, completions
#   checkout-sim-<version>-linux-<arch>.tar.gz   the same files under checkout-sim-<version>/
# The binary is the installed one (scripts/build-release.sh); the version is what
# `checkout-sim --version` prints (set in Sources/checkout-sim/Version.swift, nowhere else);
# the man page is generated from the ArgumentParser commands (swift-argument-parser's
# generate-manual tool), the completions by the binary itself. Prints the paths it wrote.
# Usage: scripts/package.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# The installed binary: the one scripts/test.sh just built, or built now.
binary=${CHECKOUT_SIM_RELEASE_BINARY:-$(scripts/build-release.sh)}
version=$("$binary" --version)
arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
dist="$root/dist"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# The man page, from the commands' own help: swift-argument-parser's generate-manual (the tool
# its plugin runs) reads the installed binary's --experimental-dump-help. It is built in a
# folder of its own, unoptimised (half the compiling of a release build of it): the plugin
# would build every product in debug first, and a build of it in .build would make the next
# build there plan everything anew.
swift build -q --scratch-path "$root/.build-manual" --product generate-manual >&2
mkdir -p "$stage/manual"
"$root/.build-manual/debug/generate-manual" "$binary" --output-directory "$stage/manual" >&2
manual="$stage/manual/checkout-sim.1"
[ -f "$manual" ] || { echo "package: the man page was not generated" >&2; exit 1; }

tree="$stage/root"
install -D -m 0755 "$binary" "$tree/usr/bin/checkout-sim"
strip --strip-all "$tree/usr/bin/checkout-sim"
install -D -m 0644 "$manual" "$tree/usr/share/man/man1/checkout-sim.1"
gzip -9 -n "$tree/usr/share/man/man1/checkout-sim.1"
mkdir -p "$tree/usr/share/bash-completion/completions" "$tree/usr/share/zsh/vendor-completions" "$tree/usr/share/fish/vendor_completions.d"
"$binary" --generate-completion-script bash > "$tree/usr/share/bash-completion/completions/checkout-sim"
"$binary" --generate-completion-script zsh > "$tree/usr/share/zsh/vendor-completions/_checkout-sim"
"$binary" --generate-completion-script fish > "$tree/usr/share/fish/vendor_completions.d/checkout-sim.fish"
install -D -m 0644 README.md "$tree/usr/share/doc/checkout-sim/README.md"

# The glibc the binary needs at least: the newest GLIBC_ symbol version it references.
glibc=$(objdump -T "$tree/usr/bin/checkout-sim" | grep -o 'GLIBC_[0-9.]*' | sort -t. -k2,2n -k3,3n -u | tail -1 | cut -d_ -f2)
libs=$(objdump -p "$tree/usr/bin/checkout-sim" | awk '/NEEDED/ {print $2}' | tr '\n' ' ')

mkdir -p "$tree/DEBIAN" "$dist"
cat > "$tree/DEBIAN/control" <<CONTROL
Package: checkout-sim
Version: $version
Architecture: $arch
Maintainer: checkout-sim <dev@checkout-sim.invalid>
Depends: libc6 (>= $glibc)
Section: devel
Priority: optional
Description: terminal checkout simulator for server-generated idempotency keys
 Explore by hand and in CI how a web checkout handles server-generated
 idempotency keys: a TUI, a headless scenario runner with JUnit, JSON and HTML
 reports, sequence diagrams, and a mock backend over HTTP (Connect, gRPC-Web)
 with a wire lint for your own front end.
CONTROL
deb="$dist/checkout-sim_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz -z6 --build "$tree" "$deb" >&2

name="checkout-sim-$version"
mkdir -p "$stage/$name"
cp -a "$tree/usr/." "$stage/$name/"
tarball="$dist/$name-linux-$arch.tar.gz"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$tarball" "$name"

echo "checkout-sim $version for $arch: glibc $glibc or newer; links $libs" >&2
echo "$deb"
echo "$tarball"
