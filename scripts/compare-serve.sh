#!/usr/bin/env bash
# Two builds of `checkout-sim serve` side by side: each round runs the one, then the
# other, under the same wrk load on loopback (a validation retried with its key, as
# scripts/bench-serve.sh sends), each on a fresh durable state directory, and prints
# its rate and its CPU time per request, user and system apart. On a machine whose
# rates move with its neighbours, alternating in the same minutes is what shows a change.
# Usage: scripts/compare-serve.sh OLD-BINARY NEW-BINARY [rounds, default 3]
#   SERVE_ARGS="--in-memory": without SQLite; COMPARE_SECONDS=N: each run's length (default 10).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OLD-BINARY NEW-BINARY [rounds]" >&2; exit 2; }
old=$1 new=$2 rounds=${3:-3} seconds=${COMPARE_SECONDS:-10}
for binary in "$old" "$new"; do
  [ -x "$binary" ] || { echo "not an executable: $binary" >&2; exit 2; }
done
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }
done
work=$(mktemp -d /tmp/compare-serve.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
path=/checkout.v1.CheckoutService/ValidateOrderItemsInsert

# One run of $2 (named $1): prints its rate and CPU per request.
run() {
  local name=$1 binary=$2 url="" state="$work/state-$1"
  rm -rf "$state"
  # shellcheck disable=SC2086
  "$binary" serve --headless --port 0 ${SERVE_ARGS:---state-dir "$state"} >"$work/$name.out" 2>"$work/$name.err" &
  pid=$!
  for _ in $(seq 100); do
    url=$(head -n 1 "$work/$name.out" | sed -n 's/^listening on //p')
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "$name did not start: $(cat "$work/$name.err")" >&2; exit 1; }
  local body='{"items":[{"sku":"BEANS-1KG","quantity":1}],"payment_method":"CARD","email":"qa@example.com"}' key
  key=$(curl -sS --noproxy '*' -H 'Content-Type: application/json' -d "$body" "$url$path" | sed -n 's/.*"idempotencyKey":"\([^"]*\)".*/\1/p')
  [ -n "$key" ] || { echo "no key from $name" >&2; exit 1; }
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' \
    "'{\"items\":[{\"sku\":\"BEANS-1KG\",\"quantity\":1}],\"payment_method\":\"CARD\",\"email\":\"qa@example.com\",\"idempotency_key\":\"$key\"}'" \
    >"$work/post.lua"
  wrk -t2 -c32 -d2s -s "$work/post.lua" "$url$path" >/dev/null
  local before after
  before=$(awk '{ print $14, $15 }' "/proc/$pid/stat")
  wrk -t2 -c32 -d"${seconds}s" -s "$work/post.lua" "$url$path" >"$work/wrk.txt"
  after=$(awk '{ print $14, $15 }' "/proc/$pid/stat")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  local count rate errors
  count=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.txt")
  rate=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.txt")
  errors=$(grep -c "Non-2xx" "$work/wrk.txt" || true)
  echo "$before $after" | awk -v name="$name" -v n="$count" -v rate="$rate" -v t="$(getconf CLK_TCK)" -v e="$errors" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    '{ printf "%-4s %9.0f req/s  user %4.0f µs  system %3.0f µs  per request%s  (load %s)\n",
       name, rate, ($3 - $1) / t * 1e6 / n, ($4 - $2) / t * 1e6 / n, (e > 0 ? "  NON-2XX REPLIES" : ""), load }'
}

echo "old: $old"
echo "new: $new"
for round in $(seq "$rounds"); do
  echo "round $round"
  run old "$old"
  run new "$new"
done
