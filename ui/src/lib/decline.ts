// A declined payment's reason in words a customer may hear: Antom's result code → a message id
// (`pay-decline-*` in locales/*/app.ftl). Codes nobody listed are a plain decline.

const REASONS: Record<string, string> = {
  DO_NOT_HONOR: "pay-decline-do-not-honor",
  USER_BALANCE_NOT_ENOUGH: "pay-decline-insufficient-funds",
  INVALID_EXPIRATION_DATE: "pay-decline-expired-card",
  USER_PAYMENT_VERIFICATION_FAILED: "pay-decline-authentication",
  INVALID_PAYMENT_METHOD_ID: "pay-decline-card-removed",
};


export function declineMessageId(code: string | null): string {
  return (code && REASONS[code]) || "pay-decline-other";
}
