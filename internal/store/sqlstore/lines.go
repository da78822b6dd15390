package sqlstore

import (
	"context"

	"disputed/internal/order"
	"disputed/internal/store/query"
)

func (t *tx) InsertLine(ctx context.Context, l order.Line) error {
	t.memo.rows.lineWritten(l)
	err := inserted(t.q.InsertLine(ctx, query.InsertLineParams{
		ID: l.ID, OrderID: l.OrderID, Item: int64(l.Item), Panel: l.Panel, ExternalID: l.ExternalID,
		State: string(l.State), PendingAction: string(l.PendingAction), Manual: l.Manual,
		PendingReason: l.PendingReason, Revision: l.Revision,
		CreatedAt: millis(l.CreatedAt), UpdatedAt: millis(l.UpdatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert line %s", l.ID)
	}
	return nil
}

func (t *tx) UpdateLine(ctx context.Context, l order.Line) error {
	kept := t.memo.rows.lines[l.OrderID]
	t.memo.rows.lineWritten(l)
	n, err := t.q.UpdateLine(ctx, query.UpdateLineParams{
		ID: l.ID, OrderID: l.OrderID, Item: int64(l.Item), Panel: l.Panel, ExternalID: l.ExternalID,
		State: string(l.State), PendingAction: string(l.PendingAction), Manual: l.Manual,
		PendingReason: l.PendingReason, Revision: l.Revision, UpdatedAt: millis(l.UpdatedAt),
	})
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.LineExists, l.ID, "the revision changed")
	}
	if err != nil {
		return t.fail(err, "update line %s at revision %d", l.ID, l.Revision)
	}
	t.memo.rows.lineUpdated(kept, l)
	return nil
}

func (c *conn) GetLine(ctx context.Context, id string) (order.Line, error) {
	r, err := c.q.GetLine(ctx, id)
	if err != nil {
		return order.Line{}, c.fail(err, "get line %s", id)
	}
	return lineFromRow(r), nil
}

func (c *conn) LinesOfOrder(ctx context.Context, orderID string) ([]order.Line, error) {
	rows, err := c.q.LinesOfOrder(ctx, orderID)
	if err != nil {
		return nil, c.fail(err, "lines of order %s", orderID)
	}
	out := make([]order.Line, len(rows))
	for i, r := range rows {
		out[i] = lineFromRow(r)
	}
	return out, nil
}

func lineFromRow(r query.Line) order.Line {
	return order.Line{
		ID: r.ID, OrderID: r.OrderID, Item: int(r.Item), Panel: r.Panel, ExternalID: r.ExternalID,
		State: order.LineState(r.State), PendingAction: order.LineAction(r.PendingAction),
		Manual: r.Manual, PendingReason: r.PendingReason,
		Revision: r.Revision, CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt),
	}
}
