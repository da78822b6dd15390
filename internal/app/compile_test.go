package app_test

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/notify/smtptest"
	"disputed/internal/order"
	"disputed/internal/reasoncode"
	"disputed/internal/testenv"
)

// compileSale is a sale of a digital service bought from a known IP and billing address, whose
// customer used the service after buying it.
func compileSale(t *testing.T, e *testenv.Env) testenv.Sale {
	t.Helper()
	testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{MerchantName: ptrTo("Acme Hosting"), Profile: app.ProfileParams{
		RefundPolicy: ptrTo("Refunds within 14 days of purchase."), RefundPolicyDisclosure: ptrTo("A checkbox at checkout."),
		CancellationPolicy: ptrTo("Cancel any time before renewal.")}}))(t)
	c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "ada@example.com", Name: "Ada Lovelace"}))(t)
	amount := int64(4900)
	o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
		Items:    []app.ItemParams{{Description: "VPS S", Amount: &amount, Quantity: 1, Line: &order.LineSpec{Panel: "manual", ExternalID: "vps-1"}}},
		Purchase: order.PurchaseContext{AccountID: "acct-42", BillingAddress: order.Address{Line1: "1 Main St", City: "Springfield", Country: "US"}}}))(t)
	done := testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
	ch := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
		Money: app.Money{Amount: &amount, Currency: "USD"}, Provider: "stripe", ProviderReference: "ch_" + o.Order.ID,
		Purchase: order.PurchaseContext{CustomerIP: "203.0.113.7", CardNetwork: "visa", CardLast4: "4242"}}))(t)
	e.Clock.Advance(3 * time.Hour)
	now := e.Clock.Now()
	for _, ago := range []time.Duration{2 * time.Hour, time.Hour} {
		testenv.Must(e.App.RecordActivity(e.Ctx, testenv.Admin, done.Lines[0].ID, order.ActivityReport{Kind: "sign_in", IP: "203.0.113.7",
			At: now.Add(-ago)}))(t)
	}
	return testenv.Sale{Customer: c, Order: done.Order, Lines: done.Lines, Charge: ch.Transaction}
}

func ptrTo[T any](v T) *T { return &v }

// compiledOnceSettled runs the jobs a dispute's opening scheduled, checks that its evidence did
// not compile at once, and lets the compile run once its facts have settled (app.CompileSettle).
func compiledOnceSettled(t *testing.T, e *testenv.Env, d dispute.Dispute) dispute.Dispute {
	t.Helper()
	e.RunJobs()
	if d = e.Reload(d); len(d.EvidenceSources) != 0 {
		t.Fatalf("compiled before its facts settled: %v", d.EvidenceSources)
	}
	e.Advance(app.CompileSettle)
	return e.Reload(d)
}

func completeness(d dispute.Dispute) int {
	c := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
	return checklist.Evaluate(checklist.Category(c, d.Reason), checklist.DefaultProductType, d.Evidence, d.EvidenceSources).Completeness
}

func TestCompileOnOpenFillsWhatDisputedKnows(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := compileSale(t, e)
		d := e.Dispute(s, "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
		before := completeness(d)
		d = compiledOnceSettled(t, e, d)
		want := map[string]string{
			"customer_name": "Ada Lovelace", "customer_email_address": "ada@example.com", "customer_purchase_ip": "203.0.113.7",
			"billing_address": "1 Main St, Springfield, US",
		}
		for field, v := range want {
			if d.Evidence[field] != v {
				t.Errorf("%s = %q, want %q", field, d.Evidence[field], v)
			}
		}
		if !strings.Contains(d.Evidence["access_activity_log"], "2 uses of the service") {
			t.Errorf("access_activity_log = %q", d.Evidence["access_activity_log"])
		}
		if d.EvidenceSources["customer_purchase_ip"] != "charge "+s.Charge.ID || d.EvidenceSources["billing_address"] != "order "+s.Order.ID {
			t.Errorf("sources %v", d.EvidenceSources)
		}
		after := completeness(d)
		if after <= before {
			t.Errorf("completeness %d before compiling, %d after", before, after)
		}
		t.Logf("fraudulent, digital service: completeness %d → %d", before, after)
	})
}

func TestCompileNeverOverwritesAPerson(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := compileSale(t, e)
		d := compiledOnceSettled(t, e, e.Dispute(s, "chargeback", func(p *app.DisputeParams) { p.Reason = "subscription_canceled" }))
		policy := d.Evidence["cancellation_policy"]
		if !dispute.IsItemRef("cancellation_policy", policy) || d.EvidenceSources["cancellation_policy"] != "settings" {
			t.Fatalf("cancellation_policy = %q from %q, want a compiled file", policy, d.EvidenceSources["cancellation_policy"])
		}
		_, pdf, err := e.Store.GetEvidenceFile(e.Ctx, policy)
		if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
			t.Fatalf("the compiled policy is not a PDF: %v %.10q", err, pdf)
		}
		d = testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, d.ID, d.Revision, app.UpdateDisputeParams{
			UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"customer_name": "Ada L."}}}))(t)
		items := d.EvidenceItems
		again := testenv.Must(e.App.CompileEvidence(e.Ctx, testenv.Admin, d.ID, nil))(t)
		if again.Evidence["customer_name"] != "Ada L." || again.EvidenceSources["customer_name"] != "" {
			t.Errorf("a person's customer_name became %q (source %q)", again.Evidence["customer_name"], again.EvidenceSources["customer_name"])
		}
		if again.Revision != d.Revision || again.EvidenceItems != items || again.Evidence["cancellation_policy"] != policy {
			t.Errorf("compiling again with nothing new changed the dispute: revision %d → %d, items %d → %d", d.Revision, again.Revision, items, again.EvidenceItems)
		}
		// A changed policy is a new document.
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{Profile: app.ProfileParams{CancellationPolicy: ptrTo("Cancel within 30 days.")}}))(t)
		changed := testenv.Must(e.App.CompileEvidence(e.Ctx, testenv.Admin, d.ID, nil))(t)
		if changed.Evidence["cancellation_policy"] == policy || changed.EvidenceItems != items+1 {
			t.Errorf("the changed policy: %q, %d items", changed.Evidence["cancellation_policy"], changed.EvidenceItems)
		}
	})
}

func TestCompileWaitsWhenTheMerchantCompilesByHand(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := compileSale(t, e)
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{Profile: app.ProfileParams{CompileOnOpen: ptrTo(false)}}))(t)
		d := e.Dispute(s, "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
		e.RunJobs()
		if d = e.Reload(d); len(d.EvidenceSources) != 0 {
			t.Errorf("compiled on open although the merchant compiles by hand: %v", d.EvidenceSources)
		}
		alert := e.Dispute(compileSale(t, e), "alert")
		if _, err := e.App.CompileEvidence(e.Ctx, testenv.Admin, alert.ID, nil); err == nil {
			t.Error("an alert's evidence compiled")
		}
	})
}

// TestCompileWaitsForTheOpeningsEmail: the email a dispute's opening sends the customer goes
// after the opening; the compile waits for it, and its communication shows it, compiled once.
func TestCompileWaitsForTheOpeningsEmail(t *testing.T) {
	t.Parallel()
	testenv.EachWithMail(t, nil, func(t *testing.T, e *testenv.Env, _ *smtptest.Server) {
		s := compileSale(t, e)
		opened := e.Dispute(s, "chargeback", func(p *app.DisputeParams) { p.Reason = "subscription_canceled" })
		d := compiledOnceSettled(t, e, opened)
		if d.Revision != opened.Revision+1 {
			t.Errorf("compiled %d times, want once", d.Revision-opened.Revision)
		}
		ref := d.Evidence["customer_communication"]
		if !dispute.IsItemRef("customer_communication", ref) || d.EvidenceSources["customer_communication"] != "emails sent" {
			t.Fatalf("customer_communication = %q from %q, want the compiled email log", ref, d.EvidenceSources["customer_communication"])
		}
		item, pdf, err := e.Store.GetEvidenceFile(e.Ctx, ref)
		if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") || item.Description != "Emails sent to the customer, compiled from emails sent" {
			t.Fatalf("the email log: %q (%v)", item.Description, err)
		}
	})
}

// TestCompileOnOpenWaitsForAPersonToReachTheProvider: a Stripe dispute compiled when it opens does
// not call Stripe by itself (a provider without an API key would collect dead jobs); what it
// compiled goes with the merchant's next staging.
func TestCompileOnOpenWaitsForAPersonToReachTheProvider(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		rec, base := newStripeRecorder(t)
		e.StripeProvider("sk_test_123", base)
		ref := e.Sale(testenv.SaleParams{Amount: 4999}).Charge.ProviderReference
		id := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_c1", "charge.dispute.created", "needs_response", "dp_1QCompile001", ref, e.Clock.Now())))(t).DisputeID
		d := compiledOnceSettled(t, e, dispute.Dispute{ID: id})
		if d.Evidence["customer_name"] == "" || d.EvidenceSources["customer_name"] == "" {
			t.Fatalf("not compiled on open: %v", d.Evidence)
		}
		if uploads, forms := rec.sent(); uploads+forms != 0 {
			t.Fatalf("compiling on open called Stripe %d time(s)", uploads+forms)
		}
		testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, id, d.Revision, app.UpdateDisputeParams{
			UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "Logs attached."}}}))(t)
		e.RunJobs()
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if len(rec.forms) != 1 || rec.forms[0].Get("evidence[customer_name]") != "Ada Lovelace" || rec.forms[0].Get("evidence[uncategorized_text]") != "Logs attached." {
			t.Fatalf("the merchant's staging sent %v", rec.forms)
		}
	})
}
