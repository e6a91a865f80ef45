//! HTTP behind a trait, so the client can be driven by any HTTP stack; [`ReqwestTransport`] is the
//! real one (rustls, timeouts).

use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl HttpResponse {
    /// A header by name, case-insensitively (the first if repeated).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A failure below HTTP: nothing usable came back. Always safe to retry for Antom's idempotent
/// calls, because the retry carries the same request id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("timed out")]
    Timeout,
    #[error("the connection failed: {0}")]
    Io(String),
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

pub trait Transport: Send + Sync {
    fn send(&self, request: HttpRequest) -> SendFuture<'_>;
}

/// Timeouts as Antom's Java and Python SDKs use them: 15 s to connect, 15 s to read.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(15), total: Duration::from_secs(30) }
    }
}

/// The real transport.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// `use_proxy`: honour the system's proxy settings (off for loopback gateways).
    pub fn new(timeouts: Timeouts, use_proxy: bool) -> Result<Self, TransportError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.total)
            .user_agent(concat!("cardbind-antom/", env!("CARGO_PKG_VERSION")))
            // A signed request goes to the gateway it was signed for and nowhere else: a 3xx
            // is an answer (an error), never followed.
            .redirect(reqwest::redirect::Policy::none());
        if !use_proxy {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| TransportError::Connect(e.to_string()))?;
        Ok(ReqwestTransport { client })
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            let mut rb = self.client.post(&request.url);
            for (k, v) in &request.headers {
                rb = rb.header(k, v);
            }
            let resp = rb.body(request.body).send().await.map_err(classify)?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
                .collect();
            let body = resp.bytes().await.map_err(classify)?;
            Ok(HttpResponse { status, headers, body })
        })
    }
}

fn classify(e: reqwest::Error) -> TransportError {
    // reqwest's Display for a connect error is "error sending request"; the cause has the detail.
    let detail = std::error::Error::source(&e).map_or_else(|| e.to_string(), |s| s.to_string());
    if e.is_timeout() {
        TransportError::Timeout
    } else if e.is_connect() {
        TransportError::Connect(detail)
    } else {
        TransportError::Io(detail)
    }
}
