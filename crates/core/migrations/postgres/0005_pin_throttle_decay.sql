-- Wrong PINs are no longer forgotten when a valid PIN is entered (a cashier's own PIN must not
-- buy more guesses at a manager's); they are forgotten a day after the last wrong one.
ALTER TABLE pin_throttle ADD COLUMN last_failure_at BIGINT;
