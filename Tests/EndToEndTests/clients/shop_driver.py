"""The reference web shop of `checkout-sim serve` in headless Chromium (Selenium), and
the server's admin API: what shop_browser_test.py's steps are written with.

Every wait polls for a condition until a deadline and fails naming what it saw last;
nothing sleeps for a fixed time. Only loopback addresses are reached: the browser
resolves no host name at all and uses no proxy.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

KEY = "checkout-idempotency-key"


class StepFailure(Exception):
    """A step's expectation that did not hold."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailure(message)


def wait_for(what: str, probe, accept=bool, timeout: float = 10.0):
    """Polls `probe()` until `accept(value)`; returns the value, or fails with the last one seen."""
    deadline = time.monotonic() + timeout
    while True:
        seen = probe()
        if accept(seen):
            return seen
        if time.monotonic() >= deadline:
            raise StepFailure(f"timed out after {timeout:g} s waiting for {what}; last saw {seen!r}")
        time.sleep(0.05)


class Admin:
    """The admin API under /__admin/ (loopback, no proxy)."""

    def __init__(self, base: str):
        self.base = base + "/__admin/"
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, method: str, path: str, body: str | None = None) -> dict:
        data = body.encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with self.opener.open(request, timeout=10) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise StepFailure(f"{method} /__admin/{path} {body or ''}: HTTP {error.code} {error.read()[:300]!r}") from None

    def arm(self, rule: str) -> None:
        self.call("POST", "rules", rule)

    def disarm_all(self) -> None:
        self.call("DELETE", "rules")

    def reset(self) -> None:
        self.call("POST", "reset")

    def journal(self, after: int) -> tuple[list[dict], int]:
        reply = self.call("GET", f"journal?after={after}")
        return reply.get("entries", []), reply.get("last", after)

    def lint_rules(self, client: str) -> list[str]:
        """The rules the lint (GET /__admin/lint) finds broken by `client`, in order."""
        return [verdict.get("rule") for verdict in self.call("GET", "lint").get("verdicts", []) if verdict.get("client") == client]

    def intent_status(self, intent: str) -> str | None:
        for entry in self.call("GET", "sessions").get("payment_intents", []):
            if entry.get("id") == intent:
                return entry.get("status")
        return None


class Wire:
    """What the server saw since a mark: the validations' keys, their replies, the paths called."""

    def __init__(self, entries: list[dict]):
        self.entries = entries

    def bodies(self, kind: str, method: str = "ValidateOrderItemsInsert") -> list[dict]:
        return [e.get("body") or {} for e in self.entries if e.get("kind") == kind and e.get("method") == method]

    @property
    def keys_sent(self) -> list[str | None]:
        """The key each validation sent, in order (None: no key)."""
        return [body.get("idempotencyKey") or None for body in self.bodies("request")]

    @property
    def keys_returned(self) -> list[str]:
        return [body.get("idempotencyKey", "") for body in self.bodies("response")]

    @property
    def paths(self) -> list[str]:
        return [(e.get("body") or {}).get("path", "") for e in self.entries if e.get("kind") == "arrival"]


class Shop:
    """One browser on the shop. `base` is http://127.0.0.1:PORT."""

    def __init__(self, base: str, chromium: str, chromedriver: str):
        self.base = base
        self.admin = Admin(base)
        self.profile = tempfile.mkdtemp(prefix="checkout-sim-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--user-data-dir={self.profile}",
                         "--window-size=1440,1000", "--no-first-run", "--no-default-browser-check", "--no-proxy-server",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]:
            options.add_argument(argument)
        self.driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
        self.mark = 0
        self.bug_in_memory = False

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # MARK: navigation

    def fresh_client(self, bug: str | None = None) -> None:
        """Forgets this browser's storage and cookies (a new client), then opens the shop."""
        self.driver.get(self.base + "/fresh-start")  # the 404 page: no script runs
        self.js("localStorage.clear(); sessionStorage.clear();")
        self.driver.delete_all_cookies()
        self.open("/" if bug is None else "/?bug=" + bug)

    def client_id(self) -> str:
        """The `checkout-sim-client` cookie the server gave this browser (the lint's name for it)."""
        cookie = self.driver.get_cookie("checkout-sim-client")
        check(cookie is not None and cookie.get("httpOnly") is True, f"the server set an HttpOnly client cookie: {cookie!r}")
        return cookie["value"]

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.wait_ready()

    def refresh(self) -> None:
        self.driver.refresh()
        self.wait_ready()

    def wait_ready(self) -> None:
        wait_for("the page to be ready (body data-ready)", lambda: self.js("return document.body && document.body.dataset.ready || null"),
                 lambda value: value == "true")

    def js(self, script: str, *arguments):
        return self.driver.execute_script(script, *arguments)

    def path(self) -> str:
        return self.js("return location.pathname + location.search")

    # MARK: what the browser holds

    def stored_key(self) -> str | None:
        """The real localStorage value."""
        return self.js("return localStorage.getItem(arguments[0])", KEY)

    def shown_key(self) -> str:
        return self.testid("stored-key").get_attribute("data-value") or ""

    def stored_cart(self) -> list:
        return json.loads(self.js("return localStorage.getItem('checkout-cart') || '[]'"))

    def testid(self, name: str):
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="{name}"]')

    def text(self, name: str) -> str:
        return self.testid(name).text

    # MARK: toasts

    def toast_count(self) -> int:
        return int(self.testid("toasts").get_attribute("data-count") or "0")

    def latest_toast(self) -> str | None:
        texts = self.js("const t = document.querySelector('[data-testid=toast] [data-testid=toast-text]'); return t ? t.textContent : null")
        return texts

    def expect_toast(self, since: int, text: str) -> None:
        wait_for(f"a toast {text!r}", lambda: (self.toast_count(), self.latest_toast()),
                 lambda seen: seen[0] > since and seen[1] == text)

    # MARK: actions

    def begin(self) -> None:
        """Marks the journal: `wire()` then tells what came after."""
        self.mark = self.admin.journal(0)[1]
        while True:
            entries, last = self.admin.journal(self.mark)
            if not entries:
                return
            self.mark = last

    def wire(self) -> Wire:
        entries: list[dict] = []
        after = self.mark
        while True:
            page, last = self.admin.journal(after)
            if not page:
                return Wire(entries)
            entries += page
            after = last

    def validations_done(self) -> int:
        return int(self.js("return document.body.dataset.validations || '0'"))

    def add(self, sku: str) -> None:
        self.testid(f"add-{sku}").click()

    def choose(self, method: str) -> None:
        self.testid(f"method-{method}").click()

    def checkout(self) -> None:
        before = self.validations_done()
        self.testid("checkout").click()
        wait_for("the validation to finish", self.validations_done, lambda n: n > before)

    def refresh_and_validate(self) -> None:
        self.refresh()
        check(self.validations_done() == 1, f"a refresh with a cart validates once, not {self.validations_done()} times")

    def pay(self, card: str) -> None:
        field = self.testid("card-number")
        field.clear()
        field.send_keys(card)
        self.testid("pay").click()

    def wait_path(self, prefix: str) -> str:
        return wait_for(f"the address {prefix}…", self.path, lambda path: path.startswith(prefix))
