-- Which till is working on an open attempt, payment, refund or card removal (issue 19): on a
-- shop's shared database each is sent or reconciled by one till at a time. A lease: `holder` is
-- the till's flow (random per start), `held_until` Unix milliseconds; a till that died holding
-- one loses it when it runs out. Rows live only while the work does (crates/core/src/store/claims.rs).
CREATE TABLE claims (
    item       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    held_until INTEGER NOT NULL
);
