package app

import (
	"context"

	"disputed/internal/provider"
)

// AcceptProviderEvents lets the tests write imported events the one way provider events come
// in, as the import's use case does.
func (a *App) AcceptProviderEvents(ctx context.Context, name string, evs []provider.Event) ([]provider.Receipt, error) {
	return a.acceptProviderEvents(ctx, name, evs, false)
}
