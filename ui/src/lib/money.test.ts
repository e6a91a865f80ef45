import { describe, expect, it } from "vitest";
import { exponent, formatMoney, parseAmount, toPlain } from "./money";

describe("money", () => {
  it("knows the odd exponents", () => {
    expect([exponent("JPY"), exponent("KRW"), exponent("EUR"), exponent("BHD")]).toEqual([0, 0, 2, 3]);
  });

  it("formats minor units without floats", () => {
    expect(formatMoney(1250, "EUR", "en")).toBe("€12.50");
    expect(formatMoney(1000, "JPY", "en")).toBe("¥1,000");
    expect(formatMoney(1250, "BHD", "en")).toContain("1.250");
    expect(formatMoney(5, "USD", "en")).toBe("$0.05");
    // 0.1 + 0.2 style errors cannot happen: 9007199254740991 minor units print exactly
    expect(formatMoney(123456789012345, "USD", "en")).toBe("$1,234,567,890,123.45");
  });

  it("parses what staff type, in their language", () => {
    expect(parseAmount("12.50", "EUR", "en")).toBe(1250);
    expect(parseAmount("12,5", "EUR", "de")).toBe(1250);
    expect(parseAmount("1.234,56", "EUR", "de")).toBe(123456);
    expect(parseAmount("1,234.56", "USD", "en")).toBe(123456);
    expect(parseAmount("1000", "JPY", "en")).toBe(1000);
    expect(parseAmount("1.250", "BHD", "en")).toBe(1250);
  });

  it("refuses what is not an amount", () => {
    for (const bad of ["", "0", "0.00", "-5", "12.345", "abc", "1e3", "12.5.1"]) {
      expect(parseAmount(bad, "EUR", "en"), bad).toBeNull();
    }
    expect(parseAmount("10.5", "JPY", "en")).toBeNull();
  });
});

import { declineMessageId } from "./decline";

describe("decline reasons", () => {
  it("maps Antom's codes to words a customer may hear, unknown codes to a plain decline", () => {
    expect(declineMessageId("USER_BALANCE_NOT_ENOUGH")).toBe("pay-decline-insufficient-funds");
    expect(declineMessageId("DO_NOT_HONOR")).toBe("pay-decline-do-not-honor");
    expect(declineMessageId("SOMETHING_NEW")).toBe("pay-decline-other");
    expect(declineMessageId(null)).toBe("pay-decline-other");
  });
});

describe("plain amounts for inputs", () => {
  it("round-trips through parseAmount", () => {
    for (const [minor, cur] of [[5000, "EUR"], [5, "USD"], [1000, "JPY"], [1250, "BHD"]] as const) {
      expect(parseAmount(toPlain(minor, cur), cur, "en")).toBe(minor);
    }
    expect(toPlain(5000, "EUR")).toBe("50.00");
  });
});
