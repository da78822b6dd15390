package app_test

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/provider"
	"disputed/internal/provider/paypal"
	"disputed/internal/provider/paypal/paypalfake"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestPayPalImportOpensDisputes: importing PayPal's history opens the disputes it lists on the
// orders of their captures, once: importing again applies nothing, the webhook about the same
// dispute opens no second one, and a dispute PayPal decided since is brought to its outcome by
// the next import.
func TestPayPalImportOpensDisputes(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	testenv.EachWith(t, testenv.Options{Providers: signer.Providers()}, func(t *testing.T, e *testenv.Env) {
		fake := paypalfake.New(t, e.Clock.Now)
		e.PayPalProvider(paypalfake.APIKey, fake.URL())
		txn := "3GG2IMPORT" + e.Kind
		sale := e.ProviderSale("paypal", txn, "EUR", 4999)
		now := e.Clock.Now()
		pp := paypalfake.Dispute{ID: "PP-D-98852", Created: now.Add(-2 * time.Hour), Updated: now.Add(-2 * time.Hour),
			Status: "WAITING_FOR_SELLER_RESPONSE", Reason: "UNAUTHORISED", Stage: "CHARGEBACK", Channel: "EXTERNAL",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "49.99"}, SellerTransactionID: txn,
			SellerResponseDue: now.Add(10 * 24 * time.Hour)}
		fake.PutDisputes(pp)
		importAll := func() (applied int) {
			t.Helper()
			p := paypal.New(provider.Config{Type: paypal.TypeName, APIKey: paypalfake.APIKey, APIBase: fake.URL()}, nil, paypal.WithNow(e.Clock.Now))
			err := p.Import(e.Ctx, now.AddDate(0, -1, 0), "", func(evs []provider.Event, _ string) error {
				receipts, err := e.App.AcceptProviderEvents(e.Ctx, "paypal", evs)
				for _, r := range receipts {
					if !r.Duplicate {
						applied++
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			e.ApplyInbox()
			return applied
		}
		orderDisputes := func() []dispute.Dispute {
			t.Helper()
			ds, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{OrderID: sale.Order.ID}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return ds
		}

		if n := importAll(); n != 1 {
			t.Errorf("the first import applied %d events, want the dispute's", n)
		}
		ds := orderDisputes()
		if len(ds) != 1 || ds[0].ProviderDisputeID != "PP-D-98852" || ds[0].Status != dispute.NeedsResponse || ds[0].Amount != 4999 {
			t.Fatalf("disputes of the order after the import: %+v", ds)
		}
		if n := importAll(); n != 0 {
			t.Errorf("importing again applied %d events, want none", n)
		}
		// The webhook PayPal sent when the dispute opened, delivered late.
		webhook := strings.Replace(string(testenv.PayPalPayload(t, "chargeback_created.json", txn)),
			"2026-11-20T10:00:04.322Z", now.Add(-time.Hour).Format(time.RFC3339), 1)
		res := testenv.Must(e.ReceivePayPal(signer, []byte(webhook)))(t)
		if res.DisputeID != ds[0].ID || len(orderDisputes()) != 1 {
			t.Errorf("the webhook about the imported dispute went to %s, and the order has %d disputes", res.DisputeID, len(orderDisputes()))
		}

		pp.Updated, pp.Status, pp.Outcome = e.Clock.Now().Add(time.Minute), "RESOLVED", "RESOLVED_SELLER_FAVOUR"
		fake.PutDisputes(pp)
		e.Advance(2 * time.Minute)
		if n := importAll(); n != 1 {
			t.Errorf("the import after PayPal's decision applied %d events, want 1", n)
		}
		if got := e.Reload(ds[0]).Status; got != dispute.Won {
			t.Errorf("after PayPal decided for the merchant the dispute is %s, want won", got)
		}
	})
}
