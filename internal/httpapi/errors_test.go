package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// apiSnapshot reads everything a refused request could have changed, as the API shows it.
func apiSnapshot(t testing.TB, c *testenv.Client, paths ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, p := range paths {
		r := c.Get(p)
		testenv.WantStatus(t, r, 200)
		fmt.Fprintf(&b, "%s\n%s\n", p, r.Raw)
	}
	return b.Bytes()
}

// TestErrors sends requests the API must refuse and checks the status, the code, the field
// named, the shape of the error body, and that nothing changed.
func TestErrors(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		cus, ord, charge := sale.Customer.ID, sale.Order.ID, sale.Charge.ID
		d := e.Dispute(sale, "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
		dsp, rev := d.ID, d.Revision
		five := int64(5)
		pendingOrder := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: cus, Currency: "USD",
			Items: []app.ItemParams{{Description: "x", Amount: &five, Quantity: 1}}}))(t).Order.ID
		state := []string{"/v1/orders?limit=100", "/v1/disputes?limit=100", "/v1/transactions/" + charge, "/v1/disputes/" + dsp,
			"/v1/disputes/" + dsp + "/evidence", "/v1/events?limit=100", "/v1/blocklist", "/v1/settings", "/v1/orders/" + ord}
		item := func(extra map[string]any) map[string]any {
			it := map[string]any{"description": "x", "amount": 100}
			for k, v := range extra {
				it[k] = v
			}
			return it
		}
		newOrder := func(items ...any) map[string]any {
			return map[string]any{"customer_id": cus, "currency": "USD", "items": items}
		}
		huge := `{"customer_id":"` + cus + `","currency":"USD","items":[{"description":"` + strings.Repeat("a", 1<<20) + `","amount":1}]}`

		cases := []struct {
			name         string
			method, path string
			body         any
			headers      []string
			status       int
			code, param  string
		}{
			{"malformed json", "POST", "/v1/orders", `{"customer_id":`, nil, 400, "malformed_json", ""},
			{"two json values", "POST", "/v1/transactions/" + charge + "/refund", `{"amount":5}{}`, nil, 400, "malformed_json", ""},
			{"unknown top-level field", "POST", "/v1/disputes/" + dsp, map[string]any{"revision": rev, "tagz": []string{"a"}}, nil, 400, "unknown_field", "tagz"},
			{"unknown nested field", "POST", "/v1/orders", newOrder(item(map[string]any{"foo": 1})), nil, 400, "unknown_field", "items[0].foo"},
			{"unknown evidence field", "POST", "/v1/disputes/" + dsp, map[string]any{"revision": rev, "evidence": map[string]any{"bogus": "x"}}, nil, 400, "unknown_field", "evidence.bogus"},
			{"unknown field in evidence item", "POST", "/v1/disputes/" + dsp + "/evidence", map[string]any{"type": "text", "content": "x", "extra": 1}, nil, 400, "unknown_field", "extra"},
			{"string for integer", "POST", "/v1/transactions/" + charge + "/refund", `{"amount":"5"}`, nil, 400, "invalid_type", "amount"},
			{"integral number with a fraction for an integer", "POST", "/v1/transactions/" + charge + "/refund", `{"amount":5.00}`, nil, 400, "invalid_type", "amount"},
			{"nested wrong type", "POST", "/v1/orders", newOrder(item(map[string]any{"amount": "1"})), nil, 400, "invalid_type", "items[0].amount"},
			{"string revision", "POST", "/v1/disputes/" + dsp, map[string]any{"revision": "1", "tags": []string{"a"}}, nil, 400, "invalid_type", "revision"},
			{"object for string", "POST", "/v1/customers", map[string]any{"email": map[string]any{}}, nil, 400, "invalid_type", "email"},
			{"missing customer_id", "POST", "/v1/orders", map[string]any{"currency": "USD", "items": []any{item(nil)}}, nil, 422, "parameter_missing", "customer_id"},
			{"missing resolution", "POST", "/v1/disputes/" + dsp + "/resolve", map[string]any{}, nil, 422, "parameter_missing", "resolution"},
			{"missing revision", "POST", "/v1/disputes/" + dsp, map[string]any{"tags": []string{"a"}}, nil, 422, "parameter_missing", "revision"},
			{"missing item amount", "POST", "/v1/orders", newOrder(map[string]any{"description": "x"}), nil, 422, "parameter_missing", "items[0].amount"},
			{"missing void reason", "POST", "/v1/orders/" + ord + "/void", map[string]any{}, nil, 422, "parameter_missing", "reason"},
			{"not a date-time", "POST", "/v1/disputes/" + dsp, map[string]any{"revision": rev, "due_by": "next week"}, nil, 422, "invalid_value", "due_by"},
			{"not an enum value", "POST", "/v1/blocklist", map[string]any{"kind": "phone", "value": "123"}, nil, 422, "invalid_value", "kind"},
			{"too many decimals", "POST", "/v1/transactions", map[string]any{"type": "charge", "amount_decimal": "12.345", "currency": "usd", "order_id": ord}, nil, 422, "invalid_amount", "amount_decimal"},
			{"refund too many decimals", "POST", "/v1/transactions/" + charge + "/refund", map[string]any{"amount_decimal": "0.001"}, nil, 422, "invalid_amount", "amount_decimal"},
			{"negative amount", "POST", "/v1/transactions", map[string]any{"type": "charge", "amount": -5, "currency": "usd", "order_id": ord}, nil, 422, "invalid_amount", "amount"},
			{"unknown currency", "POST", "/v1/transactions", map[string]any{"type": "charge", "amount": 5, "currency": "xyz", "order_id": ord}, nil, 422, "unknown_currency", "currency"},
			{"unknown order currency", "POST", "/v1/orders", map[string]any{"customer_id": cus, "currency": "ABC", "items": []any{item(nil)}}, nil, 422, "unknown_currency", "currency"},
			{"amount and amount_decimal", "POST", "/v1/transactions", map[string]any{"type": "charge", "amount": 5, "amount_decimal": "0.05", "currency": "usd", "order_id": ord}, nil, 422, "invalid_value", "amount"},
			{"dispute amount and amount_decimal", "POST", "/v1/disputes", map[string]any{"type": "chargeback", "amount": 5, "amount_decimal": "0.05", "currency": "usd"}, nil, 422, "invalid_value", "amount"},
			{"refund of a charge the chargeback disputes", "POST", "/v1/transactions/" + charge + "/refund", map[string]any{"amount": 1}, nil, 409, "charge_disputed", "id"},
			{"refund over the charge", "POST", "/v1/transactions/" + charge + "/refund", map[string]any{"amount": 1001, "force": true, "reason": "goodwill"}, nil, 422, "amount_too_large", "amount"},
			{"second open dispute", "POST", "/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge}, nil, 409, "dispute_exists", "order_id"},
			{"void a pending order", "POST", "/v1/orders/" + pendingOrder + "/void", map[string]any{"reason": "x"}, nil, 409, "invalid_state", "status"},
			{"stale revision", "POST", "/v1/disputes/" + dsp, map[string]any{"revision": rev + 5, "tags": []string{"a"}}, nil, 409, "revision_conflict", "revision"},
			{"body over 1 MiB", "POST", "/v1/orders", huge, nil, 413, "body_too_large", ""},
			{"body over 1 MiB with an idempotency key", "POST", "/v1/orders", huge, []string{"Idempotency-Key", "big"}, 413, "body_too_large", ""},
			{"text/plain", "POST", "/v1/orders", `{}`, []string{"Content-Type", "text/plain"}, 415, "", ""},
			{"form body", "POST", "/v1/customers", `email=a@b.c`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "", ""},
			{"evidence as text/plain", "POST", "/v1/disputes/" + dsp + "/evidence", `text`, []string{"Content-Type", "text/plain"}, 415, "", ""},
			{"unknown dispute", "GET", "/v1/disputes/dsp_nope", nil, nil, 404, "not_found", ""},
			{"unknown dispute update", "POST", "/v1/disputes/dsp_nope", map[string]any{"revision": 1, "tags": []string{"a"}}, nil, 404, "not_found", ""},
			{"unknown route", "GET", "/v1/nope", nil, nil, 404, "route_not_found", ""},
			{"unknown route POST", "POST", "/v1/disputes/" + dsp + "/explode", map[string]any{}, nil, 404, "route_not_found", ""},
			{"bad limit", "GET", "/v1/disputes?limit=0", nil, nil, 422, "", "limit"},
			{"no key", "GET", "/v1/disputes", nil, []string{"Authorization", ""}, 401, "", ""},
		}
		for _, tc := range cases {
			t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
				c := c.On(t)
				before := apiSnapshot(t, c, state...)
				r := c.Do(tc.method, tc.path, tc.body, tc.headers...)
				if r.Status != tc.status {
					t.Fatalf("status %d, want %d: %.300s", r.Status, tc.status, r.Raw)
				}
				got := testenv.WantErrorShape(t, r)
				if tc.code != "" && got.Code != tc.code {
					t.Errorf("code %q, want %q: %.300s", got.Code, tc.code, r.Raw)
				}
				if tc.param != "" && got.Param != tc.param {
					t.Errorf("param %q, want %q: %.300s", got.Param, tc.param, r.Raw)
				}
				if after := apiSnapshot(t, c, state...); !bytes.Equal(before, after) {
					t.Errorf("the refused request changed something:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	})
}

// TestErrorTypes checks that the error type follows the status class.
func TestErrorTypes(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	agent := c.As(e.NewKey(actor.Agent, ""))
	for _, tc := range []struct {
		r      testenv.Response
		status int
		typ    string
	}{
		{c.Post("/v1/orders", `{`), 400, "invalid_request"},
		{c.Do(http.MethodGet, "/v1/disputes", nil, "Authorization", "Bearer sk_wrong_wrong_wrong"), 401, "authentication"},
		{agent.Get("/v1/settings"), 403, "permission"},
		{c.Get("/v1/orders/ord_nope"), 404, "not_found"},
		{c.Post("/v1/orders", map[string]any{"customer_id": "cus_nope", "currency": "USD", "items": []any{}}), 422, "invalid_request"},
	} {
		if got := testenv.Decode[httpapi.ErrorBody](t, tc.r).Error; tc.r.Status != tc.status || got.Type != tc.typ {
			t.Errorf("status %d type %q, want %d %q: %s", tc.r.Status, got.Type, tc.status, tc.typ, tc.r.Raw)
		}
		testenv.WantErrorShape(t, tc.r)
	}
}

// TestQueryTypes: a query parameter that is not a number is a shape error (400), one out of range
// a value error (422).
func TestQueryTypes(t *testing.T) {
	t.Parallel()
	c := testenv.New(t, "sqlite", testenv.Options{}).Serve()
	testenv.WantError(t, c.Get("/v1/disputes?limit=abc"), 400, "invalid_type")
	testenv.WantError(t, c.Get("/v1/disputes?limit=500"), 422, "invalid_value")
}
