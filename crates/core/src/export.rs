//! CSV exports for the merchant's own records: the bound cards (masked data only; tokens never
//! leave the database) and the activity log. Files are written next to each other under a
//! temporary name and renamed, so a full disk never leaves half a file behind.
//!
//! Cells that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) get a leading
//! `'` (OWASP's CSV-injection advice); a phone number reads `'+351 …` as a result.

use crate::db::Connection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::settings::Environment;
use crate::store;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportKind {
    Cards,
    Activity,
}

impl ExportKind {
    pub fn audit_action(self) -> &'static str {
        match self {
            ExportKind::Cards => "export.cards",
            ExportKind::Activity => "export.activity",
        }
    }

    fn stem(self) -> &'static str {
        match self {
            ExportKind::Cards => "cardbind-cards",
            ExportKind::Activity => "cardbind-activity",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    /// Where the file was written.
    pub path: String,
    /// Data rows (the header not counted).
    pub rows: i64,
}

/// One CSV cell: quoted when needed, formulas defused.
pub fn cell(value: &str) -> String {
    let defused = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

const CARDS_HEADER: &str = "card_id,customer,phone,reference,brand,masked_card_no,expiry,funding,issuer,bound_at";
const ACTIVITY_HEADER: &str = "id,at,staff,action,subject,detail";

fn io_error(e: std::io::Error) -> AppError {
    crate::error::io_error(e, ErrorCode::StorageFailed, "the export could not be written; nothing was exported")
}

/// Write one export of `env`'s database into `dir` as `<stem>-<environment>-<UTC timestamp>.csv`
/// (the environment in the name, so a demo export is never mistaken for real cards).
pub fn write(conn: &Connection, kind: ExportKind, env: Environment, dir: &Path) -> AppResult<ExportResult> {
    std::fs::create_dir_all(dir).map_err(io_error)?;
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!("[year][month][day]-[hour][minute][second]"))
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    let name = format!("{}-{}-{stamp}", kind.stem(), env.as_str());
    let path = dir.join(format!("{name}.csv"));
    let tmp = dir.join(format!(".{name}.csv.part"));
    let result = write_to(conn, kind, &tmp);
    match result {
        Ok(rows) => {
            std::fs::rename(&tmp, &path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                io_error(e)
            })?;
            Ok(ExportResult { path: path.display().to_string(), rows })
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn write_to(conn: &Connection, kind: ExportKind, path: &Path) -> AppResult<i64> {
    let file = crate::paths::create_private(path).map_err(io_error)?;
    let mut out = std::io::BufWriter::new(file);
    let mut n = 0i64;
    let line = |cells: &[&str], out: &mut std::io::BufWriter<std::fs::File>| -> AppResult<()> {
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        writeln!(out, "{}", cells.join(",")).map_err(io_error)
    };
    match kind {
        ExportKind::Cards => {
            writeln!(out, "{CARDS_HEADER}").map_err(io_error)?;
            store::cards::for_each_exported(conn, |k| {
                let expiry = match (k.expiry_month, k.expiry_year) {
                    (Some(m), Some(y)) => format!("{m:02}/{y}"),
                    _ => String::new(),
                };
                n += 1;
                line(
                    &[
                        &k.id.to_string(),
                        &k.customer,
                        k.phone.as_deref().unwrap_or_default(),
                        k.reference.as_deref().unwrap_or_default(),
                        &k.brand,
                        &k.masked_card_no,
                        &expiry,
                        k.funding.as_deref().unwrap_or_default(),
                        k.issuer_name.as_deref().unwrap_or_default(),
                        &k.bound_at,
                    ],
                    &mut out,
                )
            })?;
        }
        ExportKind::Activity => {
            writeln!(out, "{ACTIVITY_HEADER}").map_err(io_error)?;
            store::audit::for_each_exported(conn, |a| {
                n += 1;
                line(
                    &[
                        &a.id.to_string(),
                        &a.at,
                        a.staff_name.as_deref().unwrap_or_default(),
                        &a.action,
                        a.subject.as_deref().unwrap_or_default(),
                        a.detail.as_deref().unwrap_or_default(),
                    ],
                    &mut out,
                )
            })?;
        }
    }
    out.flush().map_err(io_error)?;
    out.get_ref().sync_all().map_err(io_error)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("Ana"), "Ana");
        assert_eq!(cell("Souza, Ana"), "\"Souza, Ana\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+351 912"), "'+351 912");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
    }

    #[test]
    fn exports_masked_cards_without_tokens_and_the_activity_log() {
        let conn = crate::db::open_for_test();
        crate::synthetic::fill(&conn, 3, 5).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let r = write(&conn, ExportKind::Cards, Environment::Demo, dir.path()).unwrap();
        assert_eq!(r.rows, 5);
        let text = std::fs::read_to_string(&r.path).unwrap();
        assert!(text.starts_with(CARDS_HEADER));
        assert!(r.path.contains("cardbind-cards-demo-"), "{}", r.path);
        assert_eq!(text.lines().count(), 6);
        let sealed: Vec<u8> = conn.query_row("SELECT token_sealed FROM cards LIMIT 1", (), |r| r.get(0)).unwrap();
        let hex: String = sealed.iter().take(8).map(|b| format!("{b:02x}")).collect();
        assert!(!text.contains(&hex) && !text.to_lowercase().contains("token"));
        let a = write(&conn, ExportKind::Activity, Environment::Demo, dir.path()).unwrap();
        assert!(std::fs::read_to_string(&a.path).unwrap().starts_with(ACTIVITY_HEADER));
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".part"));
        assert_eq!(leftovers.count(), 0);
    }

    #[test]
    fn an_unwritable_directory_is_a_clear_error_and_leaves_nothing() {
        let conn = crate::db::open_for_test();
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").unwrap();
        let e = write(&conn, ExportKind::Cards, Environment::Demo, &blocker.join("sub")).unwrap_err();
        assert_eq!(e.code, ErrorCode::StorageFailed);
    }
}
