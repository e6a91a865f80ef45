//! Wire helpers shared by the routes, the state machine and notifications: Antom's `result`
//! objects, times as Antom writes them, hex, the card as Antom reports it, and typed access to
//! a request's fields with Antom's validation rules.

use crate::state::Card;
use antom::codes;
use serde_json::{json, Map, Value};
use sha2::Digest;
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
    /// `merchantRegion`: optional, an ISO 3166 alpha-2 code (two capital letters), as
    /// createVaultingSession, vaultPaymentMethod and pay all define it.
    pub fn merchant_region(&self) -> Checked<Option<String>> {
        let r = self.opt_str("merchantRegion", 2)?;
        if let Some(r) = &r {
            if !antom::model::is_merchant_region(r) {
                return Err(param_illegal("merchantRegion must be an ISO 3166 alpha-2 code"));
            }
        }
        Ok(r)
    }

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

    /// A URL as Antom's own examples write them: with an http(s) scheme, or none at all
    /// (`www.test.com`); another scheme, white space or control characters are refused. (The
    /// exact rule Antom applies is UNCONFIRMED; this is the tolerant reading of its examples.)
    pub fn url(&self, name: &str, required: bool) -> Checked<Option<String>> {
        let v = if required { Some(self.req_str(name, 2048)?) } else { self.opt_str(name, 2048)? };
        if let Some(u) = &v {
            if !url_like(u) {
                return Err(param_illegal(format!("{name} must be a URL (http, https or no scheme)")));
            }
        }
        Ok(v)
    }
}

pub(crate) fn url_like(u: &str) -> bool {
    if u.is_empty() || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let head = u.split(['/', '?', '#']).next().unwrap_or("");
    match head.split_once(':') {
        // `scheme:` (no dot before the colon); `host:port` has a dot or is `localhost`
        Some((before, _)) if !before.contains('.') && before != "localhost" && !before.starts_with('[') => {
            let scheme = before.to_ascii_lowercase();
            (scheme == "http" || scheme == "https") && u[before.len()..].starts_with("://")
        }
        _ => true,
    }
}

/// What a request means, for idempotency: its JSON with object keys sorted, so two requests
/// with the same fields and values (in any order, with any white space) are the same request.
pub fn fingerprint(fields: &Map<String, Value>) -> String {
    fn canonical(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    canonical(&m[k], out);
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    canonical(x, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    canonical(&Value::Object(fields.clone()), &mut out);
    hex(&sha2::Sha256::digest(out.as_bytes()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_as_antoms_examples_write_them() {
        for ok in [
            "www.test.com",
            "https://a.example/n",
            "HTTP://a.example",
            "a.example:8080/n",
            "localhost:9/n",
            "http://[::1]:9/n",
        ] {
            assert!(url_like(ok), "{ok}");
        }
        for bad in ["ftp://x", "javascript:alert(1)", "mailto:a@b", "a b", "", "https:/x"] {
            assert!(!url_like(bad), "{bad}");
        }
    }

    #[test]
    fn the_fingerprint_ignores_key_order_and_white_space_only() {
        let a: Map<String, Value> = serde_json::from_str(r#"{"a":1,"b":{"y":2,"x":[1,"s"]}}"#).unwrap();
        let b: Map<String, Value> =
            serde_json::from_str("{ \"b\": {\"x\": [1, \"s\"], \"y\": 2},\n \"a\": 1 }").unwrap();
        let c: Map<String, Value> = serde_json::from_str(r#"{"a":1,"b":{"y":2,"x":[1,"t"]}}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }
}
