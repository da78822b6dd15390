package httpapi

import (
	"context"

	"disputed/internal/actor"
	"disputed/internal/monitoring"
)

// RatiosIn asks for a month's dispute ratios.
type RatiosIn struct {
	Month   string `query:"month" maxLength:"7" doc:"YYYY-MM (UTC); default the current month, which is also projected to its end"`
	Network string `query:"network" maxLength:"64" doc:"visa or mastercard (any case); default every network with a program"`
}

// RatiosOut is a month's dispute ratios.
type RatiosOut struct{ Body Ratios }

func (s *Server) ratios(ctx context.Context, in *RatiosIn) (*RatiosOut, error) {
	if err := actor.RequireStaff(who(ctx), "read the dispute ratios"); err != nil {
		return nil, err
	}
	r, err := s.app.Ratios(ctx, in.Month, in.Network)
	if err != nil {
		return nil, err
	}
	out := Ratios{Object: "list", Month: r.Month, Current: r.Current, Data: make([]Ratio, len(r.Ratios))}
	for i, x := range r.Ratios {
		out.Data[i] = ratioOut(x)
	}
	return &RatiosOut{Body: out}, nil
}

func ratioOut(r monitoring.Ratio) Ratio {
	out := Ratio{Object: "ratio", Network: r.Network, Program: r.Program, Month: r.Month, Disputes: r.Disputes,
		FraudReports: r.FraudReports, Transactions: r.Transactions, Ratio: r.Ratio, Status: string(r.Status),
		Thresholds: make([]RatioThreshold, len(r.Thresholds))}
	for i, t := range r.Thresholds {
		out.Thresholds[i] = RatioThreshold(t)
	}
	if p := r.Projected; p != nil {
		out.Projected = &RatioProjection{Disputes: p.Disputes, FraudReports: p.FraudReports, Transactions: p.Transactions,
			Ratio: p.Ratio, Status: string(p.Status)}
	}
	return out
}
