#!/usr/bin/env bash
# Instructions executed up to the first frame, counted by valgrind's callgrind:
# repeatable on a noisy machine, unlike wall-clock time. Prints checkout-sim's
# count next to `dialog --infobox`'s (which exits once drawn) and leaves the
# profile for callgrind_annotate.
# Usage: scripts/profile-startup.sh [output-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-$(mktemp -d /tmp/profile-startup-XXXXXX)}
mkdir -p "$out"
for tool in tmux valgrind dialog; do
    command -v "$tool" >/dev/null || apt-get install -y -qq "$tool"
done
binary=$(scripts/build-release.sh)
# valgrind 3.19 cannot read this toolchain's DWARF 5; the symbol table is enough.
cp "$binary" "$out/checkout-sim"
strip --strip-debug "$out/checkout-sim"

# Runs $2 in a detached 120x40 tmux pane until it leaves a complete file matching $3.
profile() {
    local socket="profile-$$-$1"
    tmux -L "$socket" -f /dev/null new-session -d -s p -x 120 -y 40 "$2; sleep 30"
    for _ in $(seq 600); do
        # The counts are complete once the totals line is written.
        compgen -G "$3" >/dev/null && grep -qs '^summary:\|^totals:' $3 && break
        sleep 0.05
    done
    sleep 0.5
    tmux -L "$socket" kill-server 2>/dev/null || true
}

# checkout-sim: dump the counts when the first frame has been written (ncurses' refresh returns).
profile app "valgrind --tool=callgrind --dump-after=refresh --callgrind-out-file=$out/app.out \
    $out/checkout-sim --state-dir $out/state 2>$out/app.log" "$out/app.out.1"
profile dialog "valgrind --tool=callgrind --callgrind-out-file=$out/dialog.out \
    dialog --infobox 'checkout-sim startup baseline' 5 40 2>$out/dialog.log" "$out/dialog.out"

count() { grep -m1 '^summary:\|^totals:' "$1" | awk '{print $2}'; }
app=$(count "$out/app.out.1")
dialog=$(count "$out/dialog.out")
printf 'checkout-sim, to the first frame: %s instructions\n' "$(printf "%'d" "$app")"
printf 'dialog --infobox, whole run:      %s instructions\n' "$(printf "%'d" "$dialog")"
echo "profile: callgrind_annotate --inclusive=yes $out/app.out.1 | less"
