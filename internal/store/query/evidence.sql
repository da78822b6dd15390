-- name: InsertEvidence :execrows
INSERT INTO evidence_items (id, dispute_id, type, content, description, file_name, content_type,
    size, added_by, party, created_at)
VALUES (@id, @dispute_id, @type, @content, @description, @file_name, @content_type,
    @size, @added_by, @party, @created_at)
ON CONFLICT DO NOTHING;

-- name: InsertEvidenceFile :exec
INSERT INTO evidence_files (item_id, data) VALUES (@item_id, @data);

-- name: ListEvidence :many
-- Oldest first, a page at a time: the items after the cursor (created_at, id), or skipping off.
SELECT * FROM evidence_items
WHERE dispute_id = @dispute_id
  AND (CAST(sqlc.narg('after_id') AS TEXT) IS NULL
   OR created_at > sqlc.narg('after_created')
   OR (created_at = sqlc.narg('after_created') AND id > sqlc.narg('after_id')))
ORDER BY created_at, id
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');

-- name: EvidenceUsage :many
-- What each party's items weigh is dispute.EvidenceItem.Bytes: the file and the text, in bytes.
SELECT party, CAST(COUNT(*) AS BIGINT) AS items,
  CAST(COALESCE(SUM(size + octet_length(content) + octet_length(description)), 0) AS BIGINT) AS bytes
FROM evidence_items
WHERE dispute_id = @dispute_id
GROUP BY party;

-- name: GetEvidenceFile :one
SELECT sqlc.embed(evidence_items), evidence_files.data
FROM evidence_items LEFT JOIN evidence_files ON evidence_files.item_id = evidence_items.id
WHERE evidence_items.id = @id;
