package app

import (
	"time"

	"disputed/internal/csvout"
)

// CSVRows lays the report out as its export's lines (csvout.OutcomeColumns): each group, then
// the total, each with a line per currency its disputes were in and one in the reporting
// currency.
func (r OutcomeReport) CSVRows() []csvout.OutcomeRow {
	out := make([]csvout.OutcomeRow, 0, 2*(len(r.Groups)+1))
	add := func(g OutcomeGroup, total bool) {
		base := csvout.OutcomeRow{Total: total, Key: make(map[string]string, len(g.Key)),
			Disputes: g.Disputes, Won: g.Won, Lost: g.Lost, Accepted: g.Accepted, WinRate: g.WinRate}
		for i, v := range g.Key {
			base.Key[r.GroupBy[i]] = v
		}
		if g.HasMedianResponse {
			secs := int64(g.MedianResponse / time.Second)
			base.MedianResponseSeconds = &secs
		}
		for _, m := range g.ByCurrency {
			out = append(out, withMoney(base, m))
		}
		reporting := withMoney(base, g.Reporting)
		reporting.Reporting, reporting.Currency, reporting.MissingRates = true, r.ReportingCurrency, g.MissingRates
		out = append(out, reporting)
	}
	for _, g := range r.Groups {
		add(g, false)
	}
	add(r.Total, true)
	return out
}

func withMoney(row csvout.OutcomeRow, m OutcomeMoney) csvout.OutcomeRow {
	row.Currency, row.Disputed, row.Recovered, row.AmountLost, row.Fees, row.Net = m.Currency, m.Disputed, m.Recovered, m.Lost, m.Fees, m.Net
	return row
}
