#!/usr/bin/env bash
# Benchmarks `checkout-sim explore`: states explored per second and peak memory at depths
# 4, 5 and 6 (every action and rule, the standard client), with the release build.
# Usage: scripts/bench-explore.sh [BINARY] [DEPTHS...]   (default: build it; depths 4 5 6)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-}
if [[ -z "$binary" ]]; then
    binary=$("$root/scripts/build-release.sh")
fi
shift || true
depths=("$@")
[[ ${#depths[@]} -eq 0 ]] && depths=(4 5 6)
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
printf '%-6s %12s %12s %12s %10s %9s %s\n' depth states distinct states/s seconds "peak MB" "growth (distinct per depth)"
for depth in "${depths[@]}"; do
    "$binary" explore --depth "$depth" --state-dir "$state" --format json > "$state/out.json"
    python3 - "$state/out.json" "$depth" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
levels = [d["distinct"] for d in s["per_depth"]]
growth = " ".join(f"{b / a:.1f}x" for a, b in zip(levels, levels[1:]) if a)
print(f'{sys.argv[2]:<6} {s["states"]:>12,} {s["distinct_states"]:>12,} {int(s["states_per_second"]):>12,} '
      f'{s["seconds"]:>10.2f} {s["peak_memory_bytes"] / 1048576:>9.0f} {growth}')
PY
done
