package httpapi_test

import (
	"net/http"
	"net/url"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestExchangeRatesWire records, lists and deletes exchange rates through the API: the object as
// a client reads it, the list filtered and paged, refusals that name the field and store nothing,
// and the reporting currency in the settings.
func TestExchangeRatesWire(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		r := c.Post("/v1/exchange_rates", map[string]any{"from": "eur", "to": "usd", "rate": "1.08420", "effective_from": "2026-01-01T00:00:00+01:00"})
		jan := testenv.Want[httpapi.ExchangeRate](t, r, 201)
		wantObjectHead(t, r.Raw, "exchange_rate", "fx_")
		if jan.From != "EUR" || jan.To != "USD" || jan.Rate != "1.0842" || jan.EffectiveFrom.Format("2006-01-02T15:04:05Z07:00") != "2025-12-31T23:00:00Z" {
			t.Errorf("recorded %+v; want EUR→USD 1.0842 from 2025-12-31T23:00:00Z", jan)
		}
		now := testenv.Want[httpapi.ExchangeRate](t, c.Post("/v1/exchange_rates", map[string]any{"from": "USD", "to": "JPY", "rate": "157.23"}), 201)
		if !now.EffectiveFrom.Equal(e.Clock.Now()) {
			t.Errorf("effective_from %s; want now, %s", now.EffectiveFrom, e.Clock.Now())
		}

		for _, bad := range []struct {
			body        map[string]any
			code, param string
		}{
			{map[string]any{"from": "EUR", "to": "USD", "rate": "1.08e0"}, "invalid_value", "rate"},
			{map[string]any{"from": "EUR", "to": "USD", "rate": "-1.08"}, "invalid_value", "rate"},
			{map[string]any{"from": "EUR", "to": "USD", "rate": "0"}, "invalid_value", "rate"},
			{map[string]any{"from": "EURO", "to": "USD", "rate": "1.08"}, "unknown_currency", "from"},
			{map[string]any{"from": "EUR", "to": "EUR", "rate": "1"}, "invalid_value", "to"},
			{map[string]any{"from": "EUR", "to": "USD"}, "parameter_missing", "rate"},
		} {
			testenv.WantError(t, c.Post("/v1/exchange_rates", bad.body), 422, bad.code, bad.param)
		}
		testenv.WantError(t, c.Post("/v1/exchange_rates", map[string]any{"from": "EUR", "to": "USD", "rate": 1.08}), 400, "invalid_type")
		testenv.WantError(t, c.Post("/v1/exchange_rates", map[string]any{"from": "EUR", "to": "USD", "rate": "1.08", "effective_from": "yesterday"}), 422, "invalid_value", "effective_from")

		all := testenv.Want[httpapi.List[httpapi.ExchangeRate]](t, c.Get("/v1/exchange_rates"), 200)
		if len(all.Data) != 2 || all.Data[0].ID != now.ID || all.Data[1].ID != jan.ID {
			t.Fatalf("listed %+v; want the two rates recorded, newest first, and nothing refused", all.Data)
		}
		first := testenv.Want[httpapi.List[httpapi.ExchangeRate]](t, c.Get("/v1/exchange_rates?limit=1"), 200)
		if !first.HasMore || first.NextCursor == nil {
			t.Fatalf("first page of one: %+v; want more", first)
		}
		next := testenv.Want[httpapi.List[httpapi.ExchangeRate]](t, c.Get("/v1/exchange_rates?limit=1&cursor="+url.QueryEscape(*first.NextCursor)), 200)
		if len(next.Data) != 1 || next.Data[0].ID != jan.ID || next.HasMore {
			t.Errorf("second page: %+v; want %s alone", next, jan.ID)
		}
		eur := testenv.Want[httpapi.List[httpapi.ExchangeRate]](t, c.Get("/v1/exchange_rates?from=eur&to=USD"), 200)
		if len(eur.Data) != 1 || eur.Data[0].ID != jan.ID {
			t.Errorf("EUR→USD rates: %+v", eur.Data)
		}
		testenv.WantError(t, c.Get("/v1/exchange_rates?to=euro"), 422, "unknown_currency", "to")

		type deletedBody struct {
			ID      string `json:"id"`
			Object  string `json:"object"`
			Deleted bool   `json:"deleted"`
		}
		del := testenv.Want[deletedBody](t, c.Do(http.MethodDelete, "/v1/exchange_rates/"+jan.ID, nil), 200)
		if !del.Deleted || del.ID != jan.ID || del.Object != "exchange_rate" {
			t.Errorf("deleted: %+v", del)
		}
		testenv.WantError(t, c.Do(http.MethodDelete, "/v1/exchange_rates/"+jan.ID, nil), 404, "not_found")

		s := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
		if s.ReportingCurrency != "USD" {
			t.Errorf("default reporting_currency %q; want USD", s.ReportingCurrency)
		}
		s = testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"reporting_currency": "eur"}), 200)
		if s.ReportingCurrency != "EUR" {
			t.Errorf("reporting_currency %q; want EUR", s.ReportingCurrency)
		}
		testenv.WantError(t, c.Post("/v1/settings", map[string]any{"reporting_currency": "euro"}), 422, "unknown_currency", "reporting_currency")
		if s := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); s.ReportingCurrency != "EUR" {
			t.Errorf("after a refusal reporting_currency is %q; want EUR", s.ReportingCurrency)
		}
	})
}
