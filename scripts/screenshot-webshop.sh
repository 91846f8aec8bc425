#!/usr/bin/env bash
# Produces docs/images/webshop.png: the reference web shop in headless Chromium, driven by
# the browser test's lifecycle steps against the real binary (`serve --headless`), taken
# after a rotation. Needs chromium, chromium-driver and the
# test virtual environment (scripts/test-venv.sh). Usage: scripts/screenshot-webshop.sh [BINARY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
binary=${1:-}
if [ -z "$binary" ]; then
  swift build -q --product checkout-sim
  binary="$root/.build/debug/checkout-sim"
fi
venv=$(scripts/test-venv.sh)
log=$(mktemp)
"$binary" serve --headless --port 0 --in-memory --seed 7 > "$log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 300); do grep -q '^listening on' "$log" && break; sleep 0.1; done
base=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$log" | head -1)
[ -n "$base" ] || { echo "serve did not start: $(cat "$log")" >&2; exit 1; }
mkdir -p docs/images
SE_OFFLINE=true "$venv/bin/python" Tests/EndToEndTests/clients/shop_browser_test.py --base "$base" --only lifecycle \
  --screenshot docs/images/webshop.png --screenshot-after rotation
echo "wrote docs/images/webshop.png"
