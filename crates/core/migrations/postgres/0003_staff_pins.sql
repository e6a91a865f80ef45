-- Staff PINs (issue 8): personal PINs identify the person, so each active PIN is unique (checked
-- by the app, since only hashes are stored). Failed PIN entries are throttled per terminal and
-- the counter survives a restart.

CREATE TABLE pin_throttle (
    scope        TEXT COLLATE "C" PRIMARY KEY,
    failures     BIGINT NOT NULL DEFAULT 0,
    -- Consecutive lock-outs so far: each one doubles the next.
    lockouts     BIGINT NOT NULL DEFAULT 0,
    -- Unix milliseconds; NULL when not locked.
    locked_until BIGINT
);

CREATE INDEX staff_active ON staff (disabled_at);
