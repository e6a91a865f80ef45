//! The Antom client: requests built and signed as data ([`AntomClient::prepare`]), sent through a
//! [`Transport`], every response's signature checked before its body is read, and retries that
//! re-send the same body (so the same `vaultingRequestId`) with a fresh `request-time`.

use crate::api::Endpoint;
use crate::gateway::{api_path, Gateway};
use crate::keys::{MerchantPrivateKey, PublicKey};
use crate::model::{ErrorResponse, HasResult, ResultClass};
use crate::signature::{self, SignatureError, DEFAULT_KEY_VERSION};
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;

/// How often and how patiently to retry. Only transport failures, HTTP 5xx/429 and `U` results
/// are retried; `F`, signature problems and other HTTP statuses never are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(400),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::default() }
    }

    /// Exponential backoff with "equal jitter": half fixed, half random, capped.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        let jitter = getrandom::u32().unwrap_or(0) as f64 / u32::MAX as f64;
        half + half.mul_f64(jitter)
    }
}

/// Everything the client needs besides the transport.
#[derive(Clone)]
pub struct ClientConfig {
    pub gateway: Gateway,
    pub client_id: String,
    pub key_version: String,
    pub merchant_key: Arc<MerchantPrivateKey>,
    pub antom_public_key: Arc<PublicKey>,
    pub retry: RetryPolicy,
    /// How far a response's `response-time` may be from this computer's clock before the answer
    /// is refused. Antom's own window is UNCONFIRMED; 30 minutes is generous for a shop computer
    /// with a drifting clock, and still refuses an answer recorded earlier and played back.
    pub max_response_skew: Duration,
    /// For an answer that echoes nothing of its request ([`crate::api::Endpoint::unbound_answer`]:
    /// createVaultingSession, deleteToken): how much earlier than the request's own
    /// `request-time` it may have been signed. Such an answer is bound to its request by time
    /// alone, so a recorded one played back later is refused; the window allows for this
    /// computer's clock running ahead of Antom's.
    pub unbound_answer_window: Duration,
}

/// Skews above this are logged (a clock that drifts), below [`ClientConfig::max_response_skew`].
pub const WARN_RESPONSE_SKEW: Duration = Duration::from_secs(120);

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("gateway", &self.gateway)
            .field("client_id", &self.client_id)
            .field("key_version", &self.key_version)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    pub fn new(
        gateway: Gateway,
        client_id: impl Into<String>,
        merchant_key: MerchantPrivateKey,
        antom_public_key: PublicKey,
    ) -> Self {
        ClientConfig {
            gateway,
            client_id: client_id.into(),
            key_version: DEFAULT_KEY_VERSION.to_string(),
            merchant_key: Arc::new(merchant_key),
            antom_public_key: Arc::new(antom_public_key),
            retry: RetryPolicy::default(),
            max_response_skew: Duration::from_secs(30 * 60),
            unbound_answer_window: Duration::from_secs(10 * 60),
        }
    }
}

/// A request ready to send: built and signed, no I/O done. Its `Debug` leaves out the signature.
#[derive(Clone)]
pub struct PreparedRequest {
    pub url: String,
    pub path: String,
    pub request_time: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl std::fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("url", &self.url)
            .field("request_time", &self.request_time)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl PreparedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn to_http(&self) -> HttpRequest {
        HttpRequest { url: self.url.clone(), headers: self.headers.clone(), body: self.body.clone() }
    }
}

/// A verified response with how it was obtained.
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub body: T,
    /// Attempts made, the first included.
    pub attempts: u32,
    pub response_time: String,
}

/// Why a call did not produce a verified response. Business failures (`F`) are not errors: they
/// come back in the response's `result`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AntomError {
    #[error("the request could not be serialised: {0}")]
    Request(String),
    #[error("Antom could not be reached after {attempts} attempt(s): {source}")]
    Transport { source: TransportError, attempts: u32 },
    #[error("Antom answered HTTP {status} after {attempts} attempt(s)")]
    HttpStatus { status: u16, attempts: u32 },
    #[error("Antom rejected the request signature (INVALID_SIGNATURE): check the merchant private key, the client id and the key uploaded to Antom")]
    RequestSignatureRejected,
    #[error("the response signature is missing or invalid: {0}")]
    ResponseSignature(SignatureError),
    #[error("the response is for client id {found:?}, not ours")]
    ClientIdMismatch { found: String },
    #[error("the response has no {0} header")]
    MissingHeader(&'static str),
    #[error("the response body is not what {endpoint} returns: {detail}")]
    MalformedResponse { endpoint: &'static str, detail: String },
    #[error("{endpoint}: a signed answer to another request was refused ({detail})")]
    AnswerMismatch { endpoint: &'static str, detail: String },
    #[error("the answer was signed at {response_time}, {skew_secs} s from this computer's clock; it was refused (an old answer played back, or a clock far off)")]
    StaleResponse { response_time: String, skew_secs: i64 },
}

impl AntomError {
    /// Whether a later call with the same request id may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, AntomError::Transport { .. } | AntomError::HttpStatus { .. })
    }
}

/// Current time as ms since the Unix epoch, the form the Java and Go SDKs send.
pub fn request_time_now() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    now.as_millis().to_string()
}

pub struct AntomClient {
    config: ClientConfig,
    transport: Arc<dyn Transport>,
}

impl AntomClient {
    pub fn new(config: ClientConfig, transport: Arc<dyn Transport>) -> Self {
        AntomClient { config, transport }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The path this client requests (and signs) for an endpoint.
    pub fn path_for<E: Endpoint>(&self) -> String {
        api_path(&self.config.client_id, E::PATH)
    }

    /// Build and sign a request with the current time; no I/O.
    pub fn prepare<E: Endpoint>(&self, request: &E) -> Result<PreparedRequest, AntomError> {
        let body = serde_json::to_vec(request).map_err(|e| AntomError::Request(e.to_string()))?;
        Ok(self.sign_body(self.path_for::<E>(), Bytes::from(body), request_time_now()))
    }

    fn sign_body(&self, path: String, body: Bytes, request_time: String) -> PreparedRequest {
        let c = &self.config;
        let sig = signature::sign(&c.merchant_key, &path, &c.client_id, &request_time, &body, &c.key_version);
        PreparedRequest {
            url: format!("{}{}", c.gateway.origin(), path),
            headers: vec![
                ("Content-Type".into(), "application/json; charset=UTF-8".into()),
                ("client-id".into(), c.client_id.clone()),
                ("request-time".into(), request_time.clone()),
                ("signature".into(), sig.to_header_value()),
            ],
            path,
            request_time,
            body,
        }
    }

    /// Send a call, verify the response, parse it, and retry per the policy. The body is
    /// serialised once, so every attempt carries the same request id.
    pub async fn call<E: Endpoint>(&self, request: &E) -> Result<Response<E::Response>, AntomError> {
        let first = self.prepare(request)?;
        let policy = self.config.retry;
        let max = policy.max_attempts.max(1);
        let mut attempt = 1;
        let mut prepared = first;
        loop {
            let outcome = self.transport.send(prepared.to_http()).await;
            let retryable_failure = match outcome {
                Err(e) => Err(AntomError::Transport { source: e, attempts: attempt }),
                Ok(resp) if resp.status >= 500 || resp.status == 429 => {
                    Err(AntomError::HttpStatus { status: resp.status, attempts: attempt })
                }
                Ok(resp) => {
                    let parsed = self.verify_and_parse::<E::Response>(&prepared.path, E::NAME, &resp, attempt)?;
                    request
                        .check_answer(&parsed.body)
                        .map_err(|detail| AntomError::AnswerMismatch { endpoint: E::NAME, detail })?;
                    if request.unbound_answer() {
                        self.check_answered_after(E::NAME, &prepared.request_time, &parsed.response_time)?;
                    }
                    let retry_u =
                        parsed.body.result().class() == ResultClass::RetrySame && request.retry_same_on_unknown();
                    if !retry_u || attempt >= max {
                        return Ok(parsed);
                    }
                    tracing::info!(endpoint = E::NAME, attempt, code = %parsed.body.result().result_code, "unknown result; retrying with the same request id");
                    Ok(())
                }
            };
            if let Err(e) = &retryable_failure {
                if attempt >= max {
                    return Err(retryable_failure.unwrap_err());
                }
                tracing::info!(endpoint = E::NAME, attempt, error = %e, "transient failure; retrying with the same request id");
            }
            tokio::time::sleep(policy.backoff(attempt)).await;
            attempt += 1;
            prepared = self.sign_body(prepared.path, prepared.body, request_time_now());
        }
    }

    /// Check a response's HTTP status, headers and signature, then parse its body.
    pub fn verify_and_parse<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        endpoint: &'static str,
        resp: &HttpResponse,
        attempts: u32,
    ) -> Result<Response<T>, AntomError> {
        if resp.status != 200 {
            return Err(AntomError::HttpStatus { status: resp.status, attempts });
        }
        let Some(sig) = resp.header("signature") else {
            // Antom sends no signature when it rejects ours. The body is untrusted, so it is
            // only used to choose the clearer error message, never as data.
            if let Ok(err) = serde_json::from_slice::<ErrorResponse>(&resp.body) {
                if err.result.result_code == crate::codes::INVALID_SIGNATURE {
                    return Err(AntomError::RequestSignatureRejected);
                }
            }
            return Err(AntomError::ResponseSignature(SignatureError::Missing));
        };
        let client_id = resp.header("client-id").ok_or(AntomError::MissingHeader("client-id"))?;
        let response_time = resp.header("response-time").ok_or(AntomError::MissingHeader("response-time"))?;
        signature::verify(&self.config.antom_public_key, path, client_id, response_time, &resp.body, Some(sig))
            .map_err(AntomError::ResponseSignature)?;
        if client_id != self.config.client_id {
            return Err(AntomError::ClientIdMismatch { found: client_id.to_string() });
        }
        self.check_response_time(endpoint, response_time)?;
        let body = serde_json::from_slice::<T>(&resp.body)
            .map_err(|e| AntomError::MalformedResponse { endpoint, detail: e.to_string() })?;
        Ok(Response { body, attempts, response_time: response_time.to_string() })
    }
}

impl AntomClient {
    /// The response-time (signed, so not altered on the way) against this computer's clock.
    fn check_response_time(&self, endpoint: &'static str, response_time: &str) -> Result<(), AntomError> {
        let Some(at) = parse_time(response_time) else {
            // Antom's formats are ISO 8601 and ms epoch; anything else is logged and not judged.
            tracing::warn!(endpoint, "a response-time in an unknown format; its age was not checked");
            return Ok(());
        };
        let now = time::OffsetDateTime::now_utc();
        let skew = (now - at).whole_seconds();
        if skew.unsigned_abs() > self.config.max_response_skew.as_secs() {
            return Err(AntomError::StaleResponse { response_time: response_time.to_string(), skew_secs: skew });
        }
        if skew.unsigned_abs() > WARN_RESPONSE_SKEW.as_secs() {
            tracing::warn!(endpoint, skew_secs = skew, "Antom's answer is far from this computer's clock");
        }
        Ok(())
    }
}

impl AntomClient {
    /// An answer that echoes nothing must have been signed after its request was sent (less
    /// [`ClientConfig::unbound_answer_window`] for clocks apart).
    fn check_answered_after(
        &self,
        endpoint: &'static str,
        request_time: &str,
        response_time: &str,
    ) -> Result<(), AntomError> {
        let (Some(sent), Some(signed)) = (parse_time(request_time), parse_time(response_time)) else {
            tracing::warn!(endpoint, "a response-time in an unknown format; not compared with the request's");
            return Ok(());
        };
        let early = (sent - signed).whole_seconds();
        if early > self.config.unbound_answer_window.as_secs() as i64 {
            return Err(AntomError::AnswerMismatch {
                endpoint,
                detail: format!("signed {early} s before this request was sent: an earlier answer played back"),
            });
        }
        Ok(())
    }
}

pub use crate::times::parse_time;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_both_of_antoms_forms() {
        let a = parse_time("2019-05-28T12:12:14+08:00").unwrap();
        let b = parse_time("1559016734000").unwrap();
        assert_eq!(a, b);
        assert!(parse_time("yesterday").is_none());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
        };
        for attempt in 1..10 {
            let b = p.backoff(attempt);
            let full = (Duration::from_millis(100) * (1 << (attempt - 1))).min(Duration::from_millis(1000));
            assert!(b >= full / 2 && b <= full, "attempt {attempt}: {b:?}");
        }
    }
}
