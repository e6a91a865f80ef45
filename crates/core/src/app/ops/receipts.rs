//! Receipts on screen and as PDF.

use super::common::prelude::*;

pub use crate::receipts::{Receipt, ReceiptFile, ReceiptKind};

/// A payment's receipt, or one of its refunds', in `locale` (else the customer's language).
pub fn receipt_get(
    ctx: &AppContext,
    payment_id: i64,
    refund_id: Option<i64>,
    locale: Option<String>,
) -> AppResult<Receipt> {
    access::staff(ctx)?;
    crate::receipts::build(&lock(&ctx.db()), &ctx.settings(), payment_id, refund_id, locale.as_deref())
}

/// Save a receipt as a PDF in `dir`: `print` writes the PDF (the shell prints the receipt on
/// screen); audited as `receipt.pdf` with the file's name.
pub async fn receipt_save_pdf<F, Fut>(
    ctx: &AppContext,
    payment_id: i64,
    refund_id: Option<i64>,
    locale: Option<String>,
    dir: &std::path::Path,
    print: F,
) -> AppResult<ReceiptFile>
where
    F: FnOnce(std::path::PathBuf) -> Fut,
    Fut: std::future::Future<Output = AppResult<()>>,
{
    let staff_id = access::staff(ctx)?;
    let receipt = crate::receipts::build(&lock(&ctx.db()), &ctx.settings(), payment_id, refund_id, locale.as_deref())?;
    let file = crate::receipts::save_pdf(&receipt, dir, print).await?;
    let subject = match refund_id {
        Some(r) => format!("refund:{r}"),
        None => format!("payment:{payment_id}"),
    };
    store::audit(&lock(&ctx.db()), staff_id, "receipt.pdf", Some(&subject), Some(&receipt.file_name))?;
    Ok(file)
}
