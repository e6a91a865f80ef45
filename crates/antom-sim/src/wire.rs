//! Wire helpers shared by the routes, the state machine and notifications: Antom's `result`
//! objects, times as Antom writes them, hex, the card as Antom reports it, and typed access to
//! a request's fields with Antom's validation rules.

use crate::state::Card;
use antom::codes;
use serde_json::{json, Map, Value};
use time::OffsetDateTime;

/// `2026-11-23T10:00:00+00:00`: ISO 8601 with an offset, as in Antom's examples.
pub fn iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn result(code: &str, status: &str, message: &str) -> Value {
    json!({ "result": { "resultCode": code, "resultStatus": status, "resultMessage": message } })
}

pub fn success() -> Map<String, Value> {
    let Value::Object(m) = result(codes::SUCCESS, "S", "success.") else { unreachable!() };
    m
}

pub fn param_illegal(message: impl Into<String>) -> Value {
    result(codes::PARAM_ILLEGAL, "F", &message.into())
}

/// Typed access to a request's fields with Antom's validation rules.
pub struct Fields<'a>(pub &'a Map<String, Value>);

pub type Checked<T> = Result<T, Value>;

impl Fields<'_> {
    pub fn opt_str(&self, name: &str, max: usize) -> Checked<Option<String>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.chars().count() > max => {
                Err(param_illegal(format!("{name} is longer than {max} characters")))
            }
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(param_illegal(format!("{name} must be a string"))),
        }
    }

    pub fn req_str(&self, name: &str, max: usize) -> Checked<String> {
        match self.opt_str(name, max)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(param_illegal(format!("{name} is required"))),
        }
    }

    /// `true`, `false`, `"true"` or `"false"`.
    pub fn opt_bool(&self, name: &str) -> Checked<Option<bool>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(param_illegal(format!("{name} must be true or false"))),
        }
    }

    pub fn obj(&self, name: &str) -> Checked<Fields<'_>> {
        match self.0.get(name) {
            Some(Value::Object(m)) => Ok(Fields(m)),
            None | Some(Value::Null) => Err(param_illegal(format!("{name} is required"))),
            Some(_) => Err(param_illegal(format!("{name} must be an object"))),
        }
    }

    pub fn url(&self, name: &str, required: bool) -> Checked<Option<String>> {
        let v = if required { Some(self.req_str(name, 2048)?) } else { self.opt_str(name, 2048)? };
        if let Some(u) = &v {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(param_illegal(format!("{name} must be an http(s) URL")));
            }
        }
        Ok(v)
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn card_json(c: &Card) -> Value {
    let mut card = json!({
        "cardToken": c.token,
        "maskedCardNo": c.masked(),
        "brand": c.brand,
        "last4": c.last4,
        "expiryMonth": c.expiry_month,
        "expiryYear": c.expiry_year,
        "bin": c.bin,
        "fingerprint": c.fingerprint,
        "funding": c.funding,
        "issuingCountry": c.issuing_country,
    });
    if let Some(name) = &c.holder_name {
        card["cardholderName"] = json!({ "fullName": name });
    }
    json!({ "paymentMethodType": "CARD", "card": card })
}
