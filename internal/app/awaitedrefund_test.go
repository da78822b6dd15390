package app_test

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestARefundBeforeItsPaymentIsRecordedWithIt: a refund reported before the payment it refunds
// (providers do not deliver in order) records nothing and says it waits; when the payment comes,
// the refund is recorded against it, once, and the refund's event says what became of it. A
// replay of the refund, and the charge reported again with its refund listed, add nothing. A
// refund of a payment that never comes records nothing.
func TestARefundBeforeItsPaymentIsRecordedWithIt(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		refund := map[string]any{"id": "re_3QEarly1", "object": "refund", "amount": 1500, "currency": "usd", "charge": "ch_3QEarly",
			"payment_intent": "pi_3QEarly", "status": "succeeded", "created": e.Clock.Now().Unix(), "metadata": map[string]any{}}
		refundCreated := map[string]any{"id": "evt_early_refund", "object": "event", "api_version": "2024-06-20", "type": "refund.created",
			"created": e.Clock.Now().Unix(), "data": map[string]any{"object": refund}}
		early := testenv.Must(e.SendStripe(refundCreated))(t)
		if early.State != store.EventApplied || !strings.Contains(early.Outcome, "waits for the payment") || len(transactionsOf(t, e, "ch_3QEarly")) != 0 {
			t.Fatalf("a refund before its payment: %s: %s, %d transactions", early.State, early.Outcome, len(transactionsOf(t, e, "ch_3QEarly")))
		}

		e.Clock.Advance(time.Minute)
		paid := testenv.Must(e.SendStripe(stripeCharge("evt_early_charge", "charge.succeeded", "ch_3QEarly", 4999, nil, e.Clock.Now().Add(-time.Hour), nil)))(t)
		ts := transactionsOf(t, e, "ch_3QEarly")
		if len(ts) != 1 {
			t.Fatalf("%d transactions after the payment (%s)", len(ts), paid.Outcome)
		}
		view := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ts[0].Transaction.ID))(t)
		if len(view.Refunds) != 1 || view.Refunds[0].ProviderReference != "re_3QEarly1" || view.Transaction.AmountRefunded != 1500 {
			t.Fatalf("the refund, once its payment came: %+v, refunded %d (%s)", view.Refunds, view.Transaction.AmountRefunded, paid.Outcome)
		}
		recorded := "refund re_3QEarly1 recorded as " + view.Refunds[0].ID
		if !strings.Contains(paid.Outcome, "event evt_early_refund, reported before it: "+recorded) {
			t.Errorf("the payment's outcome: %s", paid.Outcome)
		}
		stored := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, early.ID))(t)
		if !strings.Contains(stored.Outcome, "waits for the payment") || !strings.Contains(stored.Outcome, "then the payment ch_3QEarly came: "+recorded) {
			t.Errorf("the refund's event, after its payment came: %s", stored.Outcome)
		}

		e.Clock.Advance(time.Minute)
		replay := testenv.Must(e.SendStripe(refundCreated))(t)
		listed := map[string]any{"amount_refunded": 1500, "refunded": false,
			"refunds": map[string]any{"object": "list", "data": []any{refund}, "has_more": false}}
		again := testenv.Must(e.SendStripe(stripeCharge("evt_early_refunded", "charge.refunded", "ch_3QEarly", 4999, nil, e.Clock.Now().Add(-time.Hour), listed)))(t)
		view = testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ts[0].Transaction.ID))(t)
		if !replay.Duplicate || len(view.Refunds) != 1 || view.Transaction.AmountRefunded != 1500 || !strings.Contains(again.Outcome, "recorded before as "+view.Refunds[0].ID) {
			t.Fatalf("after a replay and the charge with its refund: %+v, refunded %d (%s)", view.Refunds, view.Transaction.AmountRefunded, again.Outcome)
		}

		never := testenv.Must(e.SendStripe(map[string]any{"id": "evt_never", "object": "event", "api_version": "2024-06-20", "type": "refund.created",
			"created": e.Clock.Now().Unix(), "data": map[string]any{"object": map[string]any{"id": "re_3QNever1", "object": "refund", "amount": 700,
				"currency": "usd", "charge": "ch_3QNever", "status": "succeeded", "created": e.Clock.Now().Unix()}}}))(t)
		other := testenv.Must(e.SendStripe(stripeCharge("evt_other_charge", "charge.succeeded", "ch_3QOther", 700, nil, e.Clock.Now(), nil)))(t)
		if len(transactionsOf(t, e, "re_3QNever1")) != 0 || strings.Contains(other.Outcome, "reported before") ||
			!strings.Contains(never.Outcome, "waits for the payment") {
			t.Errorf("a refund whose payment never comes: %s; another payment: %s", never.Outcome, other.Outcome)
		}
	})
}

// TestAPayPalRefundBeforeItsCapture: PAYMENT.CAPTURE.REFUNDED delivered before the capture's
// PAYMENT.CAPTURE.COMPLETED is recorded when the capture is, once, whatever is sent again.
func TestAPayPalRefundBeforeItsCapture(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	testenv.EachWith(t, testenv.Options{Providers: signer.Providers()}, func(t *testing.T, e *testenv.Env) {
		e.PayPalProvider("", "")
		capture := "3GGEARLY" + e.Kind
		early := testenv.Must(e.ReceivePayPal(signer, testenv.PayPalPayload(t, "payment_capture_refunded.json", capture)))(t)
		if len(transactionsOf(t, e, capture)) != 0 || !strings.Contains(early.Outcome, "waits for the payment") {
			t.Fatalf("a refund before its capture: %s", early.Outcome)
		}
		for range 2 {
			testenv.Must(e.ReceivePayPal(signer, testenv.PayPalPayload(t, "payment_capture_completed.json", capture)))(t)
			testenv.Must(e.ReceivePayPal(signer, testenv.PayPalPayload(t, "payment_capture_refunded.json", capture)))(t)
		}
		ts := transactionsOf(t, e, capture)
		if len(ts) != 1 {
			t.Fatalf("%d transactions of the capture", len(ts))
		}
		view := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ts[0].Transaction.ID))(t)
		if len(view.Refunds) != 1 || view.Refunds[0].Amount != 2000 || view.Transaction.AmountRefunded != 2000 {
			t.Fatalf("the refund, once its capture came: %+v, refunded %d", view.Refunds, view.Transaction.AmountRefunded)
		}
	})
}
