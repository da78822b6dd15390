package httpapi

import (
	"context"

	"disputed/internal/order"
)

// LineOut answers with a line.
type LineOut struct{ Body Line }

// ConfirmIn confirms a line action done by hand.
type ConfirmIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Action string `json:"action" enum:"suspend,enable,terminate"`
	}
}

func (s *Server) getLine(ctx context.Context, in *ByID) (*LineOut, error) {
	return lineResult(s.app.Line(ctx, who(ctx), in.ID))
}

func (s *Server) confirmLine(ctx context.Context, in *ConfirmIn) (*LineOut, error) {
	return lineResult(s.app.ConfirmLine(ctx, who(ctx), in.ID, in.Body.Action))
}

func (s *Server) lineHistory(ctx context.Context, in *ByID) (*TimelineOut, error) {
	return timelineResult(s.app.LineHistory(ctx, who(ctx), in.ID))
}

func lineResult(l order.Line, err error) (*LineOut, error) {
	if err != nil {
		return nil, err
	}
	return &LineOut{Body: lineOut(l)}, nil
}
