package httpapi_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestOutcomesWire reads testenv.OutcomeMonth's outcomes through the API: the report as a client
// reads it (each key an object, amounts per currency, the reporting sums at the rate recorded,
// a null median where nothing was answered), the default period, and refusals naming the
// parameter.
func TestOutcomesWire(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		e.OutcomeDisputes()
		testenv.Want[httpapi.ExchangeRate](t, c.Post("/v1/exchange_rates", map[string]any{"from": "EUR", "to": "USD", "rate": "1.10", "effective_from": "2026-01-01T00:00:00Z"}), 201)

		r := c.Get("/v1/analytics/outcomes?from=2026-02-01&to=2026-03-01T00:00:00Z&group_by=week,type")
		got := testenv.Want[httpapi.OutcomeReport](t, r, 200)
		if got.Object != "outcome_report" || got.ReportingCurrency != "USD" || !got.From.Equal(testenv.OutcomeMonth.From) || !got.To.Equal(testenv.OutcomeMonth.To) {
			t.Errorf("report head: %+v", got)
		}
		var keys []map[string]string
		for _, g := range got.Data {
			keys = append(keys, g.Key)
		}
		wantKeys := []map[string]string{
			{"week": "2026-02-02", "type": "chargeback"}, {"week": "2026-02-09", "type": "chargeback"},
			{"week": "2026-02-09", "type": "manual"}, {"week": "2026-02-16", "type": "inquiry"},
		}
		if diff := cmp.Diff(wantKeys, keys); diff != "" {
			t.Errorf("keys (-want +got):\n%s", diff)
		}
		total := got.Total
		if total.Disputes != 5 || total.Won != 2 || total.Lost != 1 || total.Accepted != 1 || total.WinRate != 2.0/3 || len(total.Key) != 0 {
			t.Errorf("total counts: %+v", total)
		}
		if want := (httpapi.OutcomeAmounts{Currency: "USD", Disputed: 30200, Recovered: 20000, Lost: 7200, Fees: 4650, Net: 15350}); total.Reporting.OutcomeAmounts != want || len(total.Reporting.MissingRates) != 0 {
			t.Errorf("reporting = %+v, want %+v and no missing rate", total.Reporting, want)
		}
		if want := []httpapi.OutcomeAmounts{{Currency: "EUR", Disputed: 2000, Lost: 2000, Fees: 1500, Net: -1500},
			{Currency: "USD", Disputed: 28000, Recovered: 20000, Lost: 5000, Fees: 3000, Net: 17000}}; !cmp.Equal(total.Amounts, want) {
			t.Errorf("amounts = %+v, want %+v", total.Amounts, want)
		}
		if total.MedianResponseSeconds == nil || *total.MedianResponseSeconds != 36*3600 {
			t.Errorf("median response %v s, want 36 h", total.MedianResponseSeconds)
		}
		// The open inquiry's week: nothing answered, no currency converted from elsewhere.
		var raw struct {
			Data []map[string]json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(r.Raw, &raw); err != nil {
			t.Fatal(err)
		}
		if m := string(raw.Data[3]["median_response_seconds"]); m != "null" {
			t.Errorf("median of a week with no answer: %s, want null", m)
		}
		if rep := string(raw.Data[3]["reporting"]); rep != `{"currency":"USD","disputed":3000,"recovered":0,"lost":0,"fees":0,"net":0,"missing_rates":[]}` {
			t.Errorf("reporting of the open inquiry's week: %s", rep)
		}

		// Twelve months to now (2026-03-02) hold the month and the disputes just around it.
		if all := testenv.Want[httpapi.OutcomeReport](t, c.Get("/v1/analytics/outcomes"), 200); all.Total.Disputes != 7 || len(all.Data) != 1 || len(all.GroupBy) != 0 {
			t.Errorf("default period: %d disputes in %d groups by %v, want 7 in one", all.Total.Disputes, len(all.Data), all.GroupBy)
		}

		for _, bad := range []struct{ query, param string }{
			{"from=yesterday", "from"},
			{"to=2026-02-30", "to"},
			{"from=2026-03-01&to=2026-02-01", "from"},
			{"from=2020-01-01&to=2026-01-02", "from"},
			{"group_by=colour", "group_by"},
			{"group_by=week,type,stage", "group_by"},
		} {
			testenv.WantError(t, c.Get("/v1/analytics/outcomes?"+bad.query), 422, "invalid_value", bad.param)
		}
	})
}
