-- Charges of saved cards and their refunds (crates/core/src/payments.rs decides, store/payments.rs
-- reads and writes), and card removal at Antom (deleteToken first: removal pending until Antom
-- confirms). Amounts are integer minor units in the currency's exponent, never floats.
CREATE TABLE payments (
    id                     INTEGER PRIMARY KEY,
    payment_request_id     TEXT NOT NULL UNIQUE,
    card_id                INTEGER NOT NULL REFERENCES cards (id),
    customer_id            INTEGER NOT NULL REFERENCES customers (id),
    currency               TEXT NOT NULL,
    amount                 INTEGER NOT NULL CHECK (amount > 0),
    description            TEXT NOT NULL,
    reference              TEXT NOT NULL,
    customer_present       INTEGER NOT NULL,
    state                  TEXT NOT NULL,
    payment_id             TEXT,
    result_code            TEXT,
    result_message         TEXT,
    challenge_url          TEXT,
    authorization_code     TEXT,
    network_transaction_id TEXT,
    brand                  TEXT NOT NULL,
    masked_card_no         TEXT NOT NULL,
    last4                  TEXT NOT NULL,
    three_ds               INTEGER NOT NULL DEFAULT 0,
    -- what succeeded refunds took back; never above the amount
    refunded               INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= amount),
    staff_id               INTEGER REFERENCES staff (id),
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    paid_at                TEXT
);
CREATE INDEX payments_recent ON payments (created_at DESC, id DESC);
CREATE INDEX payments_state ON payments (state, created_at DESC, id DESC);
CREATE INDEX payments_customer ON payments (customer_id, created_at DESC, id DESC);
CREATE INDEX payments_card ON payments (card_id);
CREATE INDEX payments_last4 ON payments (last4, created_at DESC, id DESC);
CREATE INDEX payments_payment_id ON payments (payment_id);
CREATE INDEX payments_reference ON payments (reference);

CREATE TABLE refunds (
    id                INTEGER PRIMARY KEY,
    refund_request_id TEXT NOT NULL UNIQUE,
    payment_row       INTEGER NOT NULL REFERENCES payments (id),
    amount            INTEGER NOT NULL CHECK (amount > 0),
    reason            TEXT,
    state             TEXT NOT NULL,
    refund_id         TEXT,
    result_code       TEXT,
    result_message    TEXT,
    staff_id          INTEGER REFERENCES staff (id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    refunded_at       TEXT
);
CREATE INDEX refunds_payment ON refunds (payment_row, id);
CREATE INDEX refunds_open ON refunds (state) WHERE state IN ('SENDING', 'PENDING');

-- Set when staff remove a card: it can no longer be charged; the token stays sealed until
-- Antom's deleteToken confirms, then the card is removed as before (token erased).
ALTER TABLE cards ADD COLUMN removal_requested_at TEXT;
ALTER TABLE cards ADD COLUMN removal_requested_by INTEGER REFERENCES staff (id);
CREATE INDEX cards_removal_pending ON cards (id) WHERE removal_requested_at IS NOT NULL AND removed_at IS NULL;
