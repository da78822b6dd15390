package app

import (
	"context"
	"slices"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/store"
)

// ListedDispute is a dispute as the UI's lists show it: with who the customer is and what was
// bought, so that a row says more than ids.
type ListedDispute struct {
	dispute.Dispute
	Summary store.DisputeSummary
}

// listed joins a page of disputes to their summaries, read in one statement (a page longer than
// store.MaxSummaries in several). A party sees the
// customer's name but not the email: a vendor has no need of the buyer's address.
func (a *App) listed(ctx context.Context, who actor.Actor, ds []dispute.Dispute) ([]ListedDispute, error) {
	out := make([]ListedDispute, len(ds))
	ids := make([]string, len(ds))
	for i, d := range ds {
		out[i].Dispute, ids[i] = d, d.ID
	}
	byID := make(map[string]store.DisputeSummary, len(ids))
	for chunk := range slices.Chunk(ids, store.MaxSummaries) {
		sums, err := a.store.DisputeSummaries(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for _, s := range sums {
			if who.Role.Party() {
				s.CustomerEmail = ""
			}
			byID[s.DisputeID] = s
		}
	}
	for i := range out {
		out[i].Summary = byID[out[i].ID]
	}
	return out, nil
}

// ListedDisputes is ListDisputes with each dispute's summary: the portal's list.
func (a *App) ListedDisputes(ctx context.Context, who actor.Actor, f store.DisputeFilter) ([]ListedDispute, bool, error) {
	ds, more, err := a.ListDisputes(ctx, who, f, nil)
	if err != nil {
		return nil, false, err
	}
	out, err := a.listed(ctx, who, ds)
	return out, more, err
}
