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
