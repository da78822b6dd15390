package httpapi_test

import (
	"slices"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestReasonCodesCatalogue: the catalogue through the API, whole and filtered, to any key;
// an unknown filter is refused naming it.
func TestReasonCodesCatalogue(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		all := testenv.Want[httpapi.List[httpapi.ReasonCode]](t, c.Get("/v1/reason_codes"), 200).Data
		if len(all) < 150 || all[0].Version == "" {
			t.Fatalf("%d codes; first %+v", len(all), all[0])
		}
		visaFraud := testenv.Want[httpapi.List[httpapi.ReasonCode]](t,
			c.As(e.NewKey(actor.Buyer, "cus_1")).Get("/v1/reason_codes?network=visa&category=fraud"), 200).Data
		i := slices.IndexFunc(visaFraud, func(r httpapi.ReasonCode) bool { return r.Code == "10.4" })
		if i < 0 || visaFraud[i].EvidenceCategory != "fraudulent" || !slices.Contains(visaFraud[i].Evidence, "customer_purchase_ip") ||
			visaFraud[i].ResponseDays != 30 || len(visaFraud[i].Sources) == 0 {
			t.Fatalf("Visa 10.4: %+v", visaFraud)
		}
		for _, r := range visaFraud {
			if r.Network != "visa" || r.Category != "fraud" {
				t.Fatalf("filtered to Visa fraud, got %+v", r)
			}
		}
		testenv.WantError(t, c.Get("/v1/reason_codes?network=jcb"), 422, "invalid_value", "network")
		testenv.WantError(t, c.Get("/v1/reason_codes?category=theft"), 422, "invalid_value", "category")
	})
}

// TestDisputeReasonClassified: a dispute shows its network and reason family from the catalogue
// (by its code, its alert, or its reason), and a code the catalogue lacks is kept and flagged.
func TestDisputeReasonClassified(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		open := func(body map[string]any) httpapi.Dispute {
			return testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes", body), 201)
		}
		str := func(p *string) string {
			if p == nil {
				return "null"
			}
			return *p
		}
		known := func(p *bool) string {
			if p == nil {
				return "null"
			}
			return map[bool]string{true: "known", false: "unknown"}[*p]
		}
		for _, tt := range []struct {
			body                                map[string]any
			network, category, name, knownState string
		}{
			{map[string]any{"type": "chargeback", "transaction_id": e.Sale(testenv.SaleParams{}).Charge.ID, "reason": "product_not_received",
				"network_reason_code": "13.1"}, "visa", "consumer_dispute", "Merchandise/Services Not Received", "known"},
			{map[string]any{"type": "chargeback", "transaction_id": e.Sale(testenv.SaleParams{}).Charge.ID, "reason": "fraudulent",
				"network_reason_code": "19.9"}, "visa", "fraud", "null", "unknown"},
			{map[string]any{"type": "alert", "alert_type": "safe", "amount": 900, "currency": "USD"}, "mastercard", "null", "null", "null"},
			{map[string]any{"type": "chargeback", "transaction_id": e.Sale(testenv.SaleParams{}).Charge.ID, "reason": "duplicate"},
				"null", "processing_error", "null", "null"},
		} {
			d := open(tt.body)
			if str(d.Network) != tt.network || str(d.ReasonCategory) != tt.category || str(d.ReasonCodeName) != tt.name || known(d.ReasonCodeKnown) != tt.knownState {
				t.Errorf("%v: network %s, category %s, name %s, %s", tt.body, str(d.Network), str(d.ReasonCategory), str(d.ReasonCodeName), known(d.ReasonCodeKnown))
			}
			if tt.knownState == "unknown" && str(d.NetworkReasonCode) != "19.9" {
				t.Errorf("the unknown code was not kept as given: %s", str(d.NetworkReasonCode))
			}
		}

		// The network the provider names decides what a code means: 4863 is Mastercard's
		// "does not recognize" by default, and Discover's authorization code on a Discover card.
		e.StripeProvider("", "")
		sale := e.ProviderSale("stripe", "ch_3QStripeNet", "USD", 4999)
		ev := testenv.StripeEvent("evt_net_1", "charge.dispute.created", "needs_response", "du_net_1", "ch_3QStripeNet", e.Clock.Now())
		pmd := ev["data"].(map[string]any)["object"].(map[string]any)["payment_method_details"].(map[string]any)
		pmd["card"] = map[string]any{"brand": "discover", "network_reason_code": "4863"}
		testenv.Must(e.SendStripe(ev))(t)
		l := testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes?transaction_id="+sale.Charge.ID), 200).Data
		if len(l) != 1 || str(l[0].Network) != "discover" || str(l[0].ReasonCodeName) != "Authorization Non-Compliance" || str(l[0].ReasonCategory) != "authorization" {
			t.Fatalf("the provider's dispute: %+v", l)
		}
	})
}
