package httpapi

import (
	"context"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/csvout"
	"disputed/internal/fault"
)

// OutcomesIn asks for the outcomes of a period.
type OutcomesIn struct {
	From    string `query:"from" maxLength:"40" doc:"the period starts here (RFC 3339, or YYYY-MM-DD for midnight UTC); default twelve months before to"`
	To      string `query:"to" maxLength:"40" doc:"the period ends before this (RFC 3339, or YYYY-MM-DD for midnight UTC); default now. At most five years after from"`
	GroupBy string `query:"group_by" maxLength:"100" doc:"none, one or two comma-separated dimensions: reason_category, network, provider, type, stage, month (YYYY-MM, UTC), week (the ISO week's Monday, YYYY-MM-DD, UTC)"`
}

// OutcomesOut is the outcomes of a period.
type OutcomesOut struct{ Body OutcomeReport }

// OutcomeReport is how the disputes opened in a period ended, as of now.
type OutcomeReport struct {
	Object            string         `json:"object" enum:"outcome_report"`
	From              time.Time      `json:"from" doc:"the disputes that happened at or after this"`
	To                time.Time      `json:"to" doc:"and before this"`
	GroupBy           []string       `json:"group_by" doc:"the dimensions of each group's key, in order"`
	ReportingCurrency string         `json:"reporting_currency" doc:"the currency of every group's reporting amounts (the ReportingCurrency setting)"`
	Data              []OutcomeGroup `json:"data" doc:"one group per key, ordered by key (months and weeks ascending); one group of every dispute without group_by"`
	Total             OutcomeGroup   `json:"total" doc:"every dispute in the period; its key is empty"`
}

// OutcomeGroup is the outcomes of the disputes of one key.
type OutcomeGroup struct {
	Key       map[string]string `json:"key" doc:"dimension -> value; provider is manual for a dispute entered by hand, stage none for one without a network stage, reason_category and network unknown when nothing tells"`
	Disputes  int64             `json:"disputes" doc:"opened in the period"`
	Won       int64             `json:"won" doc:"ended the merchant's way (dispute outcome merchant: won, an inquiry closed, an alert resolved without a refund, favor_vendor)"`
	Lost      int64             `json:"lost" doc:"ended the customer's way (outcome customer: lost, refunded, favor_buyer, voided) after a defence or none, but not conceded"`
	Accepted  int64             `json:"accepted" doc:"conceded by the merchant (accepted_at set): not fought. A compromise (partial_refund, mutual_agreement) and an open dispute are none of won, lost, accepted"`
	WinRate   float64           `json:"win_rate" doc:"won / (won + lost), a fraction; 0 when none was decided"`
	Amounts   []OutcomeAmounts  `json:"amounts" doc:"one entry per currency, sorted by code"`
	Reporting struct {
		OutcomeAmounts
		MissingRates []string `json:"missing_rates" doc:"currencies with no exchange rate recorded in force when a dispute happened: their amounts are left out of these sums, never guessed"`
	} `json:"reporting" doc:"the amounts converted to reporting_currency, each at the rate recorded in force when its dispute happened"`
	MedianResponseSeconds *int64 `json:"median_response_seconds" doc:"median time from the dispute's happened_at to the merchant's answer (evidence submitted, its latest submission, or the concession); null when none was answered"`
}

// OutcomeAmounts is money in one currency, in its minor units.
type OutcomeAmounts struct {
	Currency  string `json:"currency"`
	Disputed  int64  `json:"disputed" doc:"every dispute's amount"`
	Recovered int64  `json:"recovered" doc:"kept or got back: a won dispute's amount; what the refunds recorded for a compromise left of it"`
	Lost      int64  `json:"lost" doc:"gone to the customer: a lost or accepted dispute's amount; what a compromise refunded"`
	Fees      int64  `json:"fees" doc:"the dispute fees recorded, net of those given back, in the fee's own currency"`
	Net       int64  `json:"net" doc:"recovered - fees"`
}

// getOutcomes answers the staff alone: the report is about every dispute, not a party's own.
func (s *Server) getOutcomes(ctx context.Context, in *OutcomesIn) (*OutcomesOut, error) {
	r, err := s.outcomes(ctx, in)
	if err != nil {
		return nil, err
	}
	out := OutcomeReport{Object: "outcome_report", From: r.From, To: r.To, GroupBy: r.GroupBy, ReportingCurrency: r.ReportingCurrency,
		Data: make([]OutcomeGroup, len(r.Groups)), Total: outcomeGroupOut(r.GroupBy, r.Total)}
	if out.GroupBy == nil {
		out.GroupBy = []string{}
	}
	for i, g := range r.Groups {
		out.Data[i] = outcomeGroupOut(r.GroupBy, g)
	}
	return &OutcomesOut{Body: out}, nil
}

// outcomeCSV is the outcome report as CSV (GET /v1/analytics/outcomes.csv): its groups and total,
// a line per currency and one in the reporting currency (app.OutcomeReport.CSVRows).
func (s *Server) outcomeCSV() csvList[OutcomesIn, csvout.OutcomeRow] {
	return csvList[OutcomesIn, csvout.OutcomeRow]{name: "outcomes", order: "each group in the order of its key then the total, a line per currency and one in the reporting currency", columns: csvout.OutcomeColumns(app.OutcomeDimensions),
		rows: func(ctx context.Context, in *OutcomesIn, each func([]csvout.OutcomeRow) error) error {
			r, err := s.outcomes(ctx, in)
			if err != nil {
				return err
			}
			return each(r.CSVRows())
		}}
}

// outcomes reads the report in asks for, for the staff alone.
func (s *Server) outcomes(ctx context.Context, in *OutcomesIn) (app.OutcomeReport, error) {
	if err := actor.RequireStaff(who(ctx), "read the outcomes"); err != nil {
		return app.OutcomeReport{}, err
	}
	q := app.OutcomeQuery{}
	var err error
	if q.From, err = periodBound(in.From, "from"); err != nil {
		return app.OutcomeReport{}, err
	}
	if q.To, err = periodBound(in.To, "to"); err != nil {
		return app.OutcomeReport{}, err
	}
	if in.GroupBy != "" {
		q.GroupBy = strings.Split(in.GroupBy, ",")
	}
	return s.app.Outcomes(ctx, q)
}

// periodBound reads a bound of the period: RFC 3339, or a date for its midnight UTC; "" is none.
func periodBound(v, param string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, fault.Invalidf(fault.CodeInvalidValue, param, "%s: %q is neither RFC 3339 (2026-02-01T00:00:00Z) nor a date (2026-02-01)", param, v)
}

func outcomeGroupOut(dims []string, g app.OutcomeGroup) OutcomeGroup {
	out := OutcomeGroup{Key: map[string]string{}, Disputes: g.Disputes, Won: g.Won, Lost: g.Lost, Accepted: g.Accepted, WinRate: g.WinRate,
		Amounts: make([]OutcomeAmounts, len(g.ByCurrency))}
	for i, v := range g.Key {
		out.Key[dims[i]] = v
	}
	for i, m := range g.ByCurrency {
		out.Amounts[i] = outcomeAmountsOut(m)
	}
	out.Reporting.OutcomeAmounts = outcomeAmountsOut(g.Reporting)
	out.Reporting.MissingRates = append([]string{}, g.MissingRates...)
	if g.HasMedianResponse {
		secs := int64(g.MedianResponse / time.Second)
		out.MedianResponseSeconds = &secs
	}
	return out
}

func outcomeAmountsOut(m app.OutcomeMoney) OutcomeAmounts {
	return OutcomeAmounts{Currency: m.Currency, Disputed: m.Disputed, Recovered: m.Recovered, Lost: m.Lost, Fees: m.Fees, Net: m.Net}
}
