"use strict";
// The order page the shopper returns to after 3-D Secure (order-page.tsx of the seed):
// with redirect_status=succeeded it clears the key and the cart; the form data stays.
(function () {
  const S = window.CheckoutSim;
  const params = new URLSearchParams(location.search);
  const status = params.get("redirect_status");
  let intent = location.pathname.slice("/order/".length);
  try { intent = decodeURIComponent(intent); } catch (error) { /* shown as it came */ }

  S.initPage();
  S.setText("intent", intent || "(none)");
  S.setText("redirect-status", status === null ? "(none)" : status);
  if (status === "succeeded") {
    if (!S.hasBug("keep-key-after-payment")) S.keys.clear();
    S.cart.clear();
    S.setText("order-title", "Thank you: your order is paid");
    S.toast("success", "payment_succeeded", "Payment succeeded after 3-D Secure.");
  } else if (status === "failed") {
    S.setText("order-title", "Payment not completed");
    S.toast("error", "authentication_failed", "3-D Secure authentication failed. Please try another card.");
  } else {
    S.setText("order-title", "Your order");
  }
  document.body.dataset.ready = "true";
})();
