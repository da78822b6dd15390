package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/httpapi"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// The provider data a webhook carries besides the status, as the API shows it: Stripe's fees,
// the evidence Stripe holds and its submission count, Stripe's payloads of old API versions,
// PayPal's review without a life-cycle stage and the amount PayPal refunded. The events reach
// the app as the webhook route hands them over (signed, through ReceiveProviderEvent); that
// route itself is tested with the providers.

// providerDataDispute reads a dispute through the API.
func providerDataDispute(t *testing.T, c *testenv.Client, id string) httpapi.Dispute {
	t.Helper()
	return testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), http.StatusOK)
}

// providerDataStripe delivers a Stripe event and returns the dispute it concerned.
func providerDataStripe(t *testing.T, e *testenv.Env, event map[string]any) string {
	t.Helper()
	return testenv.Must(e.SendStripe(event))(t).DisputeID
}

func TestStripeFeesEvidenceAndSubmissionCount(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		e.StripeProvider("", "")
		sale := e.Sale(testenv.SaleParams{Amount: 4999})
		ref := sale.Charge.ProviderReference
		withdrawal := testenv.StripeBalanceTransaction("txn_1QWithdrawal", -4999, 1500, "Dispute fee")

		// The merchant had staged evidence on Stripe's dashboard before we heard of the case.
		created := testenv.StripeEvent("evt_fee_1", "charge.dispute.created", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now())
		obj := testenv.StripeDisputeOf(created)
		obj["balance_transactions"] = []any{withdrawal}
		obj["evidence"] = map[string]any{"customer_email_address": "ada@example.com", "receipt": "file_1QReceipt",
			"customer_name": nil, "enhanced_evidence": map[string]any{"visa_compelling_evidence_3": map[string]any{}}}
		obj["evidence_details"].(map[string]any)["has_evidence"] = true
		id := providerDataStripe(t, e, created)
		d := providerDataDispute(t, c, id)
		want := httpapi.Fee{Amount: 1500, AmountDecimal: "15.00", Currency: "USD", Description: "Dispute fee", ProviderReference: "txn_1QWithdrawal",
			Kind: "dispute", Source: "provider"}
		if len(d.Fees) != 1 || d.Fees[0] != want {
			t.Fatalf("fees: %+v", d.Fees)
		}
		if d.Evidence["customer_email_address"] != "ada@example.com" || d.Evidence["receipt"] != "file_1QReceipt" ||
			d.Evidence["customer_name"] != "" || !d.EvidenceDetails.HasEvidence {
			t.Fatalf("the evidence Stripe holds: %v, details %+v", d.Evidence, d.EvidenceDetails)
		}

		// Ours wins over Stripe's; a field only Stripe has is kept.
		testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, id, d.Revision, app.UpdateDisputeParams{
			UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"customer_email_address": "ours@example.com"}}}))(t)
		e.Clock.Advance(time.Minute)
		updated := testenv.StripeEvent("evt_fee_2", "charge.dispute.updated", "under_review", "dp_1QStripe0001", ref, e.Clock.Now())
		obj = testenv.StripeDisputeOf(updated)
		obj["balance_transactions"] = []any{withdrawal}
		obj["evidence"] = map[string]any{"customer_email_address": "ada@example.com", "product_description": "IPTV 12 months"}
		obj["evidence_details"].(map[string]any)["submission_count"] = 2 // submitted twice on Stripe's dashboard
		providerDataStripe(t, e, updated)
		d = providerDataDispute(t, c, id)
		if d.Status != "under_review" || d.EvidenceDetails.SubmissionCount != 2 ||
			d.Evidence["customer_email_address"] != "ours@example.com" || d.Evidence["product_description"] != "IPTV 12 months" {
			t.Fatalf("after Stripe's update: status %s, details %+v, evidence %v", d.Status, d.EvidenceDetails, d.Evidence)
		}
		// Submitted on Stripe's dashboard: the counter fee, which Stripe has not reported yet, is
		// the fee table's estimate beside the fee Stripe reported, which counts once.
		if len(d.Fees) != 2 || d.Fees[0] != want || d.Fees[1].Kind != "counter" || d.Fees[1].Source != "fee_table" || d.Fees[1].Amount != 1500 {
			t.Fatalf("the same fee reported again, and the counter fee: %+v", d.Fees)
		}

		// Won: Stripe gives the fee back, on the closing event or after it.
		e.Clock.Advance(time.Minute)
		closed := testenv.StripeEvent("evt_fee_3", "charge.dispute.closed", "won", "dp_1QStripe0001", ref, e.Clock.Now())
		testenv.StripeDisputeOf(closed)["balance_transactions"] = []any{withdrawal}
		providerDataStripe(t, e, closed)
		e.Clock.Advance(time.Minute)
		reinstated := testenv.StripeEvent("evt_fee_4", "charge.dispute.funds_reinstated", "won", "dp_1QStripe0001", ref, e.Clock.Now())
		testenv.StripeDisputeOf(reinstated)["balance_transactions"] = []any{withdrawal,
			testenv.StripeBalanceTransaction("txn_1QReversal", 4999, -1500, "Dispute fee refund")}
		providerDataStripe(t, e, reinstated)
		d = providerDataDispute(t, c, id)
		refund := httpapi.Fee{Amount: -1500, AmountDecimal: "-15.00", Currency: "USD", Description: "Dispute fee refund", ProviderReference: "txn_1QReversal",
			Kind: "returned", Source: "provider"}
		// The fee given back, as Stripe reported it, replaced the table's estimate of it.
		if d.Status != "won" || len(d.Fees) != 3 || d.Fees[2] != refund || d.Fees[1].Kind != "counter" {
			t.Fatalf("after the decision: status %s, fees %+v", d.Status, d.Fees)
		}

		// The buyer sees neither what Stripe charged the merchant nor the merchant's evidence.
		r := c.As(e.NewKey(actor.Buyer, sale.Customer.ID)).Get("/v1/disputes/" + id)
		if b := testenv.Want[httpapi.Dispute](t, r, http.StatusOK); len(b.Fees) != 0 || strings.Contains(r.String(), "IPTV") || b.EvidenceDetails.HasEvidence {
			t.Fatalf("the buyer's view: %s", r.Raw)
		}
	})
}

// TestStripeOldAPIVersions reads payloads of API versions before 2015-10-01: a dispute without an
// id (its charge names it), evidence as one string, evidence_due_by. A later event of a current
// version, with the dispute's id, finds the same case.
func TestStripeOldAPIVersions(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		e.StripeProvider("", "")
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		ref := sale.Charge.ProviderReference
		body, err := os.ReadFile("../provider/stripe/testdata/charge.dispute.created.2014-11-05.json")
		if err != nil {
			t.Fatal(err)
		}
		var old map[string]any
		if err := json.Unmarshal([]byte(strings.ReplaceAll(string(body), "ch_14xQ1a2eZvKYlo2CkR3sT0Vw", ref)), &old); err != nil {
			t.Fatal(err)
		}
		old["created"] = e.Clock.Now().Unix()
		id := providerDataStripe(t, e, old)
		d := providerDataDispute(t, c, id)
		if providerDataText(d.ProviderDisputeID) != ref || providerDataText(d.TransactionID) != sale.Charge.ID || d.Status != "needs_response" ||
			d.DueBy == nil || d.DueBy.Format(time.RFC3339) != "2014-12-07T23:59:59Z" || len(d.Fees) != 1 {
			t.Fatalf("a 2014-11-05 dispute: %s", c.Get("/v1/disputes/"+id).Raw)
		}

		e.Clock.Advance(time.Minute)
		current := testenv.StripeEvent("evt_new_version", "charge.dispute.updated", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now())
		testenv.StripeDisputeOf(current)["evidence"] = map[string]any{"uncategorized_text": "Delivered and used."}
		if got := providerDataStripe(t, e, current); got != id {
			t.Fatalf("the current version's event went to %s, not %s", got, id)
		}
		d = providerDataDispute(t, c, id)
		if providerDataText(d.ProviderDisputeID) != "dp_1QStripe0001" || d.Evidence["uncategorized_text"] != "Delivered and used." {
			t.Fatalf("after an event of the current version: %s", c.Get("/v1/disputes/"+id).Raw)
		}
		if n := len(testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes"), http.StatusOK).Data); n != 1 {
			t.Fatalf("%d disputes for one case", n)
		}
	})
}

func TestPayPalReviewAndRefundedAmount(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	testenv.EachWith(t, testenv.Options{Providers: signer.Providers()}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		e.PayPalProvider("", "")
		// send delivers one of the adapter's sample notifications, its sample seller transaction
		// replaced by ref, and returns the dispute it concerned.
		send := func(file, sample, ref string) string {
			body := []byte(strings.ReplaceAll(string(testenv.PayPalPayload(t, file, "")), sample, ref))
			return testenv.Must(e.ReceivePayPal(signer, body))(t).DisputeID
		}
		// sale is a charge through PayPal and the reference PayPal knows it by.
		sale := func(amount int64) (string, string) {
			s := e.Sale(testenv.SaleParams{Amount: amount})
			ref := "PPTXN" + s.Order.ID[len(s.Order.ID)-8:]
			ch := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: s.Order.ID,
				Money: app.Money{Amount: &amount, Currency: "USD"}, Provider: "paypal", ProviderReference: ref}))(t)
			return ch.Transaction.ID, ref
		}
		withdrawn := func(charge string) int64 {
			return testenv.Want[httpapi.Transaction](t, c.Get("/v1/transactions/"+charge), http.StatusOK).AmountWithdrawn
		}

		// UNDER_REVIEW without a life-cycle stage: PayPal reviews, nobody asks the merchant, and
		// its due date passing does not lose the case.
		charge, ref := sale(12000)
		id := send("chargeback_under_review_no_stage.json", "7PV35562FB0361729", ref)
		submittedPage, err := e.App.Events(e.Ctx, testenv.Admin, store.EventFilter{Type: "dispute.submitted", DisputeID: id, Page: store.Page{Limit: 100}})
		submitted := submittedPage.Rows
		if err != nil {
			t.Fatal(err)
		}
		if d := providerDataDispute(t, c, id); d.Status != "under_review" || providerDataText(d.TransactionID) != charge || len(submitted) != 0 {
			t.Fatalf("UNDER_REVIEW without a stage (opened under review, nothing submitted): %d submitted, %s", len(submitted), c.Get("/v1/disputes/"+id).Raw)
		}
		e.Advance(30 * 24 * time.Hour)
		if d := providerDataDispute(t, c, id); d.Status != "under_review" || withdrawn(charge) != 0 {
			t.Fatalf("past the due date while PayPal reviews: withdrawn %d, %s", withdrawn(charge), c.Get("/v1/disputes/"+id).Raw)
		}

		// Resolved for the buyer with a partial refund: the loss is what PayPal refunded.
		charge, ref = sale(8000)
		d := providerDataDispute(t, c, send("chargeback_resolved_partial_refund.json", "9RK52113HM4087306", ref))
		if got := withdrawn(charge); d.Status != "lost" || d.Amount != 8000 || got != 3000 {
			t.Fatalf("lost with 30.00 refunded of 80.00: withdrawn %d, dispute %s", got, c.Get("/v1/disputes/"+d.ID).Raw)
		}
	})
}

// providerDataText is an optional field's value, "" when it is null.
func providerDataText(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
