//! Money in the app: integer minor units in the currency's exponent, never floats. The currency
//! list itself is protocol knowledge and lives in the Antom client (`antom::currency`), shared
//! with the simulator; the UI's copy is generated (`CURRENCIES` in `ui/src/lib/gen/types.ts`).

pub use antom::currency::{exponent, CURRENCIES};
