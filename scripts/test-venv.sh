#!/usr/bin/env bash
# Makes (or completes) the Python virtual environment of the end-to-end tests'
# third-party clients in .build-venv/ and prints its path: buf (PyPI buf-bin, for
# `buf curl`), the Connect Python client (connectrpc), Selenium (the web shop's
# browser test) and the code generators of
# scripts/generate-python-clients.sh; and sonora, the gRPC-Web client, in .build-venv-sonora/.
# Versions are pinned so a fresh machine gets
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
# sonora, the third-party gRPC-Web client, pins urllib3 below 2, which Selenium cannot use:
# it gets a virtual environment of its own beside the first.
grpcweb="$root/.build-venv-sonora"
grpcweb_packages=(sonora==0.2.3 protobuf==7.36.2)
if [ ! -x "$grpcweb/bin/python" ]; then
  python3 -m venv "$grpcweb" >&2
fi
if [ "$(cat "$grpcweb/.installed" 2>/dev/null)" != "${grpcweb_packages[*]}" ]; then
  "$grpcweb/bin/pip" install --quiet --disable-pip-version-check "${grpcweb_packages[@]}" >&2
  echo "${grpcweb_packages[*]}" > "$grpcweb/.installed"
fi
echo "$venv"
