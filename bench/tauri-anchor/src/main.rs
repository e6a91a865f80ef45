//! The anchor of the start-up benchmark: a bare Tauri 2 window with one page, built the same way
//! as cardbind (`tauri build`, the workspace's release profile). The page calls `ready` when it
//! has loaded, which prints the line the benchmark waits for, as cardbind's card list does.

use std::time::Instant;

#[tauri::command]
fn ready(started: tauri::State<'_, Instant>) {
    println!("tauri-anchor: page interactive {:.0} ms after launch", started.elapsed().as_secs_f64() * 1000.0);
}

fn main() {
    tauri::Builder::default()
        .manage(Instant::now())
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the anchor window opens");
}
