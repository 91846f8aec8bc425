#!/usr/bin/env bash
# Regenerates Sources/CheckoutProto from proto/ with protoc (Debian's
# protobuf-compiler) and protoc-gen-swift built from the swift-protobuf package
# this project depends on. The output is committed; never edit it by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

command -v protoc >/dev/null || { echo "protoc missing: apt-get install -y protobuf-compiler" >&2; exit 1; }

# Build the plugin from the exact swift-protobuf version the package resolves.
swift package resolve >/dev/null
plugin_src="$root/.build/checkouts/swift-protobuf"
swift build --package-path "$plugin_src" --scratch-path "$root/.build-protoc" -c release --product protoc-gen-swift >&2
plugin="$root/.build-protoc/release/protoc-gen-swift"

out="$root/Sources/CheckoutProto"
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_out="$out" --swift_opt=Visibility=Public,FileNaming=DropPath \
  -I proto proto/checkout/v1/checkout.proto
echo "generated $(ls "$out")" >&2
