//! Antom's result codes that this workspace acts on, named once: the client, the app and the
//! simulator all use these constants (`antom-protocol.md` §4.3, §5.3, §7.3, §12).

/// `resultCode` of every successful call (`resultStatus` S).
pub const SUCCESS: &str = "SUCCESS";
/// A request field is missing or malformed.
pub const PARAM_ILLEGAL: &str = "PARAM_ILLEGAL";
/// The request signature did not verify (the answer is not signed).
pub const INVALID_SIGNATURE: &str = "INVALID_SIGNATURE";
/// The client id is not registered.
pub const INVALID_CLIENT: &str = "INVALID_CLIENT";
/// No API at that path.
pub const NO_INTERFACE_DEF: &str = "NO_INTERFACE_DEF";
/// `U`: Antom's result is unknown; the same request may be sent again.
pub const UNKNOWN_EXCEPTION: &str = "UNKNOWN_EXCEPTION";
/// A request id re-used with a different body; never retried (a bug signal).
pub const REPEAT_REQ_INCONSISTENT: &str = "REPEAT_REQ_INCONSISTENT";
/// inquireVaulting: Antom never saw this `vaultingRequestId`.
pub const VAULTING_NOT_EXIST: &str = "VAULTING_NOT_EXIST";
/// `U`: the card is still being verified (3D Secure, the issuer); never re-sent as is.
pub const VERIFICATION_IN_PROCESS: &str = "VERIFICATION_IN_PROCESS";
/// vaultPaymentMethod: the card failed verification.
pub const VERIFICATION_FAIL: &str = "VERIFICATION_FAIL";
/// A generic failure (the fallback `vaultingResultCode` of a FAIL without one).
pub const PROCESS_FAIL: &str = "PROCESS_FAIL";
/// The cardholder did not complete 3D Secure.
pub const USER_PAYMENT_VERIFICATION_FAILED: &str = "USER_PAYMENT_VERIFICATION_FAILED";
/// A vaulting session that ended before a card was bound. Antom's code for this is
/// UNCONFIRMED; ORDER_IS_CLOSED is the closest documented `vaultingResultCode`, and the one
/// place that reads it as "expired" is [`crate::outcome::VaultingOutcome::failure`].
pub const ORDER_IS_CLOSED: &str = "ORDER_IS_CLOSED";

// --- payments (§9). Decline codes Antom documents for card payments are many; these are the
// ones the app tells apart. Their exact spellings are UNCONFIRMED where marked: any other F code
// of a pay is read as a plain decline, so a differently spelt code is never mistaken for success.

/// `U`: the payment is being processed (3D Secure, the issuer); never re-sent as a new payment,
/// followed by inquiryPayment.
pub const PAYMENT_IN_PROCESS: &str = "PAYMENT_IN_PROCESS";
/// The issuer declined without saying why (also how lost and stolen cards are answered).
/// UNCONFIRMED spelling.
pub const DO_NOT_HONOR: &str = "DO_NOT_HONOR";
/// Insufficient funds. UNCONFIRMED for cards (Antom's wallet payments use it).
pub const USER_BALANCE_NOT_ENOUGH: &str = "USER_BALANCE_NOT_ENOUGH";
/// The card has expired. UNCONFIRMED spelling.
pub const INVALID_EXPIRATION_DATE: &str = "INVALID_EXPIRATION_DATE";
/// The card token was deleted or never existed. UNCONFIRMED: Antom's answer for a deleted
/// token is not documented (§15).
pub const INVALID_PAYMENT_METHOD_ID: &str = "INVALID_PAYMENT_METHOD_ID";
/// The currency is not one Antom takes (or not for this merchant).
pub const CURRENCY_NOT_SUPPORT: &str = "CURRENCY_NOT_SUPPORT";
/// inquiryPayment / cancel / refund: no such payment.
pub const ORDER_NOT_EXIST: &str = "ORDER_NOT_EXIST";
/// cancel: the payment can no longer be cancelled (settled) — refund it instead.
pub const ORDER_STATUS_INVALID: &str = "ORDER_STATUS_INVALID";
/// refund: more than what is left to refund.
pub const REFUND_AMOUNT_EXCEED: &str = "REFUND_AMOUNT_EXCEED";
/// inquiryRefund: no such refund.
pub const REFUND_NOT_EXIST: &str = "REFUND_NOT_EXIST";
