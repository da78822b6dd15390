package httpapi_test

import (
	"testing"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestEvidenceChecklistWire: a chargeback carries its evidence checklist, completeness and
// sources, in GET and in the list alike, by its reason code's category and the merchant's product
// type; what a person stages is provided, what the compiler staged is compiled until a person
// changes it; an alert carries none.
func TestEvidenceChecklistWire(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		d := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", func(p *app.DisputeParams) { p.NetworkReasonCode = "10.4" })
		status := func(got httpapi.Dispute) map[string]string {
			out := map[string]string{}
			for _, it := range got.EvidenceChecklist {
				out[it.Field] = it.Status
			}
			return out
		}
		got := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+d.ID), 200)
		if len(got.EvidenceChecklist) == 0 || got.EvidenceChecklist[0].Field != "customer_purchase_ip" ||
			got.EvidenceChecklist[0].Label != "Customer's IP address at purchase" || got.EvidenceChecklist[0].Importance != "required" {
			t.Fatalf("a Visa 10.4 for a digital service: checklist %+v, want the purchase IP first", got.EvidenceChecklist)
		}
		if got.EvidenceCompleteness == nil || *got.EvidenceCompleteness != 0 || got.EvidenceSources == nil || len(*got.EvidenceSources) != 0 {
			t.Errorf("nothing staged: completeness %v, sources %v; want 0 and {}", got.EvidenceCompleteness, got.EvidenceSources)
		}

		got = testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+d.ID, map[string]any{"revision": got.Revision,
			"evidence": map[string]string{"customer_purchase_ip": "203.0.113.9", "access_activity_log": "signed in daily"}}), 200)
		if s := status(got); s["customer_purchase_ip"] != "provided" || s["customer_name"] != "missing" {
			t.Errorf("after staging: %v", s)
		}
		staged := *got.EvidenceCompleteness
		if staged <= 0 || staged >= 100 {
			t.Errorf("the two required items of several: completeness %d", staged)
		}

		// The compiler fills the customer's name (the lead's use case will call StageCompiled).
		err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
			cur, err := tx.GetDispute(e.Ctx, d.ID)
			if err != nil {
				return err
			}
			next := cur
			if _, err := next.StageCompiled(map[string]string{"customer_name": "Ada Lovelace"}, map[string]string{"customer_name": "order " + cur.OrderID}, e.Clock.Now()); err != nil {
				return err
			}
			return tx.UpdateDispute(e.Ctx, next, cur)
		})
		if err != nil {
			t.Fatal(err)
		}
		list := testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes?type=chargeback"), 200)
		if len(list.Data) != 1 || status(list.Data[0])["customer_name"] != "compiled" || (*list.Data[0].EvidenceSources)["customer_name"] == "" ||
			*list.Data[0].EvidenceCompleteness <= staged {
			t.Fatalf("the list after compiling: %+v", list.Data)
		}
		got = testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+d.ID, map[string]any{"revision": list.Data[0].Revision,
			"evidence": map[string]string{"customer_name": "Ada King"}}), 200)
		if status(got)["customer_name"] != "provided" || len(*got.EvidenceSources) != 0 {
			t.Errorf("a person's edit: status %s, sources %v; want provided and none", status(got)["customer_name"], *got.EvidenceSources)
		}

		// The product type picks the list: physical goods ask for proof of delivery.
		testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"product_type": "physical_goods"}), 200)
		if s := status(testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+d.ID), 200)); s["shipping_documentation"] != "missing" || s["customer_purchase_ip"] != "" {
			t.Errorf("physical goods: %v", s)
		}

		alert := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+e.Dispute(e.Sale(testenv.SaleParams{}), "alert").ID), 200)
		if alert.EvidenceChecklist != nil || alert.EvidenceCompleteness != nil || alert.EvidenceSources != nil {
			t.Errorf("an alert carries a checklist: %+v", alert)
		}
	})
}
