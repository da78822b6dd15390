package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/provider/stripe/stripemock"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// refundAlert asks for the refund of an alert through its provider.
func refundAlert(e *testenv.Env, id string) error {
	_, err := e.App.RefundDispute(e.Ctx, testenv.Admin, id, "")
	return err
}

// refundsOf are the refunds recorded of a charge, oldest first.
func refundsOf(e *testenv.Env, chargeID string) []order.Transaction {
	e.T.Helper()
	return charge(e, chargeID).Refunds
}

// TestAlertRefundedThroughStripe: an Ethoca alert is refunded through Stripe (stripe-mock, which
// checks the request's shape) before its 24-hour window ends: the refund is recorded once, with
// Stripe's re_… id, and the alert resolves issued_full_refund; the same refund reported again
// records nothing.
func TestAlertRefundedThroughStripe(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("sk_test_123", stripemock.Start(t))
		s := e.Sale(testenv.SaleParams{Amount: 4999})
		d := e.Dispute(s, "alert")
		if want := d.HappenedAt.Add(24 * time.Hour); !d.DueBy.Equal(want) {
			t.Fatalf("due_by %v, want the Ethoca window's end %v", d.DueBy, want)
		}
		testenv.Must(e.App.RefundDispute(e.Ctx, testenv.Admin, d.ID, "customer does not recognise it"))(t)
		if got := e.Reload(d); got.Status != dispute.Open || len(refundsOf(e, s.Charge.ID)) != 0 {
			t.Fatalf("before the job ran: %s, %d refunds", got.Status, len(refundsOf(e, s.Charge.ID)))
		}
		e.RunJobs()

		refunds := refundsOf(e, s.Charge.ID)
		if len(refunds) != 1 || refunds[0].Amount != 4999 || !strings.HasPrefix(refunds[0].ProviderReference, "re_") ||
			refunds[0].Provider != "stripe" || refunds[0].DisputeID != d.ID || refunds[0].External {
			t.Fatalf("refunds = %+v, want one of 4999 with Stripe's re_ id", refunds)
		}
		got := e.Reload(d)
		if got.Status != dispute.Resolved || got.Resolution != dispute.IssuedFullRefund {
			t.Fatalf("alert %s %s, want resolved issued_full_refund", got.Status, got.Resolution)
		}
		if notes := pushNotes(e, d.ID, "refunded_through_provider"); len(notes) != 1 || strings.Contains(notes[0], "late") {
			t.Errorf("timeline: %q", notes)
		}
		if o := orderOf(e, s.Order.ID); o.Order.Status != order.Refunded {
			t.Errorf("order %s, want refunded", o.Order.Status)
		}

		// Stripe's own report of the refund (here through the API, as a shop forwarding it would).
		again := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "refund", ParentID: s.Charge.ID,
			Provider: "stripe", ProviderReference: refunds[0].ProviderReference, IsExternal: true}))(t)
		if again.Transaction.ID != refunds[0].ID || len(refundsOf(e, s.Charge.ID)) != 1 {
			t.Errorf("the refund reported again made %s; refunds %d", again.Transaction.ID, len(refundsOf(e, s.Charge.ID)))
		}
		testenv.WantFault(t, refundAlert(e, d.ID), fault.Conflict, fault.CodeInvalidState)
	})
}

// fakeRefunds is Stripe's refunds endpoint with its idempotency: the same key is answered with
// the same refund. While lose is set, it makes the refund and loses the answer (a 500).
type fakeRefunds struct {
	*httptest.Server
	mu     sync.Mutex
	lose   bool
	refuse bool
	byKey  map[string]string
	keys   []string
}

func startFakeRefunds(t *testing.T) *fakeRefunds {
	f := &fakeRefunds{byKey: map[string]string{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if f.refuse {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"Charge has already been refunded."}}`))
			return
		}
		key := r.Header.Get("Idempotency-Key")
		f.keys = append(f.keys, key)
		id, ok := f.byKey[key]
		if !ok {
			id = fmt.Sprintf("re_fake%d", len(f.byKey)+1)
			f.byKey[key] = id
		}
		if f.lose {
			f.lose = false
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		_, _ = fmt.Fprintf(w, `{"id":%q,"object":"refund","status":"succeeded"}`, id)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeRefunds) made() (refunds int, keys []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.byKey), append([]string(nil), f.keys...)
}

// TestProviderRefundRetried: Stripe made the refund but its answer was lost; the job's retry
// sends the same idempotency key, gets the same refund, and it is recorded once. A charge partly
// refunded before has what is left refunded, and the alert resolves
// issued_refund_for_remaining_amount.
func TestProviderRefundRetried(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		stripe := startFakeRefunds(t)
		e.StripeProvider("sk_test_123", stripe.URL)
		s := e.Sale(testenv.SaleParams{Amount: 4999})
		testenv.Must(0, refund(e, s.Charge.ID, 999))(t)
		d := e.Dispute(s, "alert", func(p *app.DisputeParams) { p.AlertType = "cdrn" })
		stripe.lose = true
		testenv.Must(e.App.RefundDispute(e.Ctx, testenv.Admin, d.ID, ""))(t)
		e.RunJobs()
		if notes := pushNotes(e, d.ID, "provider_refund_failed"); len(notes) != 1 || e.Reload(d).Status != dispute.Open {
			t.Fatalf("after the lost answer: %q, %s", notes, e.Reload(d).Status)
		}
		e.Advance(time.Hour)

		made, keys := stripe.made()
		if made != 1 || len(keys) != 2 || keys[0] != keys[1] {
			t.Fatalf("Stripe made %d refunds for keys %q; want one, asked twice with the same key", made, keys)
		}
		refunds := refundsOf(e, s.Charge.ID)
		if len(refunds) != 2 || refunds[1].Amount != 4000 || refunds[1].ProviderReference != "re_fake1" {
			t.Fatalf("refunds = %+v, want the earlier 999 and the remaining 4000 as re_fake1", refunds)
		}
		if got := e.Reload(d); got.Resolution != dispute.IssuedRefundForRemainingAmount {
			t.Errorf("resolution %s, want issued_refund_for_remaining_amount", got.Resolution)
		}
	})
}

// TestProviderRefundRefused: a refund the provider refuses for good leaves the alert open, says
// so on its timeline and parks the job; a refund that cannot be made through the provider is
// refused before anything is scheduled.
func TestProviderRefundRefused(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		stripe := startFakeRefunds(t)
		stripe.refuse = true
		e.StripeProvider("sk_test_123", stripe.URL)
		s := e.Sale(testenv.SaleParams{})
		d := e.Dispute(s, "alert")
		testenv.Must(e.App.RefundDispute(e.Ctx, testenv.Admin, d.ID, ""))(t)
		e.RunJobs()
		notes := pushNotes(e, d.ID, "provider_refund_failed")
		if len(notes) != 1 || !strings.Contains(notes[0], "failed for good") || !strings.Contains(notes[0], "charge_already_refunded") {
			t.Fatalf("timeline: %q", notes)
		}
		if dead := jobsOf(t, e, store.JobFilter{State: "dead", Page: store.Page{Limit: 10}}); len(dead) != 1 || dead[0].Kind != app.KindProviderRefund {
			t.Errorf("dead jobs: %+v", dead)
		}
		if e.Reload(d).Status != dispute.Open || len(refundsOf(e, s.Charge.ID)) != 0 {
			t.Error("a refused refund moved the alert or recorded money")
		}

		elsewhere := e.ProviderSale("shopify", "gid-1", "USD", 1500)
		alert := e.Dispute(elsewhere, "alert")
		fe := testenv.WantFault(t, refundAlert(e, alert.ID), fault.Conflict, fault.CodeProviderCannotRefund)
		if fe.Param != "provider" || !strings.Contains(fe.Message, "external") {
			t.Errorf("refusal %+v", fe)
		}
		cb := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback")
		if fe := testenv.WantFault(t, refundAlert(e, cb.ID), fault.Invalid, fault.CodeNotSupportedForType); fe.Param != "type" {
			t.Errorf("refusal %+v", fe)
		}
	})
}

// TestAlertRefundedLate: a refund made after the alert's window ended says so on the timeline.
func TestAlertRefundedLate(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	e.StripeProvider("sk_test_123", startFakeRefunds(t).URL)
	s := e.Sale(testenv.SaleParams{})
	d := e.Dispute(s, "alert")
	e.Clock.Advance(30 * time.Hour)
	testenv.Must(e.App.RefundDispute(e.Ctx, testenv.Admin, d.ID, ""))(t)
	e.RunJobs()
	if notes := pushNotes(e, d.ID, "refunded_through_provider"); len(notes) != 1 || !strings.Contains(notes[0], "late: 6h0m0s after the alert's refund window ended") {
		t.Fatalf("timeline: %q", notes)
	}
}

// TestAlertRefundWindowSetting: the merchant's windows replace the published ones for the
// alerts opened after; a window of 0 sets none; a bad one is refused naming it.
func TestAlertRefundWindowSetting(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		windows := map[dispute.AlertType]int{dispute.Ethoca: 12, dispute.CDRN: 0}
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{AlertRefundWindows: &windows}))(t)
		ethoca := e.Dispute(e.Sale(testenv.SaleParams{}), "alert")
		if want := ethoca.HappenedAt.Add(12 * time.Hour); !ethoca.DueBy.Equal(want) {
			t.Errorf("ethoca due_by %v, want %v", ethoca.DueBy, want)
		}
		cdrn := e.Dispute(e.Sale(testenv.SaleParams{}), "alert", func(p *app.DisputeParams) { p.AlertType = "cdrn" })
		if !cdrn.DueBy.IsZero() {
			t.Errorf("cdrn due_by %v, want none", cdrn.DueBy)
		}
		bad := map[dispute.AlertType]int{dispute.Ethoca: 1000}
		_, err := e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{AlertRefundWindows: &bad})
		if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue); fe.Param != "alert_refund_windows.ethoca" {
			t.Errorf("refusal %+v", fe)
		}
	})
}

// TestRefundOfDisputedCharge: a refund of a charge an open chargeback disputes would pay twice:
// refused with 409 naming the dispute, unless an admin forces it with a reason, which the
// dispute's timeline keeps. An alert does not block a refund.
func TestRefundOfDisputedCharge(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{})
		cb := e.Dispute(s, "chargeback")
		fe := testenv.WantFault(t, refund(e, s.Charge.ID, 100), fault.Conflict, fault.CodeChargeDisputed)
		if !strings.Contains(fe.Message, cb.ID) {
			t.Errorf("the refusal does not name the dispute: %s", fe.Message)
		}
		_, err := e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "refund", ParentID: s.Charge.ID, Money: app.Money{Amount: minor(100)}})
		testenv.WantFault(t, err, fault.Conflict, fault.CodeChargeDisputed)

		agent := actor.Key("key_agent", actor.Agent, "")
		_, err = e.App.Refund(e.Ctx, agent, s.Charge.ID, app.RefundParams{Force: true, Reason: "agents may not"})
		testenv.WantFault(t, err, fault.Forbidden, fault.CodeForbidden)
		_, err = e.App.Refund(e.Ctx, testenv.Admin, s.Charge.ID, app.RefundParams{Force: true})
		if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeParameterMissing); fe.Param != "reason" {
			t.Errorf("refusal %+v", fe)
		}
		if len(refundsOf(e, s.Charge.ID)) != 0 {
			t.Fatal("a refused refund was recorded")
		}
		r := testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, s.Charge.ID, app.RefundParams{Money: app.Money{Amount: minor(100)},
			Force: true, Reason: "goodwill: the customer was charged twice"}))(t)
		if r.Reason != "goodwill: the customer was charged twice" {
			t.Errorf("refund reason %q", r.Reason)
		}
		if notes := pushNotes(e, cb.ID, "refund_forced"); len(notes) != 1 || !strings.Contains(notes[0], r.ID) || !strings.Contains(notes[0], "goodwill") {
			t.Errorf("timeline: %q", notes)
		}

		alerted := e.Sale(testenv.SaleParams{})
		e.Dispute(alerted, "alert")
		testenv.Must(0, refund(e, alerted.Charge.ID, 100))(t)
	})
}

// refundEvent is Stripe's refund.created for the refund re of amount of the charge ch.
func refundEvent(id, re, ch string, amount int64, at time.Time) map[string]any {
	return map[string]any{"id": id, "object": "event", "api_version": "2024-06-20", "created": at.Unix(), "type": "refund.created",
		"data": map[string]any{"object": map[string]any{"id": re, "object": "refund", "amount": amount, "currency": "usd",
			"charge": ch, "payment_intent": nil, "status": "succeeded"}}}
}

// TestStripeRefundEventRecordedOnce: Stripe's report of the refund the job made, arriving before
// the job records it or after, leaves one refund; a refund made in Stripe's Dashboard is recorded
// as an external refund, once however often it is reported. A lost answer whose refund Stripe
// reported meanwhile is not asked for again: the alert resolves on the reported refund.
func TestStripeRefundEventRecordedOnce(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		stripe := startFakeRefunds(t)
		e.StripeProvider("sk_test_123", stripe.URL)
		now := e.Clock.Now()

		first := e.Sale(testenv.SaleParams{Amount: 4999})
		alert := e.Dispute(first, "alert")
		testenv.Must(e.App.RefundDispute(e.Ctx, testenv.Admin, alert.ID, ""))(t)
		e.RunJobs() // re_fake1
		for i := range 2 {
			testenv.Must(e.SendStripe(refundEvent(fmt.Sprintf("evt_after%d", i), "re_fake1", first.Charge.ProviderReference, 4999, now)))(t)
		}
		if refunds := refundsOf(e, first.Charge.ID); len(refunds) != 1 || refunds[0].External {
			t.Fatalf("after Stripe's reports: %+v, want the job's one refund", refunds)
		}

		dashboard := e.Sale(testenv.SaleParams{Amount: 2000})
		for i := range 2 {
			testenv.Must(e.SendStripe(refundEvent(fmt.Sprintf("evt_dash%d", i), "re_dashboard", dashboard.Charge.ProviderReference, 500, now)))(t)
		}
		if refunds := refundsOf(e, dashboard.Charge.ID); len(refunds) != 1 || !refunds[0].External || refunds[0].ProviderReference != "re_dashboard" || refunds[0].Amount != 500 {
			t.Fatalf("a Dashboard refund: %+v, want one external refund of 500", refunds)
		}

		lost := e.Sale(testenv.SaleParams{Amount: 3000})
		alert = e.Dispute(lost, "alert")
		stripe.lose = true
		testenv.Must(e.App.RefundDispute(e.Ctx, testenv.Admin, alert.ID, ""))(t)
		e.RunJobs() // Stripe made re_fake2, the answer was lost
		testenv.Must(e.SendStripe(refundEvent("evt_lost", "re_fake2", lost.Charge.ProviderReference, 3000, now)))(t)
		e.Advance(time.Hour)
		if _, keys := stripe.made(); len(keys) != 2 {
			t.Errorf("Stripe was asked %d times in all, want twice (the first alert, and the lost answer's once)", len(keys))
		}
		if refunds := refundsOf(e, lost.Charge.ID); len(refunds) != 1 || refunds[0].ProviderReference != "re_fake2" {
			t.Fatalf("refunds %+v, want Stripe's reported one", refunds)
		}
		if d := e.Reload(alert); d.Resolution != dispute.IssuedFullRefund {
			t.Errorf("alert %s %s, want issued_full_refund", d.Status, d.Resolution)
		}
	})
}
