//! What end-to-end and keyring tests need, started by the tests themselves:
//!
//! * [`Xvfb`]: a private X display (`Xvfb -displayfd`), so no test depends on, or draws on, a
//!   developer's desktop.
//! * [`KeyringSession`]: a private D-Bus session bus with `gnome-keyring-daemon` unlocked with an
//!   empty password in a fresh data directory, so no test touches a real login keyring.
//! * [`in_private_keyring`]: re-runs one test of the current test binary inside such a session.
//!
//! * [`pg`]: a private PostgreSQL server on loopback, and a fresh database per test.
//!
//! * [`modules`]: a crate's module import graph and its cycles, for the architecture test.
//!
//! Everything is stopped on drop (SIGTERM, then wait), including when a test panics.

pub mod modules;
pub mod pg;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Stop a child politely (SIGTERM lets tauri-driver stop its WebKitWebDriver), then wait.
pub fn terminate(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn need(program: &str) -> String {
    format!("`{program}` is not installed: run `make test` (or scripts/setup.sh), which installs it")
}

/// Start a daemon that reports where it listens on its first stdout line (`Xvfb -displayfd 1`,
/// `dbus-daemon --print-address=1`); return it and that line, trimmed.
fn spawn_reporting(cmd: &mut Command, program: &str) -> (Child, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", need(program)));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{program} said nothing: {e}"));
    (child, line.trim().to_string())
}

/// A private X server.
pub struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Start `Xvfb` on a free display, `width`x`height`x24, without TCP.
    pub fn start(width: u32, height: u32) -> Self {
        let (child, line) = spawn_reporting(
            Command::new("Xvfb").args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                &format!("{width}x{height}x24"),
                "-nolisten",
                "tcp",
                "-noreset",
            ]),
            "Xvfb",
        );
        let n: u32 = line.parse().unwrap_or_else(|_| panic!("Xvfb did not start (printed {line:?})"));
        Xvfb { child, display: format!(":{n}") }
    }

    pub fn display(&self) -> &str {
        &self.display
    }

    /// Save a PNG of the whole screen (ImageMagick's `import`).
    pub fn screenshot(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let status =
            Command::new("import").args(["-window", "root"]).arg(path).env("DISPLAY", &self.display).status()?;
        if status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("import exited with {status}")))
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// A private D-Bus session with an unlocked, empty gnome-keyring (Secret Service).
pub struct KeyringSession {
    dbus: Child,
    address: String,
    dir: tempfile::TempDir,
}

impl KeyringSession {
    pub fn start() -> Self {
        Self::start_keeping(None)
    }

    /// A session whose keyring file lives in `data` (kept after the session, as a user's
    /// keyring is across restarts of their app); `None`: a throw-away keyring.
    pub fn start_keeping(keep: Option<&Path>) -> Self {
        let dir = tempfile::Builder::new().prefix("cardbind-keyring-").tempdir().expect("temp dir");
        let data = keep.map_or_else(|| dir.path().join("data"), Path::to_path_buf);
        let runtime = dir.path().join("runtime");
        for d in [&data, &runtime] {
            std::fs::create_dir_all(d).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700)).unwrap();
            }
        }
        let (dbus, address) = spawn_reporting(
            Command::new("dbus-daemon").args(["--session", "--nofork", "--nopidfile", "--print-address=1"]),
            "dbus-daemon",
        );
        assert!(address.starts_with("unix:"), "dbus-daemon did not start (printed {address:?})");

        // An empty password: one newline on stdin. Zero bytes would create no keyring at all.
        let mut gk = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", &data)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env_remove("DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}", need("gnome-keyring-daemon")));
        gk.stdin.take().unwrap().write_all(b"\n").unwrap();
        let status = gk.wait().expect("gnome-keyring-daemon starts and detaches");
        let mut err = String::new();
        if let Some(mut e) = gk.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        assert!(status.success(), "gnome-keyring-daemon failed: {err}");
        let session = KeyringSession { dbus, address, dir };
        session.wait_for_secret_service();
        session
    }

    /// The daemon claims org.freedesktop.secrets shortly after it detaches.
    fn wait_for_secret_service(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let out = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output();
            if let Ok(o) = out {
                if String::from_utf8_lossy(&o.stdout).contains("boolean true") {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("gnome-keyring did not register org.freedesktop.secrets on the private bus");
    }

    /// Environment for a process that should use this keyring.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.address.clone()),
            ("XDG_RUNTIME_DIR".into(), self.dir.path().join("runtime").display().to_string()),
        ]
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for KeyringSession {
    fn drop(&mut self) {
        // gnome-keyring-daemon leaves when its session bus goes away.
        terminate(&mut self.dbus);
    }
}

const INSIDE: &str = "CARDBIND_PRIVATE_KEYRING";

/// Run the named test of this test binary inside a fresh [`KeyringSession`] and check it passed.
///
/// Returns `false` when already inside (run the test body), `true` when the body ran in the
/// child (the caller returns). Usage:
///
/// ```text
/// #[test]
/// fn stores_a_secret() {
///     if cardbind_testkit::in_private_keyring("stores_a_secret") { return; }
///     // ... uses the OS keyring ...
/// }
/// ```
pub fn in_private_keyring(test_name: &str) -> bool {
    if std::env::var_os(INSIDE).is_some() {
        return false;
    }
    let session = KeyringSession::start();
    let exe = std::env::current_exe().expect("test binary path");
    let out = Command::new(exe)
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .envs(session.env())
        .env(INSIDE, "1")
        .env_remove("DISPLAY")
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "`{test_name}` failed inside the private keyring session:\n{stdout}\n{stderr}"
    );
    // what the test measured ("figure: ..." lines) shows with --nocapture, as if run here
    for line in stderr.lines().filter(|l| l.starts_with("figure: ")) {
        eprintln!("{line}");
    }
    true
}

const NO_KEYRING: &str = "CARDBIND_NO_KEYRING";

/// Run the named test of this test binary in a process that has no reachable session bus (so no
/// OS keyring), and check it passed. Returns `false` when already inside (run the test body),
/// `true` when the body ran in the child (the caller returns).
pub fn without_keyring(test_name: &str) -> bool {
    if std::env::var_os(NO_KEYRING).is_some() {
        return false;
    }
    let out = Command::new(std::env::current_exe().expect("test binary path"))
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cardbind-test-bus")
        .env(NO_KEYRING, "1")
        .env_remove("DISPLAY")
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "`{test_name}` failed without a keyring:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The workspace root (for `target/tools/bin/tauri-driver`, screenshots and fixtures).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Test RSA keys, generated once per test process: slot 0 is "the merchant", slot 1 "Antom",
/// others are strangers.
pub fn test_key(slot: usize) -> &'static antom::MerchantPrivateKey {
    static KEYS: [std::sync::OnceLock<antom::MerchantPrivateKey>; 4] = [
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
    ];
    KEYS[slot].get_or_init(|| antom::MerchantPrivateKey::generate(2048).unwrap())
}

/// A call the simulator's element page makes (`/element/api/<api>`), as the buyer's browser would.
pub async fn element_call(base_url: &str, api: &str, body: serde_json::Value) -> serde_json::Value {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{base_url}/element/api/{api}"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// GET a JSON document over loopback.
pub async fn get_json(url: &str) -> serde_json::Value {
    reqwest::Client::builder().no_proxy().build().unwrap().get(url).send().await.unwrap().json().await.unwrap()
}

/// Open a WebDriver session on a driver (tauri-driver, chromedriver) that is still starting up:
/// retries for 30 seconds.
pub async fn webdriver_session(port: u16, caps: serde_json::Map<String, serde_json::Value>) -> fantoccini::Client {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut builder = fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(caps.clone());
        let url = format!("http://127.0.0.1:{port}");
        let attempt = builder.connect(&url);
        // One attempt may wait on an app that never comes up (it exited at once): a failure,
        // never a hang.
        match tokio::time::timeout(Duration::from_secs(90), attempt).await {
            Ok(Ok(c)) => return c,
            Ok(Err(e)) if Instant::now() > deadline => panic!("no WebDriver session on port {port}: {e}"),
            Ok(Err(_)) => tokio::time::sleep(Duration::from_millis(200)).await,
            Err(_) => panic!("no WebDriver session on port {port}: the app did not come up within 90 s"),
        }
    }
}

/// POST a JSON document over loopback; the answer's JSON.
pub async fn post_json(url: &str, body: serde_json::Value) -> serde_json::Value {
    let resp = reqwest::Client::builder().no_proxy().build().unwrap().post(url).json(&body).send().await.unwrap();
    assert!(resp.status().is_success(), "POST {url}: {}", resp.status());
    resp.json().await.unwrap_or(serde_json::Value::Null)
}
