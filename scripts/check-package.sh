#!/usr/bin/env bash
# Checks the release as a user without Swift gets it: the .deb that scripts/package.sh wrote is
# unpacked into a temporary root (dpkg-deb -x), and that binary runs from an empty folder with a
# fresh state directory: --version (the package's version), list, run 04-rotation, serve
# --headless answering one curl; the man page renders with man -l; the tarball holds the same
# files. Prints one line per check and 'N passed, N failed'; exits 1 on a failure.
# Usage: scripts/check-package.sh DEB TARBALL
set -uo pipefail
deb=$(realpath "$1")
tarball=$(realpath "$2")
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0
check() {
    local what=$1
    shift
    if "$@" >"$work/out" 2>&1; then
        passed=$((passed + 1)); echo "PASS $what"
    else
        failed=$((failed + 1)); echo "FAIL $what: $(head -c 600 "$work/out")"
    fi
}

dpkg-deb -x "$deb" "$work/root"
app="$work/root/usr/bin/checkout-sim"
mkdir -p "$work/empty"
cd "$work/empty" || exit 1
export XDG_STATE_HOME="$work/state" HOME="$work/home" LANG=C.UTF-8

version=$(dpkg-deb -f "$deb" Version)
check "--version prints the package's version ($version)" test "$("$app" --version)" = "$version"
check "the binary links only glibc (libc, libm, the loader)" sh -c "objdump -p '$app' | awk '/NEEDED/ {print \$2}' | grep -Evx 'libc\.so\.6|libm\.so\.6|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1' | { ! grep -q .; }"
check "the binary is stripped" sh -c "! file '$app' | grep -q 'not stripped'"
check "list shows the built-in catalog" sh -c "'$app' list | grep -q 04-rotation"
check "run 04-rotation passes" sh -c "'$app' run 04-rotation | tail -1 | grep -qx '1 passed, 0 failed'"

"$app" serve --headless --port 0 --state-dir "$work/serve" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(head -1 "$work/serve.out" | sed -n 's/^listening on //p')
check "serve --headless answers a validation ($url)" sh -c "curl -sS --noproxy '*' -m 10 -H 'Content-Type: application/json' \
    -d '{\"items\":[{\"sku\":\"MUG\",\"quantity\":1}],\"paymentMethod\":\"CARD\"}' '$url/checkout.v1.CheckoutService/ValidateOrderItemsInsert' | grep -q idempotencyKey"
kill -TERM "$server" 2>/dev/null
wait "$server" 2>/dev/null
server=""

check "man -l renders the page" sh -c "MANWIDTH=80 man -l '$work/root/usr/share/man/man1/checkout-sim.1.gz' | grep -q 'Serve the mock backend over HTTP'"
check "bash, zsh and fish completions are installed" test -s "$work/root/usr/share/bash-completion/completions/checkout-sim" \
    -a -s "$work/root/usr/share/zsh/vendor-completions/_checkout-sim" -a -s "$work/root/usr/share/fish/vendor_completions.d/checkout-sim.fish"
mkdir -p "$work/tar"
tar -C "$work/tar" -xzf "$tarball"
check "the tarball holds the same binary" cmp "$app" "$work/tar/checkout-sim-$version/bin/checkout-sim"
size=$(stat -c %s "$deb")
check "the .deb is at most 30 MB ($size bytes)" test "$size" -le 31457280

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
