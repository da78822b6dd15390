package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// ProviderEventStates are the states a stored provider event can be listed by.
var ProviderEventStates = []string{store.EventPending, store.EventApplied, store.EventFailed}

// ProviderEvents lists the stored provider events, newest first (admins): the inbox's backlog
// (pending), what it applied, and what failed and waits for its next attempt; reading at most the
// bound of rows a list reads.
func (a *App) ProviderEvents(ctx context.Context, who actor.Actor, f store.ProviderEventFilter) (WalkPage[store.ProviderEvent], error) {
	if err := adminOnly(who, "read provider events"); err != nil {
		return WalkPage[store.ProviderEvent]{}, err
	}
	if f.State != "" && !slices.Contains(ProviderEventStates, f.State) {
		return WalkPage[store.ProviderEvent]{}, fault.Invalidf(fault.CodeInvalidValue, "state", "state must be pending, applied or failed")
	}
	walk, err := a.store.WalkProviderEvents(ctx, f, a.listReadAtMost)
	if err != nil {
		return WalkPage[store.ProviderEvent]{}, err
	}
	return walkPage(walk, f.Page, func(e store.ProviderEvent) (time.Time, string) { return e.ReceivedAt, e.ID }), nil
}

// ProviderEvent returns one stored provider event, with its payload (admins).
func (a *App) ProviderEvent(ctx context.Context, who actor.Actor, id string) (store.ProviderEvent, error) {
	if err := adminOnly(who, "read provider events"); err != nil {
		return store.ProviderEvent{}, err
	}
	e, err := a.store.GetProviderEventByID(ctx, id)
	return e, store.NotFound(err, "provider event", id)
}

// RetryProviderEvent makes a failed event due at once (admins) and wakes the appliers: for the
// merchant who fixed what made it fail (a provider configured again, an order created).
func (a *App) RetryProviderEvent(ctx context.Context, who actor.Actor, id string) (store.ProviderEvent, error) {
	if err := adminOnly(who, "retry provider events"); err != nil {
		return store.ProviderEvent{}, err
	}
	err := a.store.Tx(ctx, func(tx store.Tx) error { return tx.RetryProviderEvent(ctx, id) })
	if errors.Is(err, store.ErrConflict) {
		return store.ProviderEvent{}, fault.New(fault.Conflict, fault.CodeInvalidState, "", "only a failed event can be retried")
	}
	if err != nil {
		return store.ProviderEvent{}, store.NotFound(err, "provider event", id)
	}
	a.wakeAppliers()
	e, err := a.store.GetProviderEventByID(ctx, id)
	return e, store.NotFound(err, "provider event", id)
}

// InboxStats is the inbox's backlog: events pending and failed, and when the oldest pending one
// arrived.
func (a *App) InboxStats(ctx context.Context) (store.InboxStats, error) {
	return a.store.InboxStats(ctx)
}
