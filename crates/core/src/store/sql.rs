//! Helpers the table modules share, and the few spellings where SQLite and PostgreSQL part.

use crate::db::Dialect;
use crate::error::{AppError, ErrorCode};

pub(crate) fn invalid(msg: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::InvalidInput, msg)
}

/// `col` starts with the parameter: a range `[p, p + U+10FFFF)` that an index on `col` (with the
/// same collation) answers directly; unlike LIKE with ESCAPE, and with no wildcards to escape.
/// `nocase` folds ASCII letters: SQLite's NOCASE, PostgreSQL's `lower()` under the "C" collation
/// every text column has there (`customers_name` indexes `lower(name)`).
pub(crate) fn prefix(d: Dialect, col: &str, param: &str, nocase: bool) -> String {
    match (d, nocase) {
        (Dialect::Sqlite, false) => format!("({col} >= {param} AND {col} < ({param} || char(1114111)))"),
        (Dialect::Sqlite, true) => {
            format!("({col} >= {param} COLLATE NOCASE AND {col} < ({param} || char(1114111)) COLLATE NOCASE)")
        }
        (Dialect::Postgres, false) => format!("({col} >= {param} AND {col} < ({param} || chr(1114111)))"),
        (Dialect::Postgres, true) => {
            format!("(lower({col}) >= lower({param}) AND lower({col}) < (lower({param}) || chr(1114111)))")
        }
    }
}

/// Order by `col` with ASCII letters folded (names in lists).
pub(crate) fn nocase(d: Dialect, col: &str) -> String {
    match d {
        Dialect::Sqlite => format!("{col} COLLATE NOCASE"),
        Dialect::Postgres => format!("lower({col})"),
    }
}

/// An inner join that keeps the left table the outer loop: SQLite's `CROSS JOIN` (so it walks
/// the index that matches the ORDER BY); PostgreSQL plans joins by cost and has no such hint.
pub(crate) fn ordered_join(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "CROSS JOIN",
        Dialect::Postgres => "JOIN",
    }
}

/// A row that fails its seal.
pub fn tampered(what: &str) -> crate::error::AppError {
    crate::error::AppError::new(
        crate::error::ErrorCode::RowTampered,
        format!(
            "{what} was changed in the database by someone other than a till of this shop: it is not used. \
             Restore the shop's database from a backup, or ask the owner"
        ),
    )
}
