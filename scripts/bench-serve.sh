#!/usr/bin/env bash
# `checkout-sim serve` under load on loopback, next to a bare Hummingbird handler
# that returns a fixed body (Benchmarks/Benchmarks/BareHummingbird), in one run:
# 1. throughput: wrk, POST of a validation that retries with its stored key
#    (proto3 JSON), against each in turn, round after round; the ratio serve / bare
#    of each round and their median (goal >= 0.5);
# 2. latency at a fixed 500 requests/s: hey (Debian) with 10 workers at 50
#    requests/s each, p99 (goal <= 5 ms), against each;
# 3. memory: serve's RSS after every wrk round until one million requests
#    (goal: flat, <= 60 MB).
# Phases 1 and 2 also measure `serve --in-memory` (no SQLite, nothing on disk), for
# reference only: what the durable store costs, and how far the rest of the request
# path alone is from the goals.
# serve runs as installed (scripts/build-release.sh) on a durable SQLite state
# directory, its request log (one line per request) to a file. Only loopback traffic; every phase is
# bounded in time.
# Usage: scripts/bench-serve.sh [total requests for the memory phase, default 1000000]
#   CHECKOUT_SIM_RELEASE_BINARY=path: measure that binary instead of building one;
#   BARE_HUMMINGBIRD_BINARY=path: the same for the bare handler;
#   BENCH_SECONDS=N: the length of each wrk round of the memory phase (default 15);
#   BENCH_ROUNDS=N, BENCH_ROUND_SECONDS=N: the throughput phase's rounds (default 3 of 10 s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
total=${1:-1000000}
threads=2 connections=32 seconds=${BENCH_SECONDS:-15}
rounds=${BENCH_ROUNDS:-3} round_seconds=${BENCH_ROUND_SECONDS:-10}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v hey >/dev/null || need+=(hey)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "building (release): checkout-sim and bare-hummingbird" >&2
serve_binary=${CHECKOUT_SIM_RELEASE_BINARY:-$(scripts/build-release.sh)}
if [ -n "${BARE_HUMMINGBIRD_BINARY:-}" ]; then
  bare_binary=$BARE_HUMMINGBIRD_BINARY
else
  swift build -c release -q --package-path Benchmarks --product bare-hummingbird >&2
  bare_binary="$root/Benchmarks/.build/release/bare-hummingbird"
fi

work=$(mktemp -d /tmp/bench-serve.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server whose first stdout line is `listening on URL`; sets $url and $pid.
start() {
  local log="$work/$1.out"; shift
  "$@" >"$log" 2>"$log.err" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 300); do
    url=$(head -n 1 "$log" | sed -n 's/^listening on //p')
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  echo "no 'listening on' line from $*: $(cat "$log" "$log.err")" >&2
  exit 1
}

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# CPU time (user + system) a process has used, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

start serve "$serve_binary" serve --headless --port 0 --state-dir "$work/state"
serve_url=$url serve_pid=$pid
start memory "$serve_binary" serve --headless --port 0 --in-memory
memory_url=$url memory_pid=$pid
start bare "$bare_binary" 0
bare_url=$url bare_pid=$pid
path=/checkout.v1.CheckoutService/ValidateOrderItemsInsert

# One validation to get a key from a server; the load then retries with it, as a front
# end does. Writes the body to $work/retry-NAME.json and wrk's script to $work/post-NAME.lua.
retry_body() { # name url
  local body='{"items":[{"sku":"BEANS-1KG","quantity":1}],"payment_method":"CARD","email":"qa@example.com"}' key
  key=$(curl -sS --noproxy '*' -H 'Content-Type: application/json' -d "$body" "$2$path" \
    | sed -n 's/.*"idempotencyKey":"\([^"]*\)".*/\1/p')
  [ -n "$key" ] || { echo "no key from $1" >&2; exit 1; }
  printf '{"items":[{"sku":"BEANS-1KG","quantity":1}],"payment_method":"CARD","email":"qa@example.com","idempotency_key":"%s"}' "$key" \
    >"$work/retry-$1.json"
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s%s%s\n' "'" "$(cat "$work/retry-$1.json")" "'" \
    >"$work/post-$1.lua"
}
retry_body serve "$serve_url"
retry_body memory "$memory_url"
# The bare handler answers anything: serve's body.
cp "$work/retry-serve.json" "$work/retry-bare.json"
cp "$work/post-serve.lua" "$work/post-bare.lua"

requests_per_second() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
p99_ms() { sed -n 's/^ *99% in \([0-9.]*\) secs.*/\1/p' "$1" | awk '{ printf "%.2f", $1 * 1000 }'; }

echo "== throughput: wrk -t$threads -c$connections, $rounds rounds of bare, serve and serve --in-memory, ${round_seconds}s each"
# Rounds alternate the three, so that each round's ratio compares runs of the same minute on
# a machine whose speed drifts; the ratio is the median of the rounds'. CPU time per request
# (user + system, from /proc) moves least with the machine.
wrk_round() { # name url seconds: runs wrk, prints "rate cpu-µs-per-request"
  local pid
  case $1 in bare) pid=$bare_pid ;; serve) pid=$serve_pid ;; memory) pid=$memory_pid ;; esac
  local before; before=$(cpu_ticks "$pid")
  wrk -t$threads -c$connections -d"$3"s --latency -s "$work/post-$1.lua" "$2$path" >"$work/wrk-$1.txt"
  local after; after=$(cpu_ticks "$pid")
  local count; count=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk-$1.txt")
  [ -n "$count" ] && [ "$count" -gt 0 ] || { echo "wrk sent nothing to $1: $(cat "$work/wrk-$1.txt")" >&2; exit 1; }
  awk -v a="$before" -v b="$after" -v n="$count" -v t="$(getconf CLK_TCK)" -v r="$(requests_per_second "$work/wrk-$1.txt")" \
    'BEGIN { printf "%s %.0f", r, (b - a) / t * 1e6 / n }'
}
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { printf "%s", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for name in bare serve memory; do
  case $name in bare) base=$bare_url ;; serve) base=$serve_url ;; memory) base=$memory_url ;; esac
  wrk -t$threads -c$connections -d2s -s "$work/post-$name.lua" "$base$path" >/dev/null
done
ratios="" memory_ratios="" bare_cpus="" serve_cpus="" memory_cpus=""
for round in $(seq 1 "$rounds"); do
  read -r bare_rps bare_cpu <<<"$(wrk_round bare "$bare_url" "$round_seconds")"
  read -r serve_rps serve_cpu <<<"$(wrk_round serve "$serve_url" "$round_seconds")"
  read -r memory_rps memory_cpu <<<"$(wrk_round memory "$memory_url" "$round_seconds")"
  ratio=$(awk -v s="$serve_rps" -v b="$bare_rps" 'BEGIN { printf "%.2f", s / b }')
  memory_ratio=$(awk -v s="$memory_rps" -v b="$bare_rps" 'BEGIN { printf "%.2f", s / b }')
  ratios+="$ratio " memory_ratios+="$memory_ratio " bare_cpus+="$bare_cpu " serve_cpus+="$serve_cpu " memory_cpus+="$memory_cpu "
  printf "round %d: bare %s req/s (%s µs CPU), serve %s req/s (%s µs), ratio %s; serve --in-memory %s req/s (%s µs), ratio %s; load average %s\n" \
    "$round" "$bare_rps" "$bare_cpu" "$serve_rps" "$serve_cpu" "$ratio" "$memory_rps" "$memory_cpu" "$memory_ratio" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
grep -E "Non-2xx|Socket errors" "$work/wrk-serve.txt" | sed 's/^/  serve: /' || true
printf "ratio serve / bare, median of %d rounds: %s (goal >= 0.5)\n" "$rounds" "$(median <<<"${ratios% }")"
printf "reference: serve --in-memory / bare, median: %s\n" "$(median <<<"${memory_ratios% }")"
printf "CPU per request, medians: bare %s µs, serve %s µs, serve --in-memory %s µs\n" \
  "$(median <<<"${bare_cpus% }")" "$(median <<<"${serve_cpus% }")" "$(median <<<"${memory_cpus% }")"
echo "== latency at a fixed 500 requests/s for 20 s: hey -c 10 -q 50"
for name in bare serve memory; do
  case $name in bare) base=$bare_url ;; serve) base=$serve_url ;; memory) base=$memory_url ;; esac
  hey -z 20s -c 10 -q 50 -m POST -T application/json -D "$work/retry-$name.json" "$base$path" >"$work/hey-$name.txt"
  codes=$(sed -n '/Status code distribution/,$p' "$work/hey-$name.txt" | grep -o '\[[0-9]*\][[:space:]]*[0-9]* responses' | tr '\t\n' '  ' || true)
  printf "%s: p99 %s ms, %s req/s (%s); load average %s\n" "$name" "$(p99_ms "$work/hey-$name.txt")" \
    "$(sed -n 's/^[[:space:]]*Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p' "$work/hey-$name.txt")" "$codes" "$(cut -d' ' -f1-3 /proc/loadavg)"
done

kill "$memory_pid" 2>/dev/null || true

echo "== serve's RSS and state directory up to $total requests (wrk rounds of ${seconds}s; the journal's limit keeps the disk flat)"
sent=0
disk_mb() { du -sm "$work/state" | cut -f1; }
printf "after %9d requests: %s MB, state directory %s MB\n" 0 "$(rss_mb "$serve_pid")" "$(disk_mb)"
while [ "$sent" -lt "$total" ]; do
  wrk -t$threads -c$connections -d${seconds}s -s "$work/post-serve.lua" "$serve_url$path" >"$work/wrk-round.txt"
  done_now=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk-round.txt")
  [ -n "$done_now" ] && [ "$done_now" -gt 0 ] || { echo "wrk sent nothing: $(cat "$work/wrk-round.txt")" >&2; exit 1; }
  sent=$((sent + done_now))
  printf "after %9d requests: %s MB, state directory %s MB\n" "$sent" "$(rss_mb "$serve_pid")" "$(disk_mb)"
done
printf "database: %s\n" "$(du -sh "$work/state" | cut -f1)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
