package app

import (
	"context"

	"disputed/internal/actor"
	"disputed/internal/provider"
)

// AcceptProviderEvents lets the tests write imported events the one way provider events come
// in, as the import's use case does.
func (a *App) AcceptProviderEvents(ctx context.Context, name string, evs []provider.Event) ([]provider.Receipt, error) {
	return a.acceptProviderEvents(ctx, name, evs, false)
}

// Draining says that the appliers are draining a backlog, as InboxApplier says while it runs.
func (a *App) Draining(on bool) { a.draining.Store(on) }

// HoldCostlyList counts a costly dispute list of who in flight, as one being read, until release.
func (a *App) HoldCostlyList(who actor.Actor) (release func()) {
	if !a.costlyLists.enter(who.String()) {
		panic("no costly list left to hold")
	}
	return func() { a.costlyLists.leave(who.String()) }
}
