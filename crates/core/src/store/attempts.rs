//! Binding attempts (`binding_attempts`): the rows of the binding state machine in
//! [`crate::flows::binding`], which decides the transitions; this module only reads and writes them.

use crate::db::now;
use crate::db::{Connection, OptionalExtension};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::params;
use serde::Serialize;
use ts_rs::TS;

crate::wire_enum! {
    /// Where a binding attempt is. The UI's copies (`CLOSED_ATTEMPT_STATES`) are generated from
    /// this list and its rules.
    pub enum AttemptState {
        /// Recorded; createVaultingSession not answered yet.
        Created = "CREATED",
        /// Antom opened a session; the element is (or was) showing.
        SessionOpen = "SESSION_OPEN",
        /// A card was submitted; the bank is verifying it (3D Secure, a slow issuer).
        Processing = "PROCESSING",
        /// Antom bound the card.
        Succeeded = "SUCCEEDED",
        /// Antom refused the card.
        Failed = "FAILED",
        /// The session ended before a card was bound.
        Expired = "EXPIRED",
        /// The customer or staff gave up; Antom is still asked, a card bound anyway is kept.
        Cancelled = "CANCELLED",
        /// Antom never saw the request (the app stopped before createVaultingSession arrived).
        Abandoned = "ABANDONED",
    }
}

impl AttemptState {
    /// Final: Antom's answer is known (or the attempt never reached Antom). Nothing changes it
    /// any more, so reconciliation leaves it alone.
    pub fn is_final(self) -> bool {
        matches!(self, AttemptState::Succeeded | AttemptState::Failed | AttemptState::Expired | AttemptState::Abandoned)
    }

    /// Closed for the person at the screen: final, or cancelled. A cancelled attempt is still
    /// reconciled in the background (a card Antom bound anyway is recorded), but nobody waits for
    /// it.
    pub fn is_closed(self) -> bool {
        self.is_final() || self == AttemptState::Cancelled
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub id: i64,
    pub vaulting_request_id: String,
    pub customer_id: i64,
    pub state: AttemptState,
    pub result_code: Option<String>,
    pub result_message: Option<String>,
    /// The bound card, once SUCCEEDED.
    pub card_id: Option<i64>,
    /// Set when the bound card duplicates one the customer already has.
    pub duplicate_of: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const ATTEMPT_COLS: &str = "a.id, a.vaulting_request_id, a.customer_id, a.state, a.result_code, a.result_message, \
    (SELECT k.id FROM cards k WHERE k.vaulting_request_id = a.vaulting_request_id), \
    (SELECT k.duplicate_of FROM cards k WHERE k.vaulting_request_id = a.vaulting_request_id), a.created_at, a.updated_at";

fn attempt_row(r: &crate::db::Row) -> crate::db::Result<Attempt> {
    Ok(Attempt {
        id: r.get(0)?,
        vaulting_request_id: r.get(1)?,
        customer_id: r.get(2)?,
        // An unknown state (written by a newer version) reads as the one that is never touched.
        state: AttemptState::parse(&r.get::<String>(3)?).unwrap_or(AttemptState::Abandoned),
        result_code: r.get(4)?,
        result_message: r.get(5)?,
        card_id: r.get(6)?,
        duplicate_of: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> AppResult<Attempt> {
    conn.query_row(&format!("SELECT {ATTEMPT_COLS} FROM binding_attempts a WHERE a.id = ?1"), [id], attempt_row)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("binding attempt {id} does not exist")))
}

pub fn by_request(conn: &Connection, vaulting_request_id: &str) -> AppResult<Option<Attempt>> {
    Ok(conn
        .query_row(
            &format!("SELECT {ATTEMPT_COLS} FROM binding_attempts a WHERE a.vaulting_request_id = ?1"),
            [vaulting_request_id],
            attempt_row,
        )
        .optional()?)
}

/// A new attempt in CREATED; its id.
pub fn insert(
    conn: &Connection,
    vaulting_request_id: &str,
    customer_id: i64,
    staff_id: Option<i64>,
    consent_id: i64,
) -> AppResult<i64> {
    Ok(conn.query_row(
        "INSERT INTO binding_attempts (vaulting_request_id, customer_id, staff_id, consent_id, state, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
        params![vaulting_request_id, customer_id, staff_id, consent_id, AttemptState::Created, now()],
        |r| r.get(0),
    )?)
}

/// CREATED → SESSION_OPEN with Antom's session id and expiry.
pub fn open_session(conn: &Connection, id: i64, session_id: Option<&str>, expires_at: Option<&str>) -> AppResult<()> {
    conn.execute(
        "UPDATE binding_attempts SET state = ?1, session_id = ?2, session_expires_at = ?3, updated_at = ?4
         WHERE id = ?5 AND state = ?6",
        params![AttemptState::SessionOpen, session_id, expires_at, now(), id, AttemptState::Created],
    )?;
    Ok(())
}

/// Any state → `state`, with Antom's result (finishing: also sets `finished_at`).
pub fn finish(conn: &Connection, id: i64, state: AttemptState, code: Option<&str>, msg: Option<&str>) -> AppResult<()> {
    let t = now();
    conn.execute(
        "UPDATE binding_attempts SET state = ?1, result_code = ?2, result_message = ?3, updated_at = ?4, finished_at = ?4 WHERE id = ?5",
        params![state, code, msg, t, id],
    )?;
    Ok(())
}

/// When Antom said the attempt's session expires (as Antom wrote it), if it opened one.
pub fn session_expires_at(conn: &Connection, id: i64) -> AppResult<Option<String>> {
    Ok(conn
        .query_row("SELECT session_expires_at FROM binding_attempts WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// A state change that finishes nothing (PROCESSING, CANCELLED).
pub fn set_state(conn: &Connection, id: i64, state: AttemptState) -> AppResult<()> {
    conn.execute("UPDATE binding_attempts SET state = ?1, updated_at = ?2 WHERE id = ?3", params![state, now(), id])?;
    Ok(())
}

/// The SQL list of the states that are not final, as literals: `'CREATED', 'SESSION_OPEN', …`.
/// Written out (not bound) so that the partial index `attempts_open` (migration 0001, the same
/// list) answers the query; a test checks it does.
fn unsettled_states_sql() -> String {
    let open: Vec<String> =
        AttemptState::ALL.iter().filter(|s| !s.is_final()).map(|s| format!("'{}'", s.as_str())).collect();
    open.join(", ")
}

fn unsettled_sql() -> String {
    format!("SELECT id FROM binding_attempts WHERE state IN ({}) ORDER BY id", unsettled_states_sql())
}

/// Every attempt that is not final, oldest first (what reconciliation asks Antom about).
pub fn unsettled(conn: &Connection) -> AppResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&unsettled_sql())?;
    let ids = stmt.query_map((), |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsettled_lists_exactly_the_states_that_are_not_final() {
        let c = crate::db::open_for_test();
        let customer = crate::store::customers::create_customer(
            &c,
            &crate::store::customers::CustomerInput { name: "Ana".into(), ..Default::default() },
            None,
        )
        .unwrap()
        .id;
        let mut expected = vec![];
        for (i, state) in AttemptState::ALL.iter().enumerate() {
            let id = insert(&c, &format!("vr-{i}"), customer, None, {
                crate::store::customers::record_consent(
                    &c,
                    customer,
                    &crate::store::customers::ConsentInput { text_version: "v".into(), locale: "en".into() },
                    None,
                )
                .unwrap()
            })
            .unwrap();
            set_state(&c, id, *state).unwrap();
            assert_eq!(get(&c, id).unwrap().state, *state, "round trip");
            if !state.is_final() {
                expected.push(id);
            }
        }
        assert_eq!(unsettled(&c).unwrap(), expected);
        assert!(AttemptState::Cancelled.is_closed() && !AttemptState::Cancelled.is_final());
        if c.dialect() == crate::db::Dialect::Sqlite {
            // (PostgreSQL scans a table this small whatever the indexes; the benchmark checks it at size.)
            let plan: String =
                c.query_row(&format!("EXPLAIN QUERY PLAN {}", unsettled_sql()), (), |r| r.get(3)).unwrap();
            assert!(plan.contains("attempts_open"), "the partial index answers it: {plan}");
        }
    }
}
