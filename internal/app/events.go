package app

import (
	"context"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/webhook"
)

// Event returns one event.
func (a *App) Event(ctx context.Context, who actor.Actor, id string) (store.Event, error) {
	if err := staff(who, "read events"); err != nil {
		return store.Event{}, err
	}
	e, err := a.store.GetEvent(ctx, id)
	return e, store.NotFound(err, "event", id)
}

// Events returns a page of events, newest first, reading at most the bound of rows a list
// reads: a filter after the first is checked on the events its index yields.
func (a *App) Events(ctx context.Context, who actor.Actor, f store.EventFilter) (WalkPage[store.Event], error) {
	if err := staff(who, "read events"); err != nil {
		return WalkPage[store.Event]{}, err
	}
	walk, err := a.store.WalkEvents(ctx, f, a.listReadAtMost)
	if err != nil {
		return WalkPage[store.Event]{}, err
	}
	return walkPage(walk, f.Page, func(e store.Event) (time.Time, string) { return e.CreatedAt, e.ID }), nil
}

// DisputeView is a dispute as an event shows it: with the merchant's product type, which picks
// its evidence checklist.
type DisputeView struct {
	Dispute     dispute.Dispute
	ProductType checklist.ProductType
}

// emit writes an event whose data is object as the API shows it, and its webhook deliveries. A
// dispute is shown with its evidence checklist, for which the settings say the product type.
func (a *App) emit(ctx context.Context, tx store.Tx, now time.Time, typ, disputeID, orderID string, object any) error {
	if d, ok := object.(dispute.Dispute); ok {
		s, err := tx.GetSettings(ctx)
		if err != nil {
			return fmt.Errorf("render %s: %w", typ, err)
		}
		object = DisputeView{Dispute: d, ProductType: s.Profile.ProductType.Effective()}
	}
	data, err := a.present.Event(object)
	if err != nil {
		return fmt.Errorf("render %s: %w", typ, err)
	}
	ev := store.Event{ID: a.ids.New("evt"), Type: typ, DisputeID: disputeID, OrderID: orderID, Data: data, CreatedAt: now}
	if err := tx.InsertEvent(ctx, ev); err != nil {
		return fmt.Errorf("write event %s: %w", typ, err)
	}
	return webhook.Enqueue(ctx, tx, a.ids, now, ev)
}
