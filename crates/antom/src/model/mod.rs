//! Typed request and response bodies (`antom-protocol.md` §4–§10).
//!
//! * Field names are Antom's camelCase. Unknown fields are ignored, never an error: Antom adds
//!   fields over time.
//! * Booleans are accepted as `true` or `"true"` (the API pages say every scalar is sent as a
//!   string; the SDKs send JSON booleans).
//! * [`CardDetail`], the card data we keep from a binding, has no `cardNo` or `cvv` field, so raw
//!   card data cannot be stored by accident. The card token is a `Sensitive` string.

mod notifications;
mod payments;
mod tokens;
mod vaulting;
pub use notifications::*;
pub use payments::*;
pub use tokens::*;
pub use vaulting::*;

macro_rules! has_result {
    ($($t:ty),*) => {$(
        impl HasResult for $t {
            fn result(&self) -> &AntomResult { &self.result }
        }
    )*};
}

has_result!(
    CreateVaultingSessionResponse,
    InquireVaultingResponse,
    VaultPaymentMethodResponse,
    PayResponse,
    InquiryPaymentResponse,
    CancelResponse,
    RefundResponse,
    InquiryRefundResponse,
    DeleteTokenResponse,
    InquireTokenResponse,
    NotifyPayment,
    NotifyRefund,
    NotifyCapture,
    ErrorResponse,
    NotifyVaulting,
    NotifyAck
);
