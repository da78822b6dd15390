package testenv

import (
	"net/http"

	"disputed/internal/store"
)

// EventResult is what became of a notification handed to the app: its first event, stored and
// then applied by the appliers (the server runs them in the background; a test drains them).
type EventResult struct {
	ID, EventID string // the stored event and the provider's id of it
	Duplicate   bool   // stored before: not applied again
	State       string // applied or failed (pending: it waits behind a failed event of its object)
	DisputeID   string
	Outcome     string
	Error       string
}

// Notify hands a notification to the app as the webhook route does, then applies the inbox as
// the appliers would, and returns what became of its first event.
func (e *Env) Notify(provider string, header http.Header, body []byte) (EventResult, error) {
	e.T.Helper()
	res, err := e.App.ReceiveProviderEvent(e.Ctx, provider, header, body)
	if err != nil {
		return EventResult{}, err
	}
	e.ApplyInbox()
	r := res.Receipts[0]
	stored, err := e.App.ProviderEvent(e.Ctx, Admin, r.ID)
	if err != nil {
		e.T.Fatalf("the stored event %s: %v", r.ID, err)
	}
	return EventResult{ID: r.ID, EventID: r.EventID, Duplicate: r.Duplicate, State: stored.State, DisputeID: stored.DisputeID,
		Outcome: stored.Outcome, Error: stored.Error}, nil
}

// ApplyInbox applies every provider event due, as the appliers do.
func (e *Env) ApplyInbox() {
	e.T.Helper()
	if _, err := e.App.ApplyProviderEvents(e.Ctx); err != nil {
		e.T.Fatalf("applying the inbox: %v", err)
	}
}

// InboxStats is the inbox's backlog.
func (e *Env) InboxStats() store.InboxStats {
	e.T.Helper()
	return Must(e.App.InboxStats(e.Ctx))(e.T)
}
