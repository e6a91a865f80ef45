//! The client over real HTTP on loopback (reqwest → a small scripted HTTP/1.1 server), covering
//! retries with the same request id, response signature checks and transport faults.

use antom::model::*;
use antom::signature;
use antom::transport::{ReqwestTransport, Timeouts};
use antom::{AntomClient, AntomError, ClientConfig, Gateway, MerchantPrivateKey, RetryPolicy};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn merchant_key() -> &'static MerchantPrivateKey {
    static K: OnceLock<MerchantPrivateKey> = OnceLock::new();
    K.get_or_init(|| MerchantPrivateKey::generate(2048).unwrap())
}
fn antom_key() -> &'static MerchantPrivateKey {
    static K: OnceLock<MerchantPrivateKey> = OnceLock::new();
    K.get_or_init(|| MerchantPrivateKey::generate(2048).unwrap())
}
fn other_key() -> &'static MerchantPrivateKey {
    static K: OnceLock<MerchantPrivateKey> = OnceLock::new();
    K.get_or_init(|| MerchantPrivateKey::generate(2048).unwrap())
}

#[derive(Clone)]
enum Reply {
    /// Signed with Antom's key, as Antom signs.
    Signed(String),
    /// Signed as Antom signs, with this response-time (a recorded answer played back later).
    SignedAt(String, String),
    /// A redirect elsewhere (a captive portal, a wrong base URL, a hostile proxy).
    Redirect(String),
    /// Signed over a different body than the one sent.
    TamperedBody(String),
    /// Signed with a key that is not Antom's.
    WrongKey(String),
    /// Signed, but for another client id.
    OtherClient(String),
    /// No signature header.
    Unsigned(String),
    Status(u16),
    /// Close the connection without answering.
    Drop,
}

#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, n: &str) -> &str {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.as_str()).unwrap()
    }
}

struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

async fn serve(script: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    tokio::spawn(async move {
        for reply in script {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let header_end = loop {
                let n = sock.read(&mut chunk).await.unwrap();
                assert!(n > 0, "client closed early");
                buf.extend_from_slice(&chunk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
            };
            let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
            let mut lines = head.split("\r\n");
            let path = lines.next().unwrap().split(' ').nth(1).unwrap().to_string();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
                .collect();
            let len: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, v)| v.parse().unwrap());
            while buf.len() < header_end + len {
                let n = sock.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[header_end..header_end + len].to_vec();
            let client_id = headers.iter().find(|(k, _)| k == "client-id").map(|(_, v)| v.clone()).unwrap_or_default();
            seen2.lock().unwrap().push(Seen { path: path.clone(), headers, body });

            let now = time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap();
            let signed_at = |rt: &str, key: &MerchantPrivateKey, cid: &str, signed_body: &str, sent_body: &str| {
                let sig = signature::sign(key, &path, cid, rt, signed_body.as_bytes(), "1").to_header_value();
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nclient-id: {cid}\r\nresponse-time: {rt}\r\nsignature: {sig}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{sent_body}",
                    sent_body.len()
                )
            };
            let rt = now.as_str();
            let signed = |key: &MerchantPrivateKey, cid: &str, signed_body: &str, sent_body: &str| {
                let sig = signature::sign(key, &path, cid, rt, signed_body.as_bytes(), "1").to_header_value();
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nclient-id: {cid}\r\nresponse-time: {rt}\r\nsignature: {sig}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{sent_body}",
                    sent_body.len()
                )
            };
            let response = match reply {
                Reply::Signed(b) => signed(antom_key(), &client_id, &b, &b),
                Reply::SignedAt(b, at) => signed_at(&at, antom_key(), &client_id, &b, &b),
                Reply::Redirect(to) => format!(
                    "HTTP/1.1 307 Temporary Redirect\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                ),
                Reply::TamperedBody(b) => signed(antom_key(), &client_id, &b.replace("SUCCESS", "FAIL"), &b),
                Reply::WrongKey(b) => signed(other_key(), &client_id, &b, &b),
                Reply::OtherClient(b) => signed(antom_key(), "SOMEONE_ELSE", &b, &b),
                Reply::Unsigned(b) => format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{b}",
                    b.len()
                ),
                Reply::Status(s) => format!("HTTP/1.1 {s} Oops\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"),
                Reply::Drop => {
                    drop(sock);
                    continue;
                }
            };
            sock.write_all(response.as_bytes()).await.unwrap();
            let _ = sock.shutdown().await;
        }
    });
    Server { port, seen }
}

fn client(port: u16, client_id: &str, attempts: u32) -> AntomClient {
    let mut cfg = ClientConfig::new(
        Gateway::custom(&format!("http://127.0.0.1:{port}")).unwrap(),
        client_id,
        merchant_key().clone(),
        antom_key().public_key(),
    );
    cfg.retry = RetryPolicy {
        max_attempts: attempts,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(80),
    };
    let transport =
        ReqwestTransport::new(Timeouts { connect: Duration::from_secs(2), total: Duration::from_secs(5) }, false)
            .unwrap();
    AntomClient::new(cfg, Arc::new(transport))
}

const OK_SESSION: &str = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"vaultingSessionData":"a&&SG&&b&&e30=","vaultingSessionId":"s1","vaultingSessionExpiryTime":"2099-11-23T10:30:00+08:00"}"#;
const UNKNOWN: &str = r#"{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U","resultMessage":"unknown"}}"#;
const PROCESS_FAIL: &str = r#"{"result":{"resultCode":"PROCESS_FAIL","resultStatus":"F","resultMessage":"fail"}}"#;
const INVALID_SIG: &str =
    r#"{"result":{"resultCode":"INVALID_SIGNATURE","resultStatus":"F","resultMessage":"invalid signature"}}"#;

fn create() -> CreateVaultingSessionRequest {
    CreateVaultingSessionRequest::card("vr-\u{e9}-0001", "https://merchant.example/notify")
}

fn assert_signed_by_merchant(s: &Seen, client_id: &str) {
    assert_eq!(s.header("client-id"), client_id);
    assert_eq!(s.header("content-type"), "application/json; charset=UTF-8");
    signature::verify(
        &merchant_key().public_key(),
        &s.path,
        client_id,
        s.header("request-time"),
        &s.body,
        Some(s.header("signature")),
    )
    .expect("the request signature verifies with the merchant public key");
}

#[tokio::test]
async fn success_is_verified_and_parsed() {
    let srv = serve(vec![Reply::Signed(OK_SESSION.into())]).await;
    let resp = client(srv.port, "2188120000000001", 3).call(&create()).await.unwrap();
    assert_eq!(resp.attempts, 1);
    assert_eq!(resp.body.vaulting_session_id.as_deref(), Some("s1"));
    let seen = srv.seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/ams/api/v1/vaults/createVaultingSession");
    assert_signed_by_merchant(&seen[0], "2188120000000001");
    assert!(seen[0].header("request-time").parse::<u64>().is_ok(), "ms epoch like the Java and Go SDKs");
}

#[tokio::test]
async fn sandbox_client_ids_use_and_sign_the_sandbox_path() {
    let srv = serve(vec![Reply::Signed(OK_SESSION.into())]).await;
    client(srv.port, "SANDBOX_5X00000000000000", 1).call(&create()).await.unwrap();
    let seen = srv.seen.lock().unwrap();
    assert_eq!(seen[0].path, "/ams/sandbox/api/v1/vaults/createVaultingSession");
    assert_signed_by_merchant(&seen[0], "SANDBOX_5X00000000000000");
}

#[tokio::test]
async fn unknown_results_and_transport_faults_retry_with_the_same_request_id() {
    let srv =
        serve(vec![Reply::Signed(UNKNOWN.into()), Reply::Drop, Reply::Status(503), Reply::Signed(OK_SESSION.into())])
            .await;
    let resp = client(srv.port, "C1", 4).call(&create()).await.unwrap();
    assert_eq!(resp.attempts, 4);
    assert!(resp.body.result.is_success());
    let seen = srv.seen.lock().unwrap();
    assert_eq!(seen.len(), 4);
    for s in seen.iter() {
        assert_eq!(s.body, seen[0].body, "every attempt sends the same body, so the same vaultingRequestId");
        assert_signed_by_merchant(s, "C1");
    }
    let body: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(body["vaultingRequestId"], "vr-\u{e9}-0001");
    let times: Vec<&str> = seen.iter().map(|s| s.header("request-time")).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "each attempt is signed afresh: {times:?}");
}

#[tokio::test]
async fn retries_are_bounded() {
    let srv =
        serve(vec![Reply::Signed(UNKNOWN.into()), Reply::Signed(UNKNOWN.into()), Reply::Signed(UNKNOWN.into())]).await;
    let resp = client(srv.port, "C1", 3).call(&create()).await.unwrap();
    assert_eq!(resp.attempts, 3);
    assert_eq!(
        resp.body.result.result_status,
        ResultStatus::U,
        "the last unknown result is returned for the caller to handle"
    );

    let srv = serve(vec![Reply::Status(502), Reply::Status(502)]).await;
    let err = client(srv.port, "C1", 2).call(&create()).await.unwrap_err();
    assert_eq!(err, AntomError::HttpStatus { status: 502, attempts: 2 });
    assert!(err.is_transient(), "a later call with the same request id may succeed");
}

#[tokio::test]
async fn failures_are_final_and_not_retried() {
    let srv = serve(vec![Reply::Signed(PROCESS_FAIL.into()), Reply::Signed(OK_SESSION.into())]).await;
    let resp = client(srv.port, "C1", 4).call(&create()).await.unwrap();
    assert_eq!(resp.attempts, 1);
    assert_eq!(resp.body.result.class(), ResultClass::Failed);
    assert_eq!(srv.seen.lock().unwrap().len(), 1);

    // vaultPaymentMethod's U needs a new request id, so it is not repeated as is
    let srv = serve(vec![Reply::Signed(UNKNOWN.into()), Reply::Signed(OK_SESSION.into())]).await;
    let vpm = VaultPaymentMethodRequest {
        vaulting_request_id: "v1".into(),
        vaulting_notification_url: "https://m.example/n".into(),
        redirect_url: "https://m.example/r".into(),
        merchant_region: None,
        payment_method_detail: VaultPaymentMethodDetail {
            payment_method_type: "CARD".into(),
            card: CardInput {
                card_no: antom::Sensitive::new("4111111111111111".into()),
                brand: None,
                cardholder_name: None,
                cvv: Some(antom::Sensitive::new("123".into())),
                expiry_year: "30".into(),
                expiry_month: "12".into(),
            },
        },
        env: Env { terminal_type: Some("WEB".into()), ..Env::default() },
        merchant_account_id: None,
        metadata: None,
    };
    let resp = client(srv.port, "C1", 4).call(&vpm).await.unwrap();
    assert_eq!(resp.attempts, 1);
    let seen = srv.seen.lock().unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(
        sent["paymentMethodDetail"]["card"]["cardNo"], "4111111111111111",
        "the wire carries the exposed number"
    );
    assert!(!format!("{vpm:?}").contains("4111111111111111"), "but Debug does not");
}

#[tokio::test]
async fn bad_response_signatures_are_errors() {
    type Check = fn(&AntomError) -> bool;
    let cases: Vec<(Reply, Check)> = vec![
        (Reply::Unsigned(INVALID_SIG.into()), |e| *e == AntomError::RequestSignatureRejected),
        (Reply::Unsigned(OK_SESSION.into()), |e| {
            matches!(e, AntomError::ResponseSignature(signature::SignatureError::Missing))
        }),
        (Reply::TamperedBody(OK_SESSION.into()), |e| {
            matches!(e, AntomError::ResponseSignature(signature::SignatureError::Mismatch))
        }),
        (Reply::WrongKey(OK_SESSION.into()), |e| {
            matches!(e, AntomError::ResponseSignature(signature::SignatureError::Mismatch))
        }),
        (Reply::OtherClient(OK_SESSION.into()), |e| matches!(e, AntomError::ClientIdMismatch { .. })),
        (Reply::Signed("{not json".into()), |e| matches!(e, AntomError::MalformedResponse { .. })),
        (Reply::Signed(r#"{"vaultingSessionId":"no result"}"#.into()), |e| {
            matches!(e, AntomError::MalformedResponse { .. })
        }),
        (Reply::Status(404), |e| matches!(e, AntomError::HttpStatus { status: 404, attempts: 1 })),
    ];
    for (reply, check) in cases {
        let srv = serve(vec![reply.clone(), Reply::Signed(OK_SESSION.into())]).await;
        let err = client(srv.port, "C1", 3).call(&create()).await.unwrap_err();
        assert!(check(&err), "unexpected {err:?}");
        assert_eq!(srv.seen.lock().unwrap().len(), 1, "{err:?} is not retried");
        let msg = err.to_string();
        assert!(!msg.contains("vaultingSessionData") && !msg.contains("a&&SG"), "errors never echo bodies: {msg}");
    }
}

#[tokio::test]
async fn unreachable_gateway() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = client(port, "C1", 2).call(&create()).await.unwrap_err();
    assert!(matches!(err, AntomError::Transport { attempts: 2, .. }), "{err:?}");
    assert!(err.is_transient());
}

#[test]
fn prepared_requests_are_data() {
    let c = client(1, "SANDBOX_X", 1);
    let p =
        c.prepare(&InquireVaultingRequest { vaulting_request_id: "vr-1".into(), merchant_account_id: None }).unwrap();
    assert_eq!(p.url, "http://127.0.0.1:1/ams/sandbox/api/v1/vaults/inquireVaulting");
    assert_eq!(&p.body[..], br#"{"vaultingRequestId":"vr-1"}"#);
    let dbg = format!("{p:?}");
    assert!(!dbg.contains("signature="), "{dbg}");
    signature::verify(
        &merchant_key().public_key(),
        &p.path,
        "SANDBOX_X",
        &p.request_time,
        &p.body,
        p.header("signature"),
    )
    .unwrap();
}

fn inquire_req(id: &str) -> InquireVaultingRequest {
    InquireVaultingRequest { vaulting_request_id: id.into(), merchant_account_id: None }
}

/// A signed answer is only accepted as the answer to the request it names: a recorded SUCCESS
/// for binding A, played back by anything on the path, is not binding B's.
#[tokio::test]
async fn an_answer_for_another_request_id_is_refused() {
    let a_success = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingRequestId":"vr-A","vaultingStatus":"SUCCESS","paymentMethodDetail":{"paymentMethodType":"CARD","card":{"cardToken":"ALIPAYaaa","maskedCardNo":"************1111","brand":"VISA"}}}"#;
    let srv = serve(vec![Reply::Signed(a_success.into()), Reply::Signed(a_success.into())]).await;
    let c = client(srv.port, "C1", 3);
    let err = c.call(&inquire_req("vr-B")).await.unwrap_err();
    assert!(matches!(err, AntomError::AnswerMismatch { .. }), "{err:?}");
    assert_eq!(srv.seen.lock().unwrap().len(), 1, "not retried");
    assert!(c.call(&inquire_req("vr-A")).await.is_ok(), "it is the answer to vr-A");

    // a success that names no request id at all is not trusted either
    let anonymous = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingStatus":"SUCCESS"}"#;
    let srv = serve(vec![Reply::Signed(anonymous.into())]).await;
    let err = client(srv.port, "C1", 1).call(&inquire_req("vr-B")).await.unwrap_err();
    assert!(matches!(err, AntomError::AnswerMismatch { .. }), "{err:?}");

    // pay: paymentRequestId, when echoed, must be ours
    let other_pay =
        r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentRequestId":"pay-A","paymentId":"P1"}"#;
    let srv = serve(vec![Reply::Signed(other_pay.into())]).await;
    let pay = PayRequest::card_on_file(
        "pay-B",
        antom::Sensitive::new("ALIPAYaaa".to_string()),
        Amount { currency: "USD".into(), value: "100".into() },
        "x",
        "https://merchant.example/return",
    );
    let err = client(srv.port, "C1", 1).call(&pay).await.unwrap_err();
    assert!(matches!(err, AntomError::AnswerMismatch { .. }), "{err:?}");
}

/// Answers that echo nothing of their request (createVaultingSession, deleteToken) are bound by
/// time: one signed well before the request was sent, or a session that already expired, is an
/// earlier answer played back and is refused.
#[tokio::test]
async fn answers_that_echo_nothing_are_bound_by_time() {
    let earlier = |mins: i64| {
        (time::OffsetDateTime::now_utc() - time::Duration::minutes(mins))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let ok = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."}}"#;
    let delete = DeleteTokenRequest {
        merchant_account_id: "2188116129848784".into(),
        token: antom::Sensitive::new("ALIPAYaaa".to_string()),
    };
    // 15 minutes old: within the general skew allowed, but not after this request was sent
    let srv = serve(vec![Reply::SignedAt(ok.into(), earlier(15)), Reply::SignedAt(ok.into(), earlier(0))]).await;
    let c = client(srv.port, "C1", 1);
    let err = c.call(&delete).await.unwrap_err();
    assert!(matches!(err, AntomError::AnswerMismatch { .. }), "{err:?}");
    assert!(c.call(&delete).await.is_ok(), "a fresh answer is read");
    // a session answer whose session has already expired
    let expired = OK_SESSION.replace("2099-11-23T10:30:00+08:00", "2026-01-01T10:30:00+08:00");
    let srv = serve(vec![Reply::Signed(expired)]).await;
    let err = client(srv.port, "C1", 1).call(&create()).await.unwrap_err();
    assert!(matches!(err, AntomError::AnswerMismatch { .. }), "{err:?}");
}

/// A signed answer far from now (played back later, or a computer clock far off) is refused.
#[tokio::test]
async fn an_answer_signed_long_ago_is_refused() {
    let body = r#"{"result":{"resultCode":"VAULTING_NOT_EXIST","resultStatus":"F"},"vaultingRequestId":"vr-old"}"#;
    let srv = serve(vec![
        Reply::SignedAt(body.into(), "2026-01-01T10:00:00+08:00".into()),
        Reply::SignedAt(body.into(), antom::client::request_time_now()),
    ])
    .await;
    let c = client(srv.port, "C1", 1);
    let err = c.call(&inquire_req("vr-old")).await.unwrap_err();
    assert!(matches!(err, AntomError::StaleResponse { .. }), "{err:?}");
    assert!(c.call(&inquire_req("vr-old")).await.is_ok(), "ms-epoch response times are read too");
}

/// A signed request is never sent on to where a redirect points.
#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere =
        serve(vec![Reply::Signed(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#.into())]).await;
    let srv =
        serve(vec![Reply::Redirect(format!("http://127.0.0.1:{}/ams/api/v1/vaults/inquireVaulting", elsewhere.port))])
            .await;
    let err = client(srv.port, "C1", 1).call(&inquire_req("vr-r")).await.unwrap_err();
    assert!(matches!(err, AntomError::HttpStatus { status: 307, .. }), "{err:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(elsewhere.seen.lock().unwrap().is_empty(), "the signed request went nowhere else");
}
