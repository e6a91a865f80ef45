//! Runs the real app binary under a private Xvfb display and a private keyring session, driven
//! over WebDriver (tauri-driver + WebKitWebDriver) with fantoccini. Everything is started here and
//! stopped on drop, also when a test fails.

use cardbind_testkit::{free_port, terminate, workspace_root, KeyringSession, Xvfb};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct App {
    pub client: Client,
    /// The fake home: XDG_DATA_HOME is `home/data`, XDG_CONFIG_HOME `home/config`.
    home: Option<tempfile::TempDir>,
    driver: Child,
    _keyring: KeyringSession,
    xvfb: Xvfb,
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let local = workspace_root().join("target/tools/bin/tauri-driver");
    if local.exists() {
        return local;
    }
    PathBuf::from("tauri-driver")
}

/// The element was replaced by a re-render between finding and using it.
pub fn is_stale(e: &fantoccini::error::CmdError) -> bool {
    matches!(e, fantoccini::error::CmdError::Standard(w) if w.error == fantoccini::error::ErrorStatus::StaleElementReference)
}

pub fn artifacts_dir(kind: &str) -> PathBuf {
    let dir = workspace_root().join("target").join(kind);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl App {
    /// Launch the app with a fresh home directory.
    pub async fn launch(name: &str) -> App {
        let home = tempfile::Builder::new().prefix("cardbind-e2e-").tempdir().unwrap();
        Self::launch_in(name, home).await
    }

    /// Launch the app on an existing home directory (to test restarts).
    pub async fn launch_in(name: &str, home: tempfile::TempDir) -> App {
        Self::launch_with(name, home, &[]).await
    }

    /// Launch with command-line arguments (e.g. `--kiosk`).
    pub async fn launch_with(name: &str, home: tempfile::TempDir, args: &[&str]) -> App {
        Self::launch_full(name, home, args, &[]).await
    }

    /// Launch with arguments and extra environment variables for the app (an empty value unsets
    /// the variable, e.g. `("XDG_DATA_HOME", "")` for the OS's default folders). A first start's
    /// welcome screen is skipped (as "Skip and explore the demo"), so tests begin at the card
    /// list; [`App::launch_first_start`] keeps it.
    pub async fn launch_full(name: &str, home: tempfile::TempDir, args: &[&str], env: &[(&str, &str)]) -> App {
        let app = Self::start(name, home, args, env).await;
        app.skip_welcome().await;
        app
    }

    /// A fresh profile, stopping at the welcome screen.
    pub async fn launch_first_start(name: &str, args: &[&str]) -> App {
        let home = tempfile::Builder::new().prefix("cardbind-e2e-").tempdir().unwrap();
        Self::start(name, home, args, &[]).await
    }

    /// Press "Skip and explore the demo" if the welcome screen shows.
    async fn skip_welcome(&self) {
        self.find("[data-testid=app-ready][data-ready=true]").await;
        if let Ok(skip) = self.client.find(Locator::Css("[data-testid=welcome-skip]")).await {
            skip.click().await.unwrap();
            self.client
                .wait()
                .at_most(TIMEOUT)
                .for_element(Locator::Css("[data-testid=app-ready][data-mode=staff]"))
                .await
                .expect("the welcome screen was skipped");
        }
    }

    async fn start(name: &str, home: tempfile::TempDir, args: &[&str], env: &[(&str, &str)]) -> App {
        let xvfb = Xvfb::start(1280, 800);
        // The keyring file lives in the fake home, so a restart (the same home) finds the keys
        // the first start made, as on a real computer.
        let keyring = KeyringSession::start_keeping(Some(&home.path().join("keyring")));
        let (port, native_port) = (free_port(), free_port());
        let log = std::fs::File::create(artifacts_dir("e2e-logs").join(format!("{name}.log"))).unwrap();
        let mut driver = Command::new(tauri_driver());
        driver
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", xvfb.display())
            .envs(keyring.env())
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env_remove("WAYLAND_DISPLAY")
            .envs(env.iter().copied().filter(|(_, v)| !v.is_empty()))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        for (k, _) in env.iter().filter(|(_, v)| v.is_empty()) {
            driver.env_remove(k);
        }
        let driver = driver.spawn().unwrap_or_else(|e| {
            panic!("cannot start tauri-driver ({}): {e}; run `make test`, which installs it", tauri_driver().display())
        });
        let client = connect(port, args).await;
        App { client, home: Some(home), driver, _keyring: keyring, xvfb }
    }

    pub async fn find(&self, css: &str) -> Element {
        self.find_within(css, TIMEOUT).await
    }

    pub async fn find_within(&self, css: &str, within: Duration) -> Element {
        match self.client.wait().at_most(within).for_element(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => panic!("no element {css} within {within:?}: {e}; {}", self.page_state().await),
        }
    }

    /// What the page shows when a wait failed: every alert's code and text, and the view's
    /// headings (a CI log then says why, not only that it timed out).
    pub async fn page_state(&self) -> String {
        let script = "return [...document.querySelectorAll('[role=alert], h1, h2, h3')]\
            .map(e => (e.dataset.code ? '[' + e.dataset.code + '] ' : '') + e.textContent.trim().replace(/\\s+/g, ' '))\
            .filter(t => t).join(' | ');";
        match self.client.execute(script, vec![]).await {
            Ok(v) => format!("the page shows: {}", v.as_str().unwrap_or_default()),
            Err(e) => format!("the page could not be read: {e}"),
        }
    }

    /// Click the element; when a re-render replaced it between finding and clicking, find it again.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.find(css).await.click().await {
                Ok(()) => return,
                Err(e) if is_stale(&e) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await
                }
                Err(e) => panic!("cannot click {css}: {e}"),
            }
        }
    }

    /// The texts of every element `css` matches, in document order. Lists re-render when a
    /// refresh lands (after a removal, a restart, a notification), which can replace an element
    /// between finding and reading it: a stale element means "read the list again", never a
    /// failure (a CI run failed on exactly that).
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let deadline = Instant::now() + TIMEOUT;
        'again: loop {
            let mut out = vec![];
            let found = self.client.find_all(Locator::Css(css)).await.unwrap_or_else(|e| panic!("finding {css}: {e}"));
            for el in found {
                match el.text().await {
                    Ok(text) => out.push(text),
                    Err(e) if is_stale(&e) && Instant::now() < deadline => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue 'again;
                    }
                    Err(e) => panic!("reading {css}: {e}"),
                }
            }
            return out;
        }
    }

    /// Wait until the element's text satisfies `pred`; return it.
    pub async fn wait_text(&self, css: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_text_within(css, pred, TIMEOUT).await
    }

    pub async fn wait_text_within(&self, css: &str, pred: impl Fn(&str) -> bool, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = el.text().await {
                    if pred(&text) {
                        return text;
                    }
                    last = text;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css}: text never matched within {within:?}; last seen {last:?}; {}", self.page_state().await);
    }

    /// A PNG of the app window (WebDriver) and of the whole X screen, in target/screenshots.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = artifacts_dir("screenshots");
        let path = dir.join(format!("{name}.png"));
        // WebKitGTK's WebDriver screenshot shows the last painted frame: let two frames paint.
        let _ = self
            .client
            .execute_async("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));", vec![])
            .await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let png = self.client.screenshot().await.expect("WebDriver screenshot");
        std::fs::write(&path, png).unwrap();
        let _ = self.xvfb.screenshot(&dir.join(format!("{name}-screen.png")));
        path
    }

    /// Start the app binary a second time, directly, in the same session and profile; wait for
    /// it to exit (a second instance hands over to the first and exits).
    pub fn run_second_instance(&self) -> std::process::Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cardbind"))
            .env("DISPLAY", self.xvfb.display())
            .envs(self._keyring.env())
            .env("HOME", self.home())
            .env("XDG_DATA_HOME", self.home().join("data"))
            .env("XDG_CONFIG_HOME", self.home().join("config"))
            .env("XDG_CACHE_HOME", self.home().join("cache"))
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + TIMEOUT;
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                terminate(&mut child);
                panic!("the second instance did not exit within {TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        child.wait_with_output().unwrap()
    }

    /// The X display the app runs on (for real input with xdotool and X queries).
    pub fn display(&self) -> &str {
        self.xvfb.display()
    }

    pub fn home(&self) -> &Path {
        self.home.as_ref().expect("home is kept until close").path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.home().join("data").join("dev.cardbind.app")
    }

    /// End the WebDriver session (closes the app) and stop everything; hand back the home dir.
    pub async fn close(mut self) -> tempfile::TempDir {
        let _ = self.client.clone().close().await;
        terminate(&mut self.driver);
        let home = self.home.take().expect("home is kept until close");
        // The app goes when its display does (dropping the App stops Xvfb and the keyring); it
        // holds the profile's single-instance lock until it has exited. A restart before then
        // would rightly hand over to the old instance and exit, so wait for the lock.
        drop(self);
        let lock = home.path().join("data").join(cardbind_core::APP_IDENTIFIER).join("cardbind.lock");
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Ok(f) = std::fs::File::options().write(true).open(&lock) {
            if f.try_lock().is_ok() {
                break;
            }
            assert!(Instant::now() < deadline, "the app still holds {} 30 s after closing", lock.display());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        home
    }
}

impl Drop for App {
    fn drop(&mut self) {
        terminate(&mut self.driver);
    }
}

/// The app binary: this build's, or `CARDBIND_APP` (the benchmark's release build).
pub fn app_binary() -> String {
    std::env::var("CARDBIND_APP").unwrap_or_else(|_| env!("CARGO_BIN_EXE_cardbind").to_string())
}

async fn connect(port: u16, args: &[&str]) -> Client {
    let app = app_binary();
    let app = app.as_str();
    assert!(Path::new(app).exists(), "the app binary {app} was not built");
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert("tauri:options".into(), serde_json::json!({ "application": app, "args": args }));
    cardbind_testkit::webdriver_session(port, caps).await
}
