-- order_metadata_key: the key of a provider payment's metadata under which the merchant names
-- the order it pays for; '' for the default, order_id. Portable like 00001.

-- +goose Up
ALTER TABLE settings ADD COLUMN order_metadata_key TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE settings DROP COLUMN order_metadata_key;
