package app

import (
	"context"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// entry is a timeline entry about to be written.
type entry struct {
	disputeID, orderID, lineID string
	actor, action, from, to    string
	note                       string
	payload                    []byte // the raw provider event behind the entry
}

func (a *App) timeline(ctx context.Context, tx store.Tx, now time.Time, e entry) error {
	err := tx.InsertTimeline(ctx, store.TimelineEntry{
		ID: a.ids.New("tl"), DisputeID: e.disputeID, OrderID: e.orderID, LineID: e.lineID,
		Actor: e.actor, Action: e.action, From: e.from, To: e.to, Note: e.note, Payload: e.payload, CreatedAt: now,
	})
	if err != nil {
		return fmt.Errorf("write timeline: %w", err)
	}
	return nil
}

// ActorTimeline returns a page of what one actor did (as actor.Actor.String names it:
// "app:app_…"), newest first, and whether more follow: an app's page lists its actions.
func (a *App) ActorTimeline(ctx context.Context, who actor.Actor, recorded string, p store.Page) ([]store.TimelineEntry, bool, error) {
	if err := actor.RequireAdmin(who, "read what others did"); err != nil {
		return nil, false, err
	}
	if recorded == "" {
		return nil, false, fault.Required("actor")
	}
	if err := a.OffsetWithin(p, false); err != nil {
		return nil, false, err
	}
	es, err := a.store.ListTimeline(ctx, store.TimelineFilter{Actor: recorded, Limit: p.Limit + 1, Offset: p.Offset})
	if len(es) > p.Limit {
		return es[:p.Limit], true, err
	}
	return es, false, err
}
