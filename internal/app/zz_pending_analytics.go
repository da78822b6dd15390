package app

// Temporary stand-ins for Ratios (p-ratios) and Outcomes (p-outcomes), so that the Analytics
// page and the dashboard gauge compile and test before those branches merge. They return fixed,
// plausible figures; the lead replaces this whole file with the real use cases when merging.

import (
	"context"
	"time"

	"disputed/internal/fault"
	"disputed/internal/monitoring"
)

// RatioReport is one month's ratios.
type RatioReport struct {
	Month   string
	Current bool
	Ratios  []monitoring.Ratio
}

// Ratios returns fixed figures for month ("" is the current month) and network ("" is every one).
func (a *App) Ratios(ctx context.Context, month, network string) (RatioReport, error) {
	now := a.clock().UTC()
	current := now.Format("2006-01")
	if month == "" {
		month = current
	}
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return RatioReport{}, fault.Invalidf(fault.CodeInvalidValue, "month", "month: not a month such as 2026-04")
	}
	step := int64(m.Month())
	vamp := monitoring.Ratio{Network: "visa", Program: "vamp", Month: month, Disputes: 40 + 3*step, FraudReports: 10 + step,
		Transactions: 5000, Thresholds: []monitoring.Threshold{{Tier: "excessive", Ratio: 0.015, MinCount: 1500, Effective: "2026-04-01", Source: "pending"}},
		Status: monitoring.StatusOK}
	vamp.Ratio = float64(vamp.Disputes+vamp.FraudReports) / float64(vamp.Transactions)
	ecp := monitoring.Ratio{Network: "mastercard", Program: "ecp", Month: month, Disputes: 20 + 2*step, Transactions: 4000,
		Thresholds: []monitoring.Threshold{{Tier: "ecm", Ratio: 0.015, MinCount: 100, Effective: "2025-06-01", Source: "pending"},
			{Tier: "hecm", Ratio: 0.03, MinCount: 300, Effective: "2025-06-01", Source: "pending"}}, Status: monitoring.StatusApproaching}
	ecp.Ratio = float64(ecp.Disputes) / float64(ecp.Transactions)
	r := RatioReport{Month: month, Current: month == current}
	for _, x := range []monitoring.Ratio{vamp, ecp} {
		if r.Current {
			x.Projected = &monitoring.Projection{Disputes: 2 * x.Disputes, FraudReports: 2 * x.FraudReports, Transactions: 2 * x.Transactions,
				Ratio: x.Ratio, Status: x.Status}
		}
		if network == "" || network == x.Network {
			r.Ratios = append(r.Ratios, x)
		}
	}
	return r, nil
}

// OutcomeQuery asks for the outcomes of the disputes opened in [From, To), grouped.
type OutcomeQuery struct {
	From, To time.Time
	GroupBy  []string
}

// OutcomeReport is the outcomes of a period.
type OutcomeReport struct {
	From, To          time.Time
	GroupBy           []string
	ReportingCurrency string
	Groups            []OutcomeGroup
	Total             OutcomeGroup
}

// OutcomeGroup is the outcomes of one group of disputes.
type OutcomeGroup struct {
	Key                           []string
	Disputes, Won, Lost, Accepted int64
	WinRate                       float64
	ByCurrency                    []OutcomeMoney
	Reporting                     OutcomeMoney
	MissingRates                  []string
	MedianResponse                time.Duration
	HasMedianResponse             bool
}

// OutcomeMoney is a group's amounts in one currency, in minor units.
type OutcomeMoney struct {
	Currency                             string
	Disputed, Recovered, Lost, Fees, Net int64
}

// Outcomes returns fixed figures: one group per value of each dimension asked for.
func (a *App) Outcomes(ctx context.Context, q OutcomeQuery) (OutcomeReport, error) {
	values := func(dim string) []string {
		var out []string
		switch dim {
		case "month":
			for m := time.Date(q.From.Year(), q.From.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(q.To); m = m.AddDate(0, 1, 0) {
				out = append(out, m.Format("2006-01"))
			}
		case "week":
			start := q.From.UTC().Truncate(24 * time.Hour)
			start = start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
			for w := start; w.Before(q.To); w = w.AddDate(0, 0, 7) {
				out = append(out, w.Format("2006-01-02"))
			}
		case "type":
			out = []string{"chargeback", "inquiry"}
		default:
			out = []string{"consumer_dispute", "fraud"}
		}
		return out
	}
	keys := [][]string{nil}
	for _, dim := range q.GroupBy {
		var next [][]string
		for _, k := range keys {
			for _, v := range values(dim) {
				next = append(next, append(append([]string(nil), k...), v))
			}
		}
		keys = next
	}
	r := OutcomeReport{From: q.From, To: q.To, GroupBy: q.GroupBy, ReportingCurrency: "USD", Total: OutcomeGroup{MissingRates: []string{"EUR"}}}
	for i, k := range keys {
		if len(q.GroupBy) == 0 {
			break
		}
		won, lost := int64(i%4+1), int64(i%3+1)
		g := OutcomeGroup{Key: k, Disputes: won + lost + 1, Won: won, Lost: lost, Accepted: 1,
			WinRate: float64(won) / float64(won+lost), MissingRates: []string{"EUR"},
			Reporting: OutcomeMoney{Currency: "USD", Disputed: 1500 * (won + lost + 1), Recovered: 1500 * won, Lost: 1500 * (lost + 1), Fees: 1500, Net: 1500*won - 1500}}
		g.ByCurrency = []OutcomeMoney{g.Reporting}
		r.Groups = append(r.Groups, g)
		r.Total.Disputes += g.Disputes
		r.Total.Won += g.Won
		r.Total.Lost += g.Lost
		r.Total.Accepted += g.Accepted
		r.Total.Reporting.Disputed += g.Reporting.Disputed
		r.Total.Reporting.Recovered += g.Reporting.Recovered
		r.Total.Reporting.Lost += g.Reporting.Lost
		r.Total.Reporting.Fees += g.Reporting.Fees
		r.Total.Reporting.Net += g.Reporting.Net
	}
	r.Total.Reporting.Currency = "USD"
	if r.Total.Won+r.Total.Lost > 0 {
		r.Total.WinRate = float64(r.Total.Won) / float64(r.Total.Won+r.Total.Lost)
	}
	r.Total.ByCurrency = []OutcomeMoney{r.Total.Reporting}
	return r, nil
}
