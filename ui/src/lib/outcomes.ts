// What the binding page does with the Antom SDK's events, and which words the alert page uses
// for each outcome. Pure, so every branch is unit-tested.
//
// The SDK's events are hints (Antom's docs: the authoritative result is inquireVaulting or
// notifyVaulting); a success or failure event only makes the backend ask Antom. Which codes a
// vaulting element emits is UNCONFIRMED in Antom's docs (web-sdk.md §10); the tolerant reading
// taken here: the SDK_PAYMENT_* family, and any unknown code is ignored rather than fatal.

export type SdkAction =
  | "loaded" // the element is showing
  | "confirm" // the element says it finished: ask Antom
  | "processing" // 3D Secure or the issuer is still working: keep the element, poll Antom
  | "cancel" // the customer closed the element
  | "expired" // the session ended before a card was entered
  | "connection" // the element lost its connection
  | "error" // the SDK could not show or run the element
  | "ignore";

export function classifySdkEvent(code: string | undefined, resultCode?: string | null): SdkAction {
  switch (code) {
    case "SDK_END_OF_LOADING":
      return "loaded";
    case "SDK_PAYMENT_SUCCESSFUL":
    case "SDK_PAYMENT_FAIL":
      return "confirm";
    case "SDK_PAYMENT_PROCESSING":
      return "processing";
    case "SDK_PAYMENT_CANCEL":
      return "cancel";
    case "SDK_PAYMENT_ERROR":
      if (resultCode === "ORDER_IS_CLOSED") return "expired";
      if (resultCode === "NETWORK_ERROR") return "connection";
      if (resultCode === "REPEAT_REQ_INCONSISTENT") return "confirm";
      return "error";
    case "SDK_CREATECOMPONENT_ERROR":
    case "SDK_CREATEPAYMENT_PARAMETER_ERROR":
    case "SDK_INIT_PARAMETER_ERROR":
    case "SDK_INTERNAL_ERROR":
    case "SDK_LAUNCH_PAYMENT_APP_ERROR":
      return "error";
    default:
      return "ignore";
  }
}

export type AlertKind = "declined" | "expired" | "cancelled" | "timeout" | "connection" | "sdk-error" | "error";

export interface AlertInfo {
  kind: AlertKind;
  /** Antom's result code, the SDK's event code or the app's error code. */
  code: string | null;
  /** Technical details (shown small, for support). */
  details?: string;
}

/** Message ids of the alert page: title, what happened, what to do next. */
export const ALERT_IDS: Record<AlertKind, { title: string; text: string; next: string }> = {
  declined: { title: "alert-declined-title", text: "decline-generic", next: "alert-declined-next" },
  expired: { title: "alert-expired-title", text: "alert-expired-text", next: "alert-expired-next" },
  cancelled: { title: "alert-cancelled-title", text: "alert-cancelled-text", next: "alert-cancelled-next" },
  timeout: { title: "alert-timeout-title", text: "alert-timeout-text", next: "alert-timeout-next" },
  connection: { title: "alert-connection-title", text: "alert-connection-text", next: "alert-connection-next" },
  "sdk-error": { title: "alert-sdk-error-title", text: "alert-sdk-error-text", next: "alert-sdk-error-next" },
  error: { title: "alert-error-title", text: "alert-error-text", next: "alert-error-next" },
};

// Lost, stolen, picked-up and fraud declines are shown as a plain decline: the customer is in
// front of the screen, and card schemes ask merchants not to reveal those reasons.
const DECLINE_IDS: Record<string, string> = {
  DO_NOT_HONOR: "decline-do-not-honor",
  CARD_EXPIRED: "decline-card-expired",
  INVALID_CARD_NUMBER: "decline-invalid-card-number",
  INVALID_CVV: "decline-invalid-cvv",
  CARD_NOT_SUPPORTED: "decline-card-not-supported",
  RESTRICTED_CARD: "decline-restricted-card",
  USER_PAYMENT_VERIFICATION_FAILED: "decline-verification-failed",
  RISK_REJECT: "decline-generic",
  FRAUD_REJECT: "decline-generic",
  LOST_CARD: "decline-generic",
  STOLEN_CARD: "decline-generic",
  PICKUP_CARD: "decline-generic",
  PROCESS_FAIL: "decline-generic",
};

/** The alert page's main text for an outcome. */
export function alertTextId(alert: AlertInfo): string {
  if (alert.kind === "declined") return DECLINE_IDS[alert.code ?? ""] ?? "decline-generic";
  return ALERT_IDS[alert.kind].text;
}

/** Which alert a final, unsuccessful attempt leads to. */
export function alertForAttempt(state: string, resultCode: string | null, message: string | null): AlertInfo {
  if (state === "EXPIRED" || resultCode === "ORDER_IS_CLOSED") {
    return { kind: "expired", code: resultCode, details: message ?? undefined };
  }
  if (state === "CANCELLED") return { kind: "cancelled", code: null };
  if (state === "ABANDONED") return { kind: "error", code: resultCode ?? "VAULTING_NOT_EXIST", details: message ?? undefined };
  return { kind: "declined", code: resultCode, details: message ?? undefined };
}
