//! Check connection (issue 21): one signed call that cannot change anything at Antom —
//! `inquireVaulting` for a random request id — read line by line, so a shop learns before the
//! first customer whether its Antom set-up works and, if not, which part is wrong:
//!
//! | item | passes when | fails as |
//! | --- | --- | --- |
//! | reach | an HTTP answer came back | `DNS_FAILED`, `TLS_FAILED`, `PROXY_FAILED`, `CONNECT_FAILED`, `TIMED_OUT`, `HTTP_ERROR` |
//! | client and host | the environment and the client id agree, and Antom knows the id there | `SANDBOX_ID_ON_PRODUCTION`, `PRODUCTION_ID_ON_SANDBOX`, `CLIENT_UNKNOWN` |
//! | our signature | Antom did not answer `INVALID_SIGNATURE` | `SIGNATURE_REJECTED` (the public key uploaded to Antom is not this private key's) |
//! | Antom's answer | its signature verifies with Antom's public key | `KEYS_SWAPPED` (our own public key in Antom's field), `ANSWER_NOT_VERIFIED` |
//! | clock | the answer's `response-time` is within [`CLOCK_TOLERANCE`] of this computer's clock | `CLOCK_OFF` (with the offset) |
//!
//! `VAULTING_NOT_EXIST` (or any other verified answer) proves that the signature, the client id,
//! the host and the path were all accepted. The request is signed for the path the
//! *environment* implies (`/ams/sandbox/api` for the sandbox, `/ams/api` for production), so a
//! client id from the other environment is refused as Antom would refuse it, rather than quietly
//! sent where its prefix points. The request is data ([`Target`]); the transport is passed in.
//!
//! The last result is kept beside the settings (`connection-check.json`) with a fingerprint of
//! what was checked (environment, host, client id, both keys), for the go-live checklist: any
//! change makes it stale.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::settings::Environment;
use antom::model::{ErrorResponse, InquireVaultingRequest, InquireVaultingResponse};
use antom::transport::{HttpRequest, Transport, TransportError};
use antom::{signature, Gateway, MerchantPrivateKey, PublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::Duration;
use ts_rs::TS;

/// A clock further than this from Antom's is reported (the client logs beyond it too).
pub const CLOCK_TOLERANCE: Duration = antom::client::WARN_RESPONSE_SKEW;

crate::wire_enum! {
    /// The lines of the check, in the order they are read.
    pub enum CheckItem {
        /// The host answered over HTTPS (DNS, TLS, proxy).
        Reach = "REACH",
        /// The client id belongs to this environment and Antom knows it there.
        ClientHost = "CLIENT_HOST",
        /// Antom accepted our signature.
        Signature = "SIGNATURE",
        /// Antom's answer verified with Antom's public key.
        Answer = "ANSWER",
        /// This computer's clock agrees with Antom's.
        Clock = "CLOCK",
    }
}

crate::wire_enum! {
    /// How one line came out.
    pub enum CheckStatus {
        Pass = "PASS",
        Fail = "FAIL",
        /// Not reached: an earlier line failed.
        Skipped = "SKIPPED",
    }
}

crate::wire_enum! {
    /// What a line found; each has a translated verdict and next step (`check-<code>`).
    pub enum CheckCode {
        Reachable = "REACHABLE",
        DnsFailed = "DNS_FAILED",
        TlsFailed = "TLS_FAILED",
        ProxyFailed = "PROXY_FAILED",
        ConnectFailed = "CONNECT_FAILED",
        TimedOut = "TIMED_OUT",
        /// An HTTP answer that is not Antom's (a wrong host or a proxy's error page).
        HttpError = "HTTP_ERROR",
        ClientHostAgree = "CLIENT_HOST_AGREE",
        /// A `SANDBOX_` client id with the production environment.
        SandboxIdOnProduction = "SANDBOX_ID_ON_PRODUCTION",
        /// A live client id with the sandbox environment.
        ProductionIdOnSandbox = "PRODUCTION_ID_ON_SANDBOX",
        /// Antom does not know this client id on this host and path.
        ClientUnknown = "CLIENT_UNKNOWN",
        SignatureAccepted = "SIGNATURE_ACCEPTED",
        SignatureRejected = "SIGNATURE_REJECTED",
        AnswerVerified = "ANSWER_VERIFIED",
        /// Antom's public key field holds our own public key.
        KeysSwapped = "KEYS_SWAPPED",
        AnswerNotVerified = "ANSWER_NOT_VERIFIED",
        ClockOk = "CLOCK_OK",
        ClockOff = "CLOCK_OFF",
        NotChecked = "NOT_CHECKED",
    }
}

/// One line of the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub item: CheckItem,
    pub status: CheckStatus,
    pub code: CheckCode,
    /// The clock offset in seconds (`CLOCK_*`), or the HTTP status (`HTTP_ERROR`).
    #[ts(type = "number | null")]
    pub value: Option<i64>,
}

/// The whole check.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub environment: Environment,
    /// RFC 3339, UTC.
    pub checked_at: String,
    /// Every line passed.
    pub ok: bool,
    pub verdicts: Vec<Verdict>,
    /// For a developer helping the shop: the exact signed string (as `antom explain` prints
    /// it), where it went, and what came back. No key and no signature.
    pub details: String,
}

/// What to check: the Antom set-up as data.
pub struct Target {
    pub environment: Environment,
    pub gateway: Gateway,
    pub client_id: String,
    pub merchant_key: MerchantPrivateKey,
    pub antom_public_key: PublicKey,
    /// `merchantAccountId` (the token APIs'): part of what was checked, so changing it asks for
    /// a new check.
    pub merchant_account_id: Option<String>,
}

impl Target {
    /// The path the environment implies for `inquireVaulting`.
    fn path(&self) -> String {
        let production = antom::api::INQUIRE_VAULTING;
        match self.environment {
            Environment::Sandbox => production.replacen("/ams/api", "/ams/sandbox/api", 1),
            // demo follows the client id, as the app's own client does
            Environment::Demo => antom::gateway::api_path(&self.client_id, production),
            Environment::Production => production.to_string(),
        }
    }

    /// What was checked, as a fingerprint (no key material can be read back from it).
    pub fn fingerprint(&self) -> String {
        let text = format!(
            "{}|{}|{}|{}|{}|{}",
            self.environment.as_str(),
            self.gateway.origin(),
            self.client_id,
            self.merchant_key.public_key().to_spki_base64(),
            self.antom_public_key.to_spki_base64(),
            self.merchant_account_id.as_deref().unwrap_or("")
        );
        crate::crypto::hex(&Sha256::digest(text.as_bytes()))
    }
}

fn verdict(item: CheckItem, status: CheckStatus, code: CheckCode) -> Verdict {
    Verdict { item, status, code, value: None }
}

fn skipped(item: CheckItem) -> Verdict {
    verdict(item, CheckStatus::Skipped, CheckCode::NotChecked)
}

/// The environment and the client id, before anything is sent.
fn local_client_host(t: &Target) -> Option<CheckCode> {
    let sandbox_id = antom::gateway::is_sandbox_client(&t.client_id);
    match t.environment {
        Environment::Production if sandbox_id => Some(CheckCode::SandboxIdOnProduction),
        Environment::Sandbox if !sandbox_id => Some(CheckCode::ProductionIdOnSandbox),
        _ => None,
    }
}

/// A transport failure in the words of its cause.
fn reach_failure(e: &TransportError) -> CheckCode {
    match e {
        TransportError::Timeout => CheckCode::TimedOut,
        TransportError::Connect(d) | TransportError::Io(d) => {
            let d = d.to_ascii_lowercase();
            if d.contains("dns") || d.contains("lookup") || d.contains("resolve") {
                CheckCode::DnsFailed
            } else if d.contains("proxy") {
                CheckCode::ProxyFailed
            } else if d.contains("certificate") || d.contains("tls") || d.contains("handshake") || d.contains("ssl") {
                CheckCode::TlsFailed
            } else {
                CheckCode::ConnectFailed
            }
        }
    }
}

/// Run the check: one `inquireVaulting` for a random request id.
pub async fn run(target: &Target, transport: &dyn Transport) -> ConnectionCheck {
    run_at(target, transport, time::OffsetDateTime::now_utc()).await
}

async fn run_at(target: &Target, transport: &dyn Transport, now: time::OffsetDateTime) -> ConnectionCheck {
    let path = target.path();
    let mut random = [0u8; 12];
    let _ = getrandom::fill(&mut random);
    let request_id = format!("cardbind-check-{}", crate::crypto::hex(&random));
    let body =
        serde_json::to_vec(&InquireVaultingRequest { vaulting_request_id: request_id, merchant_account_id: None })
            .expect("a request serialises");
    let request_time = antom::client::request_time_now();
    let sig = signature::sign(&target.merchant_key, &path, &target.client_id, &request_time, &body, "1");
    let url = format!("{}{path}", target.gateway.origin());
    let mut details = format!("POST {url}\n{}", signature::explain(&path, &target.client_id, &request_time, &body));
    let request = HttpRequest {
        url: url.clone(),
        headers: vec![
            ("Content-Type".into(), "application/json; charset=UTF-8".into()),
            ("client-id".into(), target.client_id.clone()),
            ("request-time".into(), request_time.clone()),
            ("signature".into(), sig.to_header_value()),
        ],
        body: body.into(),
    };
    let local = local_client_host(target);
    let client_host_pass = || match local {
        Some(code) => verdict(CheckItem::ClientHost, CheckStatus::Fail, code),
        None => verdict(CheckItem::ClientHost, CheckStatus::Pass, CheckCode::ClientHostAgree),
    };
    let mut verdicts = Vec::new();
    let resp = match transport.send(request).await {
        Err(e) => {
            details.push_str(&format!("\nno answer: {e}\n"));
            verdicts.push(verdict(CheckItem::Reach, CheckStatus::Fail, reach_failure(&e)));
            return finish(target, verdicts, details, now);
        }
        Ok(r) => r,
    };
    details.push_str(&format!("\nHTTP {}\n", resp.status));
    for h in ["client-id", "response-time"] {
        if let Some(v) = resp.header(h) {
            details.push_str(&format!("{h}: {v}\n"));
        }
    }
    details.push_str(&format!(
        "signature header: {}\n",
        if resp.header("signature").is_some() { "present" } else { "absent" }
    ));
    if let Ok(r) = serde_json::from_slice::<ErrorResponse>(&resp.body) {
        details.push_str(&format!(
            "result: {} {:?} {}\n",
            r.result.result_code,
            r.result.result_status,
            r.result.result_message.as_deref().unwrap_or("")
        ));
    }
    if resp.status != 200 {
        verdicts.push(Verdict {
            value: Some(resp.status as i64),
            ..verdict(CheckItem::Reach, CheckStatus::Fail, CheckCode::HttpError)
        });
        return finish(target, verdicts, details, now);
    }
    verdicts.push(verdict(CheckItem::Reach, CheckStatus::Pass, CheckCode::Reachable));

    let Some(sig) = resp.header("signature") else {
        // Antom signs no answer when it refuses who we are; its body says why (read only to
        // pick the verdict, never as data).
        let code =
            serde_json::from_slice::<ErrorResponse>(&resp.body).map(|r| r.result.result_code).unwrap_or_default();
        match code.as_str() {
            antom::codes::INVALID_CLIENT => {
                verdicts.push(verdict(
                    CheckItem::ClientHost,
                    CheckStatus::Fail,
                    local.unwrap_or(CheckCode::ClientUnknown),
                ));
            }
            antom::codes::INVALID_SIGNATURE => {
                verdicts.push(client_host_pass());
                verdicts.push(verdict(CheckItem::Signature, CheckStatus::Fail, CheckCode::SignatureRejected));
            }
            _ => {
                verdicts.push(client_host_pass());
                verdicts.push(verdict(CheckItem::Signature, CheckStatus::Pass, CheckCode::SignatureAccepted));
                verdicts.push(verdict(CheckItem::Answer, CheckStatus::Fail, CheckCode::AnswerNotVerified));
            }
        }
        return finish(target, verdicts, details, now);
    };
    // A signed answer: Antom knew the client and accepted our signature.
    verdicts.push(client_host_pass());
    verdicts.push(verdict(CheckItem::Signature, CheckStatus::Pass, CheckCode::SignatureAccepted));
    let client_id = resp.header("client-id").unwrap_or_default();
    let response_time = resp.header("response-time").unwrap_or_default();
    let verified = signature::verify(&target.antom_public_key, &path, client_id, response_time, &resp.body, Some(sig))
        .is_ok()
        && client_id == target.client_id
        && serde_json::from_slice::<InquireVaultingResponse>(&resp.body).is_ok();
    if !verified {
        let swapped = target.antom_public_key == target.merchant_key.public_key();
        let code = if swapped { CheckCode::KeysSwapped } else { CheckCode::AnswerNotVerified };
        verdicts.push(verdict(CheckItem::Answer, CheckStatus::Fail, code));
        return finish(target, verdicts, details, now);
    }
    verdicts.push(verdict(CheckItem::Answer, CheckStatus::Pass, CheckCode::AnswerVerified));
    match antom::client::parse_time(response_time) {
        Some(at) => {
            let skew = (now - at).whole_seconds();
            let (status, code) = if skew.unsigned_abs() <= CLOCK_TOLERANCE.as_secs() {
                (CheckStatus::Pass, CheckCode::ClockOk)
            } else {
                (CheckStatus::Fail, CheckCode::ClockOff)
            };
            details.push_str(&format!("this computer's clock minus Antom's: {skew} s\n"));
            verdicts.push(Verdict { value: Some(skew), ..verdict(CheckItem::Clock, status, code) });
        }
        None => verdicts.push(skipped(CheckItem::Clock)),
    }
    finish(target, verdicts, details, now)
}

/// Fill in the lines not reached, in order.
fn finish(target: &Target, mut verdicts: Vec<Verdict>, details: String, now: time::OffsetDateTime) -> ConnectionCheck {
    for item in CheckItem::ALL {
        if !verdicts.iter().any(|v| v.item == *item) {
            verdicts.push(skipped(*item));
        }
    }
    let ok = verdicts.iter().all(|v| v.status == CheckStatus::Pass);
    let checked_at = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    tracing::info!(
        environment = target.environment.as_str(),
        ok,
        failed = ?verdicts.iter().filter(|v| v.status == CheckStatus::Fail).map(|v| v.code.as_str()).collect::<Vec<_>>(),
        "connection check"
    );
    ConnectionCheck { environment: target.environment, checked_at, ok, verdicts, details }
}

// ----- the last result, for the go-live checklist -----

const FILE: &str = "connection-check.json";

/// The last check, remembered with what it checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCheck {
    pub fingerprint: String,
    pub ok: bool,
    pub checked_at: String,
}

pub fn save_last(config_dir: &Path, last: &LastCheck) -> AppResult<()> {
    std::fs::create_dir_all(config_dir)
        .and_then(|_| {
            let tmp = config_dir.join(format!("{FILE}.tmp"));
            std::fs::write(&tmp, serde_json::to_vec(last).expect("serialises"))?;
            std::fs::rename(tmp, config_dir.join(FILE))
        })
        .map_err(|e| AppError::new(ErrorCode::DataDirUnavailable, format!("cannot save the check's result: {e}")))
}

/// The last check, if one was saved and can be read (a damaged file is as good as none).
pub fn load_last(config_dir: &Path) -> Option<LastCheck> {
    serde_json::from_slice(&std::fs::read(config_dir.join(FILE)).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_failures_are_named_by_cause() {
        let c = |s: &str| reach_failure(&TransportError::Connect(s.into()));
        assert_eq!(c("dns error: failed to lookup address information"), CheckCode::DnsFailed);
        assert_eq!(c("invalid peer certificate: UnknownIssuer"), CheckCode::TlsFailed);
        assert_eq!(c("error trying to connect: tcp connect error: Connection refused"), CheckCode::ConnectFailed);
        assert_eq!(c("proxy authentication required"), CheckCode::ProxyFailed);
        assert_eq!(reach_failure(&TransportError::Timeout), CheckCode::TimedOut);
    }
}
