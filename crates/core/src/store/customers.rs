//! Customers and the consents they gave (`customers`, `consents`).

use super::audit;
use super::sql::{invalid, nocase, prefix};
use crate::db::now;
use crate::db::{Connection, OptionalExtension, Row};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerInput {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The shop's own reference, e.g. a loyalty number.
    pub reference: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    pub created_at: String,
    pub card_count: i64,
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl CustomerInput {
    fn validated(&self) -> AppResult<CustomerInput> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            return Err(invalid("name: enter the customer's name"));
        }
        if name.chars().count() > 200 {
            return Err(invalid("name: at most 200 characters"));
        }
        let phone = clean(&self.phone);
        if let Some(p) = &phone {
            if p.len() > 32 || !p.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
                return Err(invalid("phone: digits, spaces and + - ( ) only"));
            }
        }
        let email = clean(&self.email);
        if let Some(e) = &email {
            if e.len() > 254 || !e.contains('@') || e.starts_with('@') || e.ends_with('@') {
                return Err(invalid("email: not an email address"));
            }
        }
        let reference = clean(&self.reference);
        if reference.as_ref().is_some_and(|r| r.len() > 64) {
            return Err(invalid("reference: at most 64 characters"));
        }
        let notes = clean(&self.notes);
        if notes.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            return Err(invalid("notes: at most 2000 characters"));
        }
        Ok(CustomerInput { name, phone, email, reference, notes })
    }
}

const CUSTOMER_COLS: &str = "c.id, c.name, c.phone, c.email, c.reference, c.notes, c.created_at, \
     (SELECT COUNT(*) FROM cards k WHERE k.customer_id = c.id AND k.removed_at IS NULL)";

fn customer_row(r: &Row) -> crate::db::Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        name: r.get(1)?,
        phone: r.get(2)?,
        email: r.get(3)?,
        reference: r.get(4)?,
        notes: r.get(5)?,
        created_at: r.get(6)?,
        card_count: r.get(7)?,
    })
}

pub fn create_customer(conn: &Connection, input: &CustomerInput, staff_id: Option<i64>) -> AppResult<Customer> {
    let c = input.validated()?;
    let tx = conn.unchecked_transaction()?;
    let t = now();
    let id: i64 = tx.query_row(
        "INSERT INTO customers (name, phone, email, reference, notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
        params![c.name, c.phone, c.email, c.reference, c.notes, t],
        |r| r.get(0),
    )?;
    audit(&tx, staff_id, "customer.create", Some(&format!("customer:{id}")), None)?;
    tx.commit()?;
    get_customer(conn, id)
}

pub fn update_customer(
    conn: &Connection,
    id: i64,
    input: &CustomerInput,
    staff_id: Option<i64>,
) -> AppResult<Customer> {
    let c = input.validated()?;
    let tx = conn.unchecked_transaction()?;
    let n = tx.execute(
        "UPDATE customers SET name = ?1, phone = ?2, email = ?3, reference = ?4, notes = ?5, updated_at = ?6 WHERE id = ?7",
        params![c.name, c.phone, c.email, c.reference, c.notes, now(), id],
    )?;
    if n == 0 {
        return Err(AppError::new(ErrorCode::NotFound, format!("customer {id} does not exist")));
    }
    audit(&tx, staff_id, "customer.update", Some(&format!("customer:{id}")), None)?;
    tx.commit()?;
    get_customer(conn, id)
}

pub fn get_customer(conn: &Connection, id: i64) -> AppResult<Customer> {
    conn.query_row(&format!("SELECT {CUSTOMER_COLS} FROM customers c WHERE c.id = ?1"), [id], customer_row)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("customer {id} does not exist")))
}

/// Customers whose name, phone or reference starts with `text` (all when empty), by name.
pub fn search_customers(conn: &Connection, text: &str, limit: u32) -> AppResult<Vec<Customer>> {
    let text = text.trim();
    let limit = limit.clamp(1, 500);
    let d = conn.dialect();
    let by_name = nocase(d, "c.name");
    let mut stmt;
    let rows = if text.is_empty() {
        stmt = conn.prepare(&format!("SELECT {CUSTOMER_COLS} FROM customers c ORDER BY {by_name}, c.id LIMIT ?1"))?;
        stmt.query_map([limit], customer_row)?.collect::<Result<Vec<_>, _>>()?
    } else {
        stmt = conn.prepare(&format!(
            "SELECT {CUSTOMER_COLS} FROM customers c WHERE c.id IN (
                SELECT id FROM customers WHERE {}
                UNION SELECT id FROM customers WHERE {}
                UNION SELECT id FROM customers WHERE {})
             ORDER BY {by_name}, c.id LIMIT ?2",
            prefix(d, "name", "?1", true),
            prefix(d, "phone", "?1", false),
            prefix(d, "reference", "?1", false)
        ))?;
        stmt.query_map(params![text, limit], customer_row)?.collect::<Result<Vec<_>, _>>()?
    };
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentInput {
    /// The version of the consent text shown (e.g. `card-on-file-v1`).
    pub text_version: String,
    /// The language it was shown in.
    pub locale: String,
}

pub fn record_consent(
    conn: &Connection,
    customer_id: i64,
    consent: &ConsentInput,
    staff_id: Option<i64>,
) -> AppResult<i64> {
    if consent.text_version.trim().is_empty() || consent.locale.trim().is_empty() {
        return Err(invalid("consent: the text version and locale are required"));
    }
    get_customer(conn, customer_id)?;
    let id: i64 = conn.query_row(
        "INSERT INTO consents (customer_id, text_version, locale, accepted_at, staff_id) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![customer_id, consent.text_version, consent.locale, now(), staff_id],
        |r| r.get(0),
    )?;
    audit(conn, staff_id, "consent.accept", Some(&format!("customer:{customer_id}")), Some(&consent.text_version))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_validation_names_the_field() {
        let c = crate::db::open_for_test();
        for (input, field) in [
            (CustomerInput { name: "  ".into(), ..Default::default() }, "name"),
            (CustomerInput { name: "A".into(), phone: Some("call me".into()), ..Default::default() }, "phone"),
            (CustomerInput { name: "A".into(), email: Some("nope".into()), ..Default::default() }, "email"),
        ] {
            let e = create_customer(&c, &input, None).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput);
            assert!(e.message.starts_with(field), "{}", e.message);
        }
        let a = create_customer(
            &c,
            &CustomerInput { name: " Ana ".into(), email: Some("a@b.c".into()), ..Default::default() },
            None,
        )
        .unwrap();
        assert_eq!(a.name, "Ana");
        let b =
            update_customer(&c, a.id, &CustomerInput { name: "Ana Souza".into(), ..Default::default() }, None).unwrap();
        assert_eq!((b.name.as_str(), b.email.as_deref()), ("Ana Souza", None));
        assert_eq!(search_customers(&c, "ana s", 10).unwrap().len(), 1);
        assert_eq!(
            update_customer(&c, 999, &CustomerInput { name: "x".into(), ..Default::default() }, None).unwrap_err().code,
            ErrorCode::NotFound
        );
    }
}
