//! Printing the app's page to a PDF file without a dialog (receipts' "Save as PDF").
//!
//! Linux: WebKitGTK's own print operation with GTK's "Print to File" printer (the file print
//! backend that ships with GTK 3), the same engine as the print dialog, so the PDF is exactly
//! what "Print" would give: the page's print style sheet shows only the receipt. Tauri has no
//! API for this (`print()` opens the dialog), hence the webview's own object, as for the
//! context-menu fence in `windows.rs`. Elsewhere (Windows, macOS): not built here; "Print" with
//! the system dialog's own "Save as PDF" does the same job, and the command says so.

use cardbind_core::{AppError, ErrorCode};
use std::path::PathBuf;
use std::time::Duration;

/// A receipt is one page; WebKit renders it in well under a second. Past this the print is
/// stuck (no printer backend, a hung web process) and the command says so.
const PRINT_TIMEOUT: Duration = Duration::from_secs(30);

#[cfg(target_os = "linux")]
pub async fn to_pdf(window: tauri::WebviewWindow, path: PathBuf) -> Result<(), AppError> {
    let uri = url::Url::from_file_path(&path)
        .map_err(|()| AppError::new(ErrorCode::PrintFailed, "the receipt's folder is not an absolute path"))?
        .to_string();
    let (tx, rx) = tokio::sync::oneshot::channel::<Result<(), String>>();
    window
        .with_webview(move |w| {
            use std::cell::RefCell;
            use std::rc::Rc;
            use webkit2gtk::{PrintOperation, PrintOperationExt};
            let settings = gtk::PrintSettings::new();
            settings.set_printer("Print to File");
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_FILE_FORMAT, Some("pdf"));
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_URI, Some(&uri));
            let op = PrintOperation::new(&w.inner());
            op.set_print_settings(&settings);
            // "failed" comes before "finished" when printing fails; the first answer counts.
            // The operation keeps itself in `keep` until then (WebKit holds no reference of
            // its own while it prints), and lets go of itself when it is done.
            let answer = Rc::new(RefCell::new(Some(tx)));
            let keep = Rc::new(RefCell::new(Some(op.clone())));
            let on_fail = answer.clone();
            op.connect_failed(move |_, e| {
                if let Some(tx) = on_fail.borrow_mut().take() {
                    let _ = tx.send(Err(e.to_string()));
                }
            });
            op.connect_finished(move |_| {
                if let Some(tx) = answer.borrow_mut().take() {
                    let _ = tx.send(Ok(()));
                }
                keep.borrow_mut().take();
            });
            op.print();
        })
        .map_err(|e| AppError::new(ErrorCode::PrintFailed, format!("the window cannot print: {e}")))?;
    match tokio::time::timeout(PRINT_TIMEOUT, rx).await {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(e))) => Err(AppError::new(ErrorCode::PrintFailed, format!("printing to PDF failed: {e}"))),
        Ok(Err(_)) => Err(AppError::new(ErrorCode::PrintFailed, "the print ended without an answer")),
        Err(_) => Err(AppError::new(ErrorCode::PrintFailed, format!("no PDF after {PRINT_TIMEOUT:?}"))),
    }
}

#[cfg(not(target_os = "linux"))]
pub async fn to_pdf(_window: tauri::WebviewWindow, _path: PathBuf) -> Result<(), AppError> {
    Err(AppError::new(
        ErrorCode::PrintFailed,
        "saving straight to PDF is built for Linux; use Print and the system dialog's Save as PDF",
    ))
}
