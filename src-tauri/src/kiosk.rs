//! Kiosk mode's window, and one app per user profile.
//!
//! An app alone is not a kiosk: the README explains the OS lock-down (Windows Assigned Access,
//! a Linux kiosk session) that keeps people out of the desktop. Here the window does its part:
//! fullscreen, undecorated, on top, and closing is refused while kiosk mode is on.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;
use tauri::{Manager, WebviewWindow};

/// Put the window into (or out of) kiosk shape.
pub fn apply_window(window: &WebviewWindow, kiosk: bool) {
    let steps = [
        window.set_decorations(!kiosk),
        window.set_always_on_top(kiosk),
        window.set_resizable(!kiosk),
        window.set_fullscreen(kiosk),
    ];
    // Without a window manager (a bare X session) fullscreen is only a request; cover the
    // monitor explicitly as well.
    if kiosk {
        if let Ok(Some(monitor)) = window.current_monitor() {
            let _ = window.set_position(*monitor.position());
            let _ = window.set_size(*monitor.size());
        }
    } else if let Some(conf) = window.config().app.windows.iter().find(|w| w.label == window.label()) {
        // back to the size tauri.conf.json gives the window
        let _ = window.set_size(tauri::LogicalSize::new(conf.width, conf.height));
        let _ = window.center();
    }
    for r in steps {
        if let Err(e) = r {
            tracing::warn!("kiosk window: {e}");
        }
    }
    let _ = window.set_focus();
}

/// The first instance for this data directory holds a lock on `cardbind.lock` and listens on
/// loopback for later ones, whose only message is "show". A later instance hands over and
/// exits, so one profile never has two apps writing one card database or two kiosks.
///
/// Why not tauri-plugin-single-instance: on Linux it claims a D-Bus name per app identifier,
/// i.e. per machine session rather than per data directory; a lock file beside the database is
/// exactly the resource to protect, and works the same on every OS.
pub struct Instance {
    /// Held for the life of the process: the OS releases it when the process ends.
    lock: File,
    listener: TcpListener,
}

pub enum Claim {
    First(Instance),
    /// Another instance runs; it was asked to come to the front.
    Running,
}

/// `data_dir` is [`cardbind_core::paths::AppPaths::for_user`]'s, which mirrors Tauri's
/// `app_data_dir` (checked on Linux by the e2e tests: the About screen's folder, and a second
/// start in the same profile handing over).
pub fn claim(data_dir: &Path) -> std::io::Result<Claim> {
    std::fs::create_dir_all(data_dir)?;
    let lock = File::options().create(true).truncate(false).write(true).open(data_dir.join("cardbind.lock"))?;
    let port_file = data_dir.join("instance.port");
    match lock.try_lock() {
        Ok(()) => {
            let listener = TcpListener::bind(("127.0.0.1", 0))?;
            std::fs::write(&port_file, listener.local_addr()?.port().to_string())?;
            Ok(Claim::First(Instance { lock, listener }))
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            // The first instance may still be starting: give its port file a moment.
            for _ in 0..20 {
                if let Some(port) = std::fs::read_to_string(&port_file).ok().and_then(|p| p.trim().parse::<u16>().ok())
                {
                    if let Ok(mut s) =
                        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(1))
                    {
                        let _ = s.write_all(b"show\n");
                        return Ok(Claim::Running);
                    }
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(Claim::Running)
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

impl Instance {
    /// Bring the main window to the front whenever a later instance asks.
    pub fn serve(self, app: tauri::AppHandle) {
        std::thread::Builder::new()
            .name("single-instance".into())
            .spawn(move || {
                let _held = self.lock;
                for stream in self.listener.incoming().flatten() {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
                    let mut line = String::new();
                    if BufReader::new(stream).read_line(&mut line).is_ok() && line.trim() == "show" {
                        if let Some(w) = app.get_webview_window("main") {
                            let _ = w.unminimize();
                            let _ = w.show();
                            let _ = w.set_focus();
                        }
                        tracing::info!("a second start was handed to this instance");
                    }
                }
            })
            .expect("spawning a thread");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_on_the_same_directory_hands_over() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(dir.path()).unwrap() else { panic!("first claim") };
        let (tx, rx) = std::sync::mpsc::channel();
        let listener = first.listener.try_clone().unwrap();
        std::thread::spawn(move || {
            let (s, _) = listener.accept().unwrap();
            let mut line = String::new();
            BufReader::new(s).read_line(&mut line).unwrap();
            tx.send(line).unwrap();
        });
        assert!(matches!(claim(dir.path()).unwrap(), Claim::Running));
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), "show\n");
        drop(first);
        let other = tempfile::tempdir().unwrap();
        assert!(matches!(claim(other.path()).unwrap(), Claim::First(_)), "another profile runs on its own");
        assert!(matches!(claim(dir.path()).unwrap(), Claim::First(_)), "free again once the first exits");
    }
}
