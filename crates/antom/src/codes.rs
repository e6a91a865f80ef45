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
