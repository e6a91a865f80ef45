//! One declaration per vocabulary. [`wire_enum!`] declares an enum whose variants each carry
//! their wire name, written once beside them; from that one list come serde's names, the
//! TypeScript union (ts-rs reads the same `rename`), `ALL`, `as_str`, `parse` and the SQLite
//! conversions. Used for error codes, attempt states, roles and permissions; the UI's copies
//! are generated from these (`crate::api`).

/// Declare a vocabulary enum: `Variant = "WIRE_NAME"` per variant, with doc comments.
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name on the wire, in the database and in translations' ids.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            /// The value for a wire name, if it is one.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::db::value::ToSql for $name {
            fn to_value(&self) -> $crate::db::value::Value {
                $crate::db::value::Value::Text(self.as_str().to_owned())
            }
        }

        impl $crate::db::value::FromSql for $name {
            fn from_value(v: $crate::db::value::Value) -> Result<Self, String> {
                let s = <String as $crate::db::value::FromSql>::from_value(v)?;
                $name::parse(&s).ok_or_else(|| format!("{s:?} is not a {}", stringify!($name)))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::wire_enum! {
        /// A test vocabulary.
        enum Colour {
            /// Red.
            Red = "RED",
            DarkBlue = "dark-blue",
        }
    }

    #[test]
    fn one_list_gives_every_form() {
        assert_eq!(Colour::ALL, &[Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::DarkBlue.as_str(), "dark-blue");
        assert_eq!(Colour::parse("RED"), Some(Colour::Red));
        assert_eq!(Colour::parse("Red"), None);
        assert_eq!(serde_json::to_string(&Colour::DarkBlue).unwrap(), "\"dark-blue\"");
        assert_eq!(serde_json::from_str::<Colour>("\"RED\"").unwrap(), Colour::Red);
        use ts_rs::TS;
        assert_eq!(Colour::inline(&ts_rs::Config::new()), "\"RED\" | \"dark-blue\"");
        use crate::db::value::{FromSql, ToSql, Value};
        assert_eq!(Colour::DarkBlue.to_value(), Value::Text("dark-blue".into()));
        assert_eq!(Colour::from_value(Value::Text("RED".into())), Ok(Colour::Red));
        assert!(Colour::from_value(Value::Text("GREEN".into())).is_err());
        assert!(Colour::from_value(Value::Integer(1)).is_err());
    }
}
