package httpapi_test

import (
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestTransactionChannel checks a transaction's channel and card network: given on a charge,
// inherited by its refund, filtered on by the list, and refused with the parameter named.
func TestTransactionChannel(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		store := testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions", map[string]any{"type": "charge",
			"amount": 1200, "currency": "USD", "card_network": "Visa", "channel": "card_present"}), 201)
		if wireString(store.Channel) != "card_present" || wireString(store.CardNetwork) != "visa" {
			t.Fatalf("the charge's channel %v and network %v", store.Channel, store.CardNetwork)
		}
		online := testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions", map[string]any{"type": "charge",
			"amount": 900, "currency": "USD", "card_network": "mastercard"}), 201)
		if online.Channel != nil {
			t.Errorf("a charge given no channel shows %q, want null", *online.Channel)
		}
		refund := testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions/"+store.ID+"/refund", map[string]any{"amount": 200}), 201)
		if wireString(refund.Channel) != "card_present" || wireString(refund.CardNetwork) != "visa" {
			t.Errorf("the refund's channel %v and network %v, want its charge's", refund.Channel, refund.CardNetwork)
		}

		wantListedSet(t, "channel", c.Get("/v1/transactions?channel=card_present"), store.ID, refund.ID)
		wantListedSet(t, "card_network", c.Get("/v1/transactions?card_network=MASTERCARD"), online.ID)
		wantListedSet(t, "channel and type", c.Get("/v1/transactions?channel=card_present&type=charge"), store.ID)
		testenv.WantError(t, c.Get("/v1/transactions?card_network=visa2"), 422, "invalid_value", "card_network")
		testenv.WantStatus(t, c.Get("/v1/transactions?channel=online"), 422)
		testenv.WantError(t, c.Post("/v1/transactions", map[string]any{"type": "charge", "amount": 100, "currency": "USD",
			"channel": "online"}), 422, "invalid_value", "channel")
	})
}
