-- One word for one concept (issue 27): the shop's tills are `tills`, and a pairing names the
-- till that asks. A cancel of a payment is recorded before it is sent, like every other
-- request to Antom, so a lost answer is sent again by reconciliation
-- (crates/core/src/flows/payments.rs).
ALTER TABLE terminals RENAME TO tills;
ALTER TABLE pairings RENAME COLUMN terminal_name TO till_name;
ALTER TABLE pairings RENAME COLUMN terminal_key TO till_key;
ALTER TABLE payments ADD COLUMN cancel_requested_at TEXT;
ALTER TABLE payments ADD COLUMN cancel_requested_by INTEGER REFERENCES staff (id);
CREATE INDEX payments_cancel_requested ON payments (id) WHERE cancel_requested_at IS NOT NULL;
