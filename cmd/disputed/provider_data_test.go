package main

import (
	"disputed/internal/testenv/browsertest"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
)

// The provider data a webhook carries besides the status: Stripe's fees, the evidence Stripe
// holds and its submission count, Stripe's payloads of old API versions, PayPal's review
// without a life-cycle stage and the amount PayPal refunded.

// stripeObject is the dispute object inside a stripeEvent, for a test to change.
func stripeObject(ev map[string]any) map[string]any {
	return ev["data"].(map[string]any)["object"].(map[string]any)
}

// stripeBalance is a balance transaction of a dispute with its one fee, as Stripe expands it.
func stripeBalance(id string, amount, fee int64, description string) map[string]any {
	return map[string]any{"id": id, "object": "balance_transaction", "amount": amount, "currency": "usd", "fee": fee,
		"net": amount - fee, "type": "adjustment", "reporting_category": "dispute", "status": "pending",
		"fee_details": []any{map[string]any{"amount": fee, "application": nil, "currency": "usd", "description": description, "type": "stripe_fee"}}}
}

func TestStripeFeesEvidenceAndSubmissionCount(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c := providerServer(t, db, "")
		customer, _, charge := s.sale(4999, "usd")
		ref := s.get("/v1/transactions/" + charge).str("provider_reference")
		withdrawal := stripeBalance("txn_1QWithdrawal", -4999, 1500, "Dispute fee")

		// The merchant had staged evidence on Stripe's dashboard before we heard of the case.
		created := stripeEvent("evt_fee_1", "charge.dispute.created", "needs_response", ref, c.Now())
		obj := stripeObject(created)
		obj["balance_transactions"] = []any{withdrawal}
		obj["evidence"] = map[string]any{"customer_email_address": "ada@example.com", "receipt": "file_1QReceipt",
			"customer_name": nil, "enhanced_evidence": map[string]any{"visa_compelling_evidence_3": map[string]any{}}}
		obj["evidence_details"].(map[string]any)["has_evidence"] = true
		r := postStripe(s, c, created, stripeSecret)
		want(t, r, 200)
		id := r.str("dispute_id")
		d := s.get("/v1/disputes/" + id)
		fees := d.objs("fees")
		if len(fees) != 1 || fees[0]["amount"] != float64(1500) || fees[0]["amount_decimal"] != "15.00" || fees[0]["currency"] != "USD" ||
			fees[0]["description"] != "Dispute fee" || fees[0]["provider_reference"] != "txn_1QWithdrawal" {
			t.Fatalf("fees: %s", d.raw)
		}
		if d.str("evidence", "customer_email_address") != "ada@example.com" || d.str("evidence", "receipt") != "file_1QReceipt" ||
			d.get("evidence", "customer_name") != nil || d.get("evidence_details", "has_evidence") != true {
			t.Fatalf("the evidence Stripe holds: %s", d.raw)
		}

		// Ours wins over Stripe's; a field only Stripe has is kept.
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"),
			"evidence": map[string]any{"customer_email_address": "ours@example.com"}}), 200)
		c.Advance(time.Minute)
		updated := stripeEvent("evt_fee_2", "charge.dispute.updated", "under_review", ref, c.Now())
		obj = stripeObject(updated)
		obj["balance_transactions"] = []any{withdrawal}
		obj["evidence"] = map[string]any{"customer_email_address": "ada@example.com", "product_description": "IPTV 12 months"}
		obj["evidence_details"].(map[string]any)["submission_count"] = 2 // submitted twice on Stripe's dashboard
		want(t, postStripe(s, c, updated, stripeSecret), 200)
		d = s.get("/v1/disputes/" + id)
		if d.str("status") != "under_review" || d.num("evidence_details", "submission_count") != 2 ||
			d.str("evidence", "customer_email_address") != "ours@example.com" || d.str("evidence", "product_description") != "IPTV 12 months" {
			t.Fatalf("after Stripe's update: %s", d.raw)
		}
		if n := len(d.objs("fees")); n != 1 {
			t.Fatalf("the same fee, reported again, counted %d times: %s", n, d.raw)
		}

		// Won: Stripe gives the fee back, on the closing event or after it.
		c.Advance(time.Minute)
		closed := stripeEvent("evt_fee_3", "charge.dispute.closed", "won", ref, c.Now())
		stripeObject(closed)["balance_transactions"] = []any{withdrawal}
		want(t, postStripe(s, c, closed, stripeSecret), 200)
		c.Advance(time.Minute)
		reinstated := stripeEvent("evt_fee_4", "charge.dispute.funds_reinstated", "won", ref, c.Now())
		stripeObject(reinstated)["balance_transactions"] = []any{withdrawal, stripeBalance("txn_1QReversal", 4999, -1500, "Dispute fee refund")}
		want(t, postStripe(s, c, reinstated, stripeSecret), 200)
		d = s.get("/v1/disputes/" + id)
		fees = d.objs("fees")
		if d.str("status") != "won" || len(fees) != 2 || fees[1]["amount"] != float64(-1500) || fees[1]["amount_decimal"] != "-15.00" ||
			fees[1]["description"] != "Dispute fee refund" || fees[1]["provider_reference"] != "txn_1QReversal" {
			t.Fatalf("after the decision: %s", d.raw)
		}

		// The buyer sees neither what Stripe charged the merchant nor the merchant's evidence.
		buyer := s.as(s.newKey(actor.Buyer, customer)).get("/v1/disputes/" + id)
		if len(buyer.objs("fees")) != 0 || strings.Contains(string(buyer.raw), "IPTV") || buyer.get("evidence_details", "has_evidence") != false {
			t.Fatalf("the buyer's view: %s", buyer.raw)
		}

		// The dispute page says what Stripe charged and gave back.
		status, page, _ := s.adminForms(t, actor.Admin).get("/disputes/" + id)
		if status != 200 || !strings.Contains(page, "15.00 USD (Stripe dispute fee); -15.00 USD (Stripe dispute fee refund)") {
			t.Fatalf("dispute page %d does not show the fees:\n%s", status, page)
		}
	})
}

// TestStripeOldAPIVersions reads payloads of API versions before 2015-10-01: a dispute without an
// id (its charge names it), evidence as one string, evidence_due_by. A later event of a current
// version, with the dispute's id, finds the same case.
func TestStripeOldAPIVersions(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c := providerServer(t, db, "")
		_, _, charge := s.sale(1000, "usd")
		ref := s.get("/v1/transactions/" + charge).str("provider_reference")
		body, err := os.ReadFile("../../internal/provider/stripe/testdata/charge.dispute.created.2014-11-05.json")
		if err != nil {
			t.Fatal(err)
		}
		var old map[string]any
		if err := json.Unmarshal([]byte(strings.ReplaceAll(string(body), "ch_14xQ1a2eZvKYlo2CkR3sT0Vw", ref)), &old); err != nil {
			t.Fatal(err)
		}
		old["created"] = c.Now().Unix()
		r := postStripe(s, c, old, stripeSecret)
		want(t, r, 200)
		id := r.str("dispute_id")
		d := s.get("/v1/disputes/" + id)
		if d.str("provider_dispute_id") != ref || d.str("transaction_id") != charge || d.str("status") != "needs_response" ||
			d.str("due_by") != "2014-12-07T23:59:59Z" || len(d.objs("fees")) != 1 {
			t.Fatalf("a 2014-11-05 dispute: %s", d.raw)
		}

		c.Advance(time.Minute)
		current := stripeEvent("evt_new_version", "charge.dispute.updated", "needs_response", ref, c.Now())
		stripeObject(current)["evidence"] = map[string]any{"uncategorized_text": "Delivered and used."}
		r = postStripe(s, c, current, stripeSecret)
		want(t, r, 200)
		if r.str("dispute_id") != id {
			t.Fatalf("the current version's event went to %s, not %s", r.str("dispute_id"), id)
		}
		d = s.get("/v1/disputes/" + id)
		if d.str("provider_dispute_id") != "dp_1QStripe0001" || d.str("evidence", "uncategorized_text") != "Delivered and used." {
			t.Fatalf("after an event of the current version: %s", d.raw)
		}
		if n := len(s.get("/v1/disputes").list()); n != 1 {
			t.Fatalf("%d disputes for one case", n)
		}
	})
}

func TestPayPalReviewAndRefundedAmount(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c, signer := payPalServer(t, db)
		sale := func(amount int64) (string, string) {
			cus := s.post("/v1/customers", map[string]any{"email": "pp" + time.Now().Format("150405.000000") + "@example.com"}).str("id")
			ord := s.post("/v1/orders", map[string]any{"customer_id": cus, "currency": "USD",
				"items": []any{map[string]any{"description": "VPS", "amount": amount}}}).str("id")
			want(t, s.post("/v1/orders/"+ord+"/complete", nil), 200)
			ref := "PPTXN" + ord[len(ord)-8:]
			ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": amount, "currency": "USD", "order_id": ord,
				"provider": "paypal", "provider_reference": ref})
			want(t, ch, 201)
			return ch.str("id"), ref
		}

		// UNDER_REVIEW without a life-cycle stage: PayPal reviews, nobody asks the merchant, and
		// its due date passing does not lose the case.
		charge, ref := sale(12000)
		body := strings.ReplaceAll(string(payPalPayload(t, "chargeback_under_review_no_stage.json", "")), "7PV35562FB0361729", ref)
		r := signer.post(t, s, c.Now(), "WH-1AB23456", []byte(body))
		want(t, r, 200)
		id := r.str("dispute_id")
		d := s.get("/v1/disputes/" + id)
		if d.str("status") != "under_review" || d.str("transaction_id") != charge || countEvents(s, id, "dispute.submitted") != 0 {
			t.Fatalf("UNDER_REVIEW without a stage (opened under review, nothing submitted): %s", d.raw)
		}
		c.Advance(30 * 24 * time.Hour)
		s.runJobs()
		if d := s.get("/v1/disputes/" + id); d.str("status") != "under_review" || s.get("/v1/transactions/"+charge).num("amount_withdrawn") != 0 {
			t.Fatalf("past the due date while PayPal reviews: %s", d.raw)
		}

		// Resolved for the buyer with a partial refund: the loss is what PayPal refunded.
		charge, ref = sale(8000)
		body = strings.ReplaceAll(string(payPalPayload(t, "chargeback_resolved_partial_refund.json", "")), "9RK52113HM4087306", ref)
		r = signer.post(t, s, c.Now(), "WH-1AB23456", []byte(body))
		want(t, r, 200)
		d = s.get("/v1/disputes/" + r.str("dispute_id"))
		ch := s.get("/v1/transactions/" + charge)
		if d.str("status") != "lost" || d.num("amount") != 8000 || ch.num("amount_withdrawn") != 3000 {
			t.Fatalf("lost with 30.00 refunded of 80.00: withdrawn %d, dispute %s", ch.num("amount_withdrawn"), d.raw)
		}
	})
}

// TestBrowserDisputeShowsProviderFees: an admin sees on the dispute page what Stripe charged for
// the dispute, and the evidence Stripe already holds among the staged fields.
func TestBrowserDisputeShowsProviderFees(t *testing.T) {
	t.Parallel()
	s, ctx := adminBrowser(t)
	want(t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret}), 201)
	_, _, charge := s.sale(4999, "usd")
	ref := s.get("/v1/transactions/" + charge).str("provider_reference")
	created := stripeEvent("evt_page_1", "charge.dispute.created", "needs_response", ref, time.Now())
	obj := stripeObject(created)
	obj["balance_transactions"] = []any{stripeBalance("txn_1QPageFee", -4999, 1500, "Dispute fee")}
	obj["evidence"] = map[string]any{"product_description": "IPTV 12 months, delivered"}
	r := postStripeAt(s, time.Now(), created, stripeSecret)
	want(t, r, 200)

	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+r.str("dispute_id")), chromedp.WaitVisible(chromedp.CSS("#dispute-fees")))
	if got := browsertest.Text(t, ctx, "#dispute-fees"); got != "15.00 USD (Stripe dispute fee)" {
		t.Fatalf("fees on the page: %q", got)
	}
	browsertest.Wait(t, ctx, "#evidence", "IPTV 12 months, delivered")
}
