-- Tills of a shop on a shared database (issue 19): each joins by pairing with an owner's till,
-- which seals the keys to the new till's X25519 key (crates/core/src/pairing.rs). Nothing in
-- these tables is secret: public keys, MACs and sealed envelopes only.
CREATE TABLE terminals (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    public_key  BLOB NOT NULL UNIQUE,
    joined_at   TEXT NOT NULL,
    approved_by INTEGER REFERENCES staff (id),
    revoked_at  TEXT,
    revoked_by  INTEGER REFERENCES staff (id)
);

-- One row per pairing offer; at most one is open at a time.
CREATE TABLE pairings (
    id            INTEGER PRIMARY KEY,
    created_by    INTEGER REFERENCES staff (id),
    created_at    TEXT NOT NULL,
    -- Unix milliseconds.
    expires_at    INTEGER NOT NULL,
    terminal_name TEXT,
    terminal_key  BLOB,
    request_mac   BLOB,
    sealed        BLOB,
    answer_mac    BLOB,
    finished_at   TEXT
);
CREATE INDEX pairings_open ON pairings (id) WHERE finished_at IS NULL;
