-- The dispute list, at a million disputes and more: each filter is read through an index in the
-- list's order (newest first, created_at DESC, id DESC) instead of walking every dispute.
--   type: an index like the status's, so that the manual disputes are not looked for among all.
--   tag: dispute_tags keeps its dispute's created_at, and its index reads a tag's disputes
--   newest first; the (tag, dispute_id) index it replaces gave them in id order, to be sorted
--   all, or else the newest disputes were walked until enough had the tag.

-- +goose Up
CREATE INDEX disputes_type ON disputes (type, created_at DESC, id DESC);

ALTER TABLE dispute_tags ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
UPDATE dispute_tags SET created_at = (SELECT d.created_at FROM disputes d WHERE d.id = dispute_tags.dispute_id);
DROP INDEX dispute_tags_tag;
CREATE INDEX dispute_tags_tag ON dispute_tags (tag, created_at DESC, dispute_id DESC);

-- +goose Down
DROP INDEX dispute_tags_tag;
CREATE INDEX dispute_tags_tag ON dispute_tags (tag, dispute_id);
ALTER TABLE dispute_tags DROP COLUMN created_at;
DROP INDEX disputes_type;
