//! notifyVaulting, notifyPayment, notifyRefund: when a vaulting, payment or refund becomes final,
//! POST it to the merchant's notification URL, signed as Antom signs notifications, and resend it
//! on Antom's schedule until the fixed acknowledgement comes back. Sandbox client ids get one
//! attempt only, as Antom's sandbox never resends.

use crate::shared::Inner;
use crate::state::{key as state_key, NotificationAttempt, Status};
use crate::wire::{card_json, iso};
use antom::codes;
use antom::model::NotifyAck;
use antom::signature;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// Delays before each of the 8 sends: 0 s, 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h.
pub const RESEND_SCHEDULE_SECS: [u64; 8] = [0, 120, 600, 600, 3600, 7200, 21600, 54000];

fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url.split_once("://").map(|(_, r)| r) else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The path and query of the notify URL: what Antom signs for a notification.
fn path_and_query(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => rest[i..].split('#').next().unwrap_or("/").to_string(),
        None => "/".into(),
    }
}

fn log(inner: &Inner, client_id: &str, request_id: &str, attempt: u32, outcome: &str, detail: Option<String>) {
    tracing::info!(%request_id, attempt, outcome, "notification");
    inner.with_state(|st| {
        st.notifications.push(NotificationAttempt {
            client_id: client_id.into(),
            request_id: request_id.into(),
            attempt,
            at: Inner::now(),
            outcome: outcome.into(),
            detail,
        })
    });
}

/// Start delivering the notification for a final vaulting.
pub fn spawn(inner: Arc<Inner>, key: String) {
    tokio::spawn(async move { deliver(inner, key).await });
}

async fn deliver(inner: Arc<Inner>, key: String) {
    let Some((client_id, request_id, url, body)) = inner.read_state(|st| {
        let v = st.vaultings.get(&key)?;
        let success = v.status == Status::Success;
        let code = v.result_code.clone().unwrap_or_else(|| if success { codes::SUCCESS.into() } else { codes::PROCESS_FAIL.into() });
        let mut body = json!({
            "result": { "resultCode": code, "resultStatus": if success { "S" } else { "F" }, "resultMessage": v.result_message.clone().unwrap_or_default() },
            "vaultingRequestId": v.request_id,
            "vaultingCreateTime": iso(v.created_at),
            "vaultingStatus": if success { "SUCCESS" } else { "FAIL" },
        });
        // paymentMethodDetail is required in every notifyVaulting: the bound card, or for a
        // failure the payment method without a token.
        body["paymentMethodDetail"] = match (&v.card, success) {
            (Some(c), true) => card_json(c),
            _ => json!({ "paymentMethodType": "CARD" }),
        };
        Some((v.client_id.clone(), v.request_id.clone(), v.notification_url.clone(), body.to_string()))
    }) else {
        return;
    };
    debug_assert_eq!(state_key(&client_id, &request_id), key);
    send(inner, client_id, request_id, url, body).await;
}

/// Start delivering a notification whose body the caller built (notifyPayment, notifyRefund:
/// [`crate::payment`] renders them); `request_id` names it in the notification log.
pub fn spawn_body(inner: Arc<Inner>, client_id: String, request_id: String, url: String, body: String) {
    tokio::spawn(async move { send(inner, client_id, request_id, url, body).await });
}

/// Post one notification on the resend schedule until it is acknowledged; `request_id` names it
/// in the notification log.
async fn send(inner: Arc<Inner>, client_id: String, request_id: String, url: String, body: String) {
    let (drop_it, duplicate) = {
        let mut f = inner.faults.lock().unwrap_or_else(|p| p.into_inner());
        let d = f.drop_notifications > 0;
        if d {
            f.drop_notifications -= 1;
        }
        let dup = !d && f.duplicate_notifications > 0;
        if dup {
            f.duplicate_notifications -= 1;
        }
        (d, dup)
    };
    if drop_it {
        log(&inner, &client_id, &request_id, 1, "DROPPED", Some("simulated fault: never delivered".into()));
        return;
    }
    if !is_loopback_url(&url) && !inner.config.allow_remote_notifications {
        log(
            &inner,
            &client_id,
            &request_id,
            1,
            "NOT_LOOPBACK",
            Some("the simulator only posts to loopback addresses".into()),
        );
        return;
    }
    let signed_path = path_and_query(&url);
    let sandbox = antom::gateway::is_sandbox_client(&client_id);
    for (i, delay) in RESEND_SCHEDULE_SECS.iter().enumerate() {
        let attempt = i as u32 + 1;
        tokio::time::sleep(inner.config.scaled(Duration::from_secs(*delay))).await;
        let sends = if duplicate && i == 0 { 2 } else { 1 };
        let mut acked = false;
        for n in 0..sends {
            let request_time = iso(Inner::now());
            let sig =
                signature::sign(&inner.config.antom_key, &signed_path, &client_id, &request_time, body.as_bytes(), "1");
            let resp = inner
                .http
                .post(&url)
                .header("content-type", "application/json; charset=UTF-8")
                .header("client-id", &client_id)
                .header("request-time", &request_time)
                .header("signature", sig.to_header_value())
                .body(body.clone())
                .send()
                .await;
            let (outcome, detail) = match resp {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let text = r.bytes().await.unwrap_or_default();
                    let ok =
                        status == 200 && serde_json::from_slice::<NotifyAck>(&text).is_ok_and(|a| a.is_acknowledged());
                    acked |= ok;
                    (if ok { "ACKNOWLEDGED" } else { "NOT_ACKNOWLEDGED" }, Some(format!("HTTP {status}")))
                }
                Err(e) => ("UNREACHABLE", Some(e.to_string())),
            };
            let outcome = if n > 0 { format!("DUPLICATE_{outcome}") } else { outcome.to_string() };
            log(&inner, &client_id, &request_id, attempt, &outcome, detail);
        }
        if acked || sandbox {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_url_parts() {
        assert!(is_loopback_url("http://127.0.0.1:8080/n?x=1"));
        assert!(is_loopback_url("http://[::1]/n"));
        assert!(is_loopback_url("http://localhost/n"));
        assert!(!is_loopback_url("https://merchant.example/n"));
        assert_eq!(path_and_query("http://127.0.0.1:8080/antom/notify?shop=1#x"), "/antom/notify?shop=1");
        assert_eq!(path_and_query("http://127.0.0.1:8080"), "/");
    }
}
