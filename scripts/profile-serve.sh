#!/usr/bin/env bash
# Instructions `checkout-sim serve` executes per validation, counted by valgrind's
# callgrind: repeatable on a noisy machine, unlike its rates. serve (the installed
# build, durable state directory, request log to a file) runs under callgrind twice,
# answering 1,000 and then 4,000 retried validations from `hey -c 8`; the difference
# divided by 3,000 is the cost of one validation, without the start-up's. The two
# profiles are left for callgrind_annotate.
# Usage: scripts/profile-serve.sh [output-dir]     (--in-memory in SERVE_ARGS to leave SQLite out)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-$(mktemp -d /tmp/profile-serve-XXXXXX)}
mkdir -p "$out"
for tool in valgrind hey curl; do
    command -v "$tool" >/dev/null || apt-get install -y -qq "$tool"
done
binary=${CHECKOUT_SIM_RELEASE_BINARY:-$(scripts/build-release.sh)}
# valgrind 3.19 cannot read this toolchain's DWARF 5; the symbol table is enough.
cp "$binary" "$out/checkout-sim"
strip --strip-debug "$out/checkout-sim"
path=/checkout.v1.CheckoutService/ValidateOrderItemsInsert

# Profiles serve answering $1 validations (after the one that gets the key); prints the total.
profile() {
    local run="$out/run-$1" url="" pid
    rm -rf "$run"; mkdir -p "$run"
    # shellcheck disable=SC2086
    valgrind --tool=callgrind --callgrind-out-file="$run/callgrind.out" "$out/checkout-sim" serve --headless --port 0 \
        ${SERVE_ARGS:---state-dir "$run/state"} >"$run/serve.log" 2>"$run/valgrind.log" &
    pid=$!
    for _ in $(seq 600); do
        url=$(head -n 1 "$run/serve.log" 2>/dev/null | sed -n 's/^listening on //p')
        [ -n "$url" ] && break
        sleep 0.1
    done
    [ -n "$url" ] || { echo "serve under valgrind did not start: $(cat "$run/valgrind.log")" >&2; exit 1; }
    local key
    key=$(curl -sS --noproxy '*' -H 'Content-Type: application/json' \
        -d '{"items":[{"sku":"BEANS-1KG","quantity":1}],"payment_method":"CARD","email":"qa@example.com"}' "$url$path" \
        | sed -n 's/.*"idempotencyKey":"\([^"]*\)".*/\1/p')
    [ -n "$key" ] || { echo "no key from serve" >&2; exit 1; }
    printf '{"items":[{"sku":"BEANS-1KG","quantity":1}],"payment_method":"CARD","email":"qa@example.com","idempotency_key":"%s"}' "$key" >"$run/retry.json"
    hey -n "$1" -c 8 -m POST -T application/json -D "$run/retry.json" "$url$path" >"$run/hey.txt"
    grep -q "\[200\].*$1 responses" "$run/hey.txt" || { echo "not all $1 validations answered 200: $(cat "$run/hey.txt")" >&2; exit 1; }
    kill -INT "$pid"
    wait "$pid" || true
    grep -m1 '^summary:\|^totals:' "$run/callgrind.out" | awk '{print $2}'
}

small=$(profile 1000)
large=$(profile 4000)
echo "serve ${SERVE_ARGS:-(durable state directory)}: $((small / 1000000)) million instructions for 1,000 validations, $((large / 1000000)) million for 4,000"
echo "per validation: $(((large - small) / 3000)) instructions"
echo "profiles: $out/run-1000/callgrind.out, $out/run-4000/callgrind.out"
