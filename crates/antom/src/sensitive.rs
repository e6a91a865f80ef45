//! [`Sensitive<T>`]: a wrapper for secrets (private keys, card tokens, card numbers) that cannot be
//! printed or serialised by accident.
//!
//! * `Debug` and `Display` print `<redacted>`.
//! * It does not implement `Serialize`. Protocol types that must put a secret on the wire (a card
//!   token in a response the simulator sends, a card number in `vaultPaymentMethod`) opt in per
//!   field with `#[serde(serialize_with = "crate::sensitive::expose")]`, so every exposure is
//!   visible in the type's definition.
//! * It implements `Deserialize`, so a token received from Antom goes straight into the wrapper.
//! * The inner value is zeroised on drop.
//!
//! ```compile_fail
//! // A Sensitive value cannot be serialised: this does not compile.
//! let s = antom::Sensitive::new(String::from("secret"));
//! let _ = serde_json::to_string(&s);
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroize;

/// A secret value. See the module documentation.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// Borrow the secret. Every call site is a place where the secret leaves its wrapper; keep
    /// them few and never pass the result to a logger.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Sensitive(value)
    }
}

impl<'de, T: Zeroize + Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Sensitive)
    }
}

/// `serialize_with` helper for the few wire fields that must carry a secret.
pub fn expose<T: Zeroize + Serialize, S: Serializer>(value: &Sensitive<T>, serializer: S) -> Result<S::Ok, S::Error> {
    value.0.serialize(serializer)
}

/// `serialize_with` helper for optional wire fields that carry a secret.
pub fn expose_opt<T: Zeroize + Serialize, S: Serializer>(
    value: &Option<Sensitive<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => v.0.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Sensitive::new(String::from("ALIPAYsecret=="));
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), "ALIPAYsecret==");
    }

    #[test]
    fn deserialises_into_the_wrapper() {
        let s: Sensitive<String> = serde_json::from_str("\"tok\"").unwrap();
        assert_eq!(s.expose(), "tok");
    }

    #[test]
    fn explicit_exposure_serialises() {
        #[derive(Serialize)]
        struct Wire {
            #[serde(serialize_with = "expose")]
            token: Sensitive<String>,
        }
        let w = Wire { token: Sensitive::new("t".into()) };
        assert_eq!(serde_json::to_string(&w).unwrap(), r#"{"token":"t"}"#);
    }
}
