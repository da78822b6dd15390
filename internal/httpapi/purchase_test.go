package httpapi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"disputed/internal/httpapi"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// purchaseBody is every purchase-context field, flat, as a client sends them.
func purchaseBody() map[string]any {
	return map[string]any{
		"customer_ip": "2001:DB8:0:0:0:0:0:1", "device_id": "dev-7f3a", "user_agent": "Mozilla/5.0 (X11)",
		"billing_address": map[string]any{"line1": "1 Rue de Rivoli", "city": "Paris", "postal_code": "75001", "country": "fr"},
		"shipping_address": map[string]any{"line1": "9 Main St", "line2": "Apt 2", "city": "Springfield", "state": "IL",
			"postal_code": "62701", "country": "US"},
		"shipping_carrier": "UPS", "tracking_number": "1Z999AA10123456784", "card_fingerprint": "fp_Xy12",
		"card_network": "Visa", "card_last4": "4242", "account_id": "user-42",
	}
}

// wantPurchase checks the context purchaseBody sent, as the API shows it: canonical forms.
func wantPurchase(t *testing.T, what string, p httpapi.Purchase) {
	t.Helper()
	got, _ := json.Marshal(p)
	want := `{"customer_ip":"2001:db8::1","device_id":"dev-7f3a","user_agent":"Mozilla/5.0 (X11)",` +
		`"billing_address":{"line1":"1 Rue de Rivoli","line2":"","city":"Paris","state":"","postal_code":"75001","country":"FR"},` +
		`"shipping_address":{"line1":"9 Main St","line2":"Apt 2","city":"Springfield","state":"IL","postal_code":"62701","country":"US"},` +
		`"shipping_carrier":"UPS","tracking_number":"1Z999AA10123456784","card_fingerprint":"fp_Xy12","card_network":"visa",` +
		`"card_last4":"4242","account_id":"user-42"}`
	if string(got) != want {
		t.Errorf("%s shows\n%s\nwant\n%s", what, got, want)
	}
}

func with(body map[string]any, more map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// TestPurchaseContextRoundTrip: an order and a charge take the purchase context flat in their
// body and show it back in canonical form; a charge recorded after the fact keeps its own time.
func TestPurchaseContextRoundTrip(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		cus := e.Sale(testenv.SaleParams{}).Customer.ID
		items := []map[string]any{{"description": "Headphones", "amount": 4900}}
		o := testenv.Want[httpapi.Order](t, c.Post("/v1/orders", with(purchaseBody(),
			map[string]any{"customer_id": cus, "currency": "USD", "items": items})), 201)
		wantPurchase(t, "the new order", o.Purchase)
		wantPurchase(t, "GET order", testenv.Want[httpapi.Order](t, c.Get("/v1/orders/"+o.ID), 200).Purchase)

		// Back-filled: the charge happened 200 days ago, and is recorded now.
		happened := e.Clock.Now().AddDate(0, 0, -200).Truncate(time.Millisecond)
		ch := testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions", with(purchaseBody(), map[string]any{"type": "charge",
			"order_id": o.ID, "amount": 4900, "currency": "USD", "created_at": happened.Format(time.RFC3339Nano)})), 201)
		got := testenv.Want[httpapi.Transaction](t, c.Get("/v1/transactions/"+ch.ID), 200)
		wantPurchase(t, "GET transaction", got.Purchase)
		if !got.CreatedAt.Equal(happened) || !got.UpdatedAt.Equal(e.Clock.Now().Truncate(time.Millisecond)) {
			t.Errorf("back-filled charge created %v, updated %v; want created %v, updated (recorded) now", got.CreatedAt, got.UpdatedAt, happened)
		}
		listed := testenv.Want[httpapi.List[httpapi.Transaction]](t, c.Get("/v1/transactions?order_id="+o.ID), 200).Data
		if len(listed) != 1 {
			t.Fatalf("the order's transactions: %+v", listed)
		}
		wantPurchase(t, "the listed transaction", listed[0].Purchase)
		ev := e.LastEvent(store.EventFilter{Type: "transaction.created", OrderID: o.ID})
		if !ev.CreatedAt.Equal(e.Clock.Now().Truncate(time.Millisecond)) {
			t.Errorf("transaction.created at %v, want when it was recorded, %v", ev.CreatedAt, e.Clock.Now())
		}

		// A refund may be back-dated too, but not before its charge.
		testenv.WantError(t, c.Post("/v1/transactions", map[string]any{"type": "refund", "parent_id": ch.ID, "amount": 100,
			"created_at": happened.Add(-time.Hour).Format(time.RFC3339)}), 422, "invalid_value", "created_at")
		r := testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions", map[string]any{"type": "refund", "parent_id": ch.ID,
			"amount": 100, "created_at": happened.Add(time.Hour).Format(time.RFC3339Nano)}), 201)
		if !r.CreatedAt.Equal(happened.Add(time.Hour)) {
			t.Errorf("back-dated refund created %v", r.CreatedAt)
		}

		// A client clock a little ahead is taken as now; further ahead is refused.
		ahead := testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions", map[string]any{"type": "charge", "amount": 100,
			"currency": "USD", "created_at": e.Clock.Now().Add(time.Minute).Format(time.RFC3339)}), 201)
		if !ahead.CreatedAt.Equal(e.Clock.Now().Truncate(time.Millisecond)) {
			t.Errorf("a charge a minute ahead is created %v, want now %v", ahead.CreatedAt, e.Clock.Now())
		}

		// Without a context every field is null.
		plain := c.Post("/v1/orders", map[string]any{"customer_id": cus, "currency": "USD", "items": items})
		fields := testenv.Want[map[string]json.RawMessage](t, plain, 201)
		for _, f := range []string{"customer_ip", "device_id", "user_agent", "billing_address", "shipping_address", "shipping_carrier",
			"tracking_number", "card_fingerprint", "card_network", "card_last4", "account_id"} {
			if string(fields[f]) != "null" {
				t.Errorf("an order without %s shows %s", f, fields[f])
			}
		}
	})
}

// TestPurchaseContextRefused: a bad value is refused naming its field, and nothing is recorded.
func TestPurchaseContextRefused(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		cus := e.Sale(testenv.SaleParams{}).Customer.ID
		order := map[string]any{"customer_id": cus, "currency": "USD", "items": []map[string]any{{"description": "x", "amount": 100}}}
		charge := map[string]any{"type": "charge", "amount": 100, "currency": "USD"}
		state := []string{"/v1/orders?limit=100", "/v1/transactions?limit=100", "/v1/events?limit=100"}
		before := apiSnapshot(t, c, state...)
		for _, tc := range []struct {
			path  string
			body  map[string]any
			param string
		}{
			{"/v1/orders", with(order, map[string]any{"customer_ip": "203.0.113.300"}), "customer_ip"},
			{"/v1/orders", with(order, map[string]any{"billing_address": map[string]any{"country": "USA"}}), "billing_address.country"},
			{"/v1/orders", with(order, map[string]any{"card_last4": "42"}), "card_last4"},
			{"/v1/transactions", with(charge, map[string]any{"card_network": "paypal"}), "card_network"},
			{"/v1/transactions", with(charge, map[string]any{"shipping_address": map[string]any{"country": "1"}}), "shipping_address.country"},
			{"/v1/transactions", with(charge, map[string]any{"created_at": e.Clock.Now().Add(time.Hour).Format(time.RFC3339)}), "created_at"},
		} {
			testenv.WantError(t, c.Post(tc.path, tc.body), 422, "invalid_value", tc.param)
		}
		// The lengths are in the OpenAPI schema too: refused before the rules see them.
		long := testenv.WantErrorShape(t, c.Post("/v1/orders", with(order, map[string]any{"user_agent": strings.Repeat("a", 1001)})))
		if long.Param != "user_agent" {
			t.Errorf("a long user agent: the error names %q", long.Param)
		}
		if after := apiSnapshot(t, c, state...); !bytes.Equal(before, after) {
			t.Errorf("refused requests changed something:\n%s\n%s", before, after)
		}
	})
}

// TestUpdateOrder: POST /v1/orders/{id} changes the purchase context at the revision read (a
// stale one is 409 and changes nothing), emits order.updated and notes the fields on the
// timeline; a request that changes nothing writes nothing.
func TestUpdateOrder(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		id := e.Sale(testenv.SaleParams{}).Order.ID
		path := "/v1/orders/" + id
		rev := testenv.Want[httpapi.Order](t, c.Get(path), 200).Revision
		updates := func() int {
			return testenv.Count(e.EventTypes(store.EventFilter{OrderID: id, Page: store.Page{Limit: 100}}), "order.updated")
		}
		state := []string{path, path + "/timeline", "/v1/events?limit=100"}
		before, events := apiSnapshot(t, c, state...), updates()
		testenv.WantError(t, c.Post(path, map[string]any{"tracking_number": "1Z"}), 422, "parameter_missing", "revision")
		testenv.WantError(t, c.Post(path, map[string]any{"revision": rev - 1, "tracking_number": "1Z"}), 409, "revision_conflict", "revision")
		testenv.WantError(t, c.Post(path, map[string]any{"revision": rev, "shipping_address": map[string]any{"country": "Germany"}}),
			422, "invalid_value", "shipping_address.country")
		testenv.WantError(t, c.Post("/v1/orders/ord_missing", map[string]any{"revision": 1}), 404, "not_found")
		if after := apiSnapshot(t, c, state...); !bytes.Equal(before, after) {
			t.Errorf("refused updates changed something:\n%s\n%s", before, after)
		}

		shipped := testenv.Want[httpapi.Order](t, c.Post(path, map[string]any{"revision": rev, "shipping_carrier": "DHL",
			"tracking_number": "JD014600006281230704", "shipping_address": map[string]any{"line1": "Unter den Linden 1",
				"city": "Berlin", "postal_code": "10117", "country": "de"}}), 200)
		if shipped.Revision != rev+1 || str(shipped.ShippingCarrier) != "DHL" || str(shipped.TrackingNumber) != "JD014600006281230704" ||
			shipped.ShippingAddress == nil || shipped.ShippingAddress.Country != "DE" {
			t.Errorf("after shipping: %+v", shipped)
		}
		obj := testenv.EventObject[httpapi.Order](t, e.LastEvent(store.EventFilter{Type: "order.updated", OrderID: id}))
		if str(obj.TrackingNumber) != "JD014600006281230704" || obj.Revision != rev+1 {
			t.Errorf("order.updated carries tracking %s at revision %d", str(obj.TrackingNumber), obj.Revision)
		}

		// "" clears a text and null an address; what is left out is kept.
		cleared := testenv.Want[httpapi.Order](t, c.Post(path, map[string]any{"revision": rev + 1, "tracking_number": "",
			"shipping_address": nil}), 200)
		if cleared.TrackingNumber != nil || cleared.ShippingAddress != nil || str(cleared.ShippingCarrier) != "DHL" {
			t.Errorf("after clearing: tracking %s, address %+v, carrier %s", str(cleared.TrackingNumber), cleared.ShippingAddress, str(cleared.ShippingCarrier))
		}
		if n := updates(); n != events+2 {
			t.Errorf("%d order.updated for two updates", n-events)
		}
		tl := testenv.Want[httpapi.List[httpapi.TimelineEntry]](t, c.Get(path+"/timeline"), 200).Data
		if last := tl[len(tl)-1]; last.Action != "order_updated" || str(last.Note) != "shipping_address, tracking_number" {
			t.Errorf("the last timeline entry: %s %s", last.Action, str(last.Note))
		}

		// The same values again: nothing written, the revision stays.
		same := testenv.Want[httpapi.Order](t, c.Post(path, map[string]any{"revision": rev + 2, "shipping_carrier": "DHL"}), 200)
		if same.Revision != rev+2 || updates() != events+2 {
			t.Errorf("a change of nothing: revision %d, %d order.updated", same.Revision, updates()-events)
		}
	})
}

// TestDisputeTakesTheCardNetwork: a dispute on a charge whose card network is known is on that
// network when nothing else names one (its reason has no code whose shape would tell).
func TestDisputeTakesTheCardNetwork(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ch := testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions", map[string]any{"type": "charge", "amount": 2500,
			"currency": "USD", "card_network": "mastercard", "card_last4": "5454"}), 201)
		d := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch.ID,
			"reason": "fraudulent"}), 201)
		if str(d.Network) != "mastercard" {
			t.Errorf("a chargeback on a Mastercard is on %s", str(d.Network))
		}
	})
}

func str(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}
