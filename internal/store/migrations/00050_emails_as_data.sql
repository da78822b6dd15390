-- A customer email is stored as its template, the version of the templates it was written with
-- (notify.TemplateVersion) and its data as JSON, and rendered when it is read or sent: writing
-- its text (0.6 to 1 KB) meant rendering it, a twenty-fifth of what a deadline's expiry cost,
-- and its data is half as long. Every version stays in the binary (internal/notify/templates/vN),
-- so an email reads as it was written. The emails stored before keep their text: template_version 0 says
-- subject and body hold it. Portable like 00001.

-- +goose Up
ALTER TABLE emails ADD COLUMN template_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE emails ADD COLUMN data TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE emails DROP COLUMN data;
ALTER TABLE emails DROP COLUMN template_version;
