//! The framework's floor for `cargo xtask bench`: a Tauri window with one static page and
//! no work of its own, built with the same profile and features as Resettle, so that the
//! benchmark can tell Resettle's own start-up cost and memory from Tauri's and WebKit's.

use std::io::Write;

#[tauri::command]
fn ready() {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "RESETTLE_OVERVIEW_READY");
    let _ = out.flush();
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("floor app");
}
