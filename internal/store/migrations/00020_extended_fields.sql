-- The merchant's extended fields (dispute.FieldDefinition), a JSON array kept as TEXT like the
-- other settings (NULL: none), and each dispute's values of them (dispute.ExtendedFields), a JSON
-- object of {"name": {"type": ..., "value": canonical text}}: the text is what the
-- extended_fields[name] filter matches, the same on both databases. Portable like 00001.

-- +goose Up
ALTER TABLE settings ADD COLUMN extended_fields TEXT;
ALTER TABLE disputes ADD COLUMN extended_fields TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE disputes DROP COLUMN extended_fields;
ALTER TABLE settings DROP COLUMN extended_fields;
