-- Who may move money and keys (issue 29). A charge dialog's one charge is one payment whatever
-- the page does: the dialog's key is kept with the payment it made, once
-- (crates/core/src/flows/payments.rs).
ALTER TABLE payments ADD COLUMN charge_key TEXT COLLATE "C";
CREATE UNIQUE INDEX payments_charge_keys ON payments (charge_key);
-- A cashier's charges of the last day, for the daily total (crates/core/src/app/ops/payments.rs).
CREATE INDEX payments_staff_created ON payments (staff_id, created_at);
-- The shop this database belongs to: a random identity made when a shop first moves to its
-- shared database, kept in each of its tills' keyrings as well; keys are offered only into
-- the database whose identity the offering till holds (crates/core/src/shop/identity.rs).
CREATE TABLE shop_identity (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    identity   TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
