//! The desktop shell: windows, commands, capabilities. The domain lives in `cardbind_core`.

mod commands;
mod kiosk;
mod print;
pub mod windows;

use cardbind_core::app::AppContext;
use cardbind_core::paths::AppPaths;
use tauri::Manager;

/// State shared by the commands.
pub struct AppState {
    pub ctx: AppContext,
    /// When the process started (start-up figures).
    pub started: std::time::Instant,
}

fn resolve_paths(app: &tauri::App) -> Result<AppPaths, Box<dyn std::error::Error>> {
    let path = app.path();
    Ok(AppPaths { data_dir: path.app_data_dir()?, config_dir: path.app_config_dir()?, log_dir: path.app_log_dir()? })
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Launch {
    /// Open the app (`kiosk`: as a customer kiosk, whatever the settings say).
    App { kiosk: bool },
    /// Print this and exit, without opening a window.
    Print(String),
}

/// Read the arguments (the program name left out). Unknown ones are left to the platform
/// (WebDriver and desktop launchers add their own) and do not stop the app.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Launch {
    let args: Vec<String> = args.into_iter().collect();
    if args.iter().any(|a| a == "--version" || a == "-V") {
        return Launch::Print(format!("cardbind {}\n", env!("CARGO_PKG_VERSION")));
    }
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return Launch::Print(format!(
            "cardbind {} — save a customer's card with Antom for later payments\n\n\
             Usage: cardbind [--kiosk]\n\n\
             Options:\n  \
             --kiosk        start as a customer kiosk (needs a manager or owner with a PIN)\n  \
             --version, -V  print the version and exit\n  \
             --help, -h     print this and exit\n\n\
             Environment:\n  \
             RUST_LOG               log detail on stderr (default: info)\n  \
             {}=1   the Web Inspector (debug builds, never in kiosk mode)\n\n\
             Data, settings and logs live in the OS's per-user folders (shown under About).\n",
            env!("CARGO_PKG_VERSION"),
            windows::INSPECTOR_SWITCH
        ));
    }
    Launch::App { kiosk: args.iter().any(|a| a == "--kiosk") }
}

pub fn run() {
    let kiosk_flag = match parse_args(std::env::args().skip(1)) {
        Launch::Print(text) => {
            print!("{text}");
            return;
        }
        Launch::App { kiosk } => kiosk,
    };
    let started = std::time::Instant::now();
    // Logs go to stderr; RUST_LOG tunes them. Nothing secret is ever logged (keys, tokens,
    // signatures and notification bodies are `Sensitive` or never passed to tracing).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tao=warn,wry=warn".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let instance = match AppPaths::for_user()
        .map_err(|e| e.to_string())
        .and_then(|p| kiosk::claim(&p.data_dir).map_err(|e| e.to_string()))
    {
        Ok(kiosk::Claim::Running) => {
            println!("cardbind is already running for this user: it was brought to the front");
            return;
        }
        Ok(kiosk::Claim::First(instance)) => Some(instance),
        Err(e) => {
            tracing::warn!("single-instance check unavailable: {e}");
            None
        }
    };
    let result = tauri::Builder::default()
        .setup(move |app| {
            let paths = resolve_paths(app)?;
            let paths_for_backup = paths.clone();
            // Settings, the card database, keyring secrets and, in demo mode, the in-process
            // Antom simulator. Runs on Tauri's async runtime, which keeps the simulator serving.
            let ctx = tauri::async_runtime::block_on(AppContext::open(paths))?;
            let kiosk =
                (kiosk_flag || ctx.settings().kiosk.enabled) && cardbind_core::app::ops::start_kiosk_at_launch(&ctx);
            app.manage(AppState { ctx, started });
            // Scheduled encrypted backups, when the settings ask for them.
            tauri::async_runtime::spawn(async move {
                AppContext::start_backup_schedule(paths_for_backup, env!("CARGO_PKG_VERSION"));
            });
            // A till whose shared database was away when it started (or went away) resumes by
            // itself when the server is back.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    tokio::time::sleep(cardbind_core::app::jobs::HEAL_EVERY).await;
                    handle.state::<AppState>().ctx.heal().await;
                }
            });
            // The main window (not created from tauri.conf.json): inspector, context menu and
            // navigation fences in src/windows.rs.
            let window = windows::build_main(app, kiosk)?;
            if kiosk {
                kiosk::apply_window(&window, true);
            }
            if let Some(instance) = instance {
                instance.serve(app.handle().clone());
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // Kiosk mode: the window cannot be closed (Alt+F4, the window manager); a manager
            // leaves kiosk mode first.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.try_state::<AppState>().is_some_and(|s| s.ctx.session().kiosk) {
                    tracing::info!("close refused: kiosk mode is on");
                    api.prevent_close();
                }
            }
        })
        // Every command listed in crates/core/src/api.rs (build.rs writes the list).
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
        .run(tauri::generate_context!("tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("cardbind could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    mod names {
        include!("../command_names.rs");
    }

    #[test]
    fn build_script_reads_the_command_list() {
        let read = names::command_names(include_str!("../../crates/core/src/api.rs"));
        assert_eq!(read, cardbind_core::api::COMMANDS, "build.rs reads a different list from api.rs");
        let handlers = include_str!(concat!(env!("OUT_DIR"), "/handlers.rs"));
        for c in cardbind_core::api::COMMANDS {
            assert!(handlers.contains(&format!("commands::{c},")) || handlers.contains(&format!("commands::{c}]")));
        }
    }

    #[test]
    fn the_command_list_parser_refuses_what_is_not_a_command() {
        let api = "x\ncommands! {\n    /// Doc.\n    app_info() -> AppInfo;\n\n    card_get(id: i64) -> CardRow;\n}\n";
        assert_eq!(names::command_names(api), ["app_info", "card_get"]);
        let bad = "x\ncommands! {\n    Not A Command\n}\n";
        assert!(std::panic::catch_unwind(|| names::command_names(bad)).is_err());
    }

    #[test]
    fn version_and_help_print_and_kiosk_is_read() {
        use crate::{parse_args, Launch};
        let args = |a: &[&str]| parse_args(a.iter().map(|s| s.to_string()));
        assert_eq!(args(&["--version"]), Launch::Print(format!("cardbind {}\n", env!("CARGO_PKG_VERSION"))));
        assert!(matches!(args(&["--kiosk", "--help"]), Launch::Print(t) if t.contains("--kiosk")));
        assert_eq!(args(&["--kiosk"]), Launch::App { kiosk: true });
        assert_eq!(args(&["--automation-whatever"]), Launch::App { kiosk: false });
    }

    #[test]
    fn the_version_has_one_source_and_the_identifier_matches_core() {
        // No version in tauri.conf.json: Tauri (and its bundler) then take the crate's, which
        // is the workspace's, so a package can never say another version than `--version`.
        let conf: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        assert!(conf.get("version").is_none(), "the version is set once, in the workspace Cargo.toml");
        assert_eq!(conf["identifier"], cardbind_core::APP_IDENTIFIER);
    }
}
