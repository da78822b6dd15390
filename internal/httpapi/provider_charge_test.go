package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestStripeChargeWebhook: a signed charge.succeeded is answered 200 and its payment is then
// found by its provider reference, with the card and channel Stripe reported, counted once in
// the month's Visa ratio however often it is delivered.
func TestStripeChargeWebhook(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		c := stripeServed(t, e)
		ratioSales := func() int64 {
			r := testenv.Want[httpapi.Ratios](t, c.Get("/v1/analytics/ratios?network=visa"), http.StatusOK)
			return r.Data[0].Transactions
		}
		before := ratioSales()
		event := map[string]any{"id": "evt_3QHttpCharge", "object": "event", "type": "charge.succeeded", "created": e.Clock.Now().Unix(),
			"data": map[string]any{"object": map[string]any{"id": "ch_3QHttpCharge", "object": "charge", "amount": 2599, "amount_captured": 2599,
				"currency": "usd", "captured": true, "status": "succeeded", "created": e.Clock.Now().Add(-time.Second).Unix(),
				"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": "visa", "last4": "4242"}}}}}
		webhookAccepted(t, e, stripeDelivery(c, e.Clock.Now(), event, testenv.StripeSecret))
		webhookAccepted(t, e, stripeDelivery(c, e.Clock.Now(), event, testenv.StripeSecret))
		list := webhookRead[httpapi.List[httpapi.Transaction]](c, "/v1/transactions?provider_reference=ch_3QHttpCharge").Data
		if len(list) != 1 {
			t.Fatalf("%d transactions for ch_3QHttpCharge", len(list))
		}
		got := list[0]
		if got.Type != "charge" || got.Amount != 2599 || got.Currency != "USD" || wireText(got.CardNetwork) != "visa" ||
			wireText(got.CardLast4) != "4242" || wireText(got.Channel) != "card_not_present" || wireText(got.Provider) != "stripe" {
			t.Fatalf("the recorded charge: %s", webhookJSON(got))
		}
		if n := ratioSales(); n != before+1 {
			t.Errorf("the Visa ratio counts %d sales, want %d", n, before+1)
		}
	})
}

// TestOrderMetadataKeyThroughTheAPI: the setting is read and saved through /v1/settings; a key
// no provider could hold is refused naming the field, and nothing is saved.
func TestOrderMetadataKeyThroughTheAPI(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), http.StatusOK); got.OrderMetadataKey != "order_id" {
			t.Fatalf("default order_metadata_key %q", got.OrderMetadataKey)
		}
		if got := testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"order_metadata_key": "custom_id"}), http.StatusOK); got.OrderMetadataKey != "custom_id" {
			t.Fatalf("saved order_metadata_key %q", got.OrderMetadataKey)
		}
		testenv.WantError(t, c.Post("/v1/settings", map[string]any{"order_metadata_key": "order id"}), http.StatusUnprocessableEntity, "invalid_value", "order_metadata_key")
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), http.StatusOK); got.OrderMetadataKey != "custom_id" {
			t.Errorf("after a refusal %q", got.OrderMetadataKey)
		}
	})
}
