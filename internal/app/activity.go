package app

import (
	"context"
	"strconv"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// RecordActivity records one thing the customer did with a line's service, as the merchant's
// system reports it. A repeat of an entry the line has (the same kind, time, address and detail)
// returns the entry kept.
func (a *App) RecordActivity(ctx context.Context, who actor.Actor, lineID string, r order.ActivityReport) (order.Activity, error) {
	out, err := a.recordActivity(ctx, who, lineID, []order.ActivityReport{r}, func(int) string { return "" })
	if err != nil {
		return order.Activity{}, err
	}
	return out[0], nil
}

// RecordActivityBatch records up to order.MaxActivityBatch entries at once, all or none: an
// invalid entry refuses the batch, naming it (data[3].at).
func (a *App) RecordActivityBatch(ctx context.Context, who actor.Actor, lineID string, rs []order.ActivityReport) ([]order.Activity, error) {
	if len(rs) == 0 || len(rs) > order.MaxActivityBatch {
		return nil, fault.Invalidf(fault.CodeInvalidValue, "data", "data holds 1 to %d entries", order.MaxActivityBatch)
	}
	return a.recordActivity(ctx, who, lineID, rs, func(i int) string { return "data[" + strconv.Itoa(i) + "]." })
}

func (a *App) recordActivity(ctx context.Context, who actor.Actor, lineID string, rs []order.ActivityReport, param func(int) string) ([]order.Activity, error) {
	if err := actor.RequireStaff(who, "record line activity"); err != nil {
		return nil, err
	}
	var out []order.Activity
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		l, err := tx.GetLine(ctx, lineID)
		if err != nil {
			return store.NotFound(err, "line", lineID)
		}
		entries := make([]order.Activity, len(rs))
		for i, r := range rs {
			if entries[i], err = order.NewActivity(l, r, order.FromAPI, a.ids.New("act"), now, param(i)); err != nil {
				return err
			}
		}
		out, _, err = a.keepActivity(ctx, tx, l.ID, entries)
		return err
	})
	return out, err
}

// keepActivity stores entries on the line, each once, and returns the entries kept (a repeat's
// earlier one) and how many are new; it refuses them all when the new ones would not fit.
func (a *App) keepActivity(ctx context.Context, tx store.Tx, lineID string, entries []order.Activity) ([]order.Activity, int, error) {
	count, err := tx.CountActivity(ctx, lineID)
	if err != nil {
		return nil, 0, err
	}
	kept := make([]order.Activity, len(entries))
	added := 0
	for i, e := range entries {
		var made bool
		if kept[i], made, err = tx.InsertActivity(ctx, e); err != nil {
			return nil, 0, err
		}
		if made {
			added++
		}
	}
	if err := order.CheckActivityRoom(count, added); err != nil {
		return nil, 0, err
	}
	return kept, added, nil
}

// Activity returns a page of a line's activity, newest first, and whether more follow.
func (a *App) Activity(ctx context.Context, who actor.Actor, f store.ActivityFilter) ([]order.Activity, bool, error) {
	if err := actor.RequireStaff(who, "read line activity"); err != nil {
		return nil, false, err
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return nil, false, fault.Invalidf(fault.CodeInvalidValue, "until", "until must be after since")
	}
	if _, err := a.store.GetLine(ctx, f.LineID); err != nil {
		return nil, false, store.NotFound(err, "line", f.LineID)
	}
	if err := a.OffsetWithin(f.Page, true); err != nil {
		return nil, false, err
	}
	rows, err := a.store.ListActivity(ctx, f)
	if err != nil {
		return nil, false, err
	}
	rows, more := store.Trim(rows, f.Limit)
	return rows, more, nil
}

// RecentActivity returns, by line id, the newest perLine entries of each of the order's lines
// and how many the line has in all: what the order's page shows.
func (a *App) RecentActivity(ctx context.Context, who actor.Actor, orderID string, perLine int) (map[string]store.LineActivity, error) {
	if err := actor.RequireStaff(who, "read line activity"); err != nil {
		return nil, err
	}
	return a.store.RecentActivity(ctx, orderID, perLine)
}
