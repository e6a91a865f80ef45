//! The main window, built here rather than from `tauri.conf.json` (where it is `"create": false`)
//! so that its fences are code (issue 15, items 2 and 4):
//!
//! * **No inspector, no context menu** in any build a merchant runs (`make run`, the packages).
//!   A developer turns the Web Inspector (and with it the context menu, whose "Inspect Element"
//!   opens it) on explicitly with `CARDBIND_INSPECTOR=1` (debug builds only: release builds are
//!   compiled without Tauri's `devtools` feature), never in kiosk mode. On Linux the WebKitGTK context menu is refused for every frame (Antom's included);
//!   elsewhere [`NO_CONTEXT_MENU`] refuses it in the app's own document.
//! * **Navigation:** only the app's own origin is ever the main document — the only document
//!   with IPC (Tauri puts its IPC script and invoke key into whatever the main frame loads). On
//!   Linux a foreign main document is refused when its response arrives, before anything of it
//!   runs (`is_main_frame_main_resource`), and a failed foreign load shows no error page. On
//!   other platforms (not verified here) a foreign main document that finishes loading makes
//!   the app exit rather than keep it. Frames may load what the
//!   document's CSP lets it embed (Antom's hosts, in demo mode the simulator) and what those
//!   frames open in turn (a bank's 3D Secure page); frames never have IPC (Tauri injects its
//!   IPC script and the per-run invoke key into the main frame only, and the capability is
//!   `local`). `window.open` and `target=_blank` open nothing.

use tauri::webview::{NewWindowResponse, PageLoadEvent};
use tauri::{Manager, Url, WebviewWindow, WebviewWindowBuilder};

/// The environment variable that turns the Web Inspector on (debug builds, outside kiosk mode).
pub const INSPECTOR_SWITCH: &str = "CARDBIND_INSPECTOR";

/// Refuses the context menu in the app's document (all platforms; Linux also refuses it
/// natively, for frames too). Runs before the app's own scripts.
const NO_CONTEXT_MENU: &str =
    "window.addEventListener('contextmenu', function (e) { e.preventDefault(); }, { capture: true });";

/// Whether the Web Inspector may be on: only when a developer asked for it, in a debug build,
/// and never at a kiosk.
pub fn inspector_allowed(switch: Option<&str>, debug_build: bool, kiosk: bool) -> bool {
    debug_build && !kiosk && matches!(switch.map(str::trim), Some("1" | "true" | "yes" | "on"))
}

/// The app's own origin: `tauri://localhost` (Linux, macOS) or `http(s)://tauri.localhost`
/// (Windows).
pub fn is_app_url(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    }
}

/// Whether a navigation may start. The platform asks for the main frame and for frames alike
/// and does not say which, so this admits what a frame may need: the app, `https` pages
/// (Antom's element and the bank pages it opens), `about:blank`/`about:srcdoc`, and loopback
/// `http` while the demo simulator runs. Anything else (other `http`, `file:`, `data:`, custom
/// schemes) is refused everywhere. [`main_frame_allowed`] then keeps the main frame on the app.
pub fn navigation_allowed(url: &Url, demo: bool) -> bool {
    match url.scheme() {
        _ if is_app_url(url) => true,
        "https" => true,
        "about" => matches!(url.path(), "blank" | "srcdoc"),
        "http" => demo && is_loopback(url),
        _ => false,
    }
}

/// The main frame — the document with IPC — only ever shows the app.
pub fn main_frame_allowed(url: &Url) -> bool {
    is_app_url(url)
}

/// Build the main window from its entry in `tauri.conf.json`, with the fences above.
pub fn build_main(app: &tauri::App, kiosk: bool) -> tauri::Result<WebviewWindow> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let inspector = inspector_allowed(std::env::var(INSPECTOR_SWITCH).ok().as_deref(), cfg!(debug_assertions), kiosk);
    if inspector {
        tracing::warn!("the Web Inspector is on ({INSPECTOR_SWITCH}); never run a shop like this");
    }
    let handle = app.handle().clone();
    let mut builder = WebviewWindowBuilder::from_config(app, &config)?.devtools(inspector);
    if !inspector {
        builder = builder.initialization_script(NO_CONTEXT_MENU);
    }
    let window = builder
        .on_navigation(move |url| {
            let demo = handle.try_state::<crate::AppState>().is_some_and(|s| s.ctx.element_link().is_some());
            let ok = navigation_allowed(url, demo);
            if !ok {
                tracing::warn!(scheme = url.scheme(), host = url.host_str().unwrap_or(""), "navigation refused");
            }
            ok
        })
        .on_new_window(|url, _| {
            tracing::warn!(scheme = url.scheme(), host = url.host_str().unwrap_or(""), "new window refused");
            NewWindowResponse::Deny
        })
        .on_page_load(|_window, payload| {
            if cfg!(target_os = "linux") {
                return; // the response fence below holds (tests/e2e/lockdown.rs)
            }
            // The main frame's loads only (frames do not report here). A document from
            // elsewhere that finished loading as the main document means the fence below did
            // not hold on this platform: it carries Tauri's IPC script, so the app stops at
            // once (fail closed). Sending the window back instead would let that document's
            // script run on while the window's address says "app" — which is what IPC checks.
            if payload.event() == PageLoadEvent::Finished && !main_frame_allowed(payload.url()) {
                let url = payload.url();
                tracing::error!(
                    scheme = url.scheme(),
                    host = url.host_str().unwrap_or(""),
                    "a foreign page loaded as the main document: stopping"
                );
                std::process::exit(3);
            }
        })
        .build()?;
    #[cfg(target_os = "linux")]
    {
        let inspector_on = inspector;
        window.with_webview(move |w| {
            use webkit2gtk::glib::prelude::Cast;
            use webkit2gtk::{
                PolicyDecisionExt, PolicyDecisionType, ResponsePolicyDecision, ResponsePolicyDecisionExt, SettingsExt,
                URIRequestExt, WebViewExt,
            };
            let view = w.inner();
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_enable_developer_extras(inspector_on);
            }
            // Handled: no menu at all, in any frame (Back, Reload, Inspect Element…), unless a
            // developer turned the inspector on (its menu item is how it opens).
            if !inspector_on {
                view.connect_context_menu(|_, _, _, _| true);
            }
            // The main-frame fence: WebKitGTK asks about navigations without saying which
            // frame, but a response says whether it is the main frame's document. Anything but
            // the app is refused there, before it is committed, so no foreign script ever runs
            // in the document that gets Tauri's IPC script.
            view.connect_decide_policy(|_, decision, kind| {
                if kind != PolicyDecisionType::Response {
                    return false; // navigations: on_navigation above
                }
                let Some(response) = decision.downcast_ref::<ResponsePolicyDecision>() else { return false };
                if !response.is_main_frame_main_resource() {
                    return false;
                }
                let uri = response.request().and_then(|r| r.uri()).map(|u| u.to_string()).unwrap_or_default();
                if Url::parse(&uri).is_ok_and(|u| main_frame_allowed(&u)) {
                    return false;
                }
                let url = Url::parse(&uri).ok();
                tracing::warn!(
                    scheme = url.as_ref().map(|u| u.scheme().to_string()).unwrap_or_default(),
                    host = url.as_ref().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default(),
                    "a foreign page was refused as the main document"
                );
                decision.ignore();
                true
            });
            // A main-frame load that fails (an unreachable host) shows no error page: the app's
            // document stays as it was.
            view.connect_load_failed(|_, _, uri, _| {
                let foreign = !Url::parse(uri).is_ok_and(|u| main_frame_allowed(&u));
                if foreign {
                    tracing::warn!("a failed load of a foreign page left the app as it was");
                }
                foreign
            });
        })?;
    }
    Ok(window)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_inspector_needs_the_switch_a_debug_build_and_no_kiosk() {
        assert!(!inspector_allowed(None, true, false), "make run: off");
        assert!(!inspector_allowed(Some("0"), true, false));
        assert!(!inspector_allowed(Some("1"), false, false), "release: off");
        assert!(!inspector_allowed(Some("1"), true, true), "kiosk: off");
        assert!(inspector_allowed(Some("1"), true, false));
    }

    #[test]
    fn only_the_app_is_ever_the_main_document() {
        for ok in ["tauri://localhost/", "tauri://localhost/index.html#x", "http://tauri.localhost/"] {
            assert!(main_frame_allowed(&u(ok)), "{ok}");
            assert!(navigation_allowed(&u(ok), false), "{ok}");
        }
        for bad in [
            "https://ac.alipay.com/page/x.html",
            "http://127.0.0.1:8080/element",
            "tauri://evil/",
            "http://tauri.localhost.evil.com/",
            "file:///etc/passwd",
        ] {
            assert!(!main_frame_allowed(&u(bad)), "{bad}");
        }
    }

    #[test]
    fn frames_get_https_and_in_demo_loopback_only() {
        assert!(navigation_allowed(&u("https://ac.alipay.com/page/x.html"), false));
        assert!(navigation_allowed(&u("https://acs.somebank.example/3ds"), false), "a bank's 3DS page");
        assert!(navigation_allowed(&u("about:blank"), false));
        assert!(navigation_allowed(&u("http://127.0.0.1:41234/element"), true), "the demo simulator");
        assert!(!navigation_allowed(&u("http://127.0.0.1:41234/element"), false), "not outside demo mode");
        assert!(!navigation_allowed(&u("http://example.com/"), true));
        assert!(!navigation_allowed(&u("file:///etc/passwd"), true));
        assert!(!navigation_allowed(&u("data:text/html,<script>1</script>"), true));
        assert!(!navigation_allowed(&u("javascript:alert(1)"), true));
        assert!(!navigation_allowed(&u("about:config"), true));
    }
}
