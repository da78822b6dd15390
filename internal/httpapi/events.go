package httpapi

import (
	"context"
	"time"

	"disputed/internal/store"
)

// EventsIn lists events.
type EventsIn struct {
	PageQuery
	Type      string `query:"type" maxLength:"64"`
	DisputeID string `query:"dispute_id" maxLength:"64"`
	OrderID   string `query:"order_id" maxLength:"64"`
}

// EventsOut is a page of events.
type EventsOut struct{ Body List[Event] }

// EventOut answers with an event.
type EventOut struct{ Body Event }

func (s *Server) listEvents(ctx context.Context, in *EventsIn) (*EventsOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	es, more, err := s.app.Events(ctx, who(ctx), store.EventFilter{Page: page, Type: in.Type, DisputeID: in.DisputeID, OrderID: in.OrderID})
	if err != nil {
		return nil, err
	}
	return &EventsOut{Body: listOf(es, more, eventOut, func(e store.Event) (time.Time, string) { return e.CreatedAt, e.ID })}, nil
}

func (s *Server) getEvent(ctx context.Context, in *ByID) (*EventOut, error) {
	e, err := s.app.Event(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &EventOut{Body: eventOut(e)}, nil
}
