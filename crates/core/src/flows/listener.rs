//! The optional notification listener (notifyVaulting, notifyPayment, notifyRefund): for
//! merchants who can expose an address to Antom. It checks each notification's signature (over
//! the request's own path and query), feeds the same state machine as polling, and answers with
//! Antom's fixed acknowledgement. Bodies are never logged.

use super::Flows;
use antom::model::NOTIFY_ACK_BODY;
use antom::PublicKey;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

struct Ctx {
    flows: Arc<Flows>,
    antom_public_key: PublicKey,
    client_id: String,
    status: Arc<std::sync::Mutex<ListenerStatus>>,
}

/// What the listener has seen, for About and Settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ListenerStatus {
    /// The address it listens on (`ip:port`).
    pub address: String,
    /// When the last notification was acknowledged (UTC, RFC 3339).
    pub last_notification_at: Option<String>,
    /// Notifications acknowledged since the listener started.
    pub acknowledged: u32,
    /// The last refusal or failure (never a body): when and why.
    pub last_error: Option<String>,
}

pub struct ListenerHandle {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    status: Arc<std::sync::Mutex<ListenerStatus>>,
}

impl ListenerHandle {
    pub fn status(&self) -> ListenerStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn note(status: &std::sync::Mutex<ListenerStatus>, f: impl FnOnce(&mut ListenerStatus)) {
    f(&mut status.lock().unwrap_or_else(|p| p.into_inner()));
}

impl Drop for ListenerHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The path of a notification URL (`https://shop.example/antom/notify?x=1` → `/antom/notify`).
pub fn route_path(notification_url: &str) -> String {
    let rest = notification_url.split_once("://").map_or(notification_url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().filter(|p| !p.is_empty()).unwrap_or("/").to_string()
}

pub async fn start(
    bind: SocketAddr,
    notification_url: &str,
    flows: Arc<Flows>,
    antom_public_key: PublicKey,
    client_id: String,
) -> std::io::Result<ListenerHandle> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let status = Arc::new(std::sync::Mutex::new(ListenerStatus { address: addr.to_string(), ..Default::default() }));
    let ctx = Arc::new(Ctx { flows, antom_public_key, client_id, status: status.clone() });
    let app = Router::new().route(&route_path(notification_url), post(receive)).with_state(ctx);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    tracing::info!(%addr, "notification listener started");
    Ok(ListenerHandle { addr, shutdown: Some(tx), status })
}

async fn receive(
    State(ctx): State<Arc<Ctx>>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let target = uri.path_and_query().map_or(uri.path().to_string(), |p| p.as_str().to_string());
    let lookup = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    let n = match antom::notify::verify_as::<serde_json::Value>(
        &ctx.antom_public_key,
        &ctx.client_id,
        &target,
        lookup,
        &body,
    ) {
        Ok(n) => n,
        Err(e) => {
            // The kind only: a parse error's text may quote the body.
            let reason = match &e {
                antom::notify::NotifyError::MissingHeader(h) => *h,
                antom::notify::NotifyError::Signature(_) => "signature",
                antom::notify::NotifyError::ClientIdMismatch { .. } => "client id",
                antom::notify::NotifyError::Malformed(_) => "malformed body",
            };
            tracing::warn!(reason, "notification rejected");
            note(&ctx.status, |s| s.last_error = Some(format!("{}: refused ({reason})", crate::db::now())));
            return (StatusCode::UNAUTHORIZED, "");
        }
    };
    let acked = |ctx: &Ctx| {
        note(&ctx.status, |s| {
            s.last_notification_at = Some(crate::db::now());
            s.acknowledged += 1;
        })
    };
    // Which notification it is, by the request id it names.
    let malformed = |e: serde_json::Error| {
        crate::error::AppError::new(
            crate::error::ErrorCode::NotificationInvalid,
            format!("not a notification ({:?})", e.classify()),
        )
    };
    let applied: crate::error::AppResult<(bool, String)> = if n.get("vaultingRequestId").is_some() {
        serde_json::from_value::<antom::model::NotifyVaulting>(n)
            .map_err(malformed)
            .and_then(|n| ctx.flows.binding.apply_notification(&n).map(|a| (a.is_some(), n.vaulting_request_id)))
    } else if n.get("refundRequestId").is_some() {
        serde_json::from_value::<antom::model::NotifyRefund>(n)
            .map_err(malformed)
            .and_then(|n| ctx.flows.refunds.apply_refund_notification(&n).map(|r| (r.is_some(), n.refund_request_id)))
    } else {
        serde_json::from_value::<antom::model::NotifyPayment>(n)
            .map_err(malformed)
            .and_then(|n| ctx.flows.payments.apply_notification(&n).map(|p| (p.is_some(), n.payment_request_id)))
    };
    match applied {
        Ok((true, _)) => {
            acked(&ctx);
            (StatusCode::OK, NOTIFY_ACK_BODY)
        }
        Ok((false, request_id)) => {
            acked(&ctx);
            tracing::warn!(%request_id, "notification for a request this app did not make");
            (StatusCode::OK, NOTIFY_ACK_BODY)
        }
        Err(e) => {
            // Not acknowledged: Antom sends it again later.
            tracing::error!(code = %e.code, "notification could not be applied");
            note(&ctx.status, |s| s.last_error = Some(format!("{}: not applied ({})", crate::db::now(), e.code)));
            (StatusCode::INTERNAL_SERVER_ERROR, "")
        }
    }
}
