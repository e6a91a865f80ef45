//! Values, rows and parameters that mean the same on SQLite and on PostgreSQL. The store writes
//! its SQL once against these; each backend converts them to its driver's types.

use std::fmt;

/// One SQL value. Booleans stay booleans here: SQLite stores them as 0/1, PostgreSQL as
/// `boolean`; a column read either way converts back.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Bool(bool),
}

/// What the database answered or refused.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `query_row` found nothing (see [`OptionalExtension`]).
    #[error("query returned no rows")]
    NoRows,
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", pg_message(.0))]
    Postgres(#[from] postgres::Error),
    /// The shared database cannot be reached (no connection, or it broke and could not be
    /// made again).
    #[error("the shared database cannot be reached: {0}")]
    Unreachable(String),
    /// The connection is not to be used: what this till checks before it trusts the database
    /// refused it (see [`crate::shop::seals`]).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    /// A column did not hold what the code reads it as.
    #[error("column {index}: {message}")]
    Conversion { index: usize, message: String },
}

/// The server's own words (the driver's Display says only "db error").
fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{} ({})", d.message(), d.code().code()),
        None => e.to_string(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `.optional()` on a `query_row` result: no row is `None`, any other error stays an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A Rust value that can be a query parameter.
pub trait ToSql {
    fn to_value(&self) -> Value;
}

/// A Rust value a column can be read as.
pub trait FromSql: Sized {
    fn from_value(v: Value) -> Result<Self, String>;
}

impl ToSql for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToSql> ToSql for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToSql::to_value)
    }
}
impl ToSql for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}
impl ToSql for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToSql for std::borrow::Cow<'_, str> {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToSql for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl ToSql for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl ToSql for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}
macro_rules! int_to_sql {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_value(&self) -> Value {
                Value::Integer(i64::from(*self))
            }
        }
    )*};
}
int_to_sql!(i64, i32, u32, i16, u16, u8);

impl FromSql for Value {
    fn from_value(v: Value) -> Result<Self, String> {
        Ok(v)
    }
}
impl<T: FromSql> FromSql for Option<T> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}
impl FromSql for i64 {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Integer(i) => Ok(i),
            Value::Bool(b) => Ok(i64::from(b)),
            other => Err(format!("expected an integer, found {}", other.kind())),
        }
    }
}
macro_rules! narrow_from_sql {
    ($($t:ty),*) => {$(
        impl FromSql for $t {
            fn from_value(v: Value) -> Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} does not fit {}", stringify!($t)))
            }
        }
    )*};
}
narrow_from_sql!(i32, u32, u64, usize, u8);
impl FromSql for bool {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Bool(b) => Ok(b),
            Value::Integer(i) => Ok(i != 0),
            other => Err(format!("expected a boolean, found {}", other.kind())),
        }
    }
}
impl FromSql for String {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            other => Err(format!("expected text, found {}", other.kind())),
        }
    }
}
impl FromSql for Vec<u8> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b),
            other => Err(format!("expected a blob, found {}", other.kind())),
        }
    }
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Integer(_) => "an integer",
            Value::Real(_) => "a real number",
            Value::Text(_) => "text",
            Value::Blob(_) => "a blob",
            Value::Bool(_) => "a boolean",
        }
    }
}

/// One result row, owned: both backends hand the store the same thing.
#[derive(Clone, PartialEq)]
pub struct Row {
    pub(crate) values: Vec<Value>,
}

impl fmt::Debug for Row {
    // Rows hold sealed tokens and customers' details: never print their values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Row({} columns)", self.values.len())
    }
}

impl Row {
    /// Column `index` (from 0) as `T`.
    pub fn get<T: FromSql>(&self, index: usize) -> Result<T> {
        let v = self
            .values
            .get(index)
            .cloned()
            .ok_or_else(|| Error::Conversion { index, message: "no such column".into() })?;
        T::from_value(v).map_err(|message| Error::Conversion { index, message })
    }
}

/// Query parameters: `params![a, b]`, a tuple, an array or a `Vec<Value>`.
pub trait Params {
    fn into_values(self) -> Vec<Value>;
}

impl Params for Vec<Value> {
    fn into_values(self) -> Vec<Value> {
        self
    }
}
impl Params for &[&dyn ToSql] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(|p| p.to_value()).collect()
    }
}
impl<T: ToSql, const N: usize> Params for [T; N] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(ToSql::to_value).collect()
    }
}
impl<T: ToSql, const N: usize> Params for &[T; N] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(ToSql::to_value).collect()
    }
}
macro_rules! tuple_params {
    ($(($($n:tt $t:ident),*)),*) => {$(
        impl<$($t: ToSql),*> Params for ($($t,)*) {
            #[allow(unused_variables)]
            fn into_values(self) -> Vec<Value> {
                vec![$(self.$n.to_value()),*]
            }
        }
    )*};
}
tuple_params!(
    (),
    (0 A),
    (0 A, 1 B),
    (0 A, 1 B, 2 C),
    (0 A, 1 B, 2 C, 3 D),
    (0 A, 1 B, 2 C, 3 D, 4 E),
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F),
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G),
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H)
);

/// `params![a, b, c]`: parameters of different types, bound in order (`?1`, `?2`, …).
#[macro_export]
macro_rules! params {
    () => { ::std::vec::Vec::<$crate::db::value::Value>::new() };
    ($($p:expr),+ $(,)?) => { vec![$($crate::db::value::ToSql::to_value(&$p)),+] };
}
