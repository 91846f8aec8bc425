#!/usr/bin/env bash
# Makes (or completes) the Python virtual environment of the end-to-end tests'
# third-party clients in .build-venv/ and prints its path: buf (PyPI buf-bin, for
# `buf curl`), the Connect Python client (connectrpc), Selenium (the web shop's
# browser test) and the code generators of
# scripts/generate-python-clients.sh. Versions are pinned so a fresh machine gets
# the same clients the tests were written against.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.build-venv"
packages=(buf-bin==1.75.0 connectrpc==0.13.0 protoc-gen-connectrpc==0.13.0 grpcio-tools==1.85.1 protobuf==7.36.2 selenium==4.51.0)

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
stamp="$venv/.installed"
if [ "$(cat "$stamp" 2>/dev/null)" != "${packages[*]}" ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}" >&2
  echo "${packages[*]}" > "$stamp"
fi
echo "$venv"
