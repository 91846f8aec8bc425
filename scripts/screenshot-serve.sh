#!/usr/bin/env bash
# Produces docs/images/serve-tui.png and docs/images/webshop-bug.png at the same moment:
# `checkout-sim serve` with its TUI in tmux, and the reference web shop in headless
# Chromium with ?bug=ignore-rotation talking to it; the TUI's timeline shows the
# shop's requests and its Lint panel the verdict. Needs tmux, chromium,
# chromium-driver, the test virtual environment (scripts/test-venv.sh), python3
# with Pillow and fonts-dejavu-core. Usage: scripts/screenshot-serve.sh [BINARY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v tmux >/dev/null || apt-get install -y -qq tmux
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || apt-get install -y -qq fonts-dejavu-core
python3 -c 'import PIL' 2>/dev/null || pip install -q pillow
binary=${1:-}
if [ -z "$binary" ]; then
  swift build -q --product checkout-sim
  binary="$root/.build/debug/checkout-sim"
fi
venv=$(scripts/test-venv.sh)
state=$(mktemp -d)
socket="checkout-sim-serve-shot-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
trap 'tmux_ kill-server 2>/dev/null || true; rm -rf "$state"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

tmux_ new-session -d -s shot -x 140 -y 44 "env -u NO_COLOR '$binary' serve --port $port --state-dir '$state' --seed 7"
wait_for() { for _ in $(seq 150); do tmux_ capture-pane -p -t shot | grep -q "$1" && return 0; sleep 0.1; done; echo "timed out waiting for: $1" >&2; exit 1; }
wait_for "front end at http://127.0.0.1:$port"
mkdir -p docs/images
SE_OFFLINE=true "$venv/bin/python" Tests/EndToEndTests/clients/shop_browser_test.py --base "http://127.0.0.1:$port" \
  --only ignore-rotation --screenshot docs/images/webshop-bug.png --screenshot-after bug_ignore_rotation
wait_for "rule 2 follow-rotation"
tmux_ capture-pane -e -p -t shot > "$state/capture.txt"
python3 scripts/render_ansi.py "$state/capture.txt" docs/images/serve-tui.png 140 44
echo "wrote docs/images/webshop-bug.png and docs/images/serve-tui.png"
