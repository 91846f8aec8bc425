#!/usr/bin/env bash
# Produces docs/screenshot.png from the real binary in tmux, in the middle of a
# rotation: checkout, arm `rotate`, refresh; and docs/screenshot.txt, the same
# screen as text, which ScreenshotTests (Tests/EndToEndTests) compares with what
# the same steps show now: change the steps in both places. Needs tmux, python3
# with Pillow and fonts-dejavu-core (installed here when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v tmux >/dev/null || apt-get install -y -qq tmux
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || apt-get install -y -qq fonts-dejavu-core
python3 -c 'import PIL' 2>/dev/null || pip install -q pillow

swift build -q --product checkout-sim
binary="$root/.build/debug/checkout-sim"
# The header shows the state directory, and how much of it fits decides its layout: the
# test makes one of the same length (/tmp/checkout-sim-shot. and 10 characters).
state=$(mktemp -d /tmp/checkout-sim-shot.XXXXXXXXXX)
socket="checkout-sim-shot-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
trap 'tmux_ kill-server 2>/dev/null || true; rm -rf "$state"' EXIT

tmux_ new-session -d -s shot -x 120 -y 40 "env -u NO_COLOR '$binary' --state-dir '$state' --seed 7"
wait_for() { for _ in $(seq 100); do tmux_ capture-pane -p -t shot | grep -q "$1" && return 0; sleep 0.1; done; echo "timed out waiting for: $1" >&2; exit 1; }
keys() { tmux_ send-keys -t shot -l "$1"; }

wait_for "No request yet"
keys a; keys a; keys f; keys c
wait_for "stored the key"
keys b; wait_for "Backend rules"; keys r; wait_for "armed rotate"
keys r
wait_for "overwrote the stored key"
tmux_ send-keys -t shot Tab
sleep 0.3
tmux_ capture-pane -e -p -t shot > "$state/capture.txt"
python3 scripts/render_ansi.py "$state/capture.txt" docs/screenshot.png 120 40
# The text of the same capture, without its colours and trailing blanks.
sed -e 's/\x1b\[[0-9;]*m//g' -e 's/[[:space:]]*$//' "$state/capture.txt" > docs/screenshot.txt
echo "wrote docs/screenshot.png and docs/screenshot.txt"
