package app_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/ce3"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// visaFraud opens a Visa 10.4 chargeback on the sale's charge.
func visaFraud(e *testenv.Env, s testenv.Sale) dispute.Dispute {
	e.T.Helper()
	return e.Dispute(s, "chargeback", func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", "10.4" })
}

func priorIDs(v *app.VisaCE3) []string {
	var out []string
	for _, p := range v.Priors {
		out = append(out, p.Transaction.ID)
	}
	return out
}

// TestVisaCE3QualifiesWithTwoUndisputedPriors: the card's two earlier charges in the window that
// match the disputed one qualify it, the more recent first; a charge disputed itself does not
// count, however well it matches.
func TestVisaCE3QualifiesWithTwoUndisputedPriors(t *testing.T) {
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		h := e.VisaCE3History()
		d := visaFraud(e, h.Disputed)
		v := testenv.Must(e.App.VisaCE3(e.Ctx, testenv.Admin, d))(t)
		if v == nil || v.Status != ce3.Qualified || len(v.Missing) != 0 {
			t.Fatalf("%+v, want qualified", v)
		}
		if got, want := priorIDs(v), []string{h.Priors[0].Charge.ID, h.Priors[1].Charge.ID}; !slices.Equal(got, want) {
			t.Fatalf("priors %v, want %v (not the disputed %s)", got, want, h.Charged.Charge.ID)
		}
		p := v.Priors[0]
		all := []string{ce3.ElementIP, ce3.ElementDevice, ce3.ElementShipping, ce3.ElementEmail, ce3.ElementAccountID}
		if p.AgeDays != 150 || !slices.Equal(p.Matching, all) {
			t.Errorf("first prior: %d days, matching %v", p.AgeDays, p.Matching)
		}
		ev := v.Evidence
		if ev == nil || ev.MerchandiseOrServices != "services" || len(ev.Prior) != 2 || ev.Prior[1].Charge != h.Priors[1].Charge.ProviderReference {
			t.Fatalf("evidence %+v", ev)
		}
		got := ev.Disputed
		if got.CustomerPurchaseIP != "203.0.113.7" || got.CustomerAccountID != "acct-42" || got.CustomerEmail != h.Disputed.Customer.Email ||
			got.ProductDescription != "VPS M, monthly" || got.ShippingAddress == nil || got.ShippingAddress.PostalCode != "62701" || got.Charge != "" {
			t.Errorf("disputed transaction %+v (the order's address and account, the charge's IP, the customer's email)", got)
		}
	})
}

// TestVisaCE3SaysWhatIsMissing: a disputed charge recorded without its IP or device, on a card
// with one matching charge, needs both; an address without its city is not sent.
func TestVisaCE3SaysWhatIsMissing(t *testing.T) {
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "zoe@example.com"}))(t)
		e.SaleAt(c, 200, "Hosting", testenv.CE3Context)
		bare := testenv.CE3Context
		bare.CustomerIP, bare.DeviceID = "", ""
		d := visaFraud(e, e.SaleAt(c, 0, "Hosting", bare))
		v := testenv.Must(e.App.VisaCE3(e.Ctx, testenv.Admin, d))(t)
		want := []string{ce3.MissingCustomerIdentifiers, ce3.MissingPriorUndisputedTransactions}
		if v == nil || v.Status != ce3.RequiresAction || !slices.Equal(v.Missing, want) || v.Evidence != nil {
			t.Fatalf("%+v, want requires_action missing %v and nothing to send", v, want)
		}
	})
}

// TestVisaCE3OnlyForVisaTenFour: a Mastercard fraud chargeback and a Visa 10.5 on the same history
// are not_qualified, with nothing missing and no prior charge; an alert has no standing at all,
// and a buyer never sees it.
func TestVisaCE3OnlyForVisaTenFour(t *testing.T) {
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		h := e.VisaCE3History()
		for _, code := range []string{"4837", "10.5"} {
			d := e.Dispute(h.Disputed, "chargeback", func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", code })
			if v := testenv.Must(e.App.VisaCE3(e.Ctx, testenv.Admin, d))(t); v == nil || v.Status != ce3.NotQualified ||
				len(v.Missing) != 0 || len(v.Priors) != 0 || v.Evidence != nil {
				t.Errorf("code %s: %+v, want not_qualified", code, v)
			}
			testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, ""))(t)
		}
		alert := e.Dispute(h.Disputed, "alert", func(p *app.DisputeParams) { p.AlertType, p.NetworkReasonCode = "tc40", "10.4" })
		if v := testenv.Must(e.App.VisaCE3(e.Ctx, testenv.Admin, alert))(t); v != nil {
			t.Errorf("alert: %+v, want none", v)
		}
		d := dispute.Dispute{Type: dispute.Chargeback, NetworkReasonCode: "10.4", TransactionID: h.Disputed.Charge.ID}
		if v := testenv.Must(e.App.VisaCE3(e.Ctx, actor.Key("key_buyer", actor.Buyer, h.Disputed.Customer.ID), d))(t); v != nil {
			t.Errorf("a buyer sees %+v", v)
		}
	})
}

// TestVisaCE3ReachesStripe: a Visa 10.4 dispute from Stripe that qualifies sends the two prior
// charges as its enhanced evidence with the evidence the merchant submits.
func TestVisaCE3ReachesStripe(t *testing.T) {
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		fake := testenv.StartStripeAPI(t)
		e.StripeProvider("sk_test_123", fake.URL)
		h := e.VisaCE3History()
		r := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_ce3", "charge.dispute.created", "needs_response", "dp_1QCE3",
			h.Disputed.Charge.ProviderReference, e.Clock.Now())))(t)
		d := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, r.DisputeID))(t)
		d = testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "see the CE 3.0 data"}}))(t)
		testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, nil))(t)
		e.RunJobs()
		forms := fake.Forms()
		if len(forms) == 0 {
			t.Fatal("nothing reached Stripe")
		}
		const base = "evidence[enhanced_evidence][visa_compelling_evidence_3]"
		want := url.Values{
			base + "[disputed_transaction][customer_purchase_ip]":               {"203.0.113.7"},
			base + "[disputed_transaction][merchandise_or_services]":            {"services"},
			base + "[disputed_transaction][shipping_address][city]":             {"Springfield"},
			base + "[prior_undisputed_transactions][0][charge]":                 {h.Priors[0].Charge.ProviderReference},
			base + "[prior_undisputed_transactions][1][charge]":                 {h.Priors[1].Charge.ProviderReference},
			base + "[prior_undisputed_transactions][1][customer_device_id]":     {testenv.CE3Context.DeviceID},
			base + "[prior_undisputed_transactions][0][customer_email_address]": {h.Disputed.Customer.Email},
		}
		last := forms[len(forms)-1]
		for k, v := range want {
			if !slices.Equal(last[k], v) {
				t.Errorf("%s = %q, want %q", k, last[k], v)
			}
		}
		if notes := pushNotes(e, d.ID, "pushed_to_provider"); len(notes) == 0 || !strings.HasSuffix(notes[len(notes)-1], "with Visa Compelling Evidence 3.0") {
			t.Errorf("timeline: %q", notes)
		}
	})
}

// TestVisaCE3NotSentWithoutQualifying: the same dispute on a card without history sends no
// enhanced evidence.
func TestVisaCE3NotSentWithoutQualifying(t *testing.T) {
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		fake := testenv.StartStripeAPI(t)
		e.StripeProvider("sk_test_123", fake.URL)
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "new@example.com"}))(t)
		s := e.SaleAt(c, 0, "Hosting", order.PurchaseContext{CardFingerprint: "fp_new"})
		r := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_new", "charge.dispute.created", "needs_response", "dp_1QNew",
			s.Charge.ProviderReference, e.Clock.Now())))(t)
		d := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, r.DisputeID))(t)
		testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "a new customer"}}))(t)
		testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, nil))(t)
		e.RunJobs()
		for _, f := range fake.Forms() {
			for k := range f {
				if strings.Contains(k, "enhanced_evidence") {
					t.Fatalf("sent %s without qualifying", k)
				}
			}
		}
		if len(fake.Forms()) == 0 {
			t.Fatal("nothing reached Stripe")
		}
	})
}
