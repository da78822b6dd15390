package sqlstore

import (
	"context"

	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// InsertEvidence writes the item and, when there is one, its file. An item without a file, or
// with an empty one, gives back a nil file.
func (t *tx) InsertEvidence(ctx context.Context, it dispute.EvidenceItem, file []byte) error {
	err := inserted(t.q.InsertEvidence(ctx, query.InsertEvidenceParams{
		ID: it.ID, DisputeID: it.DisputeID, Type: string(it.Type), Content: it.Content,
		Description: it.Description, FileName: it.FileName, ContentType: it.ContentType, Size: it.Size,
		AddedBy: it.AddedBy, Party: string(it.Party), CreatedAt: millis(it.CreatedAt),
	}))
	if err == nil && len(file) > 0 {
		err = t.q.InsertEvidenceFile(ctx, query.InsertEvidenceFileParams{ItemID: it.ID, Data: file})
	}
	if err != nil {
		return t.fail(err, "insert evidence %s", it.ID)
	}
	return nil
}

func (c *conn) ListEvidence(ctx context.Context, f store.EvidenceFilter) ([]dispute.EvidenceItem, error) {
	pg := pageOf(f.Page)
	rows, err := c.q.ListEvidence(ctx, query.ListEvidenceParams{DisputeID: f.DisputeID, AfterID: pg.afterID,
		AfterCreated: pg.afterCreated, Lim: pg.limit, Off: pg.offset})
	if err != nil {
		return nil, c.fail(err, "list evidence of dispute %s", f.DisputeID)
	}
	out := make([]dispute.EvidenceItem, len(rows))
	for i, r := range rows {
		out[i] = evidenceFromRow(r)
	}
	return out, nil
}

func (c *conn) EvidenceUsage(ctx context.Context, disputeID string) (dispute.EvidenceUsage, error) {
	rows, err := c.q.EvidenceUsage(ctx, disputeID)
	if err != nil {
		return nil, c.fail(err, "evidence usage of dispute %s", disputeID)
	}
	out := make(dispute.EvidenceUsage, len(rows))
	for _, r := range rows {
		out[dispute.Party(r.Party)] = dispute.EvidenceUse{Items: r.Items, Bytes: r.Bytes}
	}
	return out, nil
}

func (c *conn) GetEvidenceFile(ctx context.Context, itemID string) (dispute.EvidenceItem, []byte, error) {
	r, err := c.q.GetEvidenceFile(ctx, itemID)
	if err != nil {
		return dispute.EvidenceItem{}, nil, c.fail(err, "get evidence %s", itemID)
	}
	return evidenceFromRow(r.EvidenceItem), bytesOrNil(r.Data), nil
}

func evidenceFromRow(r query.EvidenceItem) dispute.EvidenceItem {
	return dispute.EvidenceItem{
		ID: r.ID, DisputeID: r.DisputeID, Type: dispute.ItemType(r.Type), Content: r.Content,
		Description: r.Description, FileName: r.FileName, ContentType: r.ContentType, Size: r.Size,
		AddedBy: r.AddedBy, Party: dispute.Party(r.Party), CreatedAt: fromMillis(r.CreatedAt),
	}
}
