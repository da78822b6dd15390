package app_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/testenv"
)

// monthReport is the outcomes of testenv.OutcomeMonth grouped as asked.
func monthReport(t *testing.T, e *testenv.Env, groupBy ...string) app.OutcomeReport {
	t.Helper()
	return testenv.Must(e.App.Outcomes(e.Ctx, app.OutcomeQuery{From: testenv.OutcomeMonth.From, To: testenv.OutcomeMonth.To, GroupBy: groupBy}))(t)
}

// TestOutcomesComputedByHand: the month of testenv.OutcomeMonth, every figure worked out by hand.
// Won 2, lost 1 (the concession is accepted, not lost: it was not fought), one open; the win rate
// is 2 of the 3 fought. The EUR dispute is converted at the rate recorded (1.10), its fee too.
func TestOutcomesComputedByHand(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.OutcomeDisputes()
		recordRate(t, e, "EUR", "USD", "1.10", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		r := monthReport(t, e)
		want := app.OutcomeGroup{Key: []string{}, Disputes: 5, Won: 2, Lost: 1, Accepted: 1, WinRate: 2.0 / 3,
			ByCurrency: []app.OutcomeMoney{
				// Fees: 15.00 - 15.00 given back + 15.00 + 15.00; net 200.00 - 30.00.
				{Currency: "EUR", Disputed: 2000, Recovered: 0, Lost: 2000, Fees: 1500, Net: -1500},
				{Currency: "USD", Disputed: 28000, Recovered: 20000, Lost: 5000, Fees: 3000, Net: 17000},
			},
			// EUR 20.00 = USD 22.00, EUR 15.00 = USD 16.50.
			Reporting: app.OutcomeMoney{Currency: "USD", Disputed: 30200, Recovered: 20000, Lost: 7200, Fees: 4650, Net: 15350},
			// Answers after 12, 24, 48 and 72 hours: the median is between 24 and 48.
			MissingRates: []string{}, MedianResponse: 36 * time.Hour, HasMedianResponse: true}
		if diff := cmp.Diff(want, r.Total, emptySlices); diff != "" {
			t.Errorf("total (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]app.OutcomeGroup{want}, r.Groups, emptySlices); diff != "" {
			t.Errorf("without group_by, one group of every dispute (-want +got):\n%s", diff)
		}
		if r.ReportingCurrency != "USD" || !r.From.Equal(testenv.OutcomeMonth.From) || !r.To.Equal(testenv.OutcomeMonth.To) {
			t.Errorf("report of %s in [%s, %s)", r.ReportingCurrency, r.From, r.To)
		}
	})
}

// emptySlices compares a nil slice and an empty one as equal.
var emptySlices = cmp.Comparer(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b) })

// TestOutcomesMissingRate: without an EUR rate the reporting sums leave EUR out and say so; the
// EUR sums are still given in EUR.
func TestOutcomesMissingRate(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.OutcomeDisputes()
		// A rate that starts after the month converts none of its disputes.
		recordRate(t, e, "EUR", "USD", "1.10", testenv.OutcomeMonth.To)
		r := monthReport(t, e)
		if got, want := r.Total.Reporting, (app.OutcomeMoney{Currency: "USD", Disputed: 28000, Recovered: 20000, Lost: 5000, Fees: 3000, Net: 17000}); got != want {
			t.Errorf("reporting = %+v, want %+v", got, want)
		}
		if diff := cmp.Diff([]string{"EUR"}, r.Total.MissingRates); diff != "" {
			t.Errorf("missing rates (-want +got):\n%s", diff)
		}
		if len(r.Total.ByCurrency) != 2 || r.Total.ByCurrency[0].Disputed != 2000 {
			t.Errorf("by currency = %+v, want EUR 20.00 still shown", r.Total.ByCurrency)
		}
	})
}

// TestOutcomesGrouped: the keys of group_by=reason_category and group_by=week,type (the
// Analytics page's disputes per week by type), ordered, each with its own counts.
func TestOutcomesGrouped(t *testing.T) {
	t.Parallel()
	type row struct {
		Key                           []string
		Disputes, Won, Lost, Accepted int64
		WinRate                       float64
		HasMedian                     bool
	}
	rows := func(r app.OutcomeReport) []row {
		var out []row
		for _, g := range r.Groups {
			out = append(out, row{g.Key, g.Disputes, g.Won, g.Lost, g.Accepted, g.WinRate, g.HasMedianResponse})
		}
		return out
	}
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.OutcomeDisputes()
		for _, tc := range []struct {
			groupBy []string
			want    []row
		}{
			{[]string{"reason_category"}, []row{
				{[]string{"consumer_dispute"}, 2, 1, 0, 0, 1, true},
				{[]string{"fraud"}, 3, 1, 1, 1, 0.5, true},
			}},
			{[]string{"week", "type"}, []row{
				{[]string{"2026-02-02", "chargeback"}, 1, 1, 0, 0, 1, true},
				{[]string{"2026-02-09", "chargeback"}, 2, 1, 1, 0, 0.5, true},
				{[]string{"2026-02-09", "manual"}, 1, 0, 0, 1, 0, true},
				{[]string{"2026-02-16", "inquiry"}, 1, 0, 0, 0, 0, false},
			}},
			{[]string{"provider", "network"}, []row{
				{[]string{"manual", "mastercard"}, 1, 0, 0, 1, 0, true},
				{[]string{"stripe", "visa"}, 4, 2, 1, 0, 2.0 / 3, true},
			}},
			{[]string{"month", "stage"}, []row{
				{[]string{"2026-02", "chargeback"}, 4, 2, 1, 1, 2.0 / 3, true},
				{[]string{"2026-02", "inquiry"}, 1, 0, 0, 0, 0, false},
			}},
		} {
			if diff := cmp.Diff(tc.want, rows(monthReport(t, e, tc.groupBy...))); diff != "" {
				t.Errorf("group_by=%v (-want +got):\n%s", tc.groupBy, diff)
			}
		}
		weekly := monthReport(t, e, "week", "type")
		if g := weekly.Groups[1]; g.MedianResponse != 48*time.Hour || g.ByCurrency[0] != (app.OutcomeMoney{Currency: "USD", Disputed: 15000, Recovered: 10000, Lost: 5000, Fees: 3000, Net: 7000}) {
			t.Errorf("week of 2026-02-09, chargebacks: median %s, %+v", g.MedianResponse, g.ByCurrency)
		}
	})
}

// TestOutcomesConcessionIsAccepted: a chargeback conceded through the app counts as accepted,
// not lost, and as answered when conceded.
func TestOutcomesConcessionIsAccepted(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback")
		e.Clock.Advance(3 * time.Hour)
		testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, "not worth fighting"))(t)
		r := testenv.Must(e.App.Outcomes(e.Ctx, app.OutcomeQuery{}))(t)
		if g := r.Total; g.Disputes != 1 || g.Accepted != 1 || g.Lost != 0 || g.MedianResponse != 3*time.Hour || g.ByCurrency[0].Lost != 1500 {
			t.Errorf("total = %+v, want one accepted after 3 h, 15.00 lost", g)
		}
	})
}

// TestOutcomesBadQuery: each bad parameter is refused, naming it.
func TestOutcomesBadQuery(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		from := testenv.OutcomeMonth.From
		for _, tc := range []struct {
			name  string
			q     app.OutcomeQuery
			param string
		}{
			{"from after to", app.OutcomeQuery{From: from, To: from.Add(-time.Hour)}, "from"},
			{"an empty period", app.OutcomeQuery{From: from, To: from}, "from"},
			{"more than five years", app.OutcomeQuery{From: from, To: from.AddDate(5, 0, 1)}, "from"},
			{"an unknown dimension", app.OutcomeQuery{GroupBy: []string{"colour"}}, "group_by"},
			{"three dimensions", app.OutcomeQuery{GroupBy: []string{"type", "stage", "month"}}, "group_by"},
			{"a dimension twice", app.OutcomeQuery{GroupBy: []string{"type", "type"}}, "group_by"},
		} {
			_, err := e.App.Outcomes(e.Ctx, tc.q)
			if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue); fe.Param != tc.param {
				t.Errorf("%s: param %q, want %q", tc.name, fe.Param, tc.param)
			}
		}
	})
}
