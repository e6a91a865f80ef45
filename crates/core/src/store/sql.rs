//! Helpers the table modules share.

use crate::error::{AppError, ErrorCode};

pub(crate) fn invalid(msg: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::InvalidInput, msg)
}

/// `col` starts with the parameter: a range `[p, p + U+10FFFF)` that an index on `col` (with the
/// same collation) answers directly; unlike LIKE with ESCAPE, and with no wildcards to escape.
pub(crate) fn prefix(col: &str, param: &str, nocase: bool) -> String {
    let collate = if nocase { " COLLATE NOCASE" } else { "" };
    format!("({col} >= {param}{collate} AND {col} < ({param} || char(1114111)){collate})")
}
