-- name: InsertEvidence :execrows
INSERT INTO evidence_items (id, dispute_id, type, content, description, file_name, content_type,
    size, added_by, party, created_at)
VALUES (@id, @dispute_id, @type, @content, @description, @file_name, @content_type,
    @size, @added_by, @party, @created_at)
ON CONFLICT DO NOTHING;

-- name: InsertEvidenceFile :exec
INSERT INTO evidence_files (item_id, data) VALUES (@item_id, @data);

-- name: ListEvidence :many
SELECT * FROM evidence_items WHERE dispute_id = @dispute_id ORDER BY created_at, id;

-- name: GetEvidenceFile :one
SELECT sqlc.embed(evidence_items), evidence_files.data
FROM evidence_items LEFT JOIN evidence_files ON evidence_files.item_id = evidence_items.id
WHERE evidence_items.id = @id;
