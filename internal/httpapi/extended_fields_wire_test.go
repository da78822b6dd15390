package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// extendedFieldsText is a dispute's extended_fields as compact JSON with sorted keys, to compare
// numbers as written (and strings unescaped, as the server writes them).
func extendedFieldsText(t *testing.T, d httpapi.Dispute) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d.ExtendedFields); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// wantDisputeIDs checks that a list holds exactly the disputes given, in any order.
func wantDisputeIDs(t *testing.T, what string, l httpapi.List[httpapi.Dispute], want ...string) {
	t.Helper()
	var got []string
	for _, d := range l.Data {
		got = append(got, d.ID)
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// TestExtendedFieldWire keeps what only HTTP shows of the extended fields (their rules are tested
// beside internal/app): definitions as the settings show them, values as JSON of their type (a
// number as written), the extended_fields[name] query filter and its refusals, and the empty
// object a buyer gets.
func TestExtendedFieldWire(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		s := testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"extended_fields": []map[string]any{{"name": "priority", "type": "number", "label": "Priority"},
			{"name": "vip", "type": "boolean"}, {"name": "shipped_on", "type": "date"}, {"name": "agent", "type": "string"}}}), 200)
		if got := s.ExtendedFields; len(got) != 4 || got[0].Name != "priority" || got[0].Label != "Priority" || got[2].Type != "date" {
			t.Fatalf("saved definitions: %+v", got)
		}
		testenv.WantError(t, c.Post("/v1/settings", map[string]any{"extended_fields": []map[string]any{{"name": "a", "type": "float"}}}),
			422, "invalid_value", "extended_fields[0].type")

		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		a := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": sale.Charge.ID, "extended_fields": map[string]any{
			"priority": json.Number("12.50"), "vip": true, "shipped_on": "2026-01-31", "agent": "Zoë <ops>"}}), 201)
		if got, w := extendedFieldsText(t, a), `{"agent":"Zoë <ops>","priority":12.50,"shipped_on":"2026-01-31","vip":true}`; got != w {
			t.Fatalf("created: extended_fields %s, want %s", got, w)
		}
		u := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+a.ID, map[string]any{"revision": a.Revision, "extended_fields": map[string]any{"vip": false, "agent": nil}}), 200)
		if got, w := extendedFieldsText(t, u), `{"priority":12.50,"shipped_on":"2026-01-31","vip":false}`; got != w {
			t.Fatalf("updated: extended_fields %s, want %s", got, w)
		}
		for _, f := range []struct {
			query string
			ids   []string
		}{
			{"extended_fields[priority]=12.50", []string{a.ID}},
			{"extended_fields[shipped_on]=2026-01-31&extended_fields[priority]=12.50", []string{a.ID}},
			{"extended_fields[agent]=" + url.QueryEscape("Zoë <ops>"), nil},
		} {
			wantDisputeIDs(t, f.query, testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes?"+f.query), 200), f.ids...)
		}
		if r := c.Get("/v1/disputes?extended_fields[colour]=red"); testenv.Want[httpapi.ErrorBody](t, r, 400).Error.Param != "extended_fields[colour]" {
			t.Fatalf("undefined filter: %s", r.Raw)
		}
		testenv.WantStatus(t, c.Get("/v1/disputes?extended_fields[vip]=maybe"), 400)

		buyer := c.As(e.NewKey(actor.Buyer, sale.Customer.ID))
		if got := extendedFieldsText(t, testenv.Want[httpapi.Dispute](t, buyer.Get("/v1/disputes/"+a.ID), 200)); got != `{}` {
			t.Fatalf("the buyer sees extended fields %s", got)
		}
		testenv.WantStatus(t, buyer.Get("/v1/disputes?extended_fields[vip]=false"), 403)
	})
}
