"""Attacks `checkout-sim serve` from a web page of another site, in headless Chromium, as
any page a QA engineer's laptop opens could: plain forms, `no-cors` and CORS fetches
against the admin API, a DNS-rebound name, and the mock bank's return_url. Then checks,
without a browser, that nothing changed.

    python cross_site_test.py --base http://127.0.0.1:PORT --chromium PATH --chromedriver PATH

The attacking page is served from a second loopback port under the name evil.example
(Chromium maps it to 127.0.0.1): all traffic stays on this machine. One line per check;
the last line counts them; exit 1 when one failed.
"""

from __future__ import annotations

import argparse
import http.server
import json
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

EVIL = "evil.example"

ATTACK = """<!doctype html>
<html><head><title>attacking</title></head><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe><iframe name="sink3"></iframe>
<!-- text/plain forms need no preflight: the body is "NAME=VALUE". This one is YAML for two rules. -->
<form id="arm" method="post" enctype="text/plain" target="sink1" action="{base}/__admin/rules">
  <input type="hidden" name="- rotate&#10;- drop_response&#10;#" value="">
</form>
<form id="reset" method="post" enctype="text/plain" target="sink2" action="{base}/__admin/reset">
  <input type="hidden" name="x" value="">
</form>
<form id="disarm" method="post" enctype="text/plain" target="sink3" action="{base}/__admin/rules">
  <input type="hidden" name="disarm_all" value="">
</form>
<pre id="results"></pre>
<script>
  const results = {{}};
  async function attempt(name, run) {{
    try {{ results[name] = await run(); }} catch (error) {{ results[name] = "error: " + error; }}
  }}
  (async () => {{
    document.getElementById("arm").submit();
    await new Promise((done) => setTimeout(done, 300));
    document.getElementById("reset").submit();
    await attempt("no-cors clock", () => fetch("{base}/__admin/clock", {{method: "POST", mode: "no-cors", body: '{{"advance": "25h"}}'}}).then((r) => "sent (" + r.type + ")"));
    await attempt("no-cors rules", () => fetch("{base}/__admin/rules", {{method: "POST", mode: "no-cors", body: '"mark_paid"'}}).then((r) => "sent (" + r.type + ")"));
    await attempt("read journal", () => fetch("{base}/__admin/journal?after=0", {{credentials: "include"}}).then((r) => r.text()));
    await attempt("read sessions", () => fetch("{base}/__admin/sessions").then((r) => r.text()));
    await attempt("cors rules", () => fetch("{base}/__admin/rules", {{method: "POST", headers: {{"Content-Type": "application/json"}}, body: '"rotate"'}}).then((r) => r.status));
    await new Promise((done) => setTimeout(done, 500));
    document.getElementById("results").textContent = JSON.stringify(results);
    document.title = "done";
  }})();
</script></body></html>
"""


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, condition: bool, what: str, seen: object = "") -> None:
        if condition:
            self.passed += 1
            print(f"PASS {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {what}: saw {seen!r}"[:2000], flush=True)


def admin(base: str, method: str, path: str, body: str | None = None) -> tuple[int, dict]:
    """A call as test code makes it: no Origin, no browser."""
    request = urllib.request.Request(base + path, method=method, data=None if body is None else body.encode(),
                                     headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=20) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def validate(base: str) -> str:
    cart = {"items": [{"sku": "MUG", "quantity": 1}], "paymentMethod": "CARD", "email": "a@example.com", "currency": "EUR"}
    status, reply = admin(base, "POST", "/checkout.v1.CheckoutService/ValidateOrderItemsInsert", json.dumps(cart))
    assert status == 200, (status, reply)
    return reply["idempotencyKey"]


def serve_attack_page(base: str) -> http.server.ThreadingHTTPServer:
    page = ATTACK.format(base=base).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_for(what: str, probe, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        seen = probe()
        if seen:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; last saw {seen!r}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    port = urllib.parse.urlsplit(base).port
    checks = Checks()

    key = validate(base)
    _, before_clock = admin(base, "POST", "/__admin/clock", '{"advance": "0s"}')
    _, before_journal = admin(base, "GET", "/__admin/journal?after=0")

    attacker = serve_attack_page(base)
    profile = tempfile.mkdtemp(prefix="checkout-sim-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                     "--no-first-run", "--no-default-browser-check", "--no-proxy-server", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-default-apps",
                     f"--host-resolver-rules=MAP {EVIL} 127.0.0.1, MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=args.chromedriver))
    driver.set_page_load_timeout(30)
    try:
        # A page of another site tries every way in.
        driver.get(f"http://{EVIL}:{attacker.server_address[1]}/")
        wait_for("the attack page to finish", lambda: driver.title == "done")
        results = json.loads(driver.find_element(By.ID, "results").text)
        for name in ["read journal", "read sessions", "cors rules"]:
            checks.check(str(results.get(name, "")).startswith("error:"), f"the page cannot {name} (CORS)", results.get(name))
        status, rules = admin(base, "GET", "/__admin/rules")
        checks.check(status == 200 and rules.get("rules") == [], "no rule was armed by a form or a no-cors fetch", rules)
        _, sessions = admin(base, "GET", "/__admin/sessions")
        keys = [session.get("key") for session in sessions.get("sessions", [])]
        checks.check(key in keys, "the state was not reset by a form", keys)
        _, after_clock = admin(base, "POST", "/__admin/clock", '{"advance": "0s"}')
        checks.check(after_clock.get("now", 0) - before_clock.get("now", 0) < 3_600_000, "the clock was not advanced by a no-cors fetch",
                     (before_clock, after_clock))
        status, after_journal = admin(base, "GET", "/__admin/journal?after=0")
        checks.check(after_journal.get("last") == before_journal.get("last"), "nothing reached the journal", after_journal.get("last"))

        # DNS rebinding: the attacker's name now points at the server.
        driver.get(f"http://{EVIL}:{port}/")
        body = wait_for("the rebound page", lambda: driver.find_element(By.TAG_NAME, "body").text)
        checks.check("not served" in body and "checkout-idempotency-key" not in driver.page_source,
                     "a rebound name gets a refusal, not the shop", body[:300])

        # The mock bank returns only to a path of its own origin.
        target = urllib.parse.quote("/.//evil.example/x", safe="")
        driver.get(f"{base}/bank/3ds?payment_intent=pi_missing&return_url={target}")
        wait_for("the bank page", lambda: driver.execute_script("return document.body.dataset.ready") == "true")
        driver.find_element(By.ID, "complete").click()
        landed = wait_for("the return", lambda: "/bank/3ds" not in driver.current_url and driver.current_url)
        checks.check(urllib.parse.urlsplit(landed).netloc == urllib.parse.urlsplit(base).netloc,
                     "the bank page returns to its own origin", landed)
    finally:
        driver.quit()
        attacker.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"cross-site checks: {checks.passed} passed, {checks.failed} failed", flush=True)
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
