package httpapi

import (
	"context"

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
type EventsOut struct{ Body EventList }

// EventList is a page of events, and whether it ends where the server stopped reading.
type EventList struct {
	List[Event]
	ReadBoundReached bool `json:"read_bound_reached" doc:"true when the server read its bound of events (20,000 by default) for this page before it found a full page, which happens when filters are combined (the first of dispute_id, order_id and type is read through its index, the others are checked on the events it yields) and match few events, or when page skips past the bound (the events it skips count in it): data holds the matches found so far, fewer than limit or none, has_more is true and next_cursor goes on from the last event read; follow it as usual, and every match comes once"`
}

// EventOut answers with an event.
type EventOut struct{ Body Event }

func (s *Server) listEvents(ctx context.Context, in *EventsIn) (*EventsOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	p, err := s.app.Events(ctx, who(ctx), store.EventFilter{Page: page, Type: in.Type, DisputeID: in.DisputeID, OrderID: in.OrderID})
	if err != nil {
		return nil, err
	}
	return &EventsOut{Body: EventList{List: listAt(p.Rows, eventOut, cursorOf(p.More, p.Next)), ReadBoundReached: p.Stopped}}, nil
}

func (s *Server) getEvent(ctx context.Context, in *ByID) (*EventOut, error) {
	e, err := s.app.Event(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &EventOut{Body: eventOut(e)}, nil
}
