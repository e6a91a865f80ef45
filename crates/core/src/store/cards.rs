//! Bound cards (`cards`): masked data for lists and exports, the sealed token for payments.
//! Lists use keyset paging on indexed orders, so a page costs the same at row 10 and at row
//! 1,000,000.

use super::audit;
use super::sql::{invalid, ordered_join, prefix};
use crate::crypto::{Field, RowKey};
use crate::db::now;
use crate::db::Value as Sql;
use crate::db::{Connection, OptionalExtension, Row};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub brand: String,
    pub masked_card_no: String,
    pub last4: String,
    pub expiry_month: Option<i64>,
    pub expiry_year: Option<i64>,
    pub funding: Option<String>,
    pub issuer_name: Option<String>,
    pub bound_at: String,
    /// Set when the same card was already bound for this customer; staff keep or replace it.
    pub duplicate_of: Option<i64>,
    /// Staff removed it and Antom has not confirmed the token's deletion yet: it can no longer
    /// be charged, and cardbind keeps asking Antom to delete the token.
    pub removal_pending: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CardSort {
    /// Most recently bound first.
    #[default]
    Recent,
    /// Soonest expiry first.
    Expiry,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CardQuery {
    pub customer_id: Option<i64>,
    /// Four digits search the last four; anything else the customer's name, phone or reference.
    pub text: Option<String>,
    pub brand: Option<String>,
    /// Expiry window, inclusive, as YYYYMM.
    pub expires_from: Option<i64>,
    pub expires_to: Option<i64>,
    pub sort: CardSort,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardPage {
    pub rows: Vec<CardRow>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

const CARD_COLS: &str =
    "k.id, k.customer_id, c.name, k.brand, k.masked_card_no, k.last4, k.expiry_month, k.expiry_year, \
     k.funding, k.issuer_name, k.bound_at, k.duplicate_of, k.expiry_yyyymm, k.removal_requested_at IS NOT NULL";

fn card_row(r: &Row) -> crate::db::Result<CardRow> {
    Ok(CardRow {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        brand: r.get(3)?,
        masked_card_no: r.get(4)?,
        last4: r.get(5)?,
        expiry_month: r.get(6)?,
        expiry_year: r.get(7)?,
        funding: r.get(8)?,
        issuer_name: r.get(9)?,
        bound_at: r.get(10)?,
        duplicate_of: r.get(11)?,
        removal_pending: r.get(13)?,
    })
}

pub fn list_cards(conn: &Connection, q: &CardQuery) -> AppResult<CardPage> {
    let limit = q.limit.unwrap_or(50).clamp(1, 500) as i64;
    let mut wh = vec!["k.removed_at IS NULL".to_string()];
    let mut args: Vec<Sql> = Vec::new();
    let arg = |v: Sql, args: &mut Vec<Sql>| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(id) = q.customer_id {
        wh.push(format!("k.customer_id = {}", arg(Sql::Integer(id), &mut args)));
    }
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            wh.push(format!("k.last4 = {}", arg(Sql::Text(text.into()), &mut args)));
        } else {
            let p = arg(Sql::Text(text.into()), &mut args);
            wh.push(format!(
                "k.customer_id IN (SELECT id FROM customers WHERE {} UNION SELECT id FROM customers WHERE {}
                 UNION SELECT id FROM customers WHERE {})",
                prefix(conn.dialect(), "name", &p, true),
                prefix(conn.dialect(), "phone", &p, false),
                prefix(conn.dialect(), "reference", &p, false)
            ));
        }
    }
    if let Some(b) = q.brand.as_deref().filter(|b| !b.is_empty()) {
        wh.push(format!("k.brand = {}", arg(Sql::Text(b.to_ascii_uppercase()), &mut args)));
    }
    if q.expires_from.is_some() || q.expires_to.is_some() {
        wh.push("k.expiry_yyyymm IS NOT NULL".into());
    }
    if let Some(f) = q.expires_from {
        wh.push(format!("IFNULL(k.expiry_yyyymm, 999999) >= {}", arg(Sql::Integer(f), &mut args)));
    }
    if let Some(t) = q.expires_to {
        wh.push(format!("IFNULL(k.expiry_yyyymm, 999999) <= {}", arg(Sql::Integer(t), &mut args)));
    }
    let bad_cursor = || invalid("after: not a cursor from this list");
    let order = match q.sort {
        CardSort::Recent => {
            if let Some(cur) = &q.after {
                let (at, id) = cur.rsplit_once('|').ok_or_else(bad_cursor)?;
                let id: i64 = id.parse().map_err(|_| bad_cursor())?;
                let a = arg(Sql::Text(at.into()), &mut args);
                let b = arg(Sql::Integer(id), &mut args);
                wh.push(format!("(k.bound_at, k.id) < ({a}, {b})"));
            }
            "k.bound_at DESC, k.id DESC"
        }
        CardSort::Expiry => {
            if let Some(cur) = &q.after {
                let (e, id) = cur.split_once('|').ok_or_else(bad_cursor)?;
                let e: i64 = e.parse().map_err(|_| bad_cursor())?;
                let id: i64 = id.parse().map_err(|_| bad_cursor())?;
                let a = arg(Sql::Integer(e), &mut args);
                let b = arg(Sql::Integer(id), &mut args);
                wh.push(format!("(IFNULL(k.expiry_yyyymm, 999999), k.id) > ({a}, {b})"));
            }
            "IFNULL(k.expiry_yyyymm, 999999), k.id"
        }
    };
    let lim = arg(Sql::Integer(limit + 1), &mut args);
    // CROSS JOIN: SQLite keeps cards as the outer loop, walking the index that matches the
    // ORDER BY; with real statistics it would otherwise start from customers and sort.
    let sql = format!(
        "SELECT {CARD_COLS} FROM cards k {} customers c ON c.id = k.customer_id WHERE {} ORDER BY {order} LIMIT {lim}",
        ordered_join(conn.dialect()),
        wh.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = Vec::new();
    let mut sort_keys = Vec::new();
    let mut query = stmt.query(args)?;
    while let Some(r) = query.next()? {
        let yyyymm: Option<i64> = r.get(12)?;
        let row = card_row(r)?;
        sort_keys.push(match q.sort {
            CardSort::Recent => format!("{}|{}", row.bound_at, row.id),
            CardSort::Expiry => format!("{}|{}", yyyymm.unwrap_or(999999), row.id),
        });
        rows.push(row);
    }
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        Some(sort_keys[limit as usize - 1].clone())
    } else {
        None
    };
    Ok(CardPage { rows, next })
}

/// What a card row's MAC covers: the card, its customer and the vaulting request its token is
/// sealed to ([`crate::shop::seals`]).
fn seal_fields(id: i64, customer_id: i64, vaulting_request_id: &str) -> [Field<'_>; 3] {
    [Field::Int(id), Field::Int(customer_id), vaulting_request_id.into()]
}

/// Refuse (`ROW_TAMPERED`) a card whose row was moved to another customer (or otherwise
/// rewritten) by someone without the shop's row key.
fn check_seal(conn: &Connection, id: i64) -> AppResult<()> {
    let Some(key) = conn.row_key() else { return Ok(()) };
    let row: Option<(i64, String, Option<Vec<u8>>)> = conn
        .query_row("SELECT customer_id, vaulting_request_id, row_mac FROM cards WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match row {
        Some((customer, vr, mac)) if !key.verify("cards", &seal_fields(id, customer, &vr), mac.as_deref()) => {
            Err(super::sql::tampered(&format!("card {id}")))
        }
        _ => Ok(()),
    }
}

/// Seal the card rows written before seals existed, with a key just made (see
/// [`super::staff::seal_unsealed`]).
pub fn seal_unsealed(conn: &Connection, key: &RowKey) -> AppResult<usize> {
    let rows: Vec<(i64, i64, String)> =
        conn.query_map("SELECT id, customer_id, vaulting_request_id FROM cards WHERE row_mac IS NULL", (), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    for (id, customer, vr) in &rows {
        conn.execute(
            "UPDATE cards SET row_mac = ?1 WHERE id = ?2 AND row_mac IS NULL",
            params![key.mac("cards", &seal_fields(*id, *customer, vr)), id],
        )?;
    }
    Ok(rows.len())
}

/// A card of the list, whose row's seal holds.
pub fn get_card(conn: &Connection, id: i64) -> AppResult<CardRow> {
    check_seal(conn, id)?;
    conn.query_row(
        &format!("SELECT {CARD_COLS} FROM cards k JOIN customers c ON c.id = k.customer_id WHERE k.id = ?1 AND k.removed_at IS NULL"),
        [id],
        card_row,
    )
    .optional()?
    .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("card {id} does not exist or was removed")))
}

/// The scheme's transaction id of the card's first customer-initiated charge, if it had one.
pub fn network_transaction_id(conn: &Connection, card_id: i64) -> AppResult<Option<String>> {
    Ok(conn
        .query_row("SELECT network_transaction_id FROM cards WHERE id = ?1", [card_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Keep `nti` as the card's first customer-initiated charge's transaction id (the first one
/// stays).
pub fn keep_network_transaction_id(conn: &Connection, card_id: i64, nti: &str) -> AppResult<()> {
    conn.execute(
        "UPDATE cards SET network_transaction_id = ?2 WHERE id = ?1 AND network_transaction_id IS NULL",
        crate::params![card_id, nti],
    )?;
    Ok(())
}

/// The language the customer read the consent in when this card was saved (their language for
/// a receipt); removed cards too, since their payments keep their receipts.
pub fn consent_locale(conn: &Connection, card_id: i64) -> AppResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT s.locale FROM cards k JOIN binding_attempts a ON a.id = k.attempt_id \
             JOIN consents s ON s.id = a.consent_id WHERE k.id = ?1",
            [card_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Remove a card: the row stays for the audit trail (masked data only), the token is erased.
pub fn remove_card(conn: &Connection, id: i64, staff_id: Option<i64>) -> AppResult<()> {
    let tx = conn.unchecked_transaction()?;
    let n = tx.execute(
        "UPDATE cards SET removed_at = ?1, removed_by = ?2, token_sealed = NULL WHERE id = ?3 AND removed_at IS NULL",
        params![now(), staff_id, id],
    )?;
    if n == 0 {
        return Err(AppError::new(ErrorCode::NotFound, format!("card {id} does not exist or was already removed")));
    }
    tx.execute("UPDATE cards SET duplicate_of = NULL WHERE duplicate_of = ?1", [id])?;
    audit(&tx, staff_id, "card.remove", Some(&format!("card:{id}")), None)?;
    tx.commit()?;
    Ok(())
}

/// Staff removed a card: from now on it cannot be charged; its token stays sealed until Antom
/// confirms deleteToken ([`remove_card`] then erases it). Repeating it is harmless. Two
/// statements: the caller runs it in its transaction (with the removal's claim).
pub fn request_removal(conn: &Connection, id: i64, staff_id: Option<i64>) -> AppResult<()> {
    let n = conn.execute(
        "UPDATE cards SET removal_requested_at = IFNULL(removal_requested_at, ?1),
             removal_requested_by = IFNULL(removal_requested_by, ?2)
         WHERE id = ?3 AND removed_at IS NULL",
        params![now(), staff_id, id],
    )?;
    if n == 0 {
        return Err(AppError::new(ErrorCode::NotFound, format!("card {id} does not exist or was already removed")));
    }
    audit(conn, staff_id, "card.remove_requested", Some(&format!("card:{id}")), None)
}

/// Cards whose removal waits for Antom's deleteToken.
pub fn removals_pending(conn: &Connection) -> AppResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM cards WHERE removal_requested_at IS NOT NULL AND removed_at IS NULL ORDER BY id",
    )?;
    let ids = stmt.query_map((), |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Who asked for a card's removal (the audit of the final erase names them).
pub fn removal_requested_by(conn: &Connection, id: i64) -> AppResult<Option<i64>> {
    Ok(conn.query_row("SELECT removal_requested_by FROM cards WHERE id = ?1", [id], |r| r.get(0)).optional()?.flatten())
}

/// Keep a card flagged as a duplicate (clears the flag).
pub fn keep_duplicate(conn: &Connection, id: i64, staff_id: Option<i64>) -> AppResult<()> {
    let tx = conn.unchecked_transaction()?;
    let n = tx.execute(
        "UPDATE cards SET duplicate_of = NULL WHERE id = ?1 AND removed_at IS NULL AND duplicate_of IS NOT NULL",
        [id],
    )?;
    if n == 0 {
        return Err(AppError::new(ErrorCode::NotFound, format!("card {id} is not a flagged duplicate")));
    }
    audit(&tx, staff_id, "card.keep_duplicate", Some(&format!("card:{id}")), None)?;
    tx.commit()?;
    Ok(())
}

/// Replace the earlier card with this duplicate: the earlier one's removal is requested (the
/// caller revokes it at Antom); its id is returned.
pub fn replace_with_duplicate(conn: &Connection, id: i64, staff_id: Option<i64>) -> AppResult<i64> {
    let old: Option<i64> = conn
        .query_row("SELECT duplicate_of FROM cards WHERE id = ?1 AND removed_at IS NULL", [id], |r| r.get(0))
        .optional()?
        .flatten();
    let old = old.ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("card {id} is not a flagged duplicate")))?;
    // The removal request and its audit lines are one transaction; the duplicate flags are
    // cleared when the card is finally removed.
    let tx = conn.unchecked_transaction()?;
    request_removal(&tx, old, staff_id)?;
    audit(&tx, staff_id, "card.replace_duplicate", Some(&format!("card:{id}")), Some(&format!("replaced card:{old}")))?;
    tx.commit()?;
    Ok(old)
}

/// A card Antom bound, as it is stored: masked data and the sealed token.
#[derive(Debug, Clone)]
pub struct NewCard<'a> {
    pub customer_id: i64,
    pub attempt_id: i64,
    pub vaulting_request_id: &'a str,
    pub brand: &'a str,
    pub masked_card_no: &'a str,
    pub last4: &'a str,
    pub expiry_month: Option<i64>,
    pub expiry_year: Option<i64>,
    pub expiry_yyyymm: Option<i64>,
    pub funding: Option<&'a str>,
    pub issuer_name: Option<&'a str>,
    pub issuing_country: Option<&'a str>,
    pub fingerprint: Option<&'a str>,
    pub token_sealed: &'a [u8],
}

/// The customer's earlier card that `card` duplicates, if any: the same fingerprint, or (where a
/// fingerprint is missing) the same brand, last four and expiry.
pub fn find_duplicate(conn: &Connection, card: &NewCard) -> AppResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM cards WHERE customer_id = ?1 AND removed_at IS NULL AND vaulting_request_id <> ?2 AND (
                (fingerprint IS NOT NULL AND CAST(?3 AS TEXT) IS NOT NULL AND fingerprint = ?3)
                OR ((fingerprint IS NULL OR CAST(?3 AS TEXT) IS NULL) AND brand = ?4 AND last4 = ?5 AND expiry_yyyymm IS NOT DISTINCT FROM ?6))
             ORDER BY id LIMIT 1",
            params![
                card.customer_id,
                card.vaulting_request_id,
                card.fingerprint,
                card.brand,
                card.last4,
                card.expiry_yyyymm
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// Insert a bound card; its id, or `None` when its `vaulting_request_id` already has one (a
/// repeated answer: the UNIQUE column makes the insert idempotent).
pub fn insert_bound(conn: &Connection, card: &NewCard, duplicate_of: Option<i64>) -> AppResult<Option<i64>> {
    crate::db::atomically(conn, |conn| {
        let id = insert_row(conn, card, duplicate_of)?;
        if let (Some(id), Some(k)) = (id, conn.row_key()) {
            let mac = k.mac("cards", &seal_fields(id, card.customer_id, card.vaulting_request_id));
            conn.execute("UPDATE cards SET row_mac = ?1 WHERE id = ?2", params![mac, id])?;
        }
        Ok(id)
    })
}

fn insert_row(conn: &Connection, card: &NewCard, duplicate_of: Option<i64>) -> AppResult<Option<i64>> {
    let id: Option<i64> = conn
        .query_row(
        "INSERT INTO cards (customer_id, attempt_id, vaulting_request_id, brand, masked_card_no, last4, expiry_month, expiry_year,
            expiry_yyyymm, funding, issuer_name, issuing_country, fingerprint, token_sealed, duplicate_of, bound_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         ON CONFLICT (vaulting_request_id) DO NOTHING RETURNING id",
        params![
            card.customer_id,
            card.attempt_id,
            card.vaulting_request_id,
            card.brand,
            card.masked_card_no,
            card.last4,
            card.expiry_month,
            card.expiry_year,
            card.expiry_yyyymm,
            card.funding,
            card.issuer_name,
            card.issuing_country,
            card.fingerprint,
            card.token_sealed,
            duplicate_of,
            now()
        ],
            |r| r.get(0),
        )
        .optional()?;
    Ok(id)
}

/// A card's sealed token and the `vaulting_request_id` it is bound to (its associated data).
/// `NOT_FOUND` for an unknown card, or one removed (its token is erased).
pub fn sealed_token(conn: &Connection, card_id: i64) -> AppResult<(String, Vec<u8>)> {
    check_seal(conn, card_id)?;
    let (vr, sealed): (String, Option<Vec<u8>>) = conn
        .query_row("SELECT vaulting_request_id, token_sealed FROM cards WHERE id = ?1", [card_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("card {card_id} does not exist")))?;
    let sealed = sealed.ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("card {card_id} was removed")))?;
    Ok((vr, sealed))
}

/// Up to `limit` sealed tokens of cards after `after` (by id): (id, vaulting request id, sealed).
pub fn sealed_tokens_after(conn: &Connection, after: i64, limit: i64) -> AppResult<Vec<(i64, String, Vec<u8>)>> {
    Ok(conn.query_map(
        "SELECT id, vaulting_request_id, token_sealed FROM cards WHERE id > ?1 AND token_sealed IS NOT NULL ORDER BY id LIMIT ?2",
        params![after, limit],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// Replace a card's sealed token (a key rotation), only if it is still `old`; whether it was.
pub fn reseal_token(conn: &Connection, id: i64, old: &[u8], new: &[u8]) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE cards SET token_sealed = ?1 WHERE id = ?2 AND token_sealed = ?3",
        params![new.to_vec(), id, old.to_vec()],
    )? == 1)
}

/// A card as the CSV export writes it (masked data only; the token never leaves the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedCard {
    pub id: i64,
    pub customer: String,
    pub phone: Option<String>,
    pub reference: Option<String>,
    pub brand: String,
    pub masked_card_no: String,
    pub expiry_month: Option<i64>,
    pub expiry_year: Option<i64>,
    pub funding: Option<String>,
    pub issuer_name: Option<String>,
    pub bound_at: String,
}

/// Every card that is not removed, by id, one at a time (a million rows never sit in memory).
pub fn for_each_exported(conn: &Connection, mut f: impl FnMut(ExportedCard) -> AppResult<()>) -> AppResult<()> {
    let mut stmt = conn.prepare(
        "SELECT k.id, c.name, c.phone, c.reference, k.brand, k.masked_card_no, \
         k.expiry_month, k.expiry_year, k.funding, k.issuer_name, k.bound_at \
         FROM cards k JOIN customers c ON c.id = k.customer_id WHERE k.removed_at IS NULL ORDER BY k.id",
    )?;
    let mut rows = stmt.query(())?;
    while let Some(r) = rows.next()? {
        f(ExportedCard {
            id: r.get(0)?,
            customer: r.get(1)?,
            phone: r.get(2)?,
            reference: r.get(3)?,
            brand: r.get(4)?,
            masked_card_no: r.get(5)?,
            expiry_month: r.get(6)?,
            expiry_year: r.get(7)?,
            funding: r.get(8)?,
            issuer_name: r.get(9)?,
            bound_at: r.get(10)?,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::audit::list_audit;
    use crate::store::customers::{create_customer, CustomerInput};

    fn fixture() -> Connection {
        let c = crate::db::open_for_test();
        for (name, phone) in [("Ana Souza", "+55 11 5555 0100"), ("Bo Kim", "+82 2 555 0101"), ("100% Real", "555")] {
            create_customer(
                &c,
                &CustomerInput { name: name.into(), phone: Some(phone.into()), ..Default::default() },
                None,
            )
            .unwrap();
        }
        let brands = ["VISA", "MASTERCARD", "AMEX"];
        for i in 1..=60i64 {
            let customer = i % 3 + 1;
            c.execute(
                "INSERT INTO binding_attempts (id, vaulting_request_id, customer_id, state, created_at, updated_at) VALUES (?1, ?2, ?3, 'SUCCEEDED', 't', 't')",
                params![i, format!("vr-{i}"), customer],
            )
            .unwrap();
            let expiry = if i % 10 == 0 { None } else { Some(202600 + (i % 12) + 1) };
            c.execute(
                "INSERT INTO cards (customer_id, attempt_id, vaulting_request_id, brand, masked_card_no, last4, expiry_yyyymm, token_sealed, bound_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?8)",
                params![customer, i, format!("vr-{i}"), brands[(i % 3) as usize], format!("************{:04}", i), format!("{:04}", i), expiry, format!("2026-01-01T00:00:{:02}Z", i % 7), vec![0u8]],
            )
            .unwrap();
        }
        c
    }

    fn all_pages(c: &Connection, mut q: CardQuery) -> Vec<i64> {
        let mut ids = vec![];
        loop {
            let p = list_cards(c, &q).unwrap();
            ids.extend(p.rows.iter().map(|r| r.id));
            match p.next {
                Some(n) => q.after = Some(n),
                None => return ids,
            }
        }
    }

    #[test]
    fn keyset_paging_visits_every_card_once_in_order() {
        let c = fixture();
        for sort in [CardSort::Recent, CardSort::Expiry] {
            let ids = all_pages(&c, CardQuery { sort, limit: Some(7), ..Default::default() });
            let mut sorted = ids.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), 60, "{sort:?}: every card exactly once");
            assert_eq!(ids.len(), 60);
        }
        let recent = list_cards(&c, &CardQuery { limit: Some(60), ..Default::default() }).unwrap().rows;
        assert!(recent.windows(2).all(|w| (w[0].bound_at.as_str(), w[0].id) > (w[1].bound_at.as_str(), w[1].id)));
        assert!(list_cards(&c, &CardQuery { after: Some("garbage".into()), ..Default::default() }).is_err());
    }

    #[test]
    fn filters() {
        let c = fixture();
        let q = |q: CardQuery| all_pages(&c, CardQuery { limit: Some(5), ..q });
        assert_eq!(q(CardQuery { text: Some("0042".into()), ..Default::default() }), vec![42]);
        let ana = q(CardQuery { text: Some("ana".into()), ..Default::default() });
        assert_eq!(ana.len(), 20, "name prefix, case-insensitive");
        assert_eq!(q(CardQuery { text: Some("+82".into()), ..Default::default() }).len(), 20, "phone prefix");
        assert_eq!(
            q(CardQuery { text: Some("100%".into()), ..Default::default() }).len(),
            20,
            "LIKE wildcards are literal"
        );
        assert_eq!(q(CardQuery { text: Some("10%".into()), ..Default::default() }).len(), 0);
        assert_eq!(q(CardQuery { brand: Some("amex".into()), ..Default::default() }).len(), 20);
        let window = q(CardQuery {
            expires_from: Some(202603),
            expires_to: Some(202604),
            sort: CardSort::Expiry,
            ..Default::default()
        });
        assert!(!window.is_empty());
        for id in &window {
            let e: Option<i64> =
                c.query_row("SELECT expiry_yyyymm FROM cards WHERE id = ?1", [id], |r| r.get(0)).unwrap();
            assert!((202603..=202604).contains(&e.unwrap()));
        }
        // customer 1 holds the cards with i % 3 == 0, all VISA; customer 2 has no VISA
        assert_eq!(q(CardQuery { customer_id: Some(1), brand: Some("VISA".into()), ..Default::default() }).len(), 20);
        assert_eq!(q(CardQuery { customer_id: Some(2), brand: Some("VISA".into()), ..Default::default() }).len(), 0);
    }

    #[test]
    fn removing_erases_the_token_and_is_audited() {
        let c = fixture();
        remove_card(&c, 5, None).unwrap();
        let t: Option<Vec<u8>> = c.query_row("SELECT token_sealed FROM cards WHERE id = 5", (), |r| r.get(0)).unwrap();
        assert!(t.is_none());
        assert!(list_cards(&c, &CardQuery { limit: Some(100), ..Default::default() })
            .unwrap()
            .rows
            .iter()
            .all(|r| r.id != 5));
        assert_eq!(remove_card(&c, 5, None).unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(list_audit(&c, None, 10).unwrap()[0].action, "card.remove");
    }
}
