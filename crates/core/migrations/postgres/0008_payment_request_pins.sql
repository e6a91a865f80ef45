-- What a payment's pay request said that comes from the settings of the moment, kept with the
-- payment: a pay that has to be sent again (Antom never saw it) is sent with the very body first
-- recorded, even after the shop changed its region or notification address. Rows from before
-- this migration read as "none": they are re-sent only when Antom never saw them (inquiry said
-- ORDER_NOT_EXIST), so no request id reaches Antom with two bodies; Antom is polled for them.
ALTER TABLE payments ADD COLUMN merchant_region TEXT COLLATE "C";
ALTER TABLE payments ADD COLUMN notify_url TEXT COLLATE "C";
ALTER TABLE refunds ADD COLUMN notify_url TEXT COLLATE "C";
