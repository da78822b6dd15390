-- The merchant's own cover letter for a dispute's evidence packet (issue 17); '' while the
-- drafted one stands.

-- +goose Up
ALTER TABLE disputes ADD COLUMN cover_letter TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE disputes DROP COLUMN cover_letter;
