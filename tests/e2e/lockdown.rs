//! The till's lock-down (issue 15), tried as an attacker would, in the real window:
//! remote content (a frame, a page the main window is sent to, a popup) cannot call a command;
//! the main window never leaves the app; no script from outside the app bundle runs in the
//! document that has IPC; no context menu and no Web Inspector in a merchant's build.

use crate::harness::App;
use cardbind_app::windows::INSPECTOR_SWITCH;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A page that tries every way we know for a document without the app's origin to reach IPC
/// and create a customer named `PWNED-<tag>-<route>`, then reports to `/done`.
const HOSTILE: &str = r#"<!doctype html><meta charset="utf-8"><title>hostile</title><body><script>
(async () => {
  const tag = location.search.slice(1) || "frame";
  const input = (route) => ({ input: { name: "PWNED-" + tag + "-" + route } });
  const tries = [];
  try { await window.__TAURI_INTERNALS__.invoke("customer_create", input("internals")); tries.push("internals:ok"); } catch (e) { tries.push("internals:" + e); }
  try { await window.parent.__TAURI_INTERNALS__.invoke("customer_create", input("parent")); tries.push("parent:ok"); } catch (e) { tries.push("parent:" + e); }
  try { window.webkit.messageHandlers.ipc.postMessage(JSON.stringify({ cmd: "customer_create", callback: 1, error: 2, payload: input("post"), options: {} })); tries.push("post:sent"); } catch (e) { tries.push("post:" + e); }
  try { const r = await fetch("ipc://localhost/customer_create", { method: "POST", body: JSON.stringify(input("fetch")), headers: { "Content-Type": "application/json", "Tauri-Callback": "1", "Tauri-Error": "2" } }); tries.push("fetch:" + r.status); } catch (e) { tries.push("fetch:" + e); }
  await new Promise((r) => setTimeout(r, 500));
  await fetch("/done?" + tag + "&" + encodeURIComponent(tries.join("|"))).catch(() => {});
})();
</script>"#;

/// A loopback web server playing the attacker's host: serves [`HOSTILE`] for any path and
/// records every request line.
struct Hostile {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Hostile {
    async fn start() -> Hostile {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    let n = s.read(&mut buf).await.unwrap_or(0);
                    let req = String::from_utf8_lossy(&buf[..n]).to_string();
                    let line = req.lines().next().unwrap_or("").to_string();
                    log.lock().unwrap().push(line.clone());
                    let (ctype, body) = if line.contains(".js") {
                        ("text/javascript", "window.__evil = true;".to_string())
                    } else {
                        ("text/html; charset=utf-8", HOSTILE.to_string())
                    };
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = s.write_all(head.as_bytes()).await;
                    let _ = s.write_all(body.as_bytes()).await;
                });
            }
        });
        Hostile { port, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requested(&self, needle: &str) -> bool {
        self.seen.lock().unwrap().iter().any(|l| l.contains(needle))
    }

    async fn wait_for(&self, needle: &str, within: Duration) -> Option<String> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(l) = self.seen.lock().unwrap().iter().find(|l| l.contains(needle)) {
                return Some(l.clone());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        None
    }
}

/// Customer names containing `text`, read through the app's own document (which has IPC).
async fn customers_named(app: &App, text: &str) -> Vec<String> {
    let found = app
        .client
        .execute_async(
            "const [text, done] = arguments; window.__TAURI_INTERNALS__.invoke('customers_search', { text: '', limit: 500 })
               .then((cs) => done(cs.map((c) => c.name).filter((n) => n.includes(text))), (e) => done(['ERROR ' + JSON.stringify(e)]));",
            vec![serde_json::json!(text)],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

async fn main_url(app: &App) -> String {
    app.client.current_url().await.map(|u| u.to_string()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn remote_frames_and_pages_cannot_call_commands_and_the_window_stays_on_the_app() {
    let app = App::launch("lockdown-remote").await;
    app.find("[data-testid=nav-cards]").await;
    let hostile = Hostile::start().await;

    // control: the app's own document can create a customer this way
    let made = app
        .client
        .execute_async(
            "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('customer_create', { input: { name: 'Control customer' } }).then(() => done('ok'), (e) => done(JSON.stringify(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(made, "ok");
    assert_eq!(customers_named(&app, "Control").await, ["Control customer"]);

    // 1. a remote frame in the app's page (the CSP lets loopback frames in, for the demo
    //    simulator): its script runs, and every route to IPC fails
    app.client
        .execute(
            "const f = document.createElement('iframe'); f.src = arguments[0]; document.body.appendChild(f);",
            vec![serde_json::json!(hostile.url("/hostile.html?frame"))],
        )
        .await
        .unwrap();
    let report = hostile.wait_for("/done?frame", Duration::from_secs(20)).await.expect("the frame's script ran");
    eprintln!("remote frame: {report}");
    assert!(!report.contains("internals%3Aok") && !report.contains("parent%3Aok"), "{report}");

    // 2. the main window sent to a remote page, an https page and a plain http host: it never
    //    leaves the app
    for target in [hostile.url("/hostile.html?top"), "https://example.invalid/".into(), "http://example.com/".into()] {
        let _ = app.client.execute("window.location.href = arguments[0];", vec![serde_json::json!(target)]).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let url = main_url(&app).await;
        assert!(url.starts_with("tauri://localhost"), "the main window left the app for {target}: now at {url}");
        app.find("[data-testid=nav-cards]").await;
    }

    // 3. a popup (window.open, a target=_blank link) opens nothing
    let _ = app
        .client
        .execute("window.open(arguments[0]);", vec![serde_json::json!(hostile.url("/popup.html?popup"))])
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(!hostile.requested("popup"), "a popup loaded a remote page");

    // whatever ran, no command was called
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(customers_named(&app, "PWNED").await, Vec::<String>::new(), "remote content called a command");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_script_from_outside_the_bundle_runs_in_the_ipc_document() {
    let app = App::launch("lockdown-csp").await;
    app.find("[data-testid=nav-cards]").await;
    let hostile = Hostile::start().await;
    // Antom's tracker (which the SDK loads itself) and an attacker's script on loopback
    let tracker = "https://gw.alipayobjects.com/render/p/yuyan_npm/@alipay_intl-tracker/1.6.0/dist/common.min.js";
    let evil = hostile.url("/evil.js");
    let outcome = app
        .client
        .execute_async(
            "const [urls, done] = arguments; const out = {}; let left = urls.length;
             document.addEventListener('securitypolicyviolation', (e) => { out[e.blockedURI] = 'refused by ' + e.effectiveDirective; });
             const finish = () => { if (--left === 0) setTimeout(() => done(out), 300); };
             for (const u of urls) { const s = document.createElement('script'); s.src = u;
               s.onload = () => { out[u] = out[u] || 'ran'; finish(); }; s.onerror = () => { out[u] = out[u] || 'failed to load'; finish(); };
               document.head.appendChild(s); }
             try { out.eval = String(eval('6 * 7')); } catch (e) { out.eval = 'refused'; }",
            vec![serde_json::json!([tracker, evil])],
        )
        .await
        .unwrap();
    eprintln!("scripts: {outcome}");
    for u in [tracker, evil.as_str()] {
        let verdict = outcome[u].as_str().unwrap_or("");
        assert!(verdict.starts_with("refused by script-src"), "{u}: {verdict}");
    }
    assert_ne!(outcome["eval"], "42", "eval is not allowed");
    assert!(outcome["eval"].as_str().unwrap_or("").starts_with("refused"), "{outcome}");
    assert!(!hostile.requested("evil.js"), "the script was not even fetched");
    let evil_ran = app.client.execute("return window.__evil === true;", vec![]).await.unwrap();
    assert_eq!(evil_ran, false);
    app.close().await;
}

fn x(display: &str, cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).env("DISPLAY", display).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Mapped windows on the screen (a context menu or a detached inspector is one more).
fn mapped_windows(display: &str) -> usize {
    let tree = x(display, "xwininfo", &["-root", "-children"]);
    let ids: Vec<&str> =
        tree.lines().filter_map(|l| l.split_whitespace().next()).filter(|w| w.starts_with("0x")).collect();
    ids.iter().filter(|id| x(display, "xwininfo", &["-id", id]).contains("Map State: IsViewable")).count()
}

/// Right-click in the page with real X input, then watch for up to `patience`: how many more
/// windows got mapped (a context menu is one) and how long the first took to appear. The
/// click is repeated (up to three times) while nothing appears, because on a loaded machine
/// the window may not take input yet when the page is already there.
pub(crate) async fn right_click_opens(app: &App, patience: Duration) -> (usize, Option<Duration>) {
    let display = app.display().to_string();
    let before = mapped_windows(&display);
    for _ in 0..3 {
        let clicked = Instant::now();
        x(&display, "xdotool", &["mousemove", "400", "300", "click", "3"]);
        while clicked.elapsed() < patience {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let more = mapped_windows(&display).saturating_sub(before);
            if more > 0 {
                x(&display, "xdotool", &["key", "Escape"]);
                return (more, Some(clicked.elapsed()));
            }
        }
    }
    (0, None)
}

/// The context menu is the way into the Web Inspector (its "Inspect Element"); WebKitGTK has no
/// keyboard shortcut of its own for it, and the app exposes none.
#[tokio::test(flavor = "multi_thread")]
async fn no_context_menu_and_no_inspector_in_a_merchant_build() {
    // control first: a developer's explicit switch brings the menu back, so the check below can
    // see menus when there are any, and we learn how long one takes to show on this machine
    // (CI's loaded 2 cores took longer than a fixed second once)
    let home = tempfile::Builder::new().prefix("cardbind-e2e-").tempdir().unwrap();
    let dev = App::launch_full("lockdown-inspector-dev", home, &[], &[(INSPECTOR_SWITCH, "1")]).await;
    dev.find("[data-testid=nav-cards]").await;
    let (menus, took) = right_click_opens(&dev, Duration::from_secs(10)).await;
    assert!(menus >= 1, "with {INSPECTOR_SWITCH}=1 the context menu opens");
    dev.close().await;
    let took = took.unwrap();
    eprintln!("a context menu took {took:?} to show");
    // three times what the control needed, and never less than two seconds
    let patience = (took * 3).max(Duration::from_secs(2));

    let app = App::launch("lockdown-inspector").await;
    app.find("[data-testid=nav-cards]").await;
    let display = app.display().to_string();
    let size = || async {
        app.client.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.unwrap().to_string()
    };
    let before = (mapped_windows(&display), size().await);
    assert_eq!(right_click_opens(&app, patience).await.0, 0, "a right-click opened a menu");
    app.screenshot("lockdown-right-click").await;
    x(&display, "xdotool", &["mousemove", "400", "300", "key", "ctrl+shift+i"]);
    tokio::time::sleep(patience).await;
    assert_eq!((mapped_windows(&display), size().await), before, "an inspector opened");
    app.close().await;
}
