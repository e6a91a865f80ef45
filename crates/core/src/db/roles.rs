//! Least privilege on the shop's shared PostgreSQL (issue 30). The schemas belong to the role
//! the shop's first till was given (the *admin* role: the shop's DBA made it once, with
//! `CREATEROLE`), used only to migrate and to admit and revoke tills. Each till logs in with a
//! role of its own, made when it is admitted, member of the shop's group role, which may read
//! and write the tables the app needs — and on the activity log and the key checks only SELECT
//! and INSERT, so a till (or whoever took its password) cannot disable the audit log's triggers,
//! delete or edit its rows, or replace what the keys are checked against. Revoking a till makes
//! its role unable to log in and ends its sessions.
//!
//! Role names are made here from hex only (the shop's identity, the till's public key), so they
//! are safe as identifiers; passwords are random hex.

use super::{ident, literal, Connection};
use crate::error::{AppError, AppResult, ErrorCode};

/// The shop's group role (cluster-wide, so named after the shop).
pub fn group(shop: &str) -> String {
    format!("cardbind_tills_{}", hex12(shop))
}

/// How every till's own role is named.
pub const TILL_ROLE_PREFIX: &str = "cardbind_till_";

/// A till's own role.
pub fn till_role(shop: &str, public_key: &[u8]) -> String {
    let pk: String = public_key.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{TILL_ROLE_PREFIX}{}_{pk}", hex12(shop))
}

fn hex12(s: &str) -> String {
    s.chars().filter(char::is_ascii_hexdigit).take(12).collect::<String>().to_ascii_lowercase()
}

/// A fresh password for a till's role.
pub fn new_password() -> AppResult<String> {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b).map_err(|e| AppError::new(ErrorCode::Internal, format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// Whether the role `conn` logged in as may make roles (the shop's admin role).
pub fn may_manage(conn: &Connection) -> AppResult<bool> {
    Ok(conn
        .query_row("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user", (), |r| r.get(0))?)
}

/// The group role exists and may do, in `conn`'s schema, what a till does (again after every
/// migration: new tables get the same rights).
pub fn grant(conn: &Connection, group: &str) -> AppResult<()> {
    let (g, s) = (ident(group), ident(&current_schema(conn)?));
    conn.execute_batch(&format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {lit}) THEN CREATE ROLE {g} NOLOGIN; END IF; END $$;
         GRANT USAGE ON SCHEMA {s} TO {g};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {g};
         REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, row_key_check, shop_identity, schema_migrations FROM {g};
         REVOKE DELETE, TRUNCATE ON data_key_checks FROM {g};
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {g};",
        lit = literal(group),
    ))?;
    Ok(())
}

fn current_schema(conn: &Connection) -> AppResult<String> {
    Ok(conn.query_row("SELECT current_schema()", (), |r| r.get(0))?)
}

/// A till's role, able to log in with `password`, in the shop's group (made, or given a new
/// password and let in again).
pub fn admit(conn: &Connection, group: &str, role: &str, password: &str) -> AppResult<()> {
    let (r, lit) = (ident(role), literal(role));
    conn.execute_batch(&format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {lit}) THEN CREATE ROLE {r}; END IF; END $$;
         ALTER ROLE {r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {pw};
         GRANT {g} TO {r};",
        pw = literal(password),
        g = ident(group),
    ))?;
    Ok(())
}

/// A revoked till's role can no longer log in, and its sessions end (where this role may end
/// them; the till is refused at its next command anyway).
pub fn disable(conn: &Connection, role: &str) -> AppResult<()> {
    conn.execute_batch(&format!(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {lit}) THEN ALTER ROLE {r} NOLOGIN PASSWORD NULL; END IF; END $$;",
        lit = literal(role),
        r = ident(role),
    ))?;
    let ended = conn.query_map(
        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE usename = ?1",
        [role],
        |r| r.get::<String>(0),
    );
    if let Err(e) = ended {
        tracing::warn!(error = %e, "a revoked till's sessions could not be ended; it is refused at its next command");
    }
    Ok(())
}

/// The address `admin_url` names, logging in as `role` with `password` instead.
pub fn url_for(admin_url: &str, role: &str, password: &str) -> AppResult<String> {
    let bad = || AppError::in_field(ErrorCode::InvalidInput, "url", "not a PostgreSQL address");
    if let Some((scheme, rest)) = admin_url.split_once("://") {
        let (authority, tail) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let hosts = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if hosts.is_empty() {
            return Err(bad());
        }
        return Ok(format!("{scheme}://{role}:{password}@{hosts}{tail}"));
    }
    if admin_url.contains('=') {
        // key=value form: later keys win
        return Ok(format!("{admin_url} user={role} password={password}"));
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tills_address_keeps_the_server_and_options_and_changes_only_who_logs_in() {
        assert_eq!(
            url_for("postgresql://admin:s3cr%40t@db.lan:5433/shop?sslmode=require", "r", "p").unwrap(),
            "postgresql://r:p@db.lan:5433/shop?sslmode=require"
        );
        assert_eq!(url_for("postgres://db.lan/shop", "r", "p").unwrap(), "postgres://r:p@db.lan/shop");
        assert_eq!(url_for("host=db.lan user=admin", "r", "p").unwrap(), "host=db.lan user=admin user=r password=p");
        assert!(url_for("nonsense", "r", "p").is_err());
        let role = till_role("ab12CD34ef56aa", &[0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]);
        assert_eq!(role, "cardbind_till_ab12cd34ef56_deadbeef01020304");
        assert_eq!(group("zz';DROP"), "cardbind_tills_d", "only hex reaches a name");
    }
}
