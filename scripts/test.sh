#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this):
# 1. installs what a fresh machine lacks (Debian packages), and the third-party
#    clients the serve tests use in .build-venv/ (scripts/test-venv.sh);
# 2. builds the binary as it is installed (scripts/build-release.sh), packages it
#    (scripts/package.sh: the .deb and the tarball in dist/) and checks the package from
#    a temporary root (scripts/check-package.sh);
# 3. runs `swift test`: the end-to-end tests of signals, hostile state and locked
#    databases run against the debug build and against that release build.
# Usage: scripts/test.sh [swift test arguments, e.g. --filter HostileState]
#        scripts/test.sh --quick   every test but the end-to-end and browser ones, on the
#                                  debug build only (no release build, no package): while you work
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--quick" ]; then
  shift
  exec swift test --skip EndToEndTests "$@"
fi

need=()
[ -f /usr/include/ncursesw/curses.h ] || [ -f /usr/include/ncurses.h ] || need+=(libncurses-dev)
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
# the installed binary links zlib and libstdc++ statically (scripts/build-release.sh).
[ -f "$(gcc -print-file-name=libz.a)" ] || need+=(zlib1g-dev)
[ -f "$(gcc -print-file-name=libstdc++.a)" ] || need+=(g++)
command -v tmux >/dev/null || need+=(tmux)
command -v python3 >/dev/null || need+=(python3)
command -v rsvg-convert >/dev/null || need+=(librsvg2-bin)
# serve's end-to-end tests: curl, a Python venv for buf and the Connect client; wrk and hey for scripts/bench-serve.sh.
command -v curl >/dev/null || need+=(curl)
command -v wrk >/dev/null || need+=(wrk)
command -v hey >/dev/null || need+=(hey)
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
# the reference web shop's browser test: headless Chromium driven by Selenium (in the venv).
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
# the release package's check (scripts/check-package.sh): man -l, file.
command -v man >/dev/null || need+=(man-db)
command -v file >/dev/null || need+=(file)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "the serve tests' clients: $(scripts/test-venv.sh)"

echo "building the release binary (scripts/build-release.sh)"
CHECKOUT_SIM_RELEASE_BINARY=$(scripts/build-release.sh)
export CHECKOUT_SIM_RELEASE_BINARY

echo "packaging the release (scripts/package.sh) and checking it as a user without Swift gets it"
mapfile -t packages < <(scripts/package.sh)
scripts/check-package.sh "${packages[@]}"

echo "serve's safety and bounds, as a CI script meets them (scripts/serve_safety_check.py, release build)"
python3 scripts/serve_safety_check.py "$CHECKOUT_SIM_RELEASE_BINARY"

swift test "$@"
