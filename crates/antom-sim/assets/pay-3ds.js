// The simulator's 3D Secure page for a payment (Antom hosts the real one). It only answers the
// challenge; the merchant learns the result from inquiryPayment or notifyPayment, never here.
(() => {
  const payment = new URLSearchParams(location.search).get("payment") || "";
  const $ = (id) => document.getElementById(id);
  const post = (path, body) =>
    fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
  const show = (s) => {
    const done = { SUCCESS: "Verified. You can return to the till.", FAIL: "Verification failed.", USED: "This verification is over.", UNKNOWN: "Unknown payment." };
    if (s.status === "CHALLENGE" || s.status === "RETRY") {
      $("form").hidden = false;
      $("status").textContent = s.status === "RETRY" ? "Wrong code, try again." : "";
      $("code").focus();
    } else {
      $("form").hidden = true;
      $("status").textContent = done[s.status] || s.status;
    }
    document.body.dataset.status = s.status;
  };
  // Like Antom's page: once the buyer has answered (verified, failed or cancelled), the page
  // sends them to the payment's paymentRedirectUrl. The merchant still learns the result only
  // from inquiryPayment or notifyPayment.
  let redirect = "";
  const answered = (s) => {
    show(s);
    if (redirect && s.status !== "CHALLENGE" && s.status !== "RETRY") location.assign(redirect);
  };
  post("api/pay-status", { payment }).then((s) => {
    $("summary").textContent = s.amount ? `${s.amount} ${s.currency} · ${s.brand} ${s.maskedCardNo}` : "";
    if (s.challengeHint) $("hint").textContent = `Simulator: the code is ${s.challengeHint}.`;
    redirect = s.redirectUrl || "";
    show(s);
  });
  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    post("api/pay-challenge", { payment, code: $("code").value, approve: true }).then(answered);
  });
  $("cancel").addEventListener("click", () => post("api/pay-challenge", { payment, code: "", approve: false }).then(answered));
})();
