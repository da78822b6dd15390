package app_test

import (
	"strings"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestStripeWarningsWithoutAnAmountAreAccepted: an early fraud warning names its charge but no
// amount. Arriving after the charge's chargeback (webhooks come in any order), it opens an
// alert, unmatched, for the charge's amount; about a charge not recorded yet, it is kept without
// a dispute, and the next event about the warning opens it once the charge is recorded. Before,
// both were refused with 422 for ever, and Stripe would have retried them for days.
func TestStripeWarningsWithoutAnAmountAreAccepted(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StreamProviders()
		st := testenv.NewStream(e.Clock.Now())
		receive := func(n testenv.Notification) testenv.EventResult { return testenv.Must(e.Receive(n))(t) }
		disputes := func() int {
			return len(testenv.Must(e.Store.ListDisputes(e.Ctx, store.DisputeFilter{Page: store.Page{Limit: 100}}))(t))
		}

		c := e.StreamSale()
		cb := receive(st.StripeDispute("charge.dispute.created", "needs_response", "dp_first", c))
		late := receive(st.StripeWarning("radar.early_fraud_warning.created", "issfr_late", c))
		a := e.Reload(dispute.Dispute{ID: late.DisputeID})
		if a.Type != dispute.Alert || a.Amount != 4999 || a.Currency != "USD" || a.TransactionID != "" ||
			!strings.Contains(late.Outcome, "unmatched") {
			t.Fatalf("a warning after the chargeback: %+v\nalert: %+v", late, a)
		}
		if o := e.Reload(dispute.Dispute{ID: cb.DisputeID}); o.Status != dispute.NeedsResponse {
			t.Fatalf("the chargeback after the late warning: %s", o.Status)
		}

		before := disputes()
		unknown := testenv.StreamCharge{Ref: "ch_recorded_later", Amount: 4999}
		early := receive(st.StripeWarning("radar.early_fraud_warning.created", "issfr_early", unknown))
		if early.DisputeID != "" || !strings.HasPrefix(early.Outcome, "kept, not applied") {
			t.Fatalf("a warning about a charge not recorded: %+v", early)
		}
		if n := disputes(); n != before {
			t.Fatalf("%d disputes after the warning about an unknown charge, want %d", n, before)
		}

		ch := e.ProviderSale("stripe", unknown.Ref, "USD", 4999).Charge
		next := receive(st.StripeWarning("radar.early_fraud_warning.updated", "issfr_early", unknown))
		w := e.Reload(dispute.Dispute{ID: next.DisputeID})
		if w.Type != dispute.Alert || w.TransactionID != ch.ID || w.Amount != 4999 || w.ProviderDisputeID != "issfr_early" {
			t.Fatalf("the warning once its charge is recorded: %+v\n%+v", next, w)
		}
	})
}
