//! Moving a single-till shop's SQLite database into a shared PostgreSQL database, in one
//! step: every row of every table, ids kept (so audit subjects like `card:42` still point at the
//! right row), in one transaction on the server, then the counts of both sides compared. The
//! SQLite file is only read; it stays as it was, so a refused or failed move loses nothing.

use super::{Connection, Dialect, Value};
use crate::error::{AppError, AppResult, ErrorCode};
use serde::Serialize;
use ts_rs::TS;

/// Every table with rows of the shop, parents before the tables that refer to them.
/// Not among them: `schema_migrations` (each database records its own), `claims` (leases of
/// work running now, on this computer) and `demo_antom` (the demo Antom's shared records: the
/// moving till's own simulator fills them from its file when it starts on the shared database),
/// nor `shop_identity` (the move gives the shared database its own: `crate::shop::identity`).
pub const TABLES: &[&str] = &[
    "staff",
    "customers",
    "consents",
    "binding_attempts",
    "cards",
    "audit_log",
    "pin_throttle",
    "data_key_checks",
    "kiosk_codes",
    "payments",
    "refunds",
    "tills",
    "pairings",
];

/// One table's rows before (SQLite) and after (PostgreSQL) the move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TableCount {
    pub table: String,
    pub before: i64,
    pub after: i64,
}

fn count(c: &Connection, table: &str) -> AppResult<i64> {
    Ok(c.query_row(&format!("SELECT COUNT(*) FROM {}", super::ident(table)), (), |r| r.get(0))?)
}

/// The column names of `table` as SQLite has them (the two schemas have the same columns; a test
/// compares them).
fn columns(sqlite: &Connection, table: &str) -> AppResult<Vec<String>> {
    Ok(sqlite.query_map(&format!("PRAGMA table_info({})", super::ident(table)), (), |r| r.get(1))?)
}

/// The counts, when every table has as many rows on both sides and the cards are the same ones.
fn already_moved(sqlite: &Connection, pg: &Connection) -> AppResult<Option<Vec<TableCount>>> {
    let mut out = Vec::new();
    for t in TABLES {
        let (before, after) = (count(sqlite, t)?, count(pg, t)?);
        if before != after {
            return Ok(None);
        }
        out.push(TableCount { table: t.to_string(), before, after });
    }
    let cards = |c: &Connection| -> AppResult<Vec<String>> {
        Ok(c.query_map("SELECT vaulting_request_id FROM cards ORDER BY id", (), |r| r.get(0))?)
    };
    Ok((cards(sqlite)? == cards(pg)?).then_some(out))
}

/// Copy everything from `sqlite` into the empty PostgreSQL database `pg`; the counts per table.
/// Refused (nothing written) when `pg` already holds a shop's rows: two shops' lists are never
/// merged by accident.
pub fn move_to_postgres(sqlite: &Connection, pg: &Connection) -> AppResult<Vec<TableCount>> {
    if sqlite.dialect() != Dialect::Sqlite || pg.dialect() != Dialect::Postgres {
        return Err(AppError::new(ErrorCode::InvalidInput, "a move goes from this computer's database to PostgreSQL"));
    }
    let mut filled = None;
    for t in TABLES {
        if count(pg, t)? > 0 {
            filled = Some(*t);
            break;
        }
    }
    if let Some(t) = filled {
        // A move that finished before (a retry after a later environment failed): the same
        // rows are there, so there is nothing to do; anything else is another shop's data.
        if let Some(done) = already_moved(sqlite, pg)? {
            return Ok(done);
        }
        return Err(AppError::new(
            ErrorCode::SharedDatabaseNotEmpty,
            format!("the shared database already has rows in {t}; nothing was moved"),
        ));
    }
    // A snapshot of the file: nothing the app writes meanwhile splits the copy.
    let read = sqlite.unchecked_transaction()?;
    let tx = pg.unchecked_transaction()?;
    let mut before = Vec::new();
    for t in TABLES {
        let cols = columns(&read, t)?;
        // names read from the database are quoted as identifiers, never pasted as SQL
        let list = cols.iter().map(|c| super::ident(c)).collect::<Vec<_>>().join(", ");
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let insert = format!("INSERT INTO {} ({list}) VALUES ({})", super::ident(t), marks.join(", "));
        let order = if cols.iter().any(|c| c == "id") { " ORDER BY id" } else { "" };
        let rows = read.query_map(&format!("SELECT {list} FROM {}{order}", super::ident(t)), (), |r| {
            (0..cols.len()).map(|i| r.get::<Value>(i)).collect::<super::Result<Vec<Value>>>()
        })?;
        before.push(rows.len() as i64);
        for row in rows {
            tx.execute(&insert, row)?;
        }
    }
    super::resync_ids(&tx)?;
    tx.commit()?;
    drop(read);
    let mut out = Vec::new();
    for (t, before) in TABLES.iter().zip(before) {
        out.push(TableCount { table: t.to_string(), before, after: count(pg, t)? });
    }
    if let Some(bad) = out.iter().find(|c| c.before != c.after) {
        return Err(AppError::new(
            ErrorCode::StorageFailed,
            format!("{}: {} rows here, {} on the server after the move", bad.table, bad.before, bad.after),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;

    #[test]
    fn a_single_terminal_shop_moves_into_postgres_with_every_row_and_its_ids() {
        let sqlite = crate::db::open_in_memory().unwrap();
        crate::synthetic::fill(&sqlite, 40, 300).unwrap();
        crate::synthetic::fill_payments(&sqlite, 300, 120).unwrap();
        let owner = store::staff::insert(&sqlite, "Olga", store::staff::Role::Owner, "hash").unwrap();
        store::audit(&sqlite, Some(owner), "card.remove", Some("card:7"), None).unwrap();
        store::key_checks::insert(&sqlite, "sandbox", &[1, 2, 3]).unwrap();
        sqlite
            .execute(
                "INSERT INTO pin_throttle (scope, failures, lockouts, locked_until) VALUES ('sign-in', 2, 0, NULL)",
                (),
            )
            .unwrap();
        let refund_payment: i64 =
            sqlite.query_row("SELECT MIN(id) FROM payments WHERE state = 'CAPTURED'", (), |r| r.get(0)).unwrap();
        store::payments::insert_refund(&sqlite, "rf-1", refund_payment, 100, Some("damaged"), Some(owner), None)
            .unwrap();

        let pg = crate::db::open_postgres(&cardbind_testkit::pg::fresh_database()).unwrap();
        let counts = move_to_postgres(&sqlite, &pg).unwrap();
        assert_eq!(counts.len(), TABLES.len());
        for c in &counts {
            assert_eq!(c.before, c.after, "{c:?}");
        }
        let by = |t: &str| counts.iter().find(|c| c.table == t).unwrap().after;
        assert_eq!((by("cards"), by("customers"), by("payments"), by("refunds")), (300, 40, 120, 1));
        assert_eq!((by("staff"), by("pin_throttle"), by("data_key_checks")), (1, 1, 1));

        // the same lists, row for row, on both
        let q = store::CardQuery { limit: Some(500), ..Default::default() };
        assert_eq!(store::list_cards(&pg, &q).unwrap(), store::list_cards(&sqlite, &q).unwrap());
        let pq = store::payments::PaymentQuery { limit: Some(500), ..Default::default() };
        assert_eq!(store::payments::list(&pg, &pq).unwrap(), store::payments::list(&sqlite, &pq).unwrap());
        assert_eq!(store::list_audit(&pg, None, 50).unwrap(), store::list_audit(&sqlite, None, 50).unwrap());
        // new rows continue after the moved ids
        let c = store::create_customer(&pg, &store::CustomerInput { name: "New".into(), ..Default::default() }, None)
            .unwrap();
        assert_eq!(c.id, 41);

        // a second move into a database with rows is refused and changes nothing
        let e = move_to_postgres(&sqlite, &pg).unwrap_err();
        assert_eq!(e.code, ErrorCode::SharedDatabaseNotEmpty, "{e:?}");
        assert_eq!(count(&pg, "cards").unwrap(), 300);
        assert_eq!(count(&pg, "customers").unwrap(), 41);
    }
}
