#!/usr/bin/env bash
# Time to first frame in tmux: checkout-sim next to `dialog --infobox` (Debian's
# dialog, a C ncurses program), median of 9 runs each, printed as a ratio.
# Usage: scripts/bench-startup.sh [runs]
# Builds the release binary as it is meant to be installed: with the Swift
# runtime linked statically (`--static-swift-stdlib`), which starts several
# times faster than loading the shared Foundation and ICU libraries.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-9}
command -v tmux >/dev/null || apt-get install -y -qq tmux
command -v dialog >/dev/null || apt-get install -y -qq dialog
swift build -c release -q --static-swift-stdlib --product checkout-sim
binary="$root/.build/release/checkout-sim"

python3 - "$binary" "$runs" <<'PY'
import os, statistics, subprocess, sys, tempfile, time, uuid

binary, runs = sys.argv[1], int(sys.argv[2])

def first_frame(command, marker):
    """Seconds from starting `command` in a new tmux pane until `marker` is on screen."""
    socket = "bench-" + uuid.uuid4().hex[:8]
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    subprocess.run(tmux + ["new-session", "-d", "-s", "b", "-x", "120", "-y", "40", "sleep 30"], check=True)
    try:
        start = time.perf_counter()
        subprocess.run(tmux + ["respawn-pane", "-k", "-t", "b", command], check=True)
        while True:
            screen = subprocess.run(tmux + ["capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout
            if marker in screen:
                return time.perf_counter() - start
            if time.perf_counter() - start > 20:
                raise SystemExit(f"no first frame for: {command}")
    finally:
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)

def measure(command_for_run, marker):
    samples = []
    for i in range(runs):
        samples.append(first_frame(command_for_run(i), marker))
    return statistics.median(samples), samples

state = tempfile.mkdtemp(prefix="bench-startup-")
app, app_samples = measure(lambda i: f"env -u NO_COLOR {binary} --state-dir {state}/run{i}; sleep 30", "quit")
dialog, dialog_samples = measure(lambda i: "dialog --infobox 'checkout-sim startup baseline' 5 40; sleep 30", "startup baseline")
print(f"machine: {os.cpu_count()} cores, {os.uname().machine}, {os.uname().release}")
print(f"checkout-sim first frame: median {app*1000:.1f} ms over {runs} runs")
print(f"dialog --infobox first frame: median {dialog*1000:.1f} ms over {runs} runs")
print(f"ratio: {app/dialog:.2f}x (target <= 1.5x)")
PY
