-- One-time kiosk codes (issue 15, item 5): a phone number typed at a kiosk never unlocks an
-- existing customer; a code that staff give the customer does, once, for a short time. Only a
-- hash of the code is kept.
CREATE TABLE kiosk_codes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    code_hash   TEXT NOT NULL,
    issued_by   INTEGER REFERENCES staff (id),
    issued_at   TEXT NOT NULL,
    -- Unix milliseconds.
    expires_at  INTEGER NOT NULL,
    used_at     TEXT
);
CREATE INDEX kiosk_codes_open ON kiosk_codes (code_hash) WHERE used_at IS NULL;
