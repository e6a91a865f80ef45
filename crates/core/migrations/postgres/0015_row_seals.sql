-- The shared database is storage, not the root of trust (issue 30). What authorises carries a
-- MAC under the shop's row key, which lives in each till's keyring and never here: staff rows
-- (name, role, PIN hash, disabled) and the card → customer binding; the audit log is a chain
-- of MACs. A row whose MAC fails is refused, not believed (crates/core/src/shop/seals.rs).
ALTER TABLE staff ADD COLUMN row_mac BYTEA;
ALTER TABLE cards ADD COLUMN row_mac BYTEA;
ALTER TABLE audit_log ADD COLUMN chain BYTEA;
-- A value only the row key makes, so a till holding another key knows it before it trusts a row.
CREATE TABLE row_key_check (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    key_check  BYTEA NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
