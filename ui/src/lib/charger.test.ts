import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Payment, PaymentState } from "./gen/types";
import { OPEN_PAYMENT_STATES } from "./gen/types";

const ALL_STATES: PaymentState[] = ["SENDING", "PENDING", "AUTHORISED", "CAPTURED", "CAPTURE_FAILED", "DECLINED", "REFUSED", "CANCELLED"];
import { Charger, FOLLOW_MS, isOpen } from "./charger.svelte";

function payment(state: PaymentState): Payment {
  return { id: 7, state } as Payment;
}

describe("Charger", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("calls a payment open exactly when the backend's list says so", () => {
    for (const s of ALL_STATES) {
      expect(isOpen(payment(s))).toBe(OPEN_PAYMENT_STATES.includes(s));
    }
    expect(ALL_STATES.filter((s) => isOpen(payment(s)))).toEqual(["SENDING", "PENDING", "AUTHORISED"]);
    expect(isOpen(null)).toBe(false);
  });

  it("charges once and follows an open payment until it is settled, one question at a time", async () => {
    const send = vi.fn(async () => payment("SENDING"));
    const answers: PaymentState[] = ["PENDING", "AUTHORISED", "CAPTURED"];
    let running = 0;
    let most = 0;
    const refresh = vi.fn(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, FOLLOW_MS * 2));
      running -= 1;
      return payment(answers.shift() ?? "CAPTURED");
    });
    const c = new Charger(send, refresh);
    await c.charge({ cardId: 1, amount: 100, description: "", reference: null, customerPresent: true, device: null, key: "k".repeat(16) });
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(FOLLOW_MS * 20);
    expect(c.payment?.state).toBe("CAPTURED");
    expect(refresh).toHaveBeenCalledTimes(3);
    expect(most).toBe(1);
  });

  it("does not ask about a settled payment, and stops when told", async () => {
    const refresh = vi.fn(async () => payment("PENDING"));
    const settled = new Charger(async () => payment("DECLINED"), refresh);
    await settled.charge({ cardId: 1, amount: 100, description: "", reference: null, customerPresent: true, device: null, key: "k".repeat(16) });
    await vi.advanceTimersByTimeAsync(FOLLOW_MS * 5);
    expect(refresh).not.toHaveBeenCalled();

    const open = new Charger(async () => payment("PENDING"), refresh);
    await open.charge({ cardId: 1, amount: 100, description: "", reference: null, customerPresent: true, device: null, key: "k".repeat(16) });
    open.stop();
    await vi.advanceTimersByTimeAsync(FOLLOW_MS * 5);
    expect(refresh).not.toHaveBeenCalled();
  });
});
