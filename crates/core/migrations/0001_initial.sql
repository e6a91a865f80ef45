-- cardbind schema, version 1. Times are ISO 8601 UTC text; secrets are never stored in clear.

CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'cashier')),
    pin_hash    TEXT,
    created_at  TEXT NOT NULL,
    disabled_at TEXT
);

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    phone      TEXT,
    email      TEXT,
    reference  TEXT,
    notes      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX customers_name ON customers (name COLLATE NOCASE);
CREATE INDEX customers_phone ON customers (phone) WHERE phone IS NOT NULL;
CREATE INDEX customers_reference ON customers (reference) WHERE reference IS NOT NULL;

CREATE TABLE consents (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    text_version TEXT NOT NULL,
    locale       TEXT NOT NULL,
    accepted_at  TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff (id)
);

-- One row per binding attempt, written before createVaultingSession is sent.
CREATE TABLE binding_attempts (
    id                  INTEGER PRIMARY KEY,
    vaulting_request_id TEXT NOT NULL UNIQUE,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    staff_id            INTEGER REFERENCES staff (id),
    consent_id          INTEGER REFERENCES consents (id),
    state               TEXT NOT NULL CHECK (state IN ('CREATED', 'SESSION_OPEN', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'ABANDONED')),
    session_id          TEXT,
    session_expires_at  TEXT,
    result_code         TEXT,
    result_message      TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    finished_at         TEXT
);
CREATE INDEX attempts_open ON binding_attempts (state) WHERE state IN ('CREATED', 'SESSION_OPEN', 'PROCESSING', 'CANCELLED');
CREATE INDEX attempts_customer ON binding_attempts (customer_id, created_at);

CREATE TABLE cards (
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    attempt_id          INTEGER NOT NULL REFERENCES binding_attempts (id),
    vaulting_request_id TEXT NOT NULL UNIQUE,
    brand               TEXT NOT NULL,
    masked_card_no      TEXT NOT NULL,
    last4               TEXT NOT NULL,
    expiry_month        INTEGER,
    expiry_year         INTEGER,
    expiry_yyyymm       INTEGER,
    funding             TEXT,
    issuer_name         TEXT,
    issuing_country     TEXT,
    fingerprint         TEXT,
    -- XChaCha20-Poly1305 envelope (crypto.rs); NULL once the card is removed.
    token_sealed        BLOB,
    duplicate_of        INTEGER REFERENCES cards (id),
    bound_at            TEXT NOT NULL,
    removed_at          TEXT,
    removed_by          INTEGER REFERENCES staff (id),
    CHECK ((removed_at IS NULL) = (token_sealed IS NOT NULL))
);
CREATE INDEX cards_recent ON cards (bound_at DESC, id DESC) WHERE removed_at IS NULL;
CREATE INDEX cards_customer ON cards (customer_id, bound_at DESC) WHERE removed_at IS NULL;
CREATE INDEX cards_last4 ON cards (last4, bound_at DESC) WHERE removed_at IS NULL;
CREATE INDEX cards_brand ON cards (brand, bound_at DESC) WHERE removed_at IS NULL;
CREATE INDEX cards_expiry ON cards (expiry_yyyymm, id) WHERE removed_at IS NULL;
CREATE INDEX cards_fingerprint ON cards (customer_id, fingerprint) WHERE removed_at IS NULL;

-- Append-only: who did what, when. Never secrets.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    action   TEXT NOT NULL,
    subject  TEXT,
    detail   TEXT
);
CREATE INDEX audit_at ON audit_log (at DESC);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
