package httpapi_test

import (
	"slices"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/csvout"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestOutcomesCSV exports testenv.OutcomeMonth's outcomes grouped by month: a line per currency
// the disputes were in and one in the reporting currency, for the group and for the total, the
// amounts as the JSON gives them, a missing rate named; Accept gives the same file; a party is
// refused.
func TestOutcomesCSV(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		e.OutcomeDisputes()
		const query = "?from=2026-02-01&to=2026-03-01&group_by=month"
		header, rows := csvRows(t, c.Get("/v1/analytics/outcomes.csv"+query), "outcomes")
		if want := csvout.Header(csvout.OutcomeColumns(app.OutcomeDimensions)); !slices.Equal(header, want) {
			t.Fatalf("header = %v, want %v", header, want)
		}
		type line struct{ row, month, amounts, currency, disputes, won, disputed, disputedDecimal, net, missing string }
		var got []line
		for _, r := range rows {
			at := func(name string) string { return r[slices.Index(header, name)] }
			got = append(got, line{at("row"), at("month"), at("amounts"), at("currency"), at("disputes"), at("won"),
				at("disputed"), at("disputed_decimal"), at("net"), at("missing_rates")})
		}
		// No EUR rate is recorded: the reporting lines leave the EUR dispute out and say so.
		want := []line{
			{"group", "2026-02", "currency", "EUR", "5", "2", "2000", "20.00", "-1500", ""},
			{"group", "2026-02", "currency", "USD", "5", "2", "28000", "280.00", "17000", ""},
			{"group", "2026-02", "reporting", "USD", "5", "2", "28000", "280.00", "17000", "EUR"},
			{"total", "", "currency", "EUR", "5", "2", "2000", "20.00", "-1500", ""},
			{"total", "", "currency", "USD", "5", "2", "28000", "280.00", "17000", ""},
			{"total", "", "reporting", "USD", "5", "2", "28000", "280.00", "17000", "EUR"},
		}
		if !slices.Equal(got, want) {
			t.Errorf("lines:\n got %v\nwant %v", got, want)
		}
		if i := slices.Index(header, "win_rate"); rows[0][i] != "0.6666666666666666" {
			t.Errorf("win_rate = %q, want 2/3", rows[0][i])
		}

		// With the rate recorded, the reporting line converts the euros too.
		testenv.Want[httpapi.ExchangeRate](t, c.Post("/v1/exchange_rates", map[string]any{"from": "EUR", "to": "USD", "rate": "1.10", "effective_from": "2026-01-01T00:00:00Z"}), 201)
		byAccept := c.Do("GET", "/v1/analytics/outcomes"+query, nil, "Accept", "text/csv")
		_, rows = csvRows(t, byAccept, "outcomes")
		if r := rows[2]; r[slices.Index(header, "disputed")] != "30200" || r[slices.Index(header, "missing_rates")] != "" {
			t.Errorf("reporting line with the rate: %v, want 30200 disputed and no missing rate", r)
		}

		testenv.WantError(t, c.Get("/v1/analytics/outcomes.csv?group_by=colour"), 422, "invalid_value", "group_by")
		buyer := c.As(e.NewKey(actor.Buyer, "cus_someone"))
		if r := buyer.Get("/v1/analytics/outcomes.csv"); r.Status != 403 {
			t.Errorf("a buyer's key: %d, want 403", r.Status)
		}
	})
}
