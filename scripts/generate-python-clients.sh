#!/usr/bin/env bash
# Regenerates the Python stubs the end-to-end tests' Connect client uses
# (Tests/EndToEndTests/clients/checkout/v1/) from proto/, with protoc from
# grpcio-tools and protoc-gen-connectrpc, both in the test virtual environment
# (scripts/test-venv.sh makes it). The output is committed; never edit it by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

venv=$(scripts/test-venv.sh)
out="$root/Tests/EndToEndTests/clients"
rm -rf "$out/checkout"
# Google's protobuf runtime (not protobuf-py): protoc writes the messages, the plugin the client.
"$venv/bin/python" -m grpc_tools.protoc -I proto \
  --plugin=protoc-gen-connectrpc="$venv/bin/protoc-gen-connectrpc" \
  --python_out="$out" --pyi_out="$out" \
  --connectrpc_out="$out" --connectrpc_opt=protobuf=google,io=sync \
  proto/checkout/v1/checkout.proto
touch "$out/checkout/__init__.py" "$out/checkout/v1/__init__.py"
echo "generated $(cd "$out" && find checkout -name '*.py*' | sort | tr '\n' ' ')" >&2
