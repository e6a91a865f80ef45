//! A simulator on loopback, a card database in a temp dir, and a binding flow between them.

use antom::transport::{ReqwestTransport, Timeouts};
use antom::{AntomClient, ClientConfig, Gateway, MerchantPrivateKey, RetryPolicy};
use antom_sim::{SimConfig, SimHandle, Simulator};
use cardbind_core::crypto::DataKey;
use cardbind_core::db::Db;
use cardbind_core::flows::{BindingFlow, FlowOptions, Flows, PollPolicy, Till};
use cardbind_core::store::{self, ConsentInput, CustomerInput};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const CLIENT: &str = "2188120000000077";

pub fn merchant_key() -> &'static MerchantPrivateKey {
    cardbind_testkit::test_key(0)
}

pub fn antom_key() -> &'static MerchantPrivateKey {
    cardbind_testkit::test_key(1)
}

pub fn sim_config() -> SimConfig {
    let mut c = SimConfig::new(antom_key().clone()).with_client(CLIENT, merchant_key().public_key());
    c.time_scale = 0.001;
    c
}

/// Put the demo keys into this (private) keyring, where the children's [`keyring_client`] reads
/// them: the merchant key, the simulator's public key and a data key.
pub fn store_keys_for_children() {
    let secrets = cardbind_core::secrets::Secrets::new(cardbind_core::settings::Environment::Demo);
    secrets.store_merchant_key(merchant_key()).unwrap();
    secrets.store_antom_public_key(&antom_key().public_key()).unwrap();
    secrets.data_key().unwrap();
}

/// A child process's Antom client and data key, read from the real keyring as the app reads
/// them (the crash tests' and the two-till test's children).
pub fn keyring_client(sim_url: &str) -> (Arc<AntomClient>, DataKey) {
    use cardbind_core::secrets::Secrets;
    let secrets = Secrets::new(cardbind_core::settings::Environment::Demo);
    let key = secrets.data_key().unwrap();
    let mut cfg = ClientConfig::new(
        Gateway::custom(sim_url).unwrap(),
        CLIENT,
        secrets.merchant_key().unwrap().expect("the merchant key is in the keyring"),
        secrets.antom_public_key().unwrap().expect("the Antom public key is in the keyring"),
    );
    cfg.retry = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
    };
    let transport = ReqwestTransport::new(Default::default(), false).unwrap();
    (Arc::new(AntomClient::new(cfg, Arc::new(transport))), key)
}

/// A card the demo simulator really binds, for a new customer `name`, through the context's
/// binding flow; (card, customer).
pub async fn bind_demo_card(ctx: &cardbind_core::app::AppContext, name: &str) -> (i64, i64) {
    let flow = ctx.flow().unwrap();
    let customer = store::create_customer(
        &cardbind_core::db::lock(&ctx.db()),
        &CustomerInput { name: name.into(), ..Default::default() },
        None,
    )
    .unwrap()
    .id;
    let consent =
        ConsentInput { text_version: cardbind_core::app::ops::consent_get(ctx, "en").version, locale: "en".into() };
    let started = flow.start(customer, None, &consent).await.unwrap();
    let token = started.session_data.split("&&").next().unwrap();
    let card = json!({ "number": "4111111111111111", "expiryMonth": "10", "expiryYear": "31", "cvv": "123", "holderName": "D C" });
    cardbind_testkit::element_call(&ctx.simulator_url().unwrap(), "submit", json!({ "token": token, "card": card }))
        .await;
    let a = flow.wait_for_result(started.attempt.id, Duration::from_secs(10)).await.unwrap();
    assert_eq!(a.state, cardbind_core::flows::binding::AttemptState::Succeeded);
    (a.card_id.unwrap(), customer)
}

pub fn client(base_url: &str, attempts: u32) -> Arc<AntomClient> {
    let mut cfg =
        ClientConfig::new(Gateway::custom(base_url).unwrap(), CLIENT, merchant_key().clone(), antom_key().public_key());
    cfg.retry = RetryPolicy {
        max_attempts: attempts,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
    };
    let t = ReqwestTransport::new(Timeouts { connect: Duration::from_secs(2), total: Duration::from_secs(10) }, false)
        .unwrap();
    Arc::new(AntomClient::new(cfg, Arc::new(t)))
}

/// The merchant account the tests' token APIs name.
pub const MERCHANT_ACCOUNT: &str = "2188116129848784";

/// Wait until the capture of payment `id` is known (AUTHORISED → CAPTURED or CAPTURE_FAILED).
#[allow(dead_code)]
pub async fn captured(flows: &Flows, id: i64) -> cardbind_core::flows::payments::Payment {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let p = flows.capture.refresh(id).await.unwrap();
        if p.state.is_settled() {
            return p;
        }
        assert!(std::time::Instant::now() < deadline, "payment {id}: no capture known");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How the tests poll: fast.
pub const POLL: PollPolicy = PollPolicy { initial: Duration::from_millis(20), max: Duration::from_millis(100) };

/// Every flow of a till named `name` over `db` (fast polling, no notification listener).
pub fn flows_of(till: Till) -> Arc<Flows> {
    let options = FlowOptions {
        notification_url: "https://merchant.example/n".into(),
        redirect_url: "https://merchant.example/return".into(),
        merchant_account_id: Some(MERCHANT_ACCOUNT.into()),
        poll: Some(POLL),
        ..Default::default()
    };
    Arc::new(Flows::new(Arc::new(till), &options))
}

pub struct World {
    pub sim: SimHandle,
    pub db: Db,
    /// This till (its claims are this process's).
    pub till: Arc<Till>,
    pub flow: Arc<BindingFlow>,
    pub key: DataKey,
    pub dir: tempfile::TempDir,
    pub customer: i64,
}

impl World {
    /// Every flow of the world's till (no notification URL): payments, refunds, removal.
    pub fn payments(&self) -> Arc<Flows> {
        let options = FlowOptions {
            notification_url: "https://merchant.example/n".into(),
            redirect_url: "https://merchant.example/return".into(),
            merchant_account_id: Some(MERCHANT_ACCOUNT.into()),
            poll: Some(POLL),
            ..Default::default()
        };
        Arc::new(Flows::new(self.till.clone(), &options))
    }

    /// Another till of the shop (`name`) over the world's database, with its own claims.
    pub fn other_till(&self, name: &str) -> Till {
        Till::new(self.db.clone(), client(self.sim.base_url(), 3), self.key.clone()).named(name)
    }
}

pub fn consent() -> ConsentInput {
    ConsentInput { text_version: "card-on-file-v1".into(), locale: "en".into() }
}

pub async fn world_with(cfg: SimConfig, notification_url: &str) -> World {
    let sim = Simulator::start(cfg).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conn = open_db(dir.path());
    let customer = store::create_customer(
        &conn,
        &CustomerInput { name: "Ana Souza".into(), phone: Some("+55 11 5555 0100".into()), ..Default::default() },
        None,
    )
    .unwrap()
    .id;
    let db: Db = Arc::new(Mutex::new(conn));
    let key = DataKey::generate();
    let till = Arc::new(Till::new(db.clone(), client(sim.base_url(), 3), key.clone()));
    let flow = Arc::new(BindingFlow::new(till.clone(), notification_url).with_poll(POLL));
    World { sim, db, till, flow, key, dir, customer }
}

/// The card database of a test: a fresh PostgreSQL database when `CARDBIND_TEST_DB=postgres`
/// (`make test` runs the binding and payment suites both ways), else an SQLite file in `dir`.
pub fn open_db(dir: &std::path::Path) -> cardbind_core::db::Connection {
    if cardbind_testkit::pg::wants_postgres() {
        cardbind_core::db::open_postgres(&cardbind_testkit::pg::fresh_database()).unwrap()
    } else {
        cardbind_core::db::open(&dir.join("cards.db")).unwrap()
    }
}

pub async fn world() -> World {
    world_with(sim_config(), "https://merchant.example/antom/notify").await
}

/// The buyer types a card into the element page (its own HTTP API).
pub async fn buyer_submits(sim: &SimHandle, session_data: &str, number: &str) -> Value {
    let token = session_data.split("&&").next().unwrap();
    let cvv = if number.starts_with("34") || number.starts_with("37") { "1234" } else { "123" };
    element(sim, "submit", json!({ "token": token, "card": { "number": number, "expiryMonth": "09", "expiryYear": "33", "cvv": cvv, "holderName": "Ana Souza" } })).await
}

pub async fn buyer_answers_3ds(sim: &SimHandle, session_data: &str, approve: bool) -> Value {
    let token = session_data.split("&&").next().unwrap();
    element(sim, "challenge", json!({ "token": token, "code": "1234", "approve": approve })).await
}

pub async fn element(sim: &SimHandle, api: &str, body: Value) -> Value {
    cardbind_testkit::element_call(sim.base_url(), api, body).await
}

pub fn count(db: &Db, sql: &str) -> i64 {
    cardbind_core::db::lock(db).query_row(sql, (), |r| r.get(0)).unwrap()
}

/// A free loopback address for a notification listener, and its notification URL.
pub fn notify_address(path_and_query: &str) -> (std::net::SocketAddr, String) {
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    (addr, format!("http://{addr}{path_and_query}"))
}

/// A small deterministic generator for the crash tests; the seed is printed so a failure can be
/// replayed.
#[allow(dead_code)]
pub struct Lcg(pub u64);

#[allow(dead_code)]
impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// `CRASH_SEED` when set, else the clock.
    pub fn seeded(test: &str) -> Lcg {
        let seed = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
        });
        eprintln!("{test} seed: {seed} (replay with CRASH_SEED={seed})");
        Lcg(seed)
    }
}

/// Wait until a crash-test child printed READY (its keys and database are open, so a kill lands
/// in the flow whatever the machine's load), then keep draining its stdout in the background so
/// it never blocks on a full pipe.
#[allow(dead_code)]
pub fn wait_child_ready(child: &mut std::process::Child, log: &std::path::Path) {
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let mut seen = String::new();
    while !line.contains("READY") {
        line.clear();
        let n = std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        seen.push_str(&line);
        assert!(
            n > 0,
            "the child exited before it was ready: {seen}\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
}

/// A hostile hop between a till and Antom: forwards every request to the simulator, records the
/// first answer to the path ending in `recorded`, and, once armed, answers that path with the
/// recorded (genuinely signed) answer instead of forwarding it.
#[allow(dead_code)]
pub struct ReplayProxy {
    addr: std::net::SocketAddr,
    state: Arc<Mutex<ReplayState>>,
    _server: tokio::task::JoinHandle<()>,
}

/// A recorded answer: status, headers, body.
type Recorded = (u16, Vec<(String, String)>, Vec<u8>);

#[derive(Default)]
struct ReplayState {
    upstream: String,
    suffix: String,
    recorded: Option<Recorded>,
    replaying: bool,
    replayed: u32,
}

#[allow(dead_code)]
impl ReplayProxy {
    pub async fn start(upstream: &str, recorded: &str) -> ReplayProxy {
        use axum::body::Bytes;
        use axum::extract::{OriginalUri, State};
        use axum::http::HeaderMap;
        use axum::response::IntoResponse;
        let state = Arc::new(Mutex::new(ReplayState {
            upstream: upstream.trim_end_matches('/').to_string(),
            suffix: recorded.to_string(),
            ..Default::default()
        }));
        async fn forward(
            State(st): State<Arc<Mutex<ReplayState>>>,
            uri: OriginalUri,
            headers: HeaderMap,
            body: Bytes,
        ) -> axum::response::Response {
            let path = uri.path().to_string();
            let (upstream, ours, replay) = {
                let mut s = st.lock().unwrap();
                let ours = path.ends_with(&s.suffix);
                let replay = if ours && s.replaying { s.recorded.clone() } else { None };
                if replay.is_some() {
                    s.replayed += 1;
                }
                (s.upstream.clone(), ours, replay)
            };
            let (status, hs, b) = match replay {
                Some(r) => r,
                None => {
                    let mut req =
                        reqwest::Client::builder().no_proxy().build().unwrap().post(format!("{upstream}{path}"));
                    for (k, v) in headers.iter() {
                        if k != "host" && k != "content-length" {
                            req = req.header(k.as_str(), v.to_str().unwrap());
                        }
                    }
                    let resp = req.body(body.to_vec()).send().await.unwrap();
                    let status = resp.status().as_u16();
                    let hs: Vec<(String, String)> = resp
                        .headers()
                        .iter()
                        .filter(|(k, _)| *k != "content-length" && *k != "transfer-encoding")
                        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
                        .collect();
                    let b = resp.bytes().await.unwrap().to_vec();
                    if ours {
                        let mut s = st.lock().unwrap();
                        if s.recorded.is_none() {
                            s.recorded = Some((status, hs.clone(), b.clone()));
                        }
                    }
                    (status, hs, b)
                }
            };
            let mut r = (axum::http::StatusCode::from_u16(status).unwrap(), b).into_response();
            for (k, v) in hs {
                r.headers_mut().insert(
                    axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    axum::http::HeaderValue::from_str(&v).unwrap(),
                );
            }
            r
        }
        let app = axum::Router::new().fallback(forward).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ReplayProxy { addr, state, _server: server }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn replay_from_now(&self) {
        let mut s = self.state.lock().unwrap();
        assert!(s.recorded.is_some(), "nothing recorded to replay");
        s.replaying = true;
    }

    pub fn stop_replaying(&self) {
        self.state.lock().unwrap().replaying = false;
    }

    pub fn replayed(&self) -> u32 {
        self.state.lock().unwrap().replayed
    }
}

/// Post `body` to the listener at `addr` + `target`, signed with Antom's key (the simulator's)
/// over `signed` (the path and query, or the path alone), as Antom sends a notification: the
/// status, the content type and the body of the answer.
#[allow(dead_code)]
pub async fn post_notification(
    addr: std::net::SocketAddr,
    target: &str,
    signed: &str,
    body: &str,
) -> (u16, Option<String>, String) {
    let time = antom::client::request_time_now();
    let sig = antom::signature::sign(antom_key(), signed, CLIENT, &time, body.as_bytes(), "1");
    let resp = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("http://{addr}{target}"))
        .header("client-id", CLIENT)
        .header("request-time", time)
        .header("signature", sig.to_header_value())
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let kind = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    (resp.status().as_u16(), kind, resp.text().await.unwrap())
}
