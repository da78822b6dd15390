package httpapi

import (
	"context"
	"encoding/json"
	"time"

	"disputed/internal/store"
)

// ProviderEvent is a provider's event as the inbox stores it.
type ProviderEvent struct {
	ID          string          `json:"id"`
	Object      string          `json:"object" enum:"provider_event"`
	Provider    string          `json:"provider"`
	EventID     string          `json:"event_id" doc:"the provider's id of the event"`
	Type        string          `json:"type" doc:"the provider's event type, e.g. charge.dispute.created"`
	About       *string         `json:"about" doc:"the provider's object it is about (dispute:dp_…, charge:ch_…): an object's events apply in arrival order"`
	State       string          `json:"state" enum:"pending,applied,failed"`
	Applied     bool            `json:"applied" doc:"applying it changed something: false for an event that said nothing new, or came after a newer one"`
	Outcome     *string         `json:"outcome" doc:"what it did, for people"`
	DisputeID   *string         `json:"dispute_id"`
	Attempts    int             `json:"attempts"`
	LastError   *string         `json:"last_error" doc:"why the last attempt failed"`
	NextAttempt *time.Time      `json:"next_attempt_at" doc:"failed: when it is tried again"`
	HappenedAt  *time.Time      `json:"happened_at" doc:"when the provider created it"`
	ReceivedAt  time.Time       `json:"received_at"`
	AppliedAt   *time.Time      `json:"applied_at"`
	Payload     json.RawMessage `json:"payload,omitempty" doc:"the event as the provider sent it (retrieve only)"`
}

func providerEventOut(e store.ProviderEvent) ProviderEvent {
	return ProviderEvent{ID: e.ID, Object: "provider_event", Provider: e.Provider, EventID: e.EventID, Type: e.Type, About: opt(e.Object),
		State: e.State, Applied: e.Applied, Outcome: opt(e.Outcome), DisputeID: opt(e.DisputeID), Attempts: e.Attempts,
		LastError: opt(e.Error), NextAttempt: optTime(e.NextAttempt), HappenedAt: optTime(e.HappenedAt), ReceivedAt: e.ReceivedAt.UTC(),
		AppliedAt: optTime(e.AppliedAt)}
}

// withPayload is the event with its payload, when the payload is JSON (every shipped provider's
// is); another provider's is left out rather than answered as invalid JSON.
func withPayload(e store.ProviderEvent) ProviderEvent {
	out := providerEventOut(e)
	if json.Valid(e.Payload) {
		out.Payload = json.RawMessage(e.Payload)
	}
	return out
}

// ProviderEventsIn lists the stored provider events.
type ProviderEventsIn struct {
	PageQuery
	State    string `query:"state" enum:"pending,applied,failed"`
	Provider string `query:"provider" maxLength:"64"`
}

// ProviderEventsOut is a page of provider events.
type ProviderEventsOut struct{ Body ProviderEventList }

// ProviderEventList is a page of provider events, and whether it ends where the server stopped
// reading.
type ProviderEventList struct {
	List[ProviderEvent]
	ReadBoundReached bool `json:"read_bound_reached" doc:"true when the server read its bound of provider events (20,000 by default) for this page before it found a full page, which happens when state, or a provider with more than 5,000 events (a provider with fewer is read through its own index, whole), matches few of the events read: data holds the matches found so far, fewer than limit or none, has_more is true and next_cursor goes on from the last event read; follow it as usual, and every match comes once"`
}

// ProviderEventOut answers with a provider event.
type ProviderEventOut struct{ Body ProviderEvent }

func (s *Server) listProviderEvents(ctx context.Context, in *ProviderEventsIn) (*ProviderEventsOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	p, err := s.app.ProviderEvents(ctx, who(ctx), store.ProviderEventFilter{Page: page, State: in.State, Provider: in.Provider})
	if err != nil {
		return nil, err
	}
	return &ProviderEventsOut{Body: ProviderEventList{List: listAt(p.Rows, providerEventOut, cursorOf(p.More, p.Next)), ReadBoundReached: p.Stopped}}, nil
}

func (s *Server) getProviderEvent(ctx context.Context, in *ByID) (*ProviderEventOut, error) {
	e, err := s.app.ProviderEvent(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &ProviderEventOut{Body: withPayload(e)}, nil
}

func (s *Server) retryProviderEvent(ctx context.Context, in *ByID) (*ProviderEventOut, error) {
	e, err := s.app.RetryProviderEvent(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &ProviderEventOut{Body: withPayload(e)}, nil
}
