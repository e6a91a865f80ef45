-- The token data key of each environment is kept in the OS keyring; this database records a
-- value sealed with it, so a key that went missing (or was swapped) is noticed instead of being
-- silently replaced by a new one that cannot open the saved cards.

CREATE TABLE data_key_checks (
    environment TEXT COLLATE "C" PRIMARY KEY CHECK (environment IN ('demo', 'sandbox', 'production')),
    key_check   BYTEA NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL
);
