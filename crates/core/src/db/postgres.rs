//! The PostgreSQL backend: a shared card database for several tills.
//!
//! The synchronous `postgres` client runs its own small runtime and must not be called from a
//! thread inside tokio (the app's commands are). So the client lives on a thread of its own and
//! every statement is handed to it and waited for: to the store it looks exactly like the SQLite
//! connection, one statement at a time under the app's connection lock.
//!
//! Statements arrive in SQLite's spelling (`?1`); [`renumber`] turns them into `$1`. Each one is
//! prepared once per connection and kept. Parameters are bound by the type the server inferred
//! ([`Value`]'s `ToSql` converts where nothing is lost and refuses otherwise).
//!
//! When the server goes away the connection is made again before the next statement; a
//! statement that fails because the server is gone reports [`Error::Unreachable`] and is never
//! repeated here (the caller's transaction is gone with the connection, so nothing half-done
//! remains on the server).

use super::value::{Error, Result, Row, Value};
use postgres::types::{to_sql_checked, IsNull, ToSql as PgToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

type Job = Box<dyn FnOnce(&mut Worker) + Send>;

pub(super) struct PgConn {
    jobs: mpsc::Sender<Job>,
}

struct Worker {
    url: String,
    /// A CA certificate (PEM) trusted for the server's certificate besides the system's.
    ca_file: Option<PathBuf>,
    /// The schema this connection works in (one per environment on a shared server), created
    /// if missing and set again on every new connection.
    schema: Option<String>,
    client: Option<Client>,
    statements: HashMap<String, Statement>,
}

impl Worker {
    fn client(&mut self) -> Result<&mut Client> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.statements.clear();
            let mut client = connect(&self.url, self.ca_file.as_deref())?;
            if let Some(s) = &self.schema {
                client
                    .batch_execute(&format!(
                        // made only where missing: a till's own role may not create schemas
                        "DO $$ BEGIN IF to_regnamespace({lit}) IS NULL THEN CREATE SCHEMA {id}; END IF; END $$; \
                         SET search_path TO {id}",
                        lit = super::literal(s),
                        id = super::ident(s)
                    ))
                    .map_err(gone)?;
            }
            self.client = Some(client);
        }
        Ok(self.client.as_mut().expect("just connected"))
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.client()?.prepare(&renumber(sql)).map_err(gone)?;
        if self.statements.len() >= 512 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }

    fn rows(&mut self, sql: &str, values: &[Value]) -> Result<Vec<postgres::Row>> {
        let stmt = self.statement(sql)?;
        let params: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        self.client()?.query(&stmt, &params).map_err(gone)
    }
}

/// Connect with TLS unless the address says `sslmode=disable` (the explicit opt-out, for a
/// server on this machine or a trusted LAN). Without a mode, and with `prefer` (which would
/// quietly fall back to plain text), TLS is required. The certificate is checked against the
/// system's roots (and `ca_file`, for a shop's own CA) and the host name, as a browser would;
/// a server that offers no TLS or a certificate that does not check out is refused.
fn connect(url: &str, ca_file: Option<&Path>) -> Result<Client> {
    use postgres::config::SslMode;
    let mut config: postgres::Config =
        url.parse().map_err(|e| Error::Unreachable(format!("not a PostgreSQL address: {e}")))?;
    plain_text_allowed(&config).map_err(|e| Error::Refused { code: e.code.as_str(), message: e.message })?;
    if config.get_ssl_mode() != SslMode::Disable {
        config.ssl_mode(SslMode::Require);
    }
    let client = if config.get_ssl_mode() == SslMode::Disable {
        config.connect(NoTls)
    } else {
        config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(ca_file)?))
    };
    client.map_err(|e| {
        // a till's own role that can no longer log in was disabled by an owner's revocation
        // (crate::db::roles::disable): said as such, not as a server that is away. The keys are
        // not deleted on this alone (a DBA's mistake looks the same); the till refuses to work.
        let auth = e.code().is_some_and(|c| {
            *c == postgres::error::SqlState::INVALID_PASSWORD
                || *c == postgres::error::SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        });
        if auth && config.get_user().is_some_and(|u| u.starts_with(super::roles::TILL_ROLE_PREFIX)) {
            return Error::Refused {
                code: crate::error::ErrorCode::TillRevoked.as_str(),
                message: "this till's database role can no longer log in: an owner revoked this till (or the \
                          shop's database administrator changed its role)"
                    .into(),
            };
        }
        Error::Unreachable(describe(&e))
    })
}

/// `sslmode=disable` (no TLS) only to this computer: every host a loopback address, `localhost`
/// or a Unix socket, and every `hostaddr` a loopback address (issue 30). Decided from the address
/// alone, before any name is looked up or any packet sent.
pub(super) fn plain_text_allowed(config: &postgres::Config) -> std::result::Result<(), crate::error::AppError> {
    use postgres::config::{Host, SslMode};
    if config.get_ssl_mode() != SslMode::Disable {
        return Ok(());
    }
    let host_ok = |h: &Host| match h {
        Host::Unix(_) => true,
        Host::Tcp(name) => {
            let name = name.trim_start_matches('[').trim_end_matches(']');
            name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
    };
    let hosts_ok = config.get_hosts().iter().all(host_ok);
    let addrs_ok = config.get_hostaddrs().iter().all(|ip| ip.is_loopback());
    if hosts_ok && addrs_ok {
        return Ok(());
    }
    Err(crate::error::AppError::in_field(
        crate::error::ErrorCode::InvalidInput,
        "url",
        "sslmode=disable sends the shop's data and the database password unencrypted: it is allowed only \
         for a server on this computer (localhost, 127.0.0.1, ::1 or a Unix socket). Remove it, so the \
         connection uses TLS",
    ))
}

/// The driver's error with its causes (a certificate refusal is two levels down).
fn describe(e: &postgres::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn tls_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = ca_file {
        let certs =
            CertificateDer::pem_file_iter(path)
                .and_then(|it| it.collect::<std::result::Result<Vec<_>, _>>())
                .map_err(|e| Error::Unreachable(format!("cannot read the CA certificate {}: {e}", path.display())))?;
        for cert in certs {
            roots.add(cert).map_err(|e| Error::Unreachable(format!("{}: {e}", path.display())))?;
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Unreachable(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// A closed connection, a broken socket, or the server saying it is going away (SQLSTATE class
/// 08, connection exception; 57P01–57P03, shut down or starting) is "unreachable"; the server's
/// other refusals stay what they are.
fn gone(e: postgres::Error) -> Error {
    let going_away = e.code().is_some_and(|c| {
        let c = c.code();
        c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03")
    });
    if going_away || e.is_closed() || (e.as_db_error().is_none() && io_cause(&e)) {
        Error::Unreachable(e.to_string())
    } else {
        Error::Postgres(e)
    }
}

fn io_cause(e: &postgres::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

impl PgConn {
    /// Connect (on the connection's own thread, like every statement after it), working in
    /// `schema` when given (a plain lower-case name: letters, digits and `_`).
    pub(super) fn connect(url: &str, schema: Option<&str>, ca_file: Option<&Path>) -> Result<PgConn> {
        let conn = Self::start(url, schema, ca_file)?;
        conn.run(|w| w.client().map(|_| ()))?;
        Ok(conn)
    }

    /// The connection's thread, without connecting yet (the first statement connects).
    pub(super) fn start(url: &str, schema: Option<&str>, ca_file: Option<&Path>) -> Result<PgConn> {
        if let Some(s) = schema {
            let plain = s.starts_with(|c: char| c.is_ascii_lowercase())
                && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !plain {
                return Err(Error::Unreachable(format!("{s:?} is not a schema name cardbind uses")));
            }
        }
        let (jobs, rx) = mpsc::channel::<Job>();
        let mut worker = Worker {
            url: url.to_owned(),
            ca_file: ca_file.map(Path::to_path_buf),
            schema: schema.map(str::to_owned),
            client: None,
            statements: HashMap::new(),
        };
        std::thread::Builder::new()
            .name("cardbind-postgres".into())
            .spawn(move || {
                for job in rx {
                    job(&mut worker);
                }
            })
            .map_err(|e| Error::Unreachable(format!("cannot start the database thread: {e}")))?;
        Ok(PgConn { jobs })
    }

    fn run<R: Send + 'static>(&self, f: impl FnOnce(&mut Worker) -> Result<R> + Send + 'static) -> Result<R> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.jobs
            .send(Box::new(move |w| {
                let _ = tx.send(f(w));
            }))
            .map_err(|_| Error::Unreachable("the database thread stopped".into()))?;
        rx.recv().map_err(|_| Error::Unreachable("the database thread stopped".into()))?
    }

    pub(super) fn execute(&self, sql: &str, values: Vec<Value>) -> Result<usize> {
        let sql = sql.to_owned();
        self.run(move |w| {
            let stmt = w.statement(&sql)?;
            let params: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
            let n = w.client()?.execute(&stmt, &params).map_err(gone)?;
            Ok(n as usize)
        })
    }

    pub(super) fn query(&self, sql: &str, values: Vec<Value>) -> Result<Vec<Row>> {
        let sql = sql.to_owned();
        self.run(move |w| w.rows(&sql, &values)?.iter().map(row).collect())
    }

    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        let sql = sql.to_owned();
        self.run(move |w| w.client()?.batch_execute(&sql).map_err(gone))
    }
}

fn row(r: &postgres::Row) -> Result<Row> {
    let mut values = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let conv = |e: postgres::Error| Error::Conversion { index: i, message: e.to_string() };
        let t = col.type_();
        let v = if *t == Type::INT8 {
            r.try_get::<_, Option<i64>>(i).map_err(conv)?.map(Value::Integer)
        } else if *t == Type::INT4 {
            r.try_get::<_, Option<i32>>(i).map_err(conv)?.map(|v| Value::Integer(v.into()))
        } else if *t == Type::INT2 {
            r.try_get::<_, Option<i16>>(i).map_err(conv)?.map(|v| Value::Integer(v.into()))
        } else if *t == Type::BOOL {
            r.try_get::<_, Option<bool>>(i).map_err(conv)?.map(Value::Bool)
        } else if *t == Type::BYTEA {
            r.try_get::<_, Option<Vec<u8>>>(i).map_err(conv)?.map(Value::Blob)
        } else if *t == Type::FLOAT8 {
            r.try_get::<_, Option<f64>>(i).map_err(conv)?.map(Value::Real)
        } else if [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME].contains(t) {
            r.try_get::<_, Option<String>>(i).map_err(conv)?.map(Value::Text)
        } else {
            return Err(Error::Conversion {
                index: i,
                message: format!("column type {t} is not read by cardbind (cast it in the query)"),
            });
        };
        values.push(v.unwrap_or(Value::Null));
    }
    Ok(Row { values })
}

impl PgToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let refuse = || -> Box<dyn std::error::Error + Sync + Send> {
            format!("cannot bind {self:?} as a parameter of type {ty}").into()
        };
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => {
                if *ty == Type::INT8 {
                    i.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*i).map_err(|_| refuse())?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*i).map_err(|_| refuse())?.to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*i != 0).to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    (*i as f64).to_sql(ty, out)
                } else if [Type::TEXT, Type::VARCHAR].contains(ty) {
                    i.to_string().to_sql(ty, out)
                } else {
                    Err(refuse())
                }
            }
            Value::Bool(b) => {
                if *ty == Type::BOOL {
                    b.to_sql(ty, out)
                } else if *ty == Type::INT8 {
                    i64::from(*b).to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::from(*b).to_sql(ty, out)
                } else {
                    Err(refuse())
                }
            }
            Value::Real(r) if *ty == Type::FLOAT8 => r.to_sql(ty, out),
            Value::Text(s) if [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(ty) => {
                s.as_str().to_sql(&Type::TEXT, out)
            }
            Value::Blob(b) if *ty == Type::BYTEA => b.as_slice().to_sql(ty, out),
            _ => Err(refuse()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// SQLite's `?1`/`?` parameters as PostgreSQL's `$1`, outside quotes and comments.
pub(super) fn renumber(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    next += 1;
                    digits = next.to_string();
                } else {
                    next = next.max(digits.parse().unwrap_or(0));
                }
                out.push('$');
                out.push_str(&digits);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn parameters_are_renumbered_outside_quotes_and_comments() {
        assert_eq!(renumber("SELECT ?1, ?2 WHERE a = ?1"), "SELECT $1, $2 WHERE a = $1");
        assert_eq!(renumber("VALUES (?, ?)"), "VALUES ($1, $2)");
        assert_eq!(renumber("SELECT '?1', \"a?\" -- ?3\n, ?2"), "SELECT '?1', \"a?\" -- ?3\n, $2");
    }
}
