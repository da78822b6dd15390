-- The evidence checklist (issue 17): where each compiled evidence field came from, and the
-- merchant's profile the checklist, the compiler and a cover letter read. Portable like 00001:
-- JSON kept as TEXT, '' rather than NULL for text not given.

-- +goose Up
-- evidence_sources: a JSON object, field → source, of the fields the compiler filled and nobody
-- changed since.
ALTER TABLE disputes ADD COLUMN evidence_sources TEXT NOT NULL DEFAULT '{}';
-- product_type '' is the default (internal/checklist); compile_manually FALSE is the default:
-- the compiler runs when a dispute opens.
ALTER TABLE settings ADD COLUMN product_type TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN support_email TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN support_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN terms_url TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN refund_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN refund_policy_disclosure TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN cancellation_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN cancellation_policy_disclosure TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN compile_manually BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE settings DROP COLUMN compile_manually;
ALTER TABLE settings DROP COLUMN cancellation_policy_disclosure;
ALTER TABLE settings DROP COLUMN cancellation_policy;
ALTER TABLE settings DROP COLUMN refund_policy_disclosure;
ALTER TABLE settings DROP COLUMN refund_policy;
ALTER TABLE settings DROP COLUMN terms_url;
ALTER TABLE settings DROP COLUMN support_phone;
ALTER TABLE settings DROP COLUMN support_email;
ALTER TABLE settings DROP COLUMN website;
ALTER TABLE settings DROP COLUMN product_type;
ALTER TABLE disputes DROP COLUMN evidence_sources;
