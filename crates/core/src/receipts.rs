//! Receipts for payments and refunds: what a customer takes home, in their language.
//!
//! A receipt holds only what is safe on paper: the shop, the date, the card's brand and masked
//! number, the amount, Antom's payment and refund ids, the authorization code and the shop's
//! reference. Never the token, the customer's name, phone or e-mail, or anything Antom did not
//! confirm: a receipt exists only for a payment Antom authorised (it says whether the capture is
//! confirmed yet) or a refund Antom reported as succeeded.
//!
//! The customer's language is the one they read the consent in when the card was saved (staff may
//! pick another). The UI lays the receipt out and formats amounts and dates for that language
//! (Intl); the shell prints it (the webview's print, or straight to a PDF file).

use crate::db::Connection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::i18n::LOCALES;
use crate::settings::{Environment, Settings};
use crate::store;
use crate::store::payments::{PaymentState, RefundState};
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

crate::wire_enum! {
    /// What a receipt is for.
    pub enum ReceiptKind {
        /// A charge of a saved card.
        Payment = "PAYMENT",
        /// Money given back on a payment.
        Refund = "REFUND",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub kind: ReceiptKind,
    /// The receipt's language: one of the app's.
    pub locale: String,
    /// The shop's name as customers know it (none: the receipt has no shop line).
    pub shop_name: Option<String>,
    /// Demo mode: the receipt says no real money moved.
    pub demo: bool,
    /// When Antom completed the payment (or the refund).
    pub at: String,
    pub brand: String,
    pub masked_card_no: String,
    pub last4: String,
    pub currency: String,
    /// What this receipt is for, in minor units: the payment's amount, or the refund's.
    #[ts(type = "number")]
    pub amount: i64,
    /// The payment's amount (on a refund receipt: what was paid originally).
    #[ts(type = "number")]
    pub payment_amount: i64,
    pub description: String,
    pub reference: String,
    /// Antom's `paymentId`.
    pub payment_id: Option<String>,
    /// AUTHORISED (the capture not confirmed yet) or CAPTURED: the receipt says which.
    pub status: PaymentState,
    pub authorization_code: Option<String>,
    /// Antom's `refundId` (refund receipts).
    pub refund_id: Option<String>,
    /// The PDF's file name: `receipt-<payment id>[-refund-<refund id>]-<locale>.pdf`.
    pub file_name: String,
}

/// The receipt of payment `payment_row`, or of its refund `refund_row`, in `locale` (else the
/// customer's language, else the app's).
pub fn build(
    conn: &Connection,
    settings: &Settings,
    payment_row: i64,
    refund_row: Option<i64>,
    locale: Option<&str>,
) -> AppResult<Receipt> {
    let p = store::payments::get(conn, payment_row)?;
    if !p.state.is_charged() {
        return Err(AppError::new(
            ErrorCode::ReceiptNotAvailable,
            format!(
                "payment {payment_row} is {}: only an authorised or captured payment has a receipt",
                p.state.as_str()
            ),
        ));
    }
    let locale = match locale {
        Some(l) if LOCALES.contains(&l) => l.to_string(),
        Some(l) => return Err(AppError::new(ErrorCode::InvalidInput, format!("locale: {l:?} is not one of ours"))),
        None => customer_locale(conn, settings, p.card_id)?,
    };
    let refund = match refund_row {
        None => None,
        Some(id) => {
            let r = store::payments::get_refund(conn, id)?;
            if r.payment_row != payment_row {
                return Err(AppError::new(ErrorCode::NotFound, format!("payment {payment_row} has no refund {id}")));
            }
            if r.state != RefundState::Succeeded {
                return Err(AppError::new(
                    ErrorCode::ReceiptNotAvailable,
                    format!("refund {id} is {}: only a successful refund has a receipt", r.state.as_str()),
                ));
            }
            Some(r)
        }
    };
    let mut name = format!("receipt-{}", safe(p.payment_id.as_deref().unwrap_or(&p.payment_request_id)));
    if let Some(r) = &refund {
        name.push_str(&format!("-refund-{}", safe(r.refund_id.as_deref().unwrap_or(&r.refund_request_id))));
    }
    name.push_str(&format!("-{locale}.pdf"));
    Ok(Receipt {
        kind: if refund.is_some() { ReceiptKind::Refund } else { ReceiptKind::Payment },
        locale,
        shop_name: settings.shop_name.clone(),
        demo: settings.environment == Environment::Demo,
        at: match &refund {
            Some(r) => r.refunded_at.clone().unwrap_or_else(|| r.updated_at.clone()),
            None => p.paid_at.clone().unwrap_or_else(|| p.updated_at.clone()),
        },
        brand: p.brand,
        masked_card_no: p.masked_card_no,
        last4: p.last4,
        currency: p.currency,
        amount: refund.as_ref().map_or(p.amount, |r| r.amount),
        payment_amount: p.amount,
        description: p.description,
        reference: p.reference,
        payment_id: p.payment_id,
        status: p.state,
        authorization_code: p.authorization_code,
        refund_id: refund.and_then(|r| r.refund_id),
        file_name: name,
    })
}

/// The saved PDF of a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptFile {
    pub path: String,
}

/// Save `receipt` as a PDF in `dir` (created if needed): `print` writes the PDF to the path it is
/// given (the shell prints the receipt on screen there); the file appears under its final name
/// only when the print finished, so a failed or half-written print never leaves a receipt that
/// looks complete. A receipt saved again replaces the earlier file of the same name.
pub async fn save_pdf<F, Fut>(receipt: &Receipt, dir: &Path, print: F) -> AppResult<ReceiptFile>
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: std::future::Future<Output = AppResult<()>>,
{
    std::fs::create_dir_all(dir).map_err(file_error)?;
    let path = dir.join(&receipt.file_name);
    let part = dir.join(format!(".{}.part", receipt.file_name));
    let printed = print(part.clone()).await.and_then(|()| {
        let len = std::fs::metadata(&part).map_err(file_error)?.len();
        if len == 0 {
            return Err(AppError::new(ErrorCode::PrintFailed, "the print produced an empty file"));
        }
        crate::paths::make_private(&part).map_err(file_error)?;
        std::fs::rename(&part, &path).map_err(file_error)
    });
    if let Err(e) = printed {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    Ok(ReceiptFile { path: path.display().to_string() })
}

fn file_error(e: std::io::Error) -> AppError {
    crate::error::io_error(e, ErrorCode::PrintFailed, "the receipt was not saved")
}

/// The language the customer read the consent in, else the shop's UI language, else English.
fn customer_locale(conn: &Connection, settings: &Settings, card_id: i64) -> AppResult<String> {
    let ours = |l: &String| LOCALES.contains(&l.as_str());
    let consent = store::cards::consent_locale(conn, card_id)?;
    Ok(consent.filter(ours).or_else(|| settings.locale.clone().filter(ours)).unwrap_or_else(|| "en".into()))
}

/// Antom's ids are printable ASCII; a file name keeps letters, digits, `-` and `_` only.
fn safe(id: &str) -> String {
    id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(safe("2026120211/../x y"), "2026120211xy");
        assert_eq!(safe("pay_ABC-1"), "pay_ABC-1");
        assert_eq!(safe(&"9".repeat(100)).len(), 64);
    }
}
