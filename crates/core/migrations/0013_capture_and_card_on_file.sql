-- Ready for the real Antom (issue 28). A card charge is an authorisation; its automatic capture
-- is reported on its own (notifyCapture, or inquiryPayment's transactions), so a payment is
-- AUTHORISED until the capture is known, then CAPTURED or CAPTURE_FAILED
-- (crates/core/src/flows/capture.rs). Payments recorded as SUCCEEDED by earlier versions were
-- authorised; whether they were captured is asked on demand (a refund, a receipt) and by
-- reconciliation within the capture window.
ALTER TABLE payments ADD COLUMN capture_status TEXT;
ALTER TABLE payments ADD COLUMN capture_id TEXT;
ALTER TABLE payments ADD COLUMN capture_code TEXT;
ALTER TABLE payments ADD COLUMN captured_at TEXT;
-- `env` as sent with the pay (JSON), so a resend carries the same device data.
ALTER TABLE payments ADD COLUMN env TEXT;
UPDATE payments SET state = 'AUTHORISED' WHERE state = 'SUCCEEDED';
-- The scheme's transaction id of the card's first customer-initiated charge: merchant-initiated
-- charges send it back (reference §9.6).
ALTER TABLE cards ADD COLUMN network_transaction_id TEXT;
