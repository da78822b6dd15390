package sqlstore

import (
	"context"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertBlock(ctx context.Context, b store.Block) error {
	err := inserted(t.q.InsertBlock(ctx, query.InsertBlockParams{
		ID: b.ID, Kind: b.Kind, Value: b.Value, Reason: b.Reason, DisputeID: b.DisputeID,
		CreatedBy: b.CreatedBy, CreatedAt: millis(b.CreatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert block %s (%s %q)", b.ID, b.Kind, b.Value)
	}
	return nil
}

// DeleteBlock returns store.ErrNotFound when there is no such entry.
func (t *tx) DeleteBlock(ctx context.Context, id string) error {
	n, err := t.q.DeleteBlock(ctx, id)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "delete block %s", id)
	}
	return nil
}

func (c *conn) FindBlock(ctx context.Context, kind, value string) (store.Block, error) {
	r, err := c.q.FindBlock(ctx, query.FindBlockParams{Kind: kind, Value: value})
	if err != nil {
		return store.Block{}, c.fail(err, "find block %s %q", kind, value)
	}
	return blockFromRow(r), nil
}

func (c *conn) ListBlocks(ctx context.Context, f store.BlockFilter) ([]store.Block, error) {
	pg := pageOf(f.Page)
	rows, err := c.q.ListBlocks(ctx, query.ListBlocksParams{
		Kind: nullString(f.Kind), AfterID: pg.afterID, AfterCreated: pg.afterCreated, Lim: pg.limit, Off: pg.offset,
	})
	if err != nil {
		return nil, c.fail(err, "list blocks")
	}
	out := make([]store.Block, len(rows))
	for i, r := range rows {
		out[i] = blockFromRow(r)
	}
	return out, nil
}

func blockFromRow(r query.Blocklist) store.Block {
	return store.Block{
		ID: r.ID, Kind: r.Kind, Value: r.Value, Reason: r.Reason, DisputeID: r.DisputeID,
		CreatedBy: r.CreatedBy, CreatedAt: fromMillis(r.CreatedAt),
	}
}
