"use strict";
// The mock bank's 3-D Secure page: Complete or Fail settles the PaymentIntent
// (CompleteRedirect), then the shopper goes back to the shop's order page with
// redirect_status, as Stripe sends them back to the return_url.
(function () {
  const S = window.CheckoutSim;
  const params = new URLSearchParams(location.search);
  const intent = params.get("payment_intent") || "";

  // Only a path of this site: the page never sends anyone elsewhere. The target is built
  // on this origin, so a path such as "//evil.example/x" (after "/.//evil.example/x" is
  // resolved) stays a path here instead of becoming another host.
  function returnTarget(query) {
    const target = new URL("/order/" + encodeURIComponent(intent), location.origin);
    const raw = params.get("return_url");
    try {
      const url = raw ? new URL(raw, location.origin) : null;
      if (url && url.origin === location.origin) target.pathname = url.pathname.replace(/^[\/\\]+/, "/");
    } catch (error) {
      // Not a URL: the order page.
    }
    target.search = query;
    return target.origin === location.origin ? target.href : "/order/" + encodeURIComponent(intent) + "?" + query;
  }

  async function finish(wanted) {
    for (const id of ["complete", "fail"]) document.getElementById(id).disabled = true;
    const reply = await S.rpc("CompleteRedirect", { payment_intent_id: intent, redirect_status: wanted });
    // A refused authentication (the PaymentIntent no longer waits for it) comes back as failed.
    const status = reply.ok && wanted === "succeeded" ? "succeeded" : "failed";
    if (!reply.ok) S.errorToast(reply.message);
    const query = new URLSearchParams({ redirect_status: status, payment_intent: intent });
    location.assign(returnTarget(query.toString()));
  }

  S.initPage();
  S.setText("intent", intent || "(none given)");
  S.setText("stripe-url", params.get("stripe_url") || "–");
  document.getElementById("complete").addEventListener("click", () => finish("succeeded"));
  document.getElementById("fail").addEventListener("click", () => finish("failed"));
  document.body.dataset.ready = "true";
})();
