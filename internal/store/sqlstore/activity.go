package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"

	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertActivity(ctx context.Context, a order.Activity) (order.Activity, bool, error) {
	key := a.Key()
	n, err := t.q.InsertActivity(ctx, query.InsertActivityParams{
		ID: a.ID, LineID: a.LineID, OrderID: a.OrderID, Kind: a.Kind, IP: a.IP, At: millis(a.At),
		Detail: a.Detail, Source: string(a.Source), DedupKey: key, CreatedAt: millis(a.CreatedAt),
	})
	if err != nil {
		return order.Activity{}, false, t.fail(err, "insert activity %s of line %s", a.ID, a.LineID)
	}
	if n == 1 {
		return a, true, nil
	}
	r, err := t.q.ActivityByKey(ctx, query.ActivityByKeyParams{LineID: a.LineID, DedupKey: key})
	if errors.Is(err, sql.ErrNoRows) { // not a repeat: the id is taken
		err = store.ErrConflict
	}
	if err != nil {
		return order.Activity{}, false, t.fail(err, "insert activity %s of line %s", a.ID, a.LineID)
	}
	return activityFromRow(r), false, nil
}

func (c *conn) ListActivity(ctx context.Context, f store.ActivityFilter) ([]order.Activity, error) {
	pg := pageOf(f.Page)
	rows, err := c.q.ListActivity(ctx, query.ListActivityParams{
		LineID: f.LineID, Since: nullMillis(f.Since), Until: nullMillis(f.Until),
		AfterID: pg.afterID, AfterAt: pg.afterCreated, Lim: pg.limit, Off: pg.offset,
	})
	if err != nil {
		return nil, c.fail(err, "list activity of line %s", f.LineID)
	}
	out := make([]order.Activity, len(rows))
	for i, r := range rows {
		out[i] = activityFromRow(r)
	}
	return out, nil
}

func (c *conn) CountActivity(ctx context.Context, lineID string) (int, error) {
	n, err := c.q.CountActivity(ctx, lineID)
	if err != nil {
		return 0, c.fail(err, "count activity of line %s", lineID)
	}
	return int(n), nil
}

func (c *conn) ActivityOfOrder(ctx context.Context, orderID string, limit int) ([]order.Activity, error) {
	rows, err := c.q.ActivityOfOrder(ctx, query.ActivityOfOrderParams{OrderID: orderID, Lim: int32(min(max(limit, 0), math.MaxInt32))})
	if err != nil {
		return nil, c.fail(err, "activity of order %s", orderID)
	}
	out := make([]order.Activity, len(rows))
	for i, r := range rows {
		out[i] = activityFromRow(r)
	}
	return out, nil
}

func (c *conn) RecentActivity(ctx context.Context, orderID string, perLine int) (map[string]store.LineActivity, error) {
	rows, err := c.q.RecentActivityOfOrder(ctx, query.RecentActivityOfOrderParams{OrderID: orderID, PerLine: int64(perLine)})
	if err != nil {
		return nil, c.fail(err, "recent activity of order %s", orderID)
	}
	out := map[string]store.LineActivity{}
	for _, r := range rows {
		la := out[r.LineID]
		la.Total = int(r.LineTotal)
		la.Entries = append(la.Entries, activityFromRow(query.LineActivity{
			ID: r.ID, LineID: r.LineID, OrderID: r.OrderID, Kind: r.Kind, IP: r.IP, At: r.At,
			Detail: r.Detail, Source: r.Source, DedupKey: r.DedupKey, CreatedAt: r.CreatedAt,
		}))
		out[r.LineID] = la
	}
	return out, nil
}

func activityFromRow(r query.LineActivity) order.Activity {
	return order.Activity{
		ID: r.ID, LineID: r.LineID, OrderID: r.OrderID, Kind: r.Kind, IP: r.IP, At: fromMillis(r.At),
		Detail: r.Detail, Source: order.ActivitySource(r.Source), CreatedAt: fromMillis(r.CreatedAt),
	}
}
