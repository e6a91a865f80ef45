-- The demo Antom's records when a shop's tills share a database (issue 19): each till runs its
-- own demo simulator, and they keep one set of records here, so that a card saved at one till
-- is charged at another as with the real Antom. One row; `version` 0 means nothing saved yet.
-- `state` is sealed with the shop's data key (it holds the simulated Antom's card tokens).
CREATE TABLE demo_antom (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    state   BYTEA
);
INSERT INTO demo_antom (id, version, state) VALUES (1, 0, NULL);
