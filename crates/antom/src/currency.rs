//! ISO 4217 currencies with their minor-unit exponent (how many digits after the decimal point:
//! JPY and KRW none, most two, BHD, KWD, OMR, JOD and TND three). Antom's amounts are integer
//! minor units in this exponent (`{"currency":"USD","value":"1000"}` is 10.00 USD). One list for
//! the client, the simulator and the app (`cardbind_core::money` re-exports it).

/// (code, exponent), ISO 4217 (2024), the currencies Antom lists for card payments and the
/// shop's own choices; sorted by code.
pub const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AUD", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("MXN", 2),
    ("MYR", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PEN", 2),
    ("PHP", 2),
    ("PLN", 2),
    ("QAR", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("USD", 2),
    ("VND", 0),
    ("ZAR", 2),
];

/// The minor-unit exponent of an ISO 4217 code in [`CURRENCIES`].
pub fn exponent(code: &str) -> Option<u8> {
    CURRENCIES.iter().find(|(c, _)| *c == code).map(|(_, e)| *e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_unique_and_knows_the_odd_exponents() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no duplicates");
        assert!(CURRENCIES.iter().all(|(c, _)| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert_eq!(exponent("JPY"), Some(0));
        assert_eq!(exponent("KRW"), Some(0));
        assert_eq!(exponent("BHD"), Some(3));
        assert_eq!(exponent("EUR"), Some(2));
        assert_eq!(exponent("eur"), None);
        assert_eq!(exponent("XXX"), None);
    }
}
