package app

import (
	"context"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// refundThroughProvider stands in for the refund helper's use case until it is merged: it
// refuses every refund.
func (a *App) refundThroughProvider(_ context.Context, _ store.Tx, _ time.Time, _ actor.Actor, d *dispute.Dispute, _ string) error {
	return fault.InvalidState(string(d.Status), "refund through the provider")
}
