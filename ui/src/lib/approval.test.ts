import { describe, expect, it } from "vitest";
import { approvalMessage } from "./approval";
import type { ApprovalRequest } from "./gen/types";

const base: ApprovalRequest = {
  command: "payment_refund",
  permission: "refundPayments",
  amount: 100,
  currency: "EUR",
  cardBrand: "VISA",
  cardLast4: "1111",
  paymentReference: "till-1-0042",
  customerName: "Ana",
  subject: "payment:7",
};

describe("the approval pad's words", () => {
  it("names the action, the amount, the payment and the card", () => {
    const m = approvalMessage(base, "en");
    expect(m.id).toBe("approval-what-refund");
    expect(m.args.amount).toBe("€1.00");
    expect(m.args.card).toBe("VISA •••• 1111");
    expect(m.args.payment).toBe("till-1-0042");
  });

  it("lists the settings a save changes, without the digest", () => {
    const m = approvalMessage({ ...base, command: "settings_save", amount: null, subject: "settings:baseUrl,clientId#ab12cd" }, "en");
    expect(m.id).toBe("approval-what-settings");
    expect(m.args.fields).toBe("baseUrl, clientId");
  });

  it("has words for a command it does not know", () => {
    expect(approvalMessage({ ...base, command: "something_new" }, "en").id).toBe("approval-what-other");
  });
});
