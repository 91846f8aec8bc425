"use strict";
// The mock bank's 3-D Secure page: Complete or Fail settles the PaymentIntent
// (CompleteRedirect), then the shopper goes back to the shop's order page with
// redirect_status, as Stripe sends them back to the return_url.
(function () {
  const S = window.CheckoutSim;
  const params = new URLSearchParams(location.search);
  const intent = params.get("payment_intent") || "";

  // Only a path of this site: the page never sends anyone elsewhere.
  function returnPath() {
    const fallback = "/order/" + encodeURIComponent(intent);
    const raw = params.get("return_url");
    if (!raw) return fallback;
    try {
      const url = new URL(raw, location.origin);
      return url.origin === location.origin ? url.pathname : fallback;
    } catch (error) {
      return fallback;
    }
  }

  async function finish(wanted) {
    for (const id of ["complete", "fail"]) document.getElementById(id).disabled = true;
    const reply = await S.rpc("CompleteRedirect", { payment_intent_id: intent, redirect_status: wanted });
    // A refused authentication (the PaymentIntent no longer waits for it) comes back as failed.
    const status = reply.ok && wanted === "succeeded" ? "succeeded" : "failed";
    if (!reply.ok) S.errorToast(reply.message);
    const query = new URLSearchParams({ redirect_status: status, payment_intent: intent });
    location.assign(returnPath() + "?" + query.toString());
  }

  S.initPage();
  S.setText("intent", intent || "(none given)");
  S.setText("stripe-url", params.get("stripe_url") || "–");
  document.getElementById("complete").addEventListener("click", () => finish("succeeded"));
  document.getElementById("fail").addEventListener("click", () => finish("failed"));
  document.body.dataset.ready = "true";
})();
