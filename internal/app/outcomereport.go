package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"disputed/internal/fault"
	"disputed/internal/reasoncode"
	"disputed/internal/store"
)

// OutcomeQuery asks for the outcomes of the disputes opened (happened) in [From, To), grouped by
// 0, 1 or 2 of OutcomeDimensions. A zero To is now; a zero From is twelve months before To.
type OutcomeQuery struct {
	From, To time.Time
	GroupBy  []string
}

// OutcomeReport is how the disputes opened in a period ended, as of now.
type OutcomeReport struct {
	From, To          time.Time
	GroupBy           []string
	ReportingCurrency string
	Groups            []OutcomeGroup // ordered by key (month/week ascending)
	Total             OutcomeGroup   // every dispute in the period, Key empty
}

// OutcomeGroup is the outcomes of the disputes of one key. Every type is judged by one rule, the
// dispute's outcome for the merchant (dispute.Outcome): won is the merchant's outcome (won,
// an inquiry closed, an alert resolved without a refund, favor_vendor), lost the customer's
// (lost, refunded, favor_buyer, voided) unless the merchant conceded, which is accepted. A
// compromise (partial_refund, mutual_agreement) is none of the three; nor is an open dispute.
type OutcomeGroup struct {
	Key                           []string // one value per GroupBy dimension, in order (week: the Monday, YYYY-MM-DD)
	Disputes, Won, Lost, Accepted int64
	WinRate                       float64        // won / (won + lost); accepted disputes were not fought; 0 when none decided
	ByCurrency                    []OutcomeMoney // one per currency, sorted by code
	Reporting                     OutcomeMoney   // converted to ReportingCurrency with the recorded rates
	MissingRates                  []string       // currencies with no recorded rate: Reporting leaves them out, and says so
	MedianResponse                time.Duration  // opened to first answer submitted
	HasMedianResponse             bool
}

// OutcomeMoney is the money of a group's disputes in one currency, in its minor units. Disputed
// is every dispute's amount; Recovered what the merchant kept or got back (the amount of a won
// dispute, what the refunds recorded for a compromise left of it); Lost what went to the
// customer (the amount of a lost or accepted dispute, what a compromise refunded); Fees the
// fees recorded on the disputes net of those given back, in each fee's currency; Net is
// Recovered - Fees.
type OutcomeMoney struct {
	Currency                             string
	Disputed, Recovered, Lost, Fees, Net int64
}

// The dimensions an outcome report groups by.
const (
	DimReasonCategory = "reason_category"
	DimNetwork        = "network"
	DimProvider       = "provider"
	DimType           = "type"
	DimStage          = "stage"
	DimMonth          = "month"
	DimWeek           = "week"
)

// OutcomeDimensions lists the dimensions in the order the API documents them.
var OutcomeDimensions = []string{DimReasonCategory, DimNetwork, DimProvider, DimType, DimStage, DimMonth, DimWeek}

// Values a dimension takes when the dispute says nothing of it.
const (
	outcomeUnknown  = "unknown" // no reason category or network could be told
	outcomeManual   = "manual"  // no provider: the dispute was entered by hand
	outcomeNoStage  = "none"    // no network stage (alerts, marketplace disputes)
	maxOutcomeYears = 5
)

// Outcomes reports how the disputes opened in the period ended, grouped as asked. A bad query is
// a fault naming from, to or group_by.
func (a *App) Outcomes(ctx context.Context, q OutcomeQuery) (OutcomeReport, error) {
	q, err := a.outcomeQuery(q)
	if err != nil {
		return OutcomeReport{}, err
	}
	settings, err := a.store.GetSettings(ctx)
	if err != nil {
		return OutcomeReport{}, err
	}
	t := newOutcomeTally(EffectiveReportingCurrency(settings), newRateBook(a.store))
	classes := map[[3]string]reasoncode.Classification{}
	err = a.store.EachOutcome(ctx, q.From, q.To, func(f store.OutcomeFacts) error {
		d := &f.Dispute
		hint := d.NetworkHint()
		ck := [3]string{hint, d.NetworkReasonCode, d.Reason}
		cl, seen := classes[ck]
		if !seen {
			cl = reasoncode.Classify(hint, d.NetworkReasonCode, d.Reason)
			classes[ck] = cl
		}
		key := make([]string, len(q.GroupBy))
		for i, dim := range q.GroupBy {
			key[i] = outcomeValue(dim, f, cl)
		}
		return t.add(ctx, key, f)
	})
	if err != nil {
		return OutcomeReport{}, err
	}
	groups, total, err := t.report()
	if err != nil {
		return OutcomeReport{}, err
	}
	return OutcomeReport{From: q.From, To: q.To, GroupBy: q.GroupBy, ReportingCurrency: t.reporting, Groups: groups, Total: total}, nil
}

// outcomeQuery fills the defaults of q and checks it.
func (a *App) outcomeQuery(q OutcomeQuery) (OutcomeQuery, error) {
	if q.To.IsZero() {
		q.To = a.clock()
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(-1, 0, 0)
	}
	q.From, q.To = store.AtPrecision(q.From), store.AtPrecision(q.To)
	switch {
	case !q.From.Before(q.To):
		return q, fault.Invalidf(fault.CodeInvalidValue, "from", "from (%s) must be before to (%s)", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	case q.From.AddDate(maxOutcomeYears, 0, 0).Before(q.To):
		return q, fault.Invalidf(fault.CodeInvalidValue, "from", "the period is at most %d years: from must be on or after %s", maxOutcomeYears,
			q.To.AddDate(-maxOutcomeYears, 0, 0).Format(time.RFC3339))
	case len(q.GroupBy) > 2:
		return q, fault.Invalidf(fault.CodeInvalidValue, "group_by", "group by at most 2 dimensions, not %d", len(q.GroupBy))
	}
	for i, dim := range q.GroupBy {
		if !slices.Contains(OutcomeDimensions, dim) {
			return q, fault.Invalidf(fault.CodeInvalidValue, "group_by", "%q is not a dimension; use %s", dim, strings.Join(OutcomeDimensions, ", "))
		}
		if slices.Contains(q.GroupBy[:i], dim) {
			return q, fault.Invalidf(fault.CodeInvalidValue, "group_by", "%q is named twice", dim)
		}
	}
	q.GroupBy = slices.Clone(q.GroupBy)
	return q, nil
}

// outcomeValue is the value of dimension dim for a dispute of classification cl. Months and
// weeks are UTC; a week is named by its ISO Monday.
func outcomeValue(dim string, f store.OutcomeFacts, cl reasoncode.Classification) string {
	d := &f.Dispute
	switch dim {
	case DimReasonCategory:
		return orValue(string(cl.Category), outcomeUnknown)
	case DimNetwork:
		return orValue(cl.Network, outcomeUnknown)
	case DimProvider:
		return orValue(d.Provider, outcomeManual)
	case DimType:
		return string(d.Type)
	case DimStage:
		return orValue(string(d.Stage), outcomeNoStage)
	case DimMonth:
		return d.HappenedAt.UTC().Format("2006-01")
	}
	day := d.HappenedAt.UTC().Truncate(24 * time.Hour)
	return day.AddDate(0, 0, -(int(day.Weekday())+6)%7).Format(time.DateOnly)
}

func orValue(v, none string) string {
	if v == "" {
		return none
	}
	return v
}
