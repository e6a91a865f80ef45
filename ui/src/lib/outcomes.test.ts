import { describe, expect, it } from "vitest";
import { alertForAttempt, alertTextId, classifySdkEvent } from "./outcomes";
import { expiryWindow, formatExpiry, formatMasked, isExpired } from "./format";

describe("SDK events", () => {
  it("only asks Antom; never binds on an event", () => {
    expect(classifySdkEvent("SDK_PAYMENT_SUCCESSFUL")).toBe("confirm");
    expect(classifySdkEvent("SDK_PAYMENT_FAIL", "DO_NOT_HONOR")).toBe("confirm");
    expect(classifySdkEvent("SDK_PAYMENT_PROCESSING")).toBe("processing");
    expect(classifySdkEvent("SDK_END_OF_LOADING")).toBe("loaded");
    expect(classifySdkEvent("SDK_PAYMENT_CANCEL")).toBe("cancel");
  });
  it("maps errors to the alert page", () => {
    expect(classifySdkEvent("SDK_PAYMENT_ERROR", "ORDER_IS_CLOSED")).toBe("expired");
    expect(classifySdkEvent("SDK_PAYMENT_ERROR", "NETWORK_ERROR")).toBe("connection");
    expect(classifySdkEvent("SDK_PAYMENT_ERROR", "PARAM_ILLEGAL")).toBe("error");
    expect(classifySdkEvent("SDK_CREATECOMPONENT_ERROR")).toBe("error");
    expect(classifySdkEvent("SDK_START_OF_LOADING")).toBe("ignore");
    expect(classifySdkEvent(undefined)).toBe("ignore");
  });
  it("words declines without revealing lost or stolen", () => {
    expect(alertTextId(alertForAttempt("FAILED", "DO_NOT_HONOR", null))).toBe("decline-do-not-honor");
    expect(alertTextId(alertForAttempt("FAILED", "STOLEN_CARD", null))).toBe("decline-generic");
    expect(alertTextId(alertForAttempt("FAILED", "SOMETHING_NEW", null))).toBe("decline-generic");
    expect(alertForAttempt("EXPIRED", "ORDER_IS_CLOSED", null).kind).toBe("expired");
    expect(alertForAttempt("CANCELLED", null, null).kind).toBe("cancelled");
  });
});

describe("formatting", () => {
  it("prints expiry and masked numbers", () => {
    expect(formatExpiry(3, 2034)).toBe("03/34");
    expect(formatExpiry(null, 2034)).toBe("—");
    expect(formatMasked("************1111", "1111")).toBe("•••• 1111");
    expect(formatMasked("***********0005", "")).toBe("•••• 0005");
  });
  it("computes expiry windows across a year end", () => {
    const nov = new Date(2026, 10, 23);
    expect(expiryWindow("3m", nov)).toEqual({ from: 202611, to: 202702 });
    expect(expiryWindow("expired", nov)).toEqual({ from: null, to: 202610 });
    expect(expiryWindow("any", nov)).toEqual({ from: null, to: null });
    expect(isExpired(10, 2026, nov)).toBe(true);
    expect(isExpired(11, 2026, nov)).toBe(false);
  });
});
