// Payment and refund states as the UI words them: each state → its message id
// (`payment-state-*`, `refund-state-*`), following the backend's wire names.
import type { PaymentState, RefundState } from "./gen/types";

const kebab = (s: string) => s.toLowerCase().replace(/_/g, "-");

export function paymentStateId(s: PaymentState): string {
  return `payment-state-${kebab(s)}`;
}

export function refundStateId(s: RefundState): string {
  return `refund-state-${kebab(s)}`;
}

/** The tag's colour class for a state. */
export function stateTone(s: PaymentState | RefundState): string {
  switch (s) {
    case "CAPTURED":
    case "SUCCEEDED":
      return "ok";
    case "DECLINED":
    case "REFUSED":
    case "FAILED":
    case "CAPTURE_FAILED":
      return "danger";
    default:
      return "warn";
  }
}

/** The card was charged (authorised, or captured): a receipt exists, a cancel may void it. */
export function isCharged(s: PaymentState): boolean {
  return s === "AUTHORISED" || s === "CAPTURED";
}
