"""One RPC to `checkout-sim serve` with the Connect Python client (PyPI connectrpc).

The end-to-end tests run it to see what a real third-party Connect client sees:
its defaults (gzip request bodies, binary protobuf), its deadline
(`timeout_ms`, sent as Connect-Timeout-Ms) and the error codes it raises.

    python connect_call.py BASE_URL METHOD REQUEST_JSON [--timeout-ms N] [--json] [--grpc-web]

METHOD is validate, confirm or redirect; REQUEST_JSON is the request in proto3
JSON. Prints one JSON object on stdout:
    {"ok": true, "response": {...proto3 JSON...}, "elapsed_ms": N}
    {"ok": false, "code": "unavailable", "message": "...", "elapsed_ms": N}
and exits 0 either way (1 only when the arguments are wrong).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from connectrpc.compat import google_protobuf_json_codec  # noqa: E402
from connectrpc.errors import ConnectError  # noqa: E402
from connectrpc.protocol import ProtocolType  # noqa: E402
from google.protobuf import json_format  # noqa: E402

from checkout.v1 import checkout_pb2  # noqa: E402
from checkout.v1.checkout_connect import CheckoutServiceClientSync  # noqa: E402

METHODS = {
    "validate": ("validate_order_items_insert", checkout_pb2.ValidateOrderItemsInsertRequest),
    "confirm": ("confirm_payment", checkout_pb2.ConfirmPaymentRequest),
    "redirect": ("complete_redirect", checkout_pb2.CompleteRedirectRequest),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("method", choices=sorted(METHODS))
    parser.add_argument("request_json")
    parser.add_argument("--timeout-ms", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="proto3 JSON bodies instead of binary protobuf")
    parser.add_argument("--grpc-web", action="store_true", help="gRPC-Web instead of the Connect protocol")
    args = parser.parse_args()

    name, request_type = METHODS[args.method]
    request = json_format.Parse(args.request_json, request_type())
    options = {}
    if args.json:
        options["codec"] = google_protobuf_json_codec()
    if args.grpc_web:
        options["protocol"] = ProtocolType.GRPC_WEB
    # Every other setting is the client's default: gzip request bodies among them.
    start = time.monotonic()
    with CheckoutServiceClientSync(args.base_url, timeout_ms=args.timeout_ms, **options) as client:
        try:
            response = getattr(client, name)(request)
            result = {"ok": True, "response": json.loads(json_format.MessageToJson(response, preserving_proto_field_name=True))}
        except ConnectError as error:
            result = {"ok": False, "code": error.code.value, "message": error.message}
    result["elapsed_ms"] = int((time.monotonic() - start) * 1000)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
