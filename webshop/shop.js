"use strict";
// The checkout page: products, the cart, the payment method, validateCartItems
// (validate-cart-items.ts of the seed) and the card payment (new-order-form).
(function () {
  const S = window.CheckoutSim;
  const money = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });
  const TEST_CARDS = [
    ["4242424242424242", "succeeds"],
    ["4000000000000002", "declined"],
    ["4000000000009995", "insufficient funds"],
    ["4000002760003184", "3-D Secure"],
  ];
  let catalog = [];
  let lastValidation = null;
  let busy = false;
  let validations = 0;

  const byId = (id) => document.getElementById(id);
  const price = (cents) => money.format(Number(cents) / 100);

  function setStatus(text, state) {
    S.setText("status", text);
    document.body.dataset.state = state;
  }

  // MARK: validateCartItems

  function validationRequest(lines, key) {
    const data = S.form.load();
    const request = {
      items: lines.map((line) => ({ sku: line.sku, quantity: line.qty })),
      payment_method: S.paymentMethod.load(),
      email: data.email,
      customer_name: data.name,
      currency: "EUR",
      locale: "en",
    };
    if (key !== null) request.idempotency_key = key;
    return request;
  }

  // Stores the key a CARD / CARD_TEST response returned; overwrites it on rotation.
  function handleSuccess(response, method) {
    lastValidation = response;
    const returned = response.idempotencyKey || response.idempotency_key || "";
    if (!returned || !S.usesPaymentIntent(method)) return;
    const stored = S.keys.get();
    if (stored === returned) return;
    if (stored !== null && S.hasBug("ignore-rotation")) return;
    S.keys.set(returned);
  }

  function orderPaidToast() {
    S.toast("info", "order_already_paid", "This order is already paid (in another tab or an earlier visit): nothing more to pay."
      + (S.policy && S.policy.already_completed.waits_for_new_order ? " Start a new order to buy again." : ""));
  }

  // `fresh`: a new order the shopper asked for, validated without a key.
  async function validateCartItems(trigger, fresh) {
    if (busy) return;
    const lines = S.cart.load();
    if (lines.length === 0) {
      S.toast("info", "empty_cart", "Your cart is empty: add an item before checking out.");
      return;
    }
    if (!fresh && S.orderPaid.held()) return orderPaidToast();
    busy = true;
    lastValidation = null;
    byId("checkout").disabled = true;
    setStatus("validating…", "validating");
    let outcome = "ok";
    try {
      let key = fresh ? null : S.keys.get();
      for (let attempt = 1; ; attempt++) {
        const method = S.paymentMethod.load();
        const note = attempt === 1 ? trigger : "retry without a key";
        const reply = await S.rpc("ValidateOrderItemsInsert", validationRequest(lines, key), note);
        if (reply.ok) {
          handleSuccess(reply.body, method);
          break;
        }
        if (S.isAlreadyCompleted(reply.message)) {
          S.clearAfterAlreadyCompleted();
          if (S.retriesWithoutKey(attempt)) {
            key = null;
            continue;
          }
          if (S.tellsOrderPaid()) {
            if (S.policy.already_completed.waits_for_new_order) S.orderPaid.set();
            lastValidation = null;
            outcome = "order_already_paid";
            orderPaidToast();
            renderCart();
            break;
          }
        }
        outcome = reply.code;
        S.errorToast(reply.message);
        break;
      }
    } finally {
      busy = false;
      validations += 1;
      byId("checkout").disabled = false;
      document.body.dataset.validations = String(validations);
      setStatus(outcome === "ok" ? "validated" : "validation failed (" + outcome + ")", outcome === "ok" ? "validated" : "failed");
      renderTotals();
    }
  }

  // start_new_order: the shopper asks for a new order; the page forgets the paid one and its key.
  function startNewOrder() {
    if (busy) return;
    S.orderPaid.clear();
    S.keys.clear();
    lastValidation = null;
    return validateCartItems("new order", true);
  }

  // MARK: paying

  function completeDirectPayment() {
    if (!S.hasBug("keep-key-after-payment")) S.keys.clear();
    S.cart.clear();
    S.form.clear();
    byId("email").value = "";
    byId("name").value = "";
    byId("card-number").value = "";
    lastValidation = null;
    renderCart();
  }

  function notValidated() {
    S.toast("info", "not_validated", "Nothing to pay yet: validate the cart first (checkout).");
  }

  async function pay() {
    const method = S.paymentMethod.load();
    if (busy) return;
    if (!lastValidation || lastValidation.paymentMethod !== method) return notValidated();
    if (!S.usesPaymentIntent(method)) {
      completeDirectPayment();
      return S.toast("success", "order_placed", "Order placed: " + method + ", no card payment needed.");
    }
    const intent = lastValidation.paymentIntentId || "";
    if (!intent) return notValidated();
    const returnURL = location.origin + "/order/" + encodeURIComponent(intent);
    busy = true;
    byId("pay").disabled = true;
    setStatus("paying…", "paying");
    const reply = await S.rpc("ConfirmPayment", {
      payment_intent_id: intent, client_secret: lastValidation.clientSecret || "",
      card_number: byId("card-number").value.replace(/[\s-]/g, ""), return_url: returnURL,
    });
    busy = false;
    byId("pay").disabled = false;
    if (!reply.ok) {
      setStatus("payment failed", "failed");
      return S.toast("error", "generic", "Something went wrong. (" + reply.message + ")");
    }
    const status = reply.body.status || "";
    setStatus("payment: " + status, "paid-" + status);
    if (status === "SUCCEEDED") {
      completeDirectPayment();
      S.toast("success", "payment_succeeded", "Payment succeeded. Thank you for your order!");
    } else if (status === "REQUIRES_ACTION") {
      S.toast("info", "requires_action", "3-D Secure: the bank asks the shopper to authenticate.");
      const bank = new URLSearchParams({ payment_intent: intent, return_url: "/order/" + encodeURIComponent(intent), stripe_url: reply.body.redirectUrl || "" });
      location.assign("/bank/3ds?" + bank.toString());
    } else {
      S.toast("error", "card_declined", reply.body.message || "Your card was declined.");
    }
  }

  // MARK: rendering

  function renderProducts() {
    byId("products").replaceChildren(...catalog.map((product) => {
      const add = S.el("button", { type: "button", class: "add", "data-testid": "add-" + product.sku }, "Add");
      add.addEventListener("click", () => addItem(product.sku));
      return S.el("li", { class: "product" },
        S.el("div", { class: "product-name" }, product.name),
        S.el("div", { class: "product-meta" }, product.sku + " · " + price(product.price_cents) + " · " + (product.stock > 0 ? product.stock + " in stock" : "sold out")),
        add);
    }));
  }

  function nameOf(sku) {
    const product = catalog.find((item) => item.sku === sku);
    return product ? product.name : sku;
  }

  function renderCart() {
    const lines = S.cart.load();
    byId("cart-lines").replaceChildren(...lines.map((line) => {
      const minus = S.el("button", { type: "button", class: "qty", "aria-label": "One less" }, "−");
      const plus = S.el("button", { type: "button", class: "qty", "aria-label": "One more" }, "+");
      minus.addEventListener("click", () => changeQuantity(line.sku, -1));
      plus.addEventListener("click", () => changeQuantity(line.sku, 1));
      return S.el("li", { class: "cart-line", "data-sku": line.sku }, S.el("span", { class: "line-name" }, nameOf(line.sku)), minus, S.el("span", { class: "line-qty" }, String(line.qty)), plus);
    }));
    byId("cart-empty").hidden = lines.length > 0;
    renderTotals();
  }

  function renderTotals() {
    const v = lastValidation;
    S.setText("totals", v ? "Subtotal " + price(v.subtotalCents || 0) + " · shipping " + price(v.shippingCents || 0) + " · total " + price(v.totalCents || 0) : "Not validated yet: press Checkout.");
    const card = S.usesPaymentIntent(S.paymentMethod.load());
    byId("card-form").hidden = !card;
    byId("pay").textContent = card ? "Pay" : "Place order";
  }

  function addItem(sku) {
    const lines = S.cart.load();
    const line = lines.find((item) => item.sku === sku);
    if (line) line.qty += 1;
    else lines.push({ sku: sku, qty: 1 });
    S.cart.save(lines);
    lastValidation = null;
    renderCart();
  }

  function changeQuantity(sku, delta) {
    const lines = S.cart.load().map((line) => line.sku === sku ? { sku: sku, qty: line.qty + delta } : line).filter((line) => line.qty > 0);
    if (lines.length) S.cart.save(lines);
    else S.cart.clear();
    lastValidation = null;
    renderCart();
  }

  function wireForm() {
    const data = S.form.load();
    byId("email").value = data.email;
    byId("name").value = data.name;
    const saveForm = () => S.form.save({ email: byId("email").value, name: byId("name").value });
    byId("email").addEventListener("input", saveForm);
    byId("name").addEventListener("input", saveForm);
    const method = S.paymentMethod.load();
    for (const radio of document.querySelectorAll('input[name="method"]')) {
      radio.checked = radio.value === method;
      radio.addEventListener("change", () => {
        S.paymentMethod.save(radio.value);
        lastValidation = null;
        renderTotals();
      });
    }
    byId("test-cards").replaceChildren(...TEST_CARDS.map(([number, what]) => {
      const chip = S.el("button", { type: "button", class: "chip", "data-testid": "card-" + number }, number.replace(/(\d{4})(?=\d)/g, "$1 ") + " · " + what);
      chip.addEventListener("click", () => { byId("card-number").value = number; });
      return chip;
    }));
    byId("checkout").addEventListener("click", () => validateCartItems("checkout"));
    byId("new-order").addEventListener("click", startNewOrder);
    byId("pay").addEventListener("click", pay);
  }

  async function init() {
    S.initPage();
    wireForm();
    try {
      const response = await fetch("/catalog.json", { credentials: "include" });
      catalog = (await response.json()).products || [];
    } catch (error) {
      S.toast("error", "generic", "Something went wrong. (the catalog did not load: " + error.message + ")");
    }
    renderProducts();
    renderCart();
    document.body.dataset.validations = "0";
    setStatus("ready", "ready");
    // A page load with a cart is a refresh: it validates again, with the stored key.
    if (S.cart.load().length > 0) await validateCartItems("page load");
    document.body.dataset.ready = "true";
  }

  init();
})();
