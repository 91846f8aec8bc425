"""The seed's key lifecycle over gRPC-Web with sonora, a third-party gRPC-Web client (PyPI),
against `checkout-sim serve`: the first validation gets a key, a retry keeps it, "Payment
already completed" arrives as FAILED_PRECONDITION in the trailers, and a latency beyond the
client's deadline is DEADLINE_EXCEEDED.

    python grpcweb_sonora.py --base http://127.0.0.1:PORT

Runs in .build-venv-sonora (scripts/test-venv.sh). One line per check, then
'sonora checks: N passed, N failed'; exit 1 on a failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402
import sonora.client  # noqa: E402

from checkout.v1 import checkout_pb2  # noqa: E402

SERVICE = "/checkout.v1.CheckoutService/"


def arm(base: str, rule: str) -> None:
    request = urllib.request.Request(base + "/__admin/rules", data=rule.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10) as reply:
        assert reply.status == 201, reply.status


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    base = parser.parse_args().base.rstrip("/")
    results = {"passed": 0, "failed": 0}

    def check(ok: bool, what: str, seen: object = "") -> None:
        results["passed" if ok else "failed"] += 1
        print(f"{'PASS' if ok else 'FAIL'} {what}" + ("" if ok else f": {seen!r}"), flush=True)

    with sonora.client.insecure_web_channel(base) as channel:
        validate = channel.unary_unary(SERVICE + "ValidateOrderItemsInsert",
                                       request_serializer=checkout_pb2.ValidateOrderItemsInsertRequest.SerializeToString,
                                       response_deserializer=checkout_pb2.ValidateOrderItemsInsertResponse.FromString)
        cart = checkout_pb2.ValidateOrderItemsInsertRequest(items=[checkout_pb2.OrderItem(sku="MUG", quantity=1)],
                                                            payment_method=checkout_pb2.CARD,
                                                            email="qa@example.com", currency="EUR")
        first = validate(cart)
        check(len(first.idempotency_key) > 0, "the first validation (no key) gets a key", first)
        cart.idempotency_key = first.idempotency_key
        retry = validate(cart)
        check(retry.idempotency_key == first.idempotency_key, "a retry with the stored key keeps it", retry.idempotency_key)

        arm(base, '"payment_already_completed"')
        try:
            validate(cart)
            check(False, "payment_already_completed is an error", "a reply")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.FAILED_PRECONDITION, "Payment already completed is FAILED_PRECONDITION", error.code())
            check(error.details().startswith("Payment already completed for this session."), "its message is the seed's", error.details())

        arm(base, '{"latency": "3s"}')
        try:
            validate(cart, timeout=0.5)
            check(False, "a latency beyond the deadline is an error", "a reply")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, "a latency beyond grpc-timeout is DEADLINE_EXCEEDED", error.code())
    print(f"sonora checks: {results['passed']} passed, {results['failed']} failed", flush=True)
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
