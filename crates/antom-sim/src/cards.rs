//! Test cards: what each number does, like Stripe's test-card table. Any other number that passes
//! the Luhn check binds successfully; the outcome table is documented in the crate's README.

use serde::Serialize;

/// The code the simulated 3DS challenge accepts (shown on the challenge page as a test hint).
pub const CHALLENGE_CODE: &str = "1234";
/// Wrong codes allowed before the verification fails.
pub const CHALLENGE_TRIES: u32 = 3;

/// What binding a card leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    Success,
    /// Declined with this `vaultingResultCode`.
    Decline(&'static str),
    /// A 3D Secure challenge; the answer decides.
    ThreeDs,
    /// The issuer takes a while: PROCESSING for `slow_seconds` (scaled), then SUCCESS.
    Slow,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestCard {
    pub number: &'static str,
    pub brand: &'static str,
    pub outcome: Outcome,
    pub description: &'static str,
}

/// The table. Numbers pass the Luhn check (a unit test proves it).
pub const TEST_CARDS: &[TestCard] = &[
    TestCard { number: "4111111111111111", brand: "VISA", outcome: Outcome::Success, description: "Visa: bound" },
    TestCard { number: "4242424242424242", brand: "VISA", outcome: Outcome::Success, description: "Visa: bound" },
    TestCard {
        number: "5555555555554444",
        brand: "MASTERCARD",
        outcome: Outcome::Success,
        description: "Mastercard: bound",
    },
    TestCard {
        number: "2223003122003222",
        brand: "MASTERCARD",
        outcome: Outcome::Success,
        description: "Mastercard (2-series): bound",
    },
    TestCard {
        number: "378282246310005",
        brand: "AMEX",
        outcome: Outcome::Success,
        description: "American Express: bound (4-digit CVV)",
    },
    TestCard { number: "3530111333300000", brand: "JCB", outcome: Outcome::Success, description: "JCB: bound" },
    TestCard { number: "6200000000000005", brand: "CUP", outcome: Outcome::Success, description: "UnionPay: bound" },
    TestCard {
        number: "6011111111111117",
        brand: "DISCOVER",
        outcome: Outcome::Success,
        description: "Discover: bound",
    },
    TestCard {
        number: "4000000000000002",
        brand: "VISA",
        outcome: Outcome::Decline("DO_NOT_HONOR"),
        description: "declined: do not honour",
    },
    TestCard {
        number: "4000000000000069",
        brand: "VISA",
        outcome: Outcome::Decline("CARD_EXPIRED"),
        description: "declined: card expired",
    },
    TestCard {
        number: "4000000000000127",
        brand: "VISA",
        outcome: Outcome::Decline("INVALID_CVV"),
        description: "declined: wrong CVV",
    },
    TestCard {
        number: "4000000000009979",
        brand: "VISA",
        outcome: Outcome::Decline("STOLEN_CARD"),
        description: "declined: stolen card",
    },
    TestCard {
        number: "4000000000009987",
        brand: "VISA",
        outcome: Outcome::Decline("LOST_CARD"),
        description: "declined: lost card",
    },
    TestCard {
        number: "4000000000000259",
        brand: "VISA",
        outcome: Outcome::Decline("CARD_NOT_SUPPORTED"),
        description: "declined: card not supported",
    },
    TestCard {
        number: "4100000000000019",
        brand: "VISA",
        outcome: Outcome::Decline("FRAUD_REJECT"),
        description: "declined: fraud suspected",
    },
    TestCard {
        number: "4000000000000036",
        brand: "VISA",
        outcome: Outcome::Decline("INVALID_CARD_NUMBER"),
        description: "declined: issuer says the number is invalid",
    },
    TestCard {
        number: "4000000000000101",
        brand: "VISA",
        outcome: Outcome::Decline("RESTRICTED_CARD"),
        description: "declined: restricted card",
    },
    TestCard {
        number: "4000000000000341",
        brand: "VISA",
        outcome: Outcome::Decline("PICKUP_CARD"),
        description: "declined: pick up card",
    },
    TestCard {
        number: "4000000000000119",
        brand: "VISA",
        outcome: Outcome::Decline(antom::codes::PROCESS_FAIL),
        description: "declined: unmapped processing failure",
    },
    TestCard {
        number: "4000000000003220",
        brand: "VISA",
        outcome: Outcome::ThreeDs,
        description: "3D Secure challenge, then bound if approved",
    },
    TestCard {
        number: "5200000000001096",
        brand: "MASTERCARD",
        outcome: Outcome::ThreeDs,
        description: "Mastercard 3D Secure challenge",
    },
    TestCard {
        number: "4000000000000077",
        brand: "VISA",
        outcome: Outcome::Slow,
        description: "slow verification: PROCESSING, then bound",
    },
    TestCard {
        number: "4000000000005209",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; payments declined: do not honour",
    },
    TestCard {
        number: "4000000000009953",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; payments declined: insufficient funds",
    },
    TestCard {
        number: "4000000000004004",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; payments declined: card expired since",
    },
    TestCard {
        number: "4000000000009219",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; reported lost or stolen since: payments declined as do not honour",
    },
    TestCard {
        number: "4000000000003162",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; every payment asks for 3D Secure (code 1234)",
    },
    TestCard {
        number: "4000000000007304",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; payments pending, then approved",
    },
    TestCard {
        number: "4000000000007312",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; payments pending, then declined",
    },
    TestCard {
        number: "4000000000003188",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; the scheme asks for 3D Secure: declined without enableAuthenticationUpgrade, challenged (code 1234) with it",
    },
    TestCard {
        number: "4000000000006249",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; payments authorised, then the capture fails",
    },
    TestCard {
        number: "4000000000007387",
        brand: "VISA",
        outcome: Outcome::Success,
        description: "bound; refunds PROCESSING first, then succeed",
    },
];

/// What paying with a saved card leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PayOutcome {
    Approve,
    /// Declined with this `resultCode`.
    Decline(&'static str),
    /// `PAYMENT_IN_PROCESS` with a 3D Secure challenge page; the answer decides.
    ThreeDs,
    /// `PAYMENT_IN_PROCESS` for `slow_verification` (scaled), then approved, or declined with the code.
    Slow(Option<&'static str>),
    /// Strong customer authentication required: a customer-initiated pay without
    /// `enableAuthenticationUpgrade` (or `is3DSAuthentication`) is declined with
    /// [`SCA_REQUIRED_CODE`]; with it, challenged. Merchant-initiated pays are approved (no 3DS).
    ScaRequired,
    /// Approved; the automatic capture then fails.
    CaptureFails,
    /// Approved; its refunds are PROCESSING for `slow_verification` (scaled), then succeed.
    SlowRefunds,
}

/// The decline code of a pay the scheme wanted authenticated and that was sent without 3DS or
/// the upgrade. Antom's code for it is UNCONFIRMED: this one is the simulator's choice.
pub const SCA_REQUIRED_CODE: &str = "AUTHENTICATION_REQUIRED";

/// The cards whose saved tokens pay differently; every other bound card's payments are approved.
/// (Lost and stolen cards are answered as a plain decline, as issuers do.)
pub const PAY_OUTCOMES: &[(&str, PayOutcome)] = &[
    ("4000000000005209", PayOutcome::Decline(antom::codes::DO_NOT_HONOR)),
    ("4000000000009953", PayOutcome::Decline(antom::codes::USER_BALANCE_NOT_ENOUGH)),
    ("4000000000004004", PayOutcome::Decline(antom::codes::INVALID_EXPIRATION_DATE)),
    ("4000000000009219", PayOutcome::Decline(antom::codes::DO_NOT_HONOR)),
    ("4000000000003162", PayOutcome::ThreeDs),
    ("4000000000007304", PayOutcome::Slow(None)),
    ("4000000000007312", PayOutcome::Slow(Some(antom::codes::DO_NOT_HONOR))),
    ("4000000000003188", PayOutcome::ScaRequired),
    ("4000000000006249", PayOutcome::CaptureFails),
    ("4000000000007387", PayOutcome::SlowRefunds),
];

/// How a bound card (known by its BIN and last four, which is what the simulator keeps) pays.
pub fn pay_outcome(bin: &str, last4: &str) -> PayOutcome {
    PAY_OUTCOMES.iter().find(|(n, _)| n.starts_with(bin) && n.ends_with(last4)).map_or(PayOutcome::Approve, |(_, o)| *o)
}

pub fn lookup(number: &str) -> Option<&'static TestCard> {
    TEST_CARDS.iter().find(|c| c.number == number)
}

/// The Luhn (mod 10) check.
pub fn luhn_ok(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != number.len() || !(12..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The scheme from the number's prefix, in Antom's brand names; `None` when unknown.
pub fn brand_of(number: &str) -> Option<&'static str> {
    let p = |n: usize| number.get(..n).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    if number.starts_with('4') {
        Some("VISA")
    } else if (51..=55).contains(&p(2)) || (2221..=2720).contains(&p(4)) {
        Some("MASTERCARD")
    } else if p(2) == 34 || p(2) == 37 {
        Some("AMEX")
    } else if p(4) == 6011 || (644..=649).contains(&p(3)) || p(2) == 65 {
        Some("DISCOVER")
    } else if (3528..=3589).contains(&p(4)) {
        Some("JCB")
    } else if p(2) == 62 || p(2) == 81 {
        Some("CUP")
    } else if p(2) == 36 || (300..=305).contains(&p(3)) || p(2) == 38 {
        Some("DINERS")
    } else {
        None
    }
}

/// CVV length the scheme uses.
pub fn cvv_len(brand: &str) -> usize {
    if brand == "AMEX" {
        4
    } else {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_test_card_is_luhn_valid_and_branded_by_its_prefix() {
        for c in TEST_CARDS {
            assert!(luhn_ok(c.number), "{} fails Luhn", c.number);
            assert_eq!(brand_of(c.number), Some(c.brand), "{}", c.number);
        }
        let mut numbers: Vec<_> = TEST_CARDS.iter().map(|c| c.number).collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), TEST_CARDS.len(), "numbers are unique");
    }

    #[test]
    fn the_readme_documents_every_test_card() {
        let readme = include_str!("../README.md");
        for c in TEST_CARDS {
            assert!(readme.contains(&format!("| `{}` | {} |", c.number, c.brand)), "README misses {}", c.number);
            if let Outcome::Decline(code) = c.outcome {
                assert!(
                    readme.contains(&format!("`{}` | {} | declined: `vaultingResultCode` `{code}`", c.number, c.brand))
                );
            }
        }
    }

    #[test]
    fn every_pay_outcome_card_binds_and_is_documented() {
        let readme = include_str!("../README.md");
        for (number, outcome) in PAY_OUTCOMES {
            let card = lookup(number).expect("a pay-outcome card is a test card");
            assert_eq!(card.outcome, Outcome::Success, "{number} binds");
            assert_eq!(pay_outcome(&number[..6], &number[number.len() - 4..]), *outcome);
            assert!(
                readme.contains(&format!("| `{number}` | VISA | bound; payments"))
                    || readme.contains(&format!("| `{number}` | VISA | bound; every payment"))
                    || readme.contains(&format!("| `{number}` | VISA | bound; reported"))
                    || readme.contains(&format!("| `{number}` | VISA | bound; the scheme"))
                    || readme.contains(&format!("| `{number}` | VISA | bound; refunds")),
                "README misses the payments of {number}"
            );
        }
        assert_eq!(pay_outcome("411111", "1111"), PayOutcome::Approve);
    }

    #[test]
    fn luhn() {
        assert!(luhn_ok("4111111111111111"));
        assert!(!luhn_ok("4111111111111112"));
        assert!(!luhn_ok("4111 1111 1111 1111"));
        assert!(!luhn_ok("41111"));
    }
}
