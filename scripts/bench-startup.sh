#!/usr/bin/env bash
# Time to first frame in tmux: checkout-sim next to `dialog --infobox` (Debian's
# dialog, a C ncurses program), median of 9 runs each, printed as a ratio.
# Usage: scripts/bench-startup.sh [runs]
# Measures the binary as it is installed (scripts/build-release.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-9}
command -v tmux >/dev/null || apt-get install -y -qq tmux
command -v dialog >/dev/null || apt-get install -y -qq dialog
binary=$(scripts/build-release.sh)

python3 - "$binary" "$runs" <<'PY'
import os, statistics, subprocess, sys, tempfile, time, uuid

binary, runs = sys.argv[1], int(sys.argv[2])
os.environ.pop("NO_COLOR", None)  # both in colour, and no extra `env` process for one of them

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

state = tempfile.mkdtemp(prefix="bench-startup-")
app_samples, dialog_samples = [], []
# Alternate the two so that a change in the machine's load affects both alike.
for i in range(runs):
    app_samples.append(first_frame(f"{binary} --state-dir {state}/run{i}; sleep 30", "quit"))
    dialog_samples.append(first_frame("dialog --infobox 'checkout-sim startup baseline' 5 40; sleep 30", "startup baseline"))
app, dialog = statistics.median(app_samples), statistics.median(dialog_samples)
print(f"machine: {os.cpu_count()} cores, {os.uname().machine}, {os.uname().release}")
print(f"checkout-sim first frame: median {app*1000:.1f} ms over {runs} runs")
print(f"dialog --infobox first frame: median {dialog*1000:.1f} ms over {runs} runs")
print(f"ratio: {app/dialog:.2f}x (target <= 1.2x)")
PY
