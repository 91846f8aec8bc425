"use strict";
// The seed's client, shared by the shop, the 3-D Secure bank page and the order page:
// storage (localStorage["checkout-idempotency-key"], the cart, the form), the ?client=
// policies and ?bug= variants, Connect JSON calls, toasts and the state panel. Text from the server or
// the address bar only ever goes into textContent, never into HTML.
window.CheckoutSim = (function () {
  const KEY = "checkout-idempotency-key";
  const CART = "checkout-cart";
  const FORM = "checkout-form";
  const METHOD = "checkout-payment-method";
  const ORDER_PAID = "checkout-order-paid";
  const BUG = "checkout-sim-bug";
  const CLIENT = "checkout-sim-client";
  const LAST = "checkout-sim-last-exchange";
  const ACTIVITY = "checkout-sim-activity";
  const SERVICE = "checkout.v1.CheckoutService";
  // The client's rules (policies, timeout, PaymentIntent methods): the table the server
  // embeds in every page, written by the same Swift value the simulated client reads.
  const RULES = (function () {
    const meta = document.querySelector('meta[name="checkout-sim-client-rules"]');
    try {
      const table = JSON.parse(meta ? meta.content : "");
      if (table && Array.isArray(table.policies) && table.policies.length > 0) return table;
    } catch (e) { /* reported by the banner */ }
    return null;
  })();
  const TIMEOUT_MS = RULES ? RULES.timeout_ms : 0;

  // Each variant breaks exactly one rule of the seed.
  const BUGS = {
    "forget-key": "keeps the key in memory only, not in localStorage: a refresh sends no key",
    "no-retry": "after \"Payment already completed\" clears the key but does not retry",
    "retry-forever": "after \"Payment already completed\" retries without a key again and again (stops at 5 attempts)",
    "keep-key-after-payment": "keeps the key after a successful payment",
    "ignore-rotation": "keeps the old key when the server returns a new one",
  };
  const RETRY_FOREVER_CAP = 5;

  function storageGet(area, name) {
    try { return area.getItem(name); } catch (e) { return null; }
  }
  function storageSet(area, name, value) {
    try { area.setItem(name, value); } catch (e) { /* storage full or disabled: the page goes on */ }
  }
  function storageRemove(area, name) {
    try { area.removeItem(name); } catch (e) { /* disabled storage */ }
  }
  function readJSON(area, name, fallback) {
    const text = storageGet(area, name);
    if (text === null) return fallback;
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }
  // The request history of this tab: a list of objects, whatever the storage holds.
  function readHistory() {
    const list = readJSON(sessionStorage, ACTIVITY, []);
    return Array.isArray(list) ? list.filter((entry) => entry !== null && typeof entry === "object") : [];
  }

  // ?bug=NAME sets the variant for this tab (sessionStorage); ?bug= or ?bug=none clears it.
  const bug = (function () {
    const params = new URLSearchParams(location.search);
    let unknown = null;
    if (params.has("bug")) {
      const name = params.get("bug");
      if (Object.prototype.hasOwnProperty.call(BUGS, name)) storageSet(sessionStorage, BUG, name);
      else storageRemove(sessionStorage, BUG);
      if (name !== "" && name !== "none" && !Object.prototype.hasOwnProperty.call(BUGS, name)) unknown = name;
    }
    const stored = storageGet(sessionStorage, BUG);
    return { name: stored !== null && Object.prototype.hasOwnProperty.call(BUGS, stored) ? stored : null, unknown: unknown };
  })();
  const hasBug = (name) => bug.name === name;

  // ?client=NAME picks the policy for this tab (sessionStorage); ?client= goes back to the first (the seed).
  const policies = RULES ? RULES.policies : [];
  const client = (function () {
    const params = new URLSearchParams(location.search);
    const named = (name) => policies.find((policy) => policy.name === name) || null;
    let unknown = null;
    if (params.has("client")) {
      const name = params.get("client");
      if (named(name)) storageSet(sessionStorage, CLIENT, name);
      else storageRemove(sessionStorage, CLIENT);
      if (name !== "" && !named(name)) unknown = name;
    }
    return { policy: named(storageGet(sessionStorage, CLIENT)) || policies[0] || null, unknown: unknown };
  })();
  const policy = client.policy;
  const storesKey = () => policy !== null && policy.stores_key;

  // idempotency-key.ts: getStoredIdempotencyKey, setIdempotencyKey, clearIdempotencyKey.
  let memoryKey = null;
  const keys = {
    get() {
      if (!storesKey()) return null;
      const value = hasBug("forget-key") ? memoryKey : storageGet(localStorage, KEY);
      return value ? value : null;
    },
    set(key) {
      if (!storesKey()) return;
      if (hasBug("forget-key")) memoryKey = key;
      else storageSet(localStorage, KEY, key);
      render();
    },
    clear() {
      memoryKey = null;
      storageRemove(localStorage, KEY);
      render();
    },
  };

  function validLine(line) {
    return line && typeof line.sku === "string" && Number.isInteger(line.qty);
  }
  const cart = {
    load() {
      const lines = readJSON(localStorage, CART, []);
      return Array.isArray(lines) ? lines.filter(validLine) : [];
    },
    save(lines) { storageSet(localStorage, CART, JSON.stringify(lines)); render(); },
    clear() { storageRemove(localStorage, CART); render(); },
  };
  const form = {
    load() {
      const data = readJSON(localStorage, FORM, {});
      return { email: typeof data.email === "string" ? data.email : "", name: typeof data.name === "string" ? data.name : "" };
    },
    save(data) { storageSet(localStorage, FORM, JSON.stringify(data)); },
    clear() { storageRemove(localStorage, FORM); },
  };
  const METHODS = ["CARD", "CARD_TEST", "CASH_ON_DELIVERY", "BANK_TRANSFER"];
  const paymentMethod = {
    load() {
      const value = storageGet(localStorage, METHOD);
      return METHODS.includes(value) ? value : "CARD";
    },
    save(value) { storageSet(localStorage, METHOD, value); },
  };
  const usesPaymentIntent = (method) => RULES !== null && RULES.payment_intent_methods.includes(method);

  // A policy that waits for a new order after "Payment already completed" remembers the paid order here.
  const orderPaid = {
    held() { return policy !== null && policy.already_completed.waits_for_new_order && storageGet(localStorage, ORDER_PAID) !== null; },
    set() { storageSet(localStorage, ORDER_PAID, "paid"); render(); },
    clear() { storageRemove(localStorage, ORDER_PAID); render(); },
  };
  // What the policy clears on "Payment already completed".
  function clearAfterAlreadyCompleted() {
    const clears = policy ? policy.already_completed.clears : ["key"];
    if (clears.includes("key")) keys.clear();
    if (clears.includes("cart")) cart.clear();
  }

  // The seed's error table (the texts of the simulated client's ErrorTable.swift).
  const ALREADY_COMPLETED = "payment already completed";
  function isAlreadyCompleted(message) {
    return String(message).toLowerCase().includes(ALREADY_COMPLETED);
  }
  function errorToast(message) {
    const lowered = String(message).toLowerCase();
    if (lowered.includes(ALREADY_COMPLETED)) return toast("error", "payment_already_completed", message);
    if (lowered.includes("payment unavailable") || lowered.includes("failed to create payment intent")) {
      return toast("error", "payment_unavailable", "Payment is unavailable right now. Please try again later. (" + message + ")");
    }
    return toast("error", "generic", "Something went wrong. (" + message + ")");
  }
  // Whether a validation that got "Payment already completed" on `attempt` tries again without a key.
  function retriesWithoutKey(attempt) {
    if (hasBug("no-retry")) return false;
    if (hasBug("retry-forever")) return attempt < RETRY_FOREVER_CAP;
    return policy !== null && attempt <= policy.already_completed.retries;
  }
  // Whether the page stops at "Payment already completed" and says the order is paid.
  const tellsOrderPaid = () => policy !== null && policy.already_completed.tells_order_paid && bug.name === null;

  // Connect unary call with a JSON body: { ok, body } or { ok: false, code, message }.
  const serviceBase = (document.querySelector('meta[name="checkout-sim-service-base"]') || { content: "" }).content;
  async function rpc(method, request, note) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    const exchange = { method: method, note: note || "", request: request, at: new Date().toISOString() };
    let reply;
    try {
      const response = await fetch(serviceBase + "/" + SERVICE + "/" + method, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1", "Connect-Timeout-Ms": String(TIMEOUT_MS) },
        credentials: "include",
        body: JSON.stringify(request),
        signal: controller.signal,
      });
      exchange.status = response.status;
      const text = await response.text();
      let body = null;
      try { body = JSON.parse(text); } catch (e) { body = null; }
      exchange.response = body === null ? text : body;
      if (response.ok && body !== null && typeof body === "object") reply = { ok: true, body: body };
      else if (response.ok) reply = { ok: false, code: "unknown", message: "could not decode the response" };
      else reply = { ok: false, code: body && body.code || "unknown", message: body && typeof body.message === "string" ? body.message : "HTTP " + response.status };
    } catch (error) {
      const message = error.name === "AbortError" ? "request timed out: no response" : "network error: " + error.message;
      exchange.status = 0;
      exchange.response = message;
      reply = { ok: false, code: "unavailable", message: message };
    } finally {
      clearTimeout(timer);
    }
    record(exchange, reply);
    return reply;
  }

  // The last exchange and a short history, kept for this tab so the bank and order pages show them too.
  function record(exchange, reply) {
    storageSet(sessionStorage, LAST, JSON.stringify(exchange));
    const history = readHistory();
    const request = exchange.request || {};
    const body = reply.ok ? reply.body : {};
    history.unshift({
      at: exchange.at.slice(11, 23), method: exchange.method, note: exchange.note,
      validation: exchange.method === "ValidateOrderItemsInsert", sent: request.idempotency_key || "", returned: body.idempotencyKey || "",
      outcome: reply.ok ? (body.status || "ok") : reply.code + ": " + reply.message,
    });
    storageSet(sessionStorage, ACTIVITY, JSON.stringify(history.slice(0, 12)));
    render();
  }

  // Toasts: newest first, at most five, each with a sequence number tests can wait for.
  let toastCount = 0;
  function toast(kind, category, message) {
    const box = document.getElementById("toasts");
    if (!box) return;
    toastCount += 1;
    const item = el("div", { class: "toast toast-" + kind, "data-testid": "toast", "data-kind": kind, "data-category": category, "data-seq": String(toastCount), role: kind === "error" ? "alert" : "status" },
      el("span", { class: "toast-text", "data-testid": "toast-text" }, message),
      el("button", { class: "toast-close", type: "button", "aria-label": "Dismiss" }, "×"));
    item.querySelector("button").addEventListener("click", () => item.remove());
    box.prepend(item);
    while (box.children.length > 5) box.lastChild.remove();
    box.dataset.count = String(toastCount);
  }

  // A DOM element; string children become text nodes (never parsed as HTML).
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }
  function setText(id, text) {
    const node = document.getElementById(id);
    if (node) node.textContent = text;
  }

  function pretty(value) {
    if (value === undefined) return "–";
    return typeof value === "string" ? value : JSON.stringify(value, null, 2);
  }

  // The state panel: what this browser holds, and the last request and response.
  function render() {
    const key = keys.get();
    const keyNode = document.getElementById("stored-key");
    if (keyNode) {
      keyNode.textContent = key === null ? "(none)" : key;
      keyNode.dataset.value = key === null ? "" : key;
      keyNode.classList.toggle("empty", key === null);
    }
    setText("key-where", !storesKey() ? "never stored (client " + (policy ? policy.name : "unknown") + ")"
      : hasBug("forget-key") ? "in memory only (bug forget-key)" : "localStorage[\"" + KEY + "\"]");
    setText("cart-state", JSON.stringify(cart.load()));
    const stored = readJSON(sessionStorage, LAST, null);
    const last = stored !== null && typeof stored === "object" ? stored : null;
    setText("last-request", last ? "POST " + last.method + (last.note ? " (" + last.note + ")" : "") + "\n" + pretty(last.request) : "–");
    setText("last-response", last ? "HTTP " + last.status + "\n" + pretty(last.response) : "–");
    const list = document.getElementById("activity");
    if (list) {
      const history = readHistory();
      if (history.length === 0) list.replaceChildren(el("li", { class: "muted" }, "No request yet."));
      else list.replaceChildren(...history.slice(0, 6).map((entry) => el("li", {},
        el("span", { class: "when" }, String(entry.at)), " ",
        el("strong", {}, String(entry.method)), entry.note ? " · " + entry.note : "",
        entry.validation ? el("div", { class: "keys" }, "sent " + (entry.sent || "no key") + (entry.returned ? " → got " + entry.returned : ""),
          entry.sent && entry.returned && entry.sent !== entry.returned ? el("span", { class: "changed" }, " (a new key)") : "") : "",
        el("div", { class: "outcome" }, String(entry.outcome)))));
    }
  }

  // The banner naming the ?client= policy when it is not the seed's, or warning about an unknown one.
  function showClientBanner() {
    const banner = document.getElementById("client-banner");
    if (!banner) return;
    document.body.dataset.client = policy ? policy.name : "";
    if (RULES === null) {
      banner.replaceChildren("The client rules did not load: this page is not served by checkout-sim serve.");
    } else if (client.unknown !== null) {
      banner.replaceChildren("Unknown client policy \"", el("code", {}, client.unknown), "\": the shop runs " + policy.name + ". Known: " + policies.map((p) => p.name).join(", ") + ".");
    } else if (policy !== policies[0]) {
      banner.replaceChildren("Client policy ", el("code", {}, policy.name), ": " + policy.summary + ". ", el("a", { href: "/?client=" + policies[0].name }, "Back to the seed's client"));
    } else {
      return;
    }
    banner.className = "banner " + (policy !== null && client.unknown === null ? "banner-client" : "banner-warning");
    banner.hidden = false;
  }

  // The banner naming the ?bug= variant, or warning about an unknown one.
  function showBanner() {
    const banner = document.getElementById("bug-banner");
    if (!banner) return;
    if (bug.unknown !== null) {
      banner.replaceChildren("Unknown bug variant \"", el("code", {}, bug.unknown), "\": the shop behaves normally. Known: " + Object.keys(BUGS).join(", ") + ".");
      banner.className = "banner banner-warning";
      banner.hidden = false;
    } else if (bug.name !== null) {
      banner.replaceChildren("Bug variant ", el("code", {}, bug.name), ": this shop " + BUGS[bug.name] + ". ", el("a", { href: "/?bug=none" }, "Back to the correct client"));
      banner.className = "banner banner-bug";
      banner.hidden = false;
    }
    document.body.dataset.bug = bug.name || "";
  }

  // The state panel's fields, for the pages that have one.
  function buildStatePanel() {
    const panel = document.getElementById("state-panel");
    if (!panel) return;
    const label = (text, id) => el("div", id ? { class: "label", id: id } : { class: "label" }, text);
    panel.replaceChildren(
      el("h2", {}, "What the browser holds"),
      label("localStorage[\"" + KEY + "\"]", "key-where"),
      el("div", { id: "stored-key", class: "key", "data-testid": "stored-key" }, "(none)"),
      label("Cart (localStorage[\"" + CART + "\"])"),
      el("pre", { id: "cart-state", "data-testid": "cart-state" }, "[]"),
      label("Requests of this tab, newest first"),
      el("ol", { id: "activity", class: "activity", "data-testid": "activity" }),
      label("Last request"),
      el("pre", { id: "last-request", "data-testid": "last-request" }, "–"),
      label("Last response"),
      el("pre", { id: "last-response", "data-testid": "last-response" }, "–"));
  }

  function initPage() {
    buildStatePanel();
    showClientBanner();
    showBanner();
    render();
    window.addEventListener("storage", render);
  }

  return {
    bug, hasBug, policy, keys, cart, form, paymentMethod, orderPaid, usesPaymentIntent, isAlreadyCompleted, errorToast,
    clearAfterAlreadyCompleted, retriesWithoutKey, tellsOrderPaid, rpc, toast, el, setText, render, initPage,
  };
})();
