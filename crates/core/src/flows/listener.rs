//! The optional notification listener: for merchants who can expose an address to Antom. It
//! checks each notification's signature (over the request's path and query, then its path
//! alone), tells the notification's kind by `notifyType` (reference §9.5), feeds the same
//! machines as polling, and answers Antom's fixed acknowledgement as JSON. Bodies are never
//! logged.
//!
//! | `notifyType` | what it does |
//! | --- | --- |
//! | `PAYMENT_RESULT`, `PAYMENT_PENDING` | the payment machine ([`super::payments`]) |
//! | `CAPTURE_RESULT` | the capture machine ([`super::capture`]) |
//! | `REFUND_RESULT` | the refund machine ([`super::refunds`]) |
//! | none, with `vaultingRequestId` | the binding machine ([`super::binding`]) |
//! | anything else that verifies (disputes, …) | acknowledged, logged by type and ids, shown in About |
//!
//! The server is small on purpose: a cap on open connections, a time limit on a request's
//! headers and on its body, and a body limit far below anything Antom sends.

use super::Flows;
use antom::model::{NotificationKind, NOTIFY_ACK_BODY};
use antom::PublicKey;
use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The largest notification body read (Antom's are a few KiB).
pub const BODY_LIMIT: usize = 64 * 1024;
/// Connections served at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 32;
/// Time for a request's headers, and for its body.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// The "verification finished" page's path on the listener (`paymentRedirectUrl` when the shop
/// has one), and the page: the same file the app's web view serves.
pub const PAYMENT_DONE_PATH: &str = "/cardbind/payment-done";
const PAYMENT_DONE_PAGE: &str = include_str!("../../../../ui/public/payment-done.html");
/// Notifications of kinds cardbind does not act on, kept for About (newest first).
const UNHANDLED_KEPT: usize = 20;

struct Ctx {
    flows: Arc<Flows>,
    antom_public_key: PublicKey,
    client_id: String,
    status: Arc<std::sync::Mutex<ListenerStatus>>,
}

/// A verified notification cardbind does not act on: its type and the ids it names.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UnhandledNotification {
    pub notify_type: String,
    pub at: String,
    /// `paymentId`, `disputeId`, … as the body names them (never the body itself).
    pub ids: Vec<String>,
}

/// What the listener has seen, for About and Settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ListenerStatus {
    /// The address it listens on (`ip:port`).
    pub address: String,
    /// It listens on an address other than loopback: reachable from the shop's network, not
    /// only through the reverse proxy or tunnel on this computer (Settings warns).
    pub exposed: bool,
    /// When the last notification was acknowledged (UTC, RFC 3339).
    pub last_notification_at: Option<String>,
    /// Notifications acknowledged since the listener started.
    pub acknowledged: u32,
    /// The last refusal or failure (never a body): when and why.
    pub last_error: Option<String>,
    /// Verified notifications of kinds cardbind does not act on (disputes, …), newest first.
    pub unhandled: Vec<UnhandledNotification>,
}

pub struct ListenerHandle {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::watch::Sender<bool>>,
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
            let _ = tx.send(true);
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
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "the notification listener listens beyond this computer (not loopback)");
    }
    let status = Arc::new(std::sync::Mutex::new(ListenerStatus {
        address: addr.to_string(),
        exposed: !addr.ip().is_loopback(),
        ..Default::default()
    }));
    let ctx = Arc::new(Ctx { flows, antom_public_key, client_id, status: status.clone() });
    let app = Router::new()
        .route(&route_path(notification_url), post(receive))
        .route(PAYMENT_DONE_PATH, get(payment_done))
        .with_state(ctx);
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(serve(listener, app, rx));
    tracing::info!(%addr, "notification listener started");
    Ok(ListenerHandle { addr, shutdown: Some(tx), status })
}

/// Accept connections (at most [`MAX_CONNECTIONS`] at once) and serve each over HTTP/1.1 with a
/// header timeout, until shut down.
async fn serve(listener: tokio::net::TcpListener, app: Router, mut stop: tokio::sync::watch::Receiver<bool>) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => return },
            _ = stop.changed() => return,
        };
        let (socket, _) = tokio::select! {
            a = listener.accept() => match a {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "the notification listener could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = stop.changed() => return,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut stop_conn = stop.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .keep_alive(false)
                .serve_connection(hyper_util::rt::TokioIo::new(socket), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop_conn.changed() => conn.as_mut().graceful_shutdown(),
            }
        });
    }
}

/// Where a finished 3D Secure page sends the buyer's frame (`paymentRedirectUrl` when the shop
/// has a listener): a page that says so; nothing is read from it.
async fn payment_done() -> Response {
    let mut r = PAYMENT_DONE_PAGE.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    r
}

fn ack() -> Response {
    let mut r = (StatusCode::OK, NOTIFY_ACK_BODY).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// The ids a notification names, for the log and About (never the body).
fn ids_of(n: &serde_json::Value) -> Vec<String> {
    ["paymentRequestId", "paymentId", "captureId", "refundRequestId", "refundId", "vaultingRequestId", "disputeId"]
        .iter()
        .filter_map(|k| {
            n.get(*k).and_then(|v| v.as_str()).map(|v| format!("{k}={}", v.chars().take(64).collect::<String>()))
        })
        .collect()
}

async fn receive(State(ctx): State<Arc<Ctx>>, uri: OriginalUri, headers: HeaderMap, body: Body) -> Response {
    let body = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            note(&ctx.status, |s| s.last_error = Some(format!("{}: refused (body too large)", crate::db::now())));
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        }
        Err(_) => return StatusCode::REQUEST_TIMEOUT.into_response(),
    };
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
            return StatusCode::UNAUTHORIZED.into_response();
        }
    };
    let acked = |ctx: &Ctx| {
        note(&ctx.status, |s| {
            s.last_notification_at = Some(crate::db::now());
            s.acknowledged += 1;
        })
    };
    let malformed = |e: serde_json::Error| {
        crate::error::AppError::new(
            crate::error::ErrorCode::NotificationInvalid,
            format!("not a notification of its type ({:?})", e.classify()),
        )
    };
    let kind = NotificationKind::of(&n);
    let ids = ids_of(&n);
    let flows = &ctx.flows;
    let applied: crate::error::AppResult<bool> = match &kind {
        NotificationKind::Vaulting => serde_json::from_value::<antom::model::NotifyVaulting>(n)
            .map_err(malformed)
            .and_then(|n| flows.binding.apply_notification(&n).map(|a| a.is_some())),
        NotificationKind::Refund => serde_json::from_value::<antom::model::NotifyRefund>(n)
            .map_err(malformed)
            .and_then(|n| flows.refunds.apply_refund_notification(&n).map(|r| r.is_some())),
        NotificationKind::Payment => serde_json::from_value::<antom::model::NotifyPayment>(n)
            .map_err(malformed)
            .and_then(|n| flows.payments.apply_notification(&n).map(|p| p.is_some())),
        NotificationKind::Capture => serde_json::from_value::<antom::model::NotifyCapture>(n)
            .map_err(malformed)
            .and_then(|n| flows.capture.apply_notification(&n).map(|p| p.is_some())),
        NotificationKind::Other(notify_type) => {
            // Verified, so Antom's: acknowledged (or it is resent for a day), logged by type.
            tracing::info!(notify_type = %notify_type, ids = ?ids, "a notification cardbind does not act on; acknowledged");
            note(&ctx.status, |s| {
                s.unhandled.insert(
                    0,
                    UnhandledNotification { notify_type: notify_type.clone(), at: crate::db::now(), ids: ids.clone() },
                );
                s.unhandled.truncate(UNHANDLED_KEPT);
            });
            Ok(true)
        }
    };
    match applied {
        Ok(ours) => {
            if !ours {
                tracing::warn!(kind = ?kind, ids = ?ids, "notification for a request this app did not make");
            }
            acked(&ctx);
            ack()
        }
        Err(e) => {
            // Not acknowledged: Antom sends it again later.
            tracing::error!(code = %e.code, kind = ?kind, "notification could not be applied");
            note(&ctx.status, |s| s.last_error = Some(format!("{}: not applied ({})", crate::db::now(), e.code)));
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
