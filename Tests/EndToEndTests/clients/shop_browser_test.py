"""Drives the reference web shop of `checkout-sim serve` in headless Chromium through the
seed's lifecycle, with rules armed through the admin API, and each `?bug=` variant's
misbehaviour as the server sees it on the wire (GET /__admin/journal).

    python shop_browser_test.py --base http://127.0.0.1:PORT [--prefix /api]
        [--chromium /usr/bin/chromium] [--chromedriver /usr/bin/chromedriver]
        [--screenshot PNG [--screenshot-after STEP]] [--only FLOW]

Each step is a function of the shop; steps run in flows (a flow shares one browser's
state; a step that fails skips the rest of its flow). At each step it asserts the real
localStorage value and the toast. One line per step; the last line counts them; exit 1
when a step failed. `after_step` is where checks of the whole wire (the lint) go.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from shop_driver import Shop, StepFailure, check, wait_for  # noqa: E402

ALREADY_COMPLETED = "Payment already completed for this session. Please clear your checkout and start a new order."
UNAVAILABLE = "Payment is unavailable right now. Please try again later. ({})"
HOSTILE = "<img src=x onerror=\"window.__pwned=1\">"
LINT_RETRY_WINDOW_S = 1.1


def expect_key(shop: Shop, expected: str | None, what: str) -> None:
    """The real localStorage value, and the state panel showing it."""
    stored = wait_for(f"localStorage[{'checkout-idempotency-key'!r}] to be {expected!r} ({what})", shop.stored_key,
                      lambda value: value == expected, timeout=5)
    if not shop.bug_in_memory:
        check(shop.shown_key() == (stored or ""), f"the state panel shows {shop.shown_key()!r}, localStorage holds {stored!r}")


def expect_sent(shop: Shop, expected: list, what: str) -> list:
    wire = shop.wire()
    check(wire.keys_sent == expected, f"{what}: the validations sent {wire.keys_sent}, expected {expected}")
    return wire.keys_returned


def validate(shop: Shop, expected_sent: list, what: str) -> list:
    shop.begin()
    shop.checkout()
    return expect_sent(shop, expected_sent, what)


# MARK: - The correct client

def first_validation(shop: Shop, s: dict) -> str:
    shop.admin.reset()
    shop.fresh_client()
    expect_key(shop, None, "a new client")
    shop.add("BEANS-1KG")
    shop.choose("CARD")
    shop.testid("email").send_keys("qa@example.com")
    toasts = shop.toast_count()
    returned = validate(shop, [None], "the first validation")
    s["k1"] = returned[0]
    expect_key(shop, s["k1"], "the key of the first response")
    check(shop.toast_count() == toasts, f"no toast, saw {shop.latest_toast()!r}")
    paths = shop.wire().paths
    check(all(path.startswith(s["prefix"] + "/checkout.v1.CheckoutService/") for path in paths), f"service paths {paths}")
    return f"sent no key, stored {s['k1']} (called {paths[0]})"


def retry(shop: Shop, s: dict) -> str:
    validate(shop, [s["k1"]], "a retry")
    expect_key(shop, s["k1"], "unchanged")
    return f"sent {s['k1']}, kept it"


def refresh(shop: Shop, s: dict) -> str:
    shop.begin()
    shop.refresh_and_validate()
    expect_sent(shop, [s["k1"]], "the refresh")
    expect_key(shop, s["k1"], "unchanged")
    check(shop.stored_cart() == [{"sku": "BEANS-1KG", "qty": 1}], f"the cart survives the refresh: {shop.stored_cart()}")
    check(shop.testid("email").get_attribute("value") == "qa@example.com", "the form survives the refresh")
    return f"the page load sent {s['k1']}; cart and form kept"


def rotation(shop: Shop, s: dict) -> str:
    shop.admin.arm('"rotate"')
    shop.begin()
    shop.refresh_and_validate()
    s["k2"] = expect_sent(shop, [s["k1"]], "the refresh after rotate")[0]
    check(s["k2"] != s["k1"], "the server rotated the key")
    expect_key(shop, s["k2"], "overwritten by the rotated key")
    validate(shop, [s["k2"]], "the validation after the rotation")
    return f"{s['k1']} → {s['k2']}, next validation sent {s['k2']}"


def already_completed_recovered(shop: Shop, s: dict) -> str:
    shop.admin.arm('"payment_already_completed"')
    toasts = shop.toast_count()
    s["k3"] = validate(shop, [s["k2"], None], "already completed, then one retry without a key")[0]
    expect_key(shop, s["k3"], "the retry's new key")
    check(shop.toast_count() == toasts, f"recovered without a toast, saw {shop.latest_toast()!r}")
    return f"sent {s['k2']}, cleared, retried without a key, stored {s['k3']}"


def already_completed_twice(shop: Shop, s: dict) -> str:
    shop.admin.arm('{"payment_already_completed": {"times": 2}}')
    toasts = shop.toast_count()
    validate(shop, [s["k3"], None], "already completed twice: one retry, no more")
    expect_key(shop, None, "cleared")
    shop.expect_toast(toasts, ALREADY_COMPLETED)
    # The shopper reads the toast before checking out again: a click within the lint's retry
    # window (1 s) after a failed retry looks, on the wire, exactly like a retry loop.
    time.sleep(LINT_RETRY_WINDOW_S)
    return "sent the key, then one retry without; key cleared; toast shown"


def stripe_failures(shop: Shop, s: dict) -> str:
    s["k4"] = validate(shop, [None], "a fresh checkout")[0]
    for rule, message in [("payment_unavailable", "payment unavailable"), ("failed_to_create_payment_intent", "failed to create payment intent")]:
        shop.admin.arm(f'"{rule}"')
        toasts = shop.toast_count()
        validate(shop, [s["k4"]], rule)
        shop.expect_toast(toasts, UNAVAILABLE.format(message))
        expect_key(shop, s["k4"], f"kept after {rule}")
    return f"both toasts shown, key {s['k4']} kept"


def generic_error(shop: Shop, s: dict) -> str:
    shop.admin.arm('{"error": {"message": "cart total mismatch ' + HOSTILE.replace('"', '\\"') + '", "code": "invalid_argument"}}')
    toasts = shop.toast_count()
    validate(shop, [s["k4"]], "a generic error")
    shop.expect_toast(toasts, f"Something went wrong. (cart total mismatch {HOSTILE})")
    check(shop.js("return document.querySelectorAll('#toasts img').length") == 0, "the server's text stays text")
    check(shop.js("return window.__pwned === undefined"), "no script ran")
    expect_key(shop, s["k4"], "kept after a generic error")
    return "'Something went wrong' with the server's text inert"


def declined_cards(shop: Shop, s: dict) -> str:
    validate(shop, [s["k4"]], "validation before paying")
    for card, message in [("4000000000000002", "Your card was declined."), ("4000000000009995", "Your card has insufficient funds.")]:
        toasts = shop.toast_count()
        shop.pay(card)
        shop.expect_toast(toasts, message)
        expect_key(shop, s["k4"], f"kept after {card}")
    return "declined and insufficient funds: toasts, key kept"


def direct_payment(shop: Shop, s: dict) -> str:
    toasts = shop.toast_count()
    shop.begin()
    shop.pay("4242424242424242")
    shop.expect_toast(toasts, "Payment succeeded. Thank you for your order!")
    expect_key(shop, None, "cleared after the payment")
    check(shop.stored_cart() == [], f"cart cleared: {shop.stored_cart()}")
    check(shop.js("return localStorage.getItem('checkout-form')") is None, "form data cleared")
    check(shop.testid("email").get_attribute("value") == "", "the email field is empty")
    shop.add("MUG")
    s["k5"] = validate(shop, [None], "the next checkout after a payment")[0]
    return f"paid; key, cart and form cleared; next checkout sent no key (got {s['k5']})"


def three_d_secure(shop: Shop, button: str) -> str:
    shop.pay("4000002760003184")
    shop.wait_path("/bank/3ds?")
    shop.wait_ready()
    intent = shop.text("intent")
    shop.testid(button).click()
    shop.wait_path("/order/")
    shop.wait_ready()
    return intent


def three_d_secure_succeeded(shop: Shop, s: dict) -> str:
    intent = three_d_secure(shop, "complete")
    check(shop.path() == f"/order/{intent}?redirect_status=succeeded&payment_intent={intent}", f"order page {shop.path()}")
    shop.expect_toast(0, "Payment succeeded after 3-D Secure.")
    expect_key(shop, None, "cleared by the order page")
    check(shop.stored_cart() == [], f"cart cleared: {shop.stored_cart()}")
    check(shop.admin.intent_status(intent) == "succeeded", f"PaymentIntent {intent}: {shop.admin.intent_status(intent)}")
    return f"bank → order page, {intent} succeeded; key and cart cleared"


def three_d_secure_failed(shop: Shop, s: dict) -> str:
    shop.open("/")
    shop.add("KETTLE")
    s["k6"] = validate(shop, [None], "a checkout after the 3-D Secure payment")[0]
    intent = three_d_secure(shop, "fail")
    check("redirect_status=failed" in shop.path(), f"order page {shop.path()}")
    shop.expect_toast(0, "3-D Secure authentication failed. Please try another card.")
    expect_key(shop, s["k6"], "kept after a failed 3-D Secure")
    check(shop.stored_cart() == [{"sku": "KETTLE", "qty": 1}], f"cart kept: {shop.stored_cart()}")
    return f"{intent} failed; key {s['k6']} and cart kept"


def hostile_addresses(shop: Shop, s: dict) -> str:
    shop.fresh_client(bug="%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E")
    banner = shop.text("bug-banner")
    check(f'Unknown bug variant "{HOSTILE}"' in banner, f"the warning names the variant as text: {banner!r}")
    shop.open("/order/%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E?redirect_status=%3Cb%3Ex%3C/b%3E")
    check(shop.text("intent") == HOSTILE and shop.text("redirect-status") == "<b>x</b>", "the order page shows its address as text")
    check(shop.js("return document.querySelectorAll('img, b').length") == 0 and shop.js("return window.__pwned === undefined"),
          "nothing from the address became markup")
    shop.open("/bank/3ds?payment_intent=pi&return_url=https%3A%2F%2Fexample.invalid%2Fsteal")
    check(shop.js("return document.getElementById('complete') !== null"), "the bank page loads")
    return "unknown bug and hostile addresses stay text"


def hostile_storage(shop: Shop, s: dict) -> str:
    shop.fresh_client()
    shop.js("localStorage.setItem('checkout-cart', '{not json'); localStorage.setItem(arguments[1], arguments[0]);"
            "sessionStorage.setItem('checkout-sim-activity', '{\"a\": 1}'); sessionStorage.setItem('checkout-sim-last-exchange', '7');",
            HOSTILE, "checkout-idempotency-key")
    shop.open("/")
    check(shop.text("stored-key") == HOSTILE and shop.js("return document.querySelectorAll('img').length") == 0,
          f"a stored key is shown as text: {shop.text('stored-key')!r}")
    shop.add("BEANS-1KG")
    returned = validate(shop, [HOSTILE], "a key this server never issued is sent as stored")[0]
    expect_key(shop, returned, "replaced by the server's new key")
    return f"broken cart and history ignored; the foreign key was replaced by {returned}"


# MARK: - The ?bug= variants (each a new client)

def start(shop: Shop, bug: str, s: dict) -> None:
    shop.fresh_client(bug=bug)
    banner = shop.text("bug-banner")
    check(f"Bug variant {bug}" in banner, f"the banner names {bug}: {banner!r}")
    shop.bug_in_memory = bug == "forget-key"
    shop.add("BEANS-1KG")
    s["k"] = validate(shop, [None], f"{bug}: the first validation")[0]


def bug_forget_key(shop: Shop, s: dict) -> str:
    start(shop, "forget-key", s)
    expect_key(shop, None, "forget-key stores nothing in localStorage")
    validate(shop, [s["k"]], "forget-key: a retry on the same page sends the key it keeps in memory")
    shop.begin()
    shop.refresh_and_validate()
    expect_sent(shop, [None], "forget-key: the refresh (the correct client sends the key)")
    return f"got {s['k']}, the refresh sent no key"


def bug_no_retry(shop: Shop, s: dict) -> str:
    start(shop, "no-retry", s)
    shop.open("/")  # remembered across navigation
    check("Bug variant no-retry" in shop.text("bug-banner"), "the variant is remembered without ?bug=")
    shop.admin.arm('"payment_already_completed"')
    toasts = shop.toast_count()
    validate(shop, [s["k"]], "no-retry: no retry without a key")
    expect_key(shop, None, "cleared")
    shop.expect_toast(toasts, ALREADY_COMPLETED)
    return "cleared the key, no retry, toast"


def bug_retry_forever(shop: Shop, s: dict) -> str:
    start(shop, "retry-forever", s)
    shop.admin.arm('{"payment_already_completed": {"always": true}}')
    toasts = shop.toast_count()
    try:
        validate(shop, [s["k"], None, None, None, None], "retry-forever: retries until its cap of 5")
    finally:
        shop.admin.disarm_all()
    shop.expect_toast(toasts, ALREADY_COMPLETED)
    return "5 validations for one checkout"


def bug_keep_key_after_payment(shop: Shop, s: dict) -> str:
    start(shop, "keep-key-after-payment", s)
    toasts = shop.toast_count()
    shop.pay("4242424242424242")
    shop.expect_toast(toasts, "Payment succeeded. Thank you for your order!")
    expect_key(shop, s["k"], "kept after the payment")
    shop.add("MUG")
    validate(shop, [s["k"], None], "keep-key-after-payment: the next checkout sends the paid key")
    return f"the next checkout sent the paid key {s['k']}"


def bug_ignore_rotation(shop: Shop, s: dict) -> str:
    start(shop, "ignore-rotation", s)
    shop.admin.arm('"rotate"')
    rotated = validate(shop, [s["k"]], "ignore-rotation: the rotated validation")[0]
    check(rotated != s["k"], "the server rotated the key")
    expect_key(shop, s["k"], "the old key kept")
    validate(shop, [s["k"]], f"ignore-rotation: the next validation (the correct client sends {rotated})")
    return f"got {rotated}, kept sending {s['k']}"


FLOWS = {
    "lifecycle": [first_validation, retry, refresh, rotation, already_completed_recovered, already_completed_twice,
                  stripe_failures, generic_error, declined_cards, direct_payment, three_d_secure_succeeded, three_d_secure_failed],
    "hostile": [hostile_addresses, hostile_storage],
    "forget-key": [bug_forget_key],
    "no-retry": [bug_no_retry],
    "retry-forever": [bug_retry_forever],
    "keep-key-after-payment": [bug_keep_key_after_payment],
    "ignore-rotation": [bug_ignore_rotation],
}


# What the lint (GET /__admin/lint) must find for this browser after each flow's steps:
# nothing for the correct client, exactly the broken rule for each ?bug= variant.
LINT_EXPECTED = {
    "lifecycle": [],
    "hostile": [],
    "forget-key": ["send-stored-key"],
    "no-retry": ["retry-once-after-completed"],
    "retry-forever": ["retry-once-after-completed"],
    "keep-key-after-payment": ["no-key-after-payment"],
    "ignore-rotation": ["follow-rotation"],
}


def after_step(shop: Shop, flow: str, step) -> None:
    """The lint judges this browser (its cookie) from the wire alone."""
    expected = LINT_EXPECTED[flow]
    if step is hostile_storage:
        expected = ["unknown-key"]  # a key this server never issued, planted in localStorage
    client = shop.client_id()
    # A missing retry is a verdict only once the retry window has passed: poll for it.
    wait_for(f"the lint's verdicts for client {client} to be {expected}", lambda: shop.admin.lint_rules(client),
             lambda rules: rules == expected, timeout=5)


class GaveUp(BaseException):
    """The whole run took too long (not a step's failure: it ends the run, closing the browser)."""


def give_up(*_) -> None:
    raise GaveUp("the browser test took more than 300 s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--prefix", default="")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--screenshot")
    parser.add_argument("--screenshot-after", default="rotation")
    parser.add_argument("--only", choices=sorted(FLOWS))
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(300)  # never hang a test run: the browser is still closed

    shop = Shop(args.base, args.chromium, args.chromedriver)
    passed = failed = skipped = 0
    try:
        for flow, steps in FLOWS.items():
            if args.only and flow != args.only:
                continue
            state = {"prefix": args.prefix}
            shop.bug_in_memory = False
            for index, step in enumerate(steps):
                try:
                    detail = step(shop, state)
                    after_step(shop, flow, step)
                except Exception as error:  # noqa: BLE001 - every failure is reported as the step's
                    failed += 1
                    skipped += len(steps) - index - 1
                    where = "" if isinstance(error, StepFailure) else "\n" + traceback.format_exc()
                    print(f"FAIL {flow}/{step.__name__}: {error}{where}", flush=True)
                    break
                passed += 1
                print(f"ok   {flow}/{step.__name__}: {detail}", flush=True)
                if args.screenshot and step.__name__ == args.screenshot_after:
                    shop.driver.save_screenshot(args.screenshot)
    finally:
        shop.close()
    print(f"browser steps: {passed} passed, {failed} failed, {skipped} not run", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
