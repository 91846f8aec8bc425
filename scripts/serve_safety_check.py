"""The quick check of `serve`'s safety and bounds, as a CI script would meet them.

    python3 scripts/serve_safety_check.py BINARY

Starts `BINARY serve --headless --port 0` with stdout on a pipe of which it reads only the
first line, under `ulimit -n 1024`, then: 3,000 validations; a text/plain POST to
/__admin/reset from Origin http://evil.example; a request with Host: evil.example; 4,000
rules in one POST; 1,100 half-open connections and a health check beside them; SIGTERM with
a request held by drop_response. One line per check, then 'N passed, N failed'; exit 1 on a
failure. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

CART = {"items": [{"sku": "MUG", "quantity": 1}], "paymentMethod": "CARD", "email": "a@example.com", "currency": "EUR"}
VALIDATE = "/checkout.v1.CheckoutService/ValidateOrderItemsInsert"


class Checks:
    def __init__(self) -> None:
        self.passed = self.failed = 0

    def check(self, ok: bool, what: str, seen: object = "") -> None:
        if ok:
            self.passed += 1
            print(f"PASS {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {what}: {seen!r}"[:1500], flush=True)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 10) -> tuple[int, bytes, float]:
    start = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        reply = connection.getresponse()
        return reply.status, reply.read(), time.monotonic() - start
    finally:
        connection.close()


def limit_descriptors() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), min(1024, hard)))


def main() -> int:
    binary = sys.argv[1]
    checks = Checks()
    state = tempfile.mkdtemp(prefix="checkout-sim-safety-")
    server = subprocess.Popen([binary, "serve", "--headless", "--port", "0", "--state-dir", state],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                              preexec_fn=limit_descriptors)
    first = server.stdout.readline().decode().strip()  # and never read again, as CI scripts do
    port = int(first.rsplit(":", 1)[1])
    try:
        json_headers = {"Content-Type": "application/json"}
        body = json.dumps(CART).encode()
        failures = []
        start = time.monotonic()
        for index in range(3000):
            status, _, _ = request(port, "POST", VALIDATE, body, json_headers)
            if status != 200:
                failures.append((index, status))
                break
        checks.check(not failures, f"3,000 validations with stdout unread ({time.monotonic() - start:.1f} s)", failures)

        status, reply, _ = request(port, "POST", "/__admin/reset", b"x=", {"Origin": "http://evil.example", "Content-Type": "text/plain"})
        checks.check(status == 403, "a text/plain POST to /__admin/reset from another origin is refused", (status, reply[:200]))
        status, reply, _ = request(port, "GET", "/", headers={"Host": "evil.example"})
        checks.check(status == 403, "Host: evil.example is refused", (status, reply[:200]))

        rules = json.dumps(["rotate"] * 4000).encode()
        status, reply, took = request(port, "POST", "/__admin/rules", rules, json_headers, timeout=60)
        _, _, health = request(port, "GET", "/__admin/health")
        checks.check(took < 5 and health < 1, f"4,000 rules in one POST answered at once ({status} in {took:.2f} s)", reply[:200])
        request(port, "DELETE", "/__admin/rules")

        stalled = []
        for _ in range(1100):
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=2)
                connection.sendall(b"POST " + VALIDATE.encode() + b" HTTP/1.1\r\nHost: localhost\r\n")
                stalled.append(connection)
            except OSError:
                break
        time.sleep(0.5)
        try:
            status, _, took = request(port, "GET", "/__admin/health", timeout=10)
            checks.check(status == 200, f"health answered beside {len(stalled)} stalled connections ({took:.2f} s)", status)
        except OSError as error:
            checks.check(False, f"health answered beside {len(stalled)} stalled connections", error)
        for connection in stalled:
            connection.close()

        status, _, _ = request(port, "POST", "/__admin/rules", b'"drop_response"', json_headers)
        def held_request() -> None:
            try:
                request(port, "POST", VALIDATE, body, {**json_headers, "Connect-Timeout-Ms": "9999999999"}, timeout=60)
            except OSError:
                pass  # closed without a reply: the held request ended with the server

        held = threading.Thread(target=held_request, daemon=True)
        held.start()
        time.sleep(0.5)
        start = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=10)
            took = time.monotonic() - start
            checks.check(took < 1.5 and code == 0, f"SIGTERM with a held request exits ({code} after {took:.2f} s)", took)
        except subprocess.TimeoutExpired:
            checks.check(False, "SIGTERM with a held request exits", "still running after 10 s")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        subprocess.run(["rm", "-rf", state], check=False)
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
