-- Card lists sorted or filtered by expiry use IFNULL(expiry_yyyymm, 999999) (unknown expiry
-- last); index that expression so such pages are index seeks, also combined with a brand.
DROP INDEX cards_expiry;
CREATE INDEX cards_expiry ON cards (IFNULL(expiry_yyyymm, 999999), id) WHERE removed_at IS NULL;
CREATE INDEX cards_brand_expiry ON cards (brand, IFNULL(expiry_yyyymm, 999999), id) WHERE removed_at IS NULL;
