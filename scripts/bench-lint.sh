#!/usr/bin/env bash
# How long `checkout-sim lint` takes on a big journal: `serve --headless` (release
# build) answers N validations from `hey` (8 at a time, no cookies: one legacy
# client), then `lint` judges the state directory, and GET /__admin/lint the same
# journal live. Usage: scripts/bench-lint.sh [N=20000] [BINARY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
count=${1:-20000}
binary=${2:-$(scripts/build-release.sh)}
command -v hey >/dev/null || { echo "needs hey (apt-get install hey)" >&2; exit 2; }
elapsed() { python3 -c "print(round($end - $start, 2))"; }
state=$(mktemp -d)
log=$(mktemp)
"$binary" serve --headless --port 0 --state-dir "$state" > "$log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$state" "$log"' EXIT
for _ in $(seq 300); do grep -q '^listening on' "$log" && break; sleep 0.1; done
base=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$log" | head -1)
hey -n "$count" -c 8 -m POST -T application/json -d '{"items":[{"sku":"MUG","quantity":1}],"payment_method":"CARD"}' \
  "$base/checkout.v1.CheckoutService/ValidateOrderItemsInsert" | grep -E 'Requests/sec' | sed 's/^ */serve: /'
start=$(date +%s.%N); curl -s "$base/__admin/lint" > /dev/null; end=$(date +%s.%N)
echo "GET /__admin/lint, first call: $(elapsed) s"
start=$(date +%s.%N); curl -s "$base/__admin/lint" > /dev/null; end=$(date +%s.%N)
echo "GET /__admin/lint, again (reads only what is new): $(elapsed) s"
entries=$(curl -s "$base/__admin/lint" | python3 -c 'import json, sys; print(json.load(sys.stdin)["journal"])')
start=$(date +%s.%N); "$binary" lint --state-dir "$state" > /dev/null || true; end=$(date +%s.%N)
echo "checkout-sim lint on $entries journal entries ($count validations): $(elapsed) s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
