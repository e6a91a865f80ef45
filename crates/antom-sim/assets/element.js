// The simulator's card-binding element page. It speaks the genuine @alipay/ams-checkout SDK's
// iframe protocol (web-sdk.md §9): JSON-string messages; onLaunch → renderComponent →
// dismissLoading → onEventCallback; the SDK's instanceId echoed; only messages from the parent
// window (and, where the browser tells it, the parent's origin) are accepted.
//
// Event codes for vaulting are UNCONFIRMED in Antom's docs; this page uses the SDK_PAYMENT_*
// family: SDK_PAYMENT_SUCCESSFUL, SDK_PAYMENT_FAIL, SDK_PAYMENT_PROCESSING, SDK_PAYMENT_ERROR,
// each with result {resultCode, resultStatus, resultMessage}.
(function () {
  "use strict";
  // Stage marks for the add-card benchmark (read over WebDriver; nothing depends on them).
  function mark(name) { try { performance.mark("element:" + name); } catch (_) { /* old engines */ } }
  mark("script");

  var params = new URLSearchParams(location.search);
  var instanceId = params.get("instanceId");
  var locale = params.get("locale") || "en_US";
  var embedded = window.parent !== window && !!instanceId;
  var parentOrigin = location.ancestorOrigins && location.ancestorOrigins.length ? location.ancestorOrigins[0] : "*";
  if (parentOrigin === "null") parentOrigin = "*";
  var S = {};
  var token = params.get("token");
  var brand = null;
  var busy = false;
  var lastCard = null;

  function $(id) { return document.getElementById(id); }
  function text(key, vars) {
    var s = S[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }

  function send(event, data) {
    if (!embedded) return;
    mark(event);
    var msg = { name: "APP_TO_SDK", instanceId: instanceId, context: { event: event, data: data || {} } };
    window.parent.postMessage(JSON.stringify(msg), parentOrigin);
  }
  function emit(code, resultCode, status, message, extra) {
    var result = { result: { resultCode: resultCode, resultStatus: status, resultMessage: message || "" } };
    if (extra) Object.keys(extra).forEach(function (k) { result[k] = extra[k]; });
    send("onEventCallback", { code: code, message: message || "", result: result });
  }
  function resize() {
    send("onSizeChanged", { height: Math.ceil(document.documentElement.scrollHeight) + 4 });
  }

  function show(id) {
    ["loading", "card-form", "challenge", "result", "alert"].forEach(function (s) { $(s).hidden = s !== id; });
    $("banner").hidden = id === "loading";
    resize();
  }

  function api(path, body) {
    return fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
  }

  function applyStrings() {
    document.documentElement.lang = S.lang || "en";
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = text(el.getAttribute("data-i18n")); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) { el.placeholder = text(el.getAttribute("data-i18n-placeholder")); });
    document.title = text("page-title");
  }

  // ---- card number, brand, validation ----
  function digits(s) { return (s || "").replace(/\D/g, ""); }
  function brandOf(n) {
    var p2 = +n.slice(0, 2), p3 = +n.slice(0, 3), p4 = +n.slice(0, 4);
    if (n[0] === "4") return "VISA";
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return "MASTERCARD";
    if (p2 === 34 || p2 === 37) return "AMEX";
    if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65) return "DISCOVER";
    if (p4 >= 3528 && p4 <= 3589) return "JCB";
    if (p2 === 62 || p2 === 81) return "CUP";
    if (p2 === 36 || p2 === 38 || (p3 >= 300 && p3 <= 305)) return "DINERS";
    return null;
  }
  var BRAND_NAMES = { VISA: "VISA", MASTERCARD: "Mastercard", AMEX: "AMEX", DISCOVER: "Discover", JCB: "JCB", CUP: "UnionPay", DINERS: "Diners" };
  function luhn(n) {
    if (n.length < 12 || n.length > 19) return false;
    var sum = 0;
    for (var i = 0; i < n.length; i++) {
      var d = +n[n.length - 1 - i];
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return sum % 10 === 0;
  }
  function cvvLen() { return brand === "AMEX" ? 4 : 3; }
  function formatNumber(n) {
    if (brand === "AMEX") return [n.slice(0, 4), n.slice(4, 10), n.slice(10, 15)].filter(Boolean).join(" ");
    return n.replace(/(\d{4})(?=\d)/g, "$1 ");
  }

  function setError(id, msg) {
    $(id + "-error").textContent = msg || "";
    $(id).setAttribute("aria-invalid", msg ? "true" : "false");
    resize();
    return !msg;
  }
  function checkNumber() {
    var n = digits($("card-number").value);
    if (!n) return setError("card-number", text("err-number-required"));
    if (!luhn(n)) return setError("card-number", text("err-number-invalid"));
    if (!brandOf(n)) return setError("card-number", text("err-brand-unsupported"));
    return setError("card-number", "");
  }
  function parseExpiry() {
    var m = /^(\d{2})\s*\/\s*(\d{2})$/.exec($("expiry").value.trim());
    return m ? { month: m[1], year: m[2] } : null;
  }
  function checkExpiry() {
    var v = $("expiry").value.trim();
    if (!v) return setError("expiry", text("err-expiry-required"));
    var e = parseExpiry();
    if (!e || +e.month < 1 || +e.month > 12) return setError("expiry", text("err-expiry-invalid"));
    var now = new Date();
    var y = 2000 + +e.year;
    if (y < now.getFullYear() || (y === now.getFullYear() && +e.month < now.getMonth() + 1)) return setError("expiry", text("err-expiry-past"));
    return setError("expiry", "");
  }
  function checkCvv() {
    var c = digits($("cvv").value);
    if (c.length !== cvvLen() || c !== $("cvv").value.trim()) return setError("cvv", text("err-cvv-invalid", { digits: cvvLen() }));
    return setError("cvv", "");
  }
  function checkHolder() {
    return setError("holder", $("holder").value.trim() ? "" : text("err-holder-required"));
  }

  function wireForm() {
    var num = $("card-number");
    num.addEventListener("input", function () {
      var n = digits(num.value).slice(0, 19);
      brand = brandOf(n);
      num.value = formatNumber(n);
      $("brand").textContent = brand ? BRAND_NAMES[brand] : "";
      $("cvv").maxLength = cvvLen();
      $("cvv-hint").textContent = text("cvv-hint", { digits: cvvLen() });
      if (num.getAttribute("aria-invalid") === "true") checkNumber();
    });
    num.addEventListener("blur", function () { if (num.value) checkNumber(); });
    var exp = $("expiry");
    exp.addEventListener("input", function (ev) {
      var d = digits(exp.value).slice(0, 4);
      if (ev.inputType !== "deleteContentBackward" && d.length >= 2) exp.value = d.slice(0, 2) + "/" + d.slice(2);
      else exp.value = d.length > 2 ? d.slice(0, 2) + "/" + d.slice(2) : d;
    });
    exp.addEventListener("blur", function () { if (exp.value) checkExpiry(); });
    $("cvv").addEventListener("blur", function () { if ($("cvv").value) checkCvv(); });
    $("holder").addEventListener("blur", function () { if ($("holder").value) checkHolder(); });
    $("cvv-hint").textContent = text("cvv-hint", { digits: 3 });
    $("card-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      submit();
    });
    $("challenge-approve").addEventListener("click", function () { answer(true); });
    $("challenge-cancel").addEventListener("click", function () { answer(false); });
    $("challenge-code").addEventListener("keydown", function (ev) { if (ev.key === "Enter") answer(true); });
    $("alert-retry").addEventListener("click", function () { if (lastCard) submit(); else start(); });
  }

  function setBusy(b) {
    busy = b;
    $("submit").disabled = b;
    $("submitting").hidden = !b;
    $("challenge-approve").disabled = b;
    $("challenge-cancel").disabled = b;
    resize();
  }

  function submit() {
    if (busy) return;
    var ok = [checkNumber(), checkExpiry(), checkCvv(), checkHolder()];
    var firstBad = ["card-number", "expiry", "cvv", "holder"][ok.indexOf(false)];
    if (firstBad) { $(firstBad).focus(); return; }
    var e = parseExpiry();
    lastCard = { number: digits($("card-number").value), expiryMonth: e.month, expiryYear: e.year, cvv: $("cvv").value.trim(), holderName: $("holder").value.trim() };
    setBusy(true);
    api("api/submit", { token: token, card: lastCard }).then(handle, networkLost).then(function () { setBusy(false); });
  }

  function card(reply) {
    return reply.maskedCardNo ? { paymentMethodDetail: { paymentMethodType: "CARD", card: { maskedCardNo: reply.maskedCardNo, brand: reply.brand } } } : undefined;
  }

  function result(kind, title, detail) {
    $("result-icon").className = "result-icon " + kind;
    $("result-title").textContent = title;
    $("result-detail").textContent = detail || "";
    show("result");
  }

  function alertState(key, eventCode, resultCode, retry) {
    $("alert-text").textContent = text(key);
    $("alert-retry").hidden = !retry;
    show("alert");
    emit(eventCode || "SDK_PAYMENT_ERROR", resultCode, "F", text(key));
  }

  function networkLost() {
    alertState("alert-network", "SDK_PAYMENT_ERROR", "NETWORK_ERROR", true);
  }

  function handle(reply) {
    switch (reply.status) {
      case "SUCCESS":
        lastCard = null;
        result("ok", text("result-success"), reply.maskedCardNo ? reply.brand + " " + reply.maskedCardNo.slice(-8) : "");
        emit("SDK_PAYMENT_SUCCESSFUL", "SUCCESS", "S", reply.message, card(reply));
        break;
      case "FAIL":
        lastCard = null;
        result("fail", text("result-fail"), reply.message);
        emit("SDK_PAYMENT_FAIL", reply.resultCode, "F", reply.message);
        break;
      case "CHALLENGE":
        lastCard = null;
        openChallenge();
        emit("SDK_PAYMENT_PROCESSING", "VERIFICATION_IN_PROCESS", "U", reply.message, { redirectUrls: { normalUrl: reply.challengeUrl } });
        break;
      case "PROCESSING":
        lastCard = null;
        result("wait", text("result-processing"), "");
        emit("SDK_PAYMENT_PROCESSING", "VERIFICATION_IN_PROCESS", "U", reply.message);
        break;
      case "RETRY":
        setError("challenge-code", text("3ds-wrong"));
        $("challenge-code").select();
        break;
      case "INVALID":
        setError(
          "card-number",
          reply.resultCode === "DEMO_TEST_CARDS_ONLY" ? text("err-demo-test-cards") : reply.message || text("err-number-invalid"),
        );
        show("card-form");
        break;
      case "EXPIRED":
        alertState("alert-expired", "SDK_PAYMENT_ERROR", "ORDER_IS_CLOSED");
        break;
      case "USED":
        alertState("alert-used", "SDK_PAYMENT_ERROR", "REPEAT_REQ_INCONSISTENT");
        break;
      default:
        alertState("alert-invalid", "SDK_PAYMENT_ERROR", "PARAM_ILLEGAL");
    }
  }

  function openChallenge() {
    api("api/session", { token: token }).then(function (info) {
      $("challenge-hint").textContent = info.challengeHint ? text("3ds-test-hint", { code: info.challengeHint }) : "";
      show("challenge");
      $("challenge-code").focus();
    }, networkLost);
  }

  function answer(approve) {
    if (busy) return;
    setBusy(true);
    api("api/challenge", { token: token, code: $("challenge-code").value, approve: approve }).then(handle, networkLost).then(function () { setBusy(false); });
  }

  function openSession() {
    if (!token) { alertState("alert-invalid", "SDK_PAYMENT_ERROR", "PARAM_ILLEGAL"); send("dismissLoading"); return; }
    api("api/session", { token: token }).then(function (info) {
      mark("session");
      switch (info.status) {
        case "OPEN": show("card-form"); $("card-number").focus(); break;
        case "CHALLENGE": openChallenge(); break;
        case "PROCESSING": result("wait", text("result-processing"), ""); break;
        case "EXPIRED": alertState("alert-expired", "SDK_PAYMENT_ERROR", "ORDER_IS_CLOSED"); break;
        case "SUCCESS": case "FAIL": alertState("alert-used", "SDK_PAYMENT_ERROR", "REPEAT_REQ_INCONSISTENT"); break;
        default: alertState("alert-invalid", "SDK_PAYMENT_ERROR", "PARAM_ILLEGAL");
      }
      send("dismissLoading");
    }, function () { networkLost(); send("dismissLoading"); });
  }

  function render(data) {
    // paymentSessionData is parts 0-2 of vaultingSessionData; part 0 is the session token.
    var psd = data.paymentSessionData || data.sessionData || "";
    token = String(psd).split("&&")[0] || null;
    openSession();
  }

  function start() {
    fetch("i18n/" + encodeURIComponent(locale), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .catch(function () { return {}; })
      .then(function (strings) {
        mark("strings");
        S = strings;
        applyStrings();
        wireForm();
        if (embedded) {
          window.addEventListener("message", function (e) {
            if (e.source !== window.parent) return;
            if (parentOrigin !== "*" && e.origin !== parentOrigin) return;
            var msg;
            try { msg = typeof e.data === "string" ? JSON.parse(e.data) : e.data; } catch (_) { return; }
            if (!msg || msg.name !== "SDK_TO_APP" || msg.instanceId !== instanceId) return;
            var ctx = msg.context || {};
            if (ctx.event === "renderComponent") { mark("renderComponent"); render(ctx.data || {}); }
          });
          send("onLaunch", {});
        } else {
          openSession(); // standalone: the 3DS page at normalUrl (?token=...)
        }
      });
  }

  start();
})();
