package app_test

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// stripeCharge is a Stripe charge event of type typ (API version 2024-06-20) about charge ch, a
// card payment of amount USD cents, with the merchant's metadata; more sets fields of the charge.
func stripeCharge(id, typ, ch string, amount int64, metadata map[string]any, created time.Time, more map[string]any) map[string]any {
	object := map[string]any{"id": ch, "object": "charge", "amount": amount, "amount_captured": amount, "amount_refunded": 0,
		"currency": "usd", "captured": true, "paid": true, "status": "succeeded", "created": created.Add(-time.Second).Unix(),
		"customer": "cus_RGNkLhMf4p1dXp", "payment_intent": "pi_" + strings.TrimPrefix(ch, "ch_"), "livemode": false,
		"billing_details": map[string]any{"email": "jenny@example.com"}, "metadata": metadata,
		"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": "visa", "last4": "4242", "fingerprint": "Xt5EWLLDS7FJjR1c"}},
		"refunds":                map[string]any{"object": "list", "data": []any{}, "has_more": false}}
	for k, v := range more {
		object[k] = v
	}
	return map[string]any{"id": id, "object": "event", "api_version": "2024-06-20", "created": created.Unix(), "livemode": false,
		"type": typ, "data": map[string]any{"object": object}}
}

// transactionsOf lists the transactions with a provider reference, as GET /v1/transactions does.
func transactionsOf(t *testing.T, e *testenv.Env, ref string) []app.TransactionView {
	t.Helper()
	p, err := e.App.ListTransactions(e.Ctx, testenv.Admin, store.TransactionFilter{ProviderReference: ref, Page: store.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return p.Transactions
}

// TestStripeChargeIsRecorded: charge.succeeded records the payment as a charge with its card,
// channel and time, linked to the order its metadata names (and so to the order's customer),
// counted once in the sales; a replay and a second report of the same charge add nothing;
// charge.refunded and refund.created of the same refund record it once.
func TestStripeChargeIsRecorded(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "buyer-" + e.Kind + "@example.com"}))(t)
		amount := int64(4999)
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
			Items: []app.ItemParams{{Description: "VPS", Amount: &amount, Quantity: 1}}}))(t)
		testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
		paidAt := e.Clock.Now().Add(-time.Hour).Truncate(time.Second)
		ev := stripeCharge("evt_c1", "charge.succeeded", "ch_3QPaid", 4999, map[string]any{"order_id": o.Order.ID}, paidAt.Add(time.Second), nil)
		r := testenv.Must(e.SendStripe(ev))(t)
		ts := transactionsOf(t, e, "ch_3QPaid")
		if len(ts) != 1 {
			t.Fatalf("%d transactions after charge.succeeded (%s)", len(ts), r.Outcome)
		}
		got := ts[0].Transaction
		if got.Kind != order.Charge || got.Amount != 4999 || got.Currency != "USD" || got.OrderID != o.Order.ID || got.CustomerID != c.ID ||
			got.Purchase.CardNetwork != "visa" || got.Purchase.CardLast4 != "4242" || got.Purchase.CardFingerprint != "Xt5EWLLDS7FJjR1c" ||
			got.Channel != order.ChannelCardNotPresent || got.Provider != "stripe" || !got.CreatedAt.Equal(paidAt) {
			t.Fatalf("recorded %+v (%s)", got, r.Outcome)
		}
		if n := eventCount(e, "", "transaction.created"); n != 1 {
			t.Errorf("%d transaction.created events", n)
		}

		// The same charge again: replayed, then reported under another event (an import).
		testenv.Must(e.SendStripe(ev))(t)
		again := testenv.Must(e.SendStripe(stripeCharge("evt_c2", "charge.succeeded", "ch_3QPaid", 4999, nil, e.Clock.Now(), nil)))(t)
		if !strings.Contains(again.Outcome, "recorded before as "+got.ID) || len(transactionsOf(t, e, "ch_3QPaid")) != 1 {
			t.Fatalf("a second report: %s", again.Outcome)
		}
		day := paidAt.UTC().Truncate(24 * time.Hour)
		counts := testenv.Must(e.Store.SalesCounts(e.Ctx, day, day.Add(24*time.Hour)))(t)
		if len(counts) != 1 || counts[0].N != 1 || counts[0].CardNetwork != "visa" {
			t.Errorf("sales counted: %+v", counts)
		}

		// charge.refunded lists the refund; refund.created reports it again.
		e.Clock.Advance(time.Minute)
		refund := map[string]any{"id": "re_3QPaid1", "object": "refund", "amount": 1000, "currency": "usd", "charge": "ch_3QPaid",
			"payment_intent": "pi_3QPaid", "status": "succeeded", "created": e.Clock.Now().Unix()}
		r = testenv.Must(e.SendStripe(stripeCharge("evt_c3", "charge.refunded", "ch_3QPaid", 4999, nil, e.Clock.Now(),
			map[string]any{"amount_refunded": 1000, "refunds": map[string]any{"object": "list", "data": []any{refund}}})))(t)
		testenv.Must(e.SendStripe(map[string]any{"id": "evt_c4", "object": "event", "type": "refund.created", "created": e.Clock.Now().Unix(),
			"data": map[string]any{"object": refund}}))(t)
		view := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, got.ID))(t)
		if len(view.Refunds) != 1 || view.Transaction.AmountRefunded != 1000 || view.Refunds[0].ProviderReference != "re_3QPaid1" {
			t.Fatalf("refunds after charge.refunded and refund.created: %+v, refunded %d (%s)", view.Refunds, view.Transaction.AmountRefunded, r.Outcome)
		}
	})
}

// TestStripeChargeRefundUpdatedIsRecorded: a refund that Stripe reports by
// charge.refund.updated (refund.updated's older name) is recorded as an external refund of its
// charge, once: a replay and a second report of the same refund (another event, as when its
// status or its reference changes again) change nothing.
func TestStripeChargeRefundUpdatedIsRecorded(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		testenv.Must(e.SendStripe(stripeCharge("evt_u1", "charge.succeeded", "ch_3QRefUpd", 4999, nil, e.Clock.Now(), nil)))(t)
		ts := transactionsOf(t, e, "ch_3QRefUpd")
		if len(ts) != 1 {
			t.Fatalf("%d transactions after charge.succeeded", len(ts))
		}
		charge := ts[0].Transaction
		e.Clock.Advance(time.Minute)
		refundUpdated := func(id string, more map[string]any) map[string]any {
			refund := map[string]any{"id": "re_3QRefUpd1", "object": "refund", "amount": 1500, "currency": "usd", "charge": "ch_3QRefUpd",
				"payment_intent": "pi_3QRefUpd", "status": "succeeded", "created": e.Clock.Now().Add(-time.Minute).Unix(), "metadata": map[string]any{},
				"reason": "requested_by_customer", "balance_transaction": "txn_3QRefUpd1"}
			for k, v := range more {
				refund[k] = v
			}
			return map[string]any{"id": id, "object": "event", "api_version": "2020-08-27", "type": "charge.refund.updated",
				"created": e.Clock.Now().Unix(), "data": map[string]any{"object": refund, "previous_attributes": map[string]any{"status": "pending"}}}
		}
		first := testenv.Must(e.SendStripe(refundUpdated("evt_u2", nil)))(t)
		view := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, charge.ID))(t)
		if first.State != store.EventApplied || len(view.Refunds) != 1 || view.Transaction.AmountRefunded != 1500 {
			t.Fatalf("after charge.refund.updated: %+v, refunded %d (%s: %s)", view.Refunds, view.Transaction.AmountRefunded, first.State, first.Outcome)
		}
		recorded := view.Refunds[0]
		if recorded.Amount != 1500 || recorded.Currency != "USD" || recorded.ProviderReference != "re_3QRefUpd1" || !recorded.External ||
			!strings.Contains(first.Outcome, "refund re_3QRefUpd1 recorded as "+recorded.ID) {
			t.Fatalf("the refund recorded: %+v (%s)", recorded, first.Outcome)
		}
		refundsCreated := eventCount(e, "", "refund.created")

		replay := testenv.Must(e.SendStripe(refundUpdated("evt_u2", nil)))(t)
		e.Clock.Advance(time.Hour)
		again := testenv.Must(e.SendStripe(refundUpdated("evt_u3", map[string]any{"destination_details": map[string]any{"type": "card",
			"card": map[string]any{"reference": "74987006161244", "reference_status": "available", "reference_type": "acquirer_reference_number", "type": "refund"}}})))(t)
		view = testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, charge.ID))(t)
		if !replay.Duplicate || !strings.Contains(again.Outcome, "recorded before as "+recorded.ID) ||
			len(view.Refunds) != 1 || view.Transaction.AmountRefunded != 1500 {
			t.Fatalf("after a replay and a second report: %+v, refunded %d (replay %+v; %s)", view.Refunds, view.Transaction.AmountRefunded, replay, again.Outcome)
		}
		if n := eventCount(e, "", "refund.created"); n != refundsCreated {
			t.Errorf("refund.created %d times after a second report, was %d", n, refundsCreated)
		}
	})
}

// TestStripeChargeWithoutOurOrder: a charge whose metadata names an order that is not ours is
// recorded without order, and the outcome says so; with no order, its customer is the newest
// with the buyer's email, or else the newest whose external id is Stripe's customer id. A
// charge not captured is an authorization, captured later by
// charge.captured; a charge that failed records nothing.
func TestStripeChargeWithoutOurOrder(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "jenny@example.com"}))(t)
		e.Clock.Advance(time.Second)
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "jenny@example.com"}))(t)
		r := testenv.Must(e.SendStripe(stripeCharge("evt_o1", "charge.succeeded", "ch_3QElse", 700, map[string]any{"order_id": "ord_elsewhere"}, e.Clock.Now(), nil)))(t)
		ts := transactionsOf(t, e, "ch_3QElse")
		if len(ts) != 1 || ts[0].Transaction.OrderID != "" || ts[0].Transaction.CustomerID != c.ID || !strings.Contains(r.Outcome, "ord_elsewhere, which is not ours") {
			t.Fatalf("a charge of another system's order: %+v (%s)", ts, r.Outcome)
		}
		byStripeID := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "kim@example.com", ExternalID: "cus_RGNkLhMf4p1dXp"}))(t)
		testenv.Must(e.SendStripe(stripeCharge("evt_o5", "charge.succeeded", "ch_3QByID", 700, nil, e.Clock.Now(),
			map[string]any{"billing_details": map[string]any{"email": "unknown@example.com"}})))(t)
		if ts := transactionsOf(t, e, "ch_3QByID"); len(ts) != 1 || ts[0].Transaction.CustomerID != byStripeID.ID {
			t.Fatalf("a charge whose buyer's email no customer has, by its Stripe customer id: %+v", ts)
		}

		auth := map[string]any{"captured": false, "amount_captured": 0}
		testenv.Must(e.SendStripe(stripeCharge("evt_o2", "charge.succeeded", "ch_3QLaterCaptured", 900, nil, e.Clock.Now(), auth)))(t)
		e.Clock.Advance(time.Minute)
		testenv.Must(e.SendStripe(stripeCharge("evt_o3", "charge.captured", "ch_3QLaterCaptured", 900, nil, e.Clock.Now(), nil)))(t)
		ts = transactionsOf(t, e, "ch_3QLaterCaptured")
		kinds := map[order.Kind]int{}
		for _, v := range ts {
			kinds[v.Transaction.Kind]++
		}
		if len(ts) != 2 || kinds[order.Authorization] != 1 || kinds[order.Capture] != 1 {
			t.Fatalf("an authorization captured later: %+v", ts)
		}

		failed := testenv.Must(e.SendStripe(stripeCharge("evt_o4", "charge.succeeded", "ch_3QFailed", 900, nil, e.Clock.Now(), map[string]any{"status": "failed"})))(t)
		if len(transactionsOf(t, e, "ch_3QFailed")) != 0 || !strings.Contains(failed.Outcome, "no money moved") {
			t.Errorf("a failed charge: %s", failed.Outcome)
		}
	})
}

// TestDisputeBeforeItsCharge: a dispute that arrives before its charge opens unmatched; when the
// charge arrives, the dispute is matched to it as opening would have: its charge, order and
// customer set, the order's service line suspended, a timeline entry and dispute.updated.
func TestDisputeBeforeItsCharge(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "early-" + e.Kind + "@example.com"}))(t)
		amount := int64(4999)
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
			Items: []app.ItemParams{{Description: "VPS", Amount: &amount, Quantity: 1, Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-early"}}}}))(t)
		testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
		opened := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_d1", "charge.dispute.created", "needs_response", "dp_1QEarly", "ch_3QEarly", e.Clock.Now())))(t)
		if d := e.Reload(dispute.Dispute{ID: opened.DisputeID}); d.Matched() || d.OrderID != "" {
			t.Fatalf("a dispute before its charge: %+v", d)
		}
		updates := eventCount(e, opened.DisputeID, "dispute.updated")
		e.Clock.Advance(time.Minute)
		r := testenv.Must(e.SendStripe(stripeCharge("evt_d2", "charge.succeeded", "ch_3QEarly", 4999, map[string]any{"order_id": o.Order.ID}, e.Clock.Now(), nil)))(t)
		ch := transactionsOf(t, e, "ch_3QEarly")[0].Transaction
		d := e.Reload(dispute.Dispute{ID: opened.DisputeID})
		if d.TransactionID != ch.ID || d.OrderID != o.Order.ID || d.CustomerID != c.ID || !strings.Contains(r.Outcome, "dispute "+d.ID+" matched") {
			t.Fatalf("after the charge: %+v (%s)", d, r.Outcome)
		}
		if l := orderOf(e, o.Order.ID).Lines[0]; l.PendingAction != order.Suspend {
			t.Errorf("line not suspended: %+v", l)
		}
		if n := eventCount(e, d.ID, "dispute.updated"); n != updates+1 {
			t.Errorf("dispute.updated %d times, want %d", n, updates+1)
		}
		if tl := timelineCounts(testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d.ID))(t)); tl["matched"] != 1 {
			t.Errorf("timeline: %v", tl)
		}
	})
}

// TestPayPalPayments: a completed capture is recorded as a charge, linked to the order its
// custom_id names when the merchant says custom_id names orders; its refund is recorded once;
// a reversal takes back what is left as an external refund.
func TestPayPalPayments(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	testenv.EachWith(t, testenv.Options{Providers: signer.Providers()}, func(t *testing.T, e *testenv.Env) {
		e.PayPalProvider("", "")
		key := "custom_id"
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{OrderMetadataKey: &key}))(t)
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "pp-" + e.Kind + "@example.com"}))(t)
		amount := int64(4999)
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "EUR",
			Items: []app.ItemParams{{Description: "VPS", Amount: &amount, Quantity: 1}}}))(t)
		testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
		capture := "3GGPP" + e.Kind
		payload := func(file string) []byte {
			return []byte(strings.ReplaceAll(string(testenv.PayPalPayload(t, file, capture)), "ord_01JD0000000000000000000002", o.Order.ID))
		}
		r := testenv.Must(e.ReceivePayPal(signer, payload("payment_capture_completed.json")))(t)
		ts := transactionsOf(t, e, capture)
		if len(ts) != 1 || ts[0].Transaction.Kind != order.Charge || ts[0].Transaction.Amount != 4999 || ts[0].Transaction.OrderID != o.Order.ID {
			t.Fatalf("PAYMENT.CAPTURE.COMPLETED: %+v (%s)", ts, r.Outcome)
		}
		for range 2 {
			testenv.Must(e.ReceivePayPal(signer, payload("payment_capture_refunded.json")))(t)
		}
		view := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ts[0].Transaction.ID))(t)
		if len(view.Refunds) != 1 || view.Refunds[0].Amount != 2000 || view.Refunds[0].ProviderReference != "1JU08902781691411" {
			t.Fatalf("PAYMENT.CAPTURE.REFUNDED: %+v", view.Refunds)
		}
		r = testenv.Must(e.ReceivePayPal(signer, payload("payment_capture_reversed.json")))(t)
		view = testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ts[0].Transaction.ID))(t)
		// The reversal says the whole capture (49.99) went back; 20.00 was refunded already, so
		// only what is left can be: the outcome says why the rest is not recorded.
		if len(view.Refunds) != 1 || !strings.Contains(r.Outcome, "reversal-"+capture+" not recorded") {
			t.Fatalf("PAYMENT.CAPTURE.REVERSED after a refund: %+v (%s)", view.Refunds, r.Outcome)
		}

		second := "3GGPP2" + e.Kind
		// Other notifications (other ids) about a second capture.
		other := func(file string) []byte {
			return []byte(strings.NewReplacer("WH-58D", "WH-59D", "WH-6F", "WH-7F").Replace(string(testenv.PayPalPayload(t, file, second))))
		}
		testenv.Must(e.ReceivePayPal(signer, other("payment_capture_completed.json")))(t)
		testenv.Must(e.ReceivePayPal(signer, other("payment_capture_reversed.json")))(t)
		ch := transactionsOf(t, e, second)[0].Transaction
		view = testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ch.ID))(t)
		if len(view.Refunds) != 1 || view.Refunds[0].Amount != 4999 || !view.Refunds[0].External || view.Refunds[0].ProviderReference != "reversal-"+second {
			t.Fatalf("PAYMENT.CAPTURE.REVERSED: %+v", view.Refunds)
		}
	})
}

// TestGenericFeedTransactions: the generic feed's transactions record a charge with its card and
// channel, then a refund of it by its parent.
func TestGenericFeedTransactions(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StreamProviders()
		r := testenv.Must(e.Receive(feedEvent(t, map[string]any{"id": "pay_g1", "type": "transaction", "kind": "charge", "amount": "25.00",
			"currency": "eur", "card_network": "Mastercard", "last4": "5100", "channel": "card_present", "created": "2026-01-01T10:00:00Z"})))(t)
		ts := transactionsOf(t, e, "pay_g1")
		if len(ts) != 1 || ts[0].Transaction.Amount != 2500 || ts[0].Transaction.Purchase.CardNetwork != "mastercard" ||
			ts[0].Transaction.Channel != order.ChannelCardPresent || ts[0].Transaction.Provider != testenv.StreamFeed {
			t.Fatalf("a feed's charge: %+v (%s)", ts, r.Outcome)
		}
		testenv.Must(e.Receive(feedEvent(t, map[string]any{"id": "rf_g1", "type": "transaction", "kind": "refund", "amount": 500,
			"currency": "EUR", "parent": "pay_g1"})))(t)
		view := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ts[0].Transaction.ID))(t)
		if len(view.Refunds) != 1 || view.Refunds[0].Amount != 500 || view.Transaction.AmountRefunded != 500 {
			t.Fatalf("a feed's refund: %+v", view)
		}
	})
}

// TestOrderMetadataKeySetting: the key defaults to order_id, is saved, goes back to the default
// with "", and a key no provider could hold is refused, naming the field, nothing saved.
func TestOrderMetadataKeySetting(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		key := func() string {
			return app.EffectiveOrderMetadataKey(testenv.Must(e.App.Settings(e.Ctx, testenv.Admin))(t))
		}
		if got := key(); got != "order_id" {
			t.Fatalf("default %q", got)
		}
		for _, k := range []string{"shop_order", ""} {
			testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{OrderMetadataKey: &k}))(t)
			if want := map[string]string{"": "order_id"}[k]; key() != k && key() != want {
				t.Errorf("after saving %q: %q", k, key())
			}
		}
		for _, bad := range []string{"order id", "order[id]", strings.Repeat("k", 41)} {
			_, err := e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{OrderMetadataKey: &bad})
			if f, ok := fault.As(err); !ok || f.Param != "order_metadata_key" {
				t.Errorf("%q: %v", bad, err)
			}
		}
		if got := key(); got != "order_id" {
			t.Errorf("after refusals %q", got)
		}
	})
}

// TestWithdrawnBeforeItsCharge: the network took the funds of a dispute that arrived before its
// charge, and the provider said so, when there was no charge to take them from; once the charge
// arrives and the dispute is matched to it, the withdrawal is recorded on it. Funds given back
// meanwhile are not withdrawn.
func TestWithdrawnBeforeItsCharge(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		send := func(id, typ, dp, ch string) testenv.EventResult {
			t.Helper()
			return testenv.Must(e.SendStripe(testenv.StripeEvent(id, typ, "needs_response", dp, ch, e.Clock.Now())))(t)
		}
		withheld := send("evt_w1", "charge.dispute.created", "dp_1QWithheld", "ch_3QWithheld").DisputeID
		send("evt_w2", "charge.dispute.funds_withdrawn", "dp_1QWithheld", "ch_3QWithheld")
		back := send("evt_b1", "charge.dispute.created", "dp_1QBack", "ch_3QBack").DisputeID
		send("evt_b2", "charge.dispute.funds_withdrawn", "dp_1QBack", "ch_3QBack")
		send("evt_b3", "charge.dispute.funds_reinstated", "dp_1QBack", "ch_3QBack")
		for _, id := range []string{withheld, back} {
			if tl := timelineCounts(testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, id))(t)); tl["funds_withdrawn"] != 0 {
				t.Fatalf("a withdrawal recorded with no charge: %v", tl)
			}
		}
		e.Clock.Advance(time.Minute)

		r := testenv.Must(e.SendStripe(stripeCharge("evt_c1", "charge.succeeded", "ch_3QWithheld", 4999, nil, e.Clock.Now(), nil)))(t)
		ch := transactionsOf(t, e, "ch_3QWithheld")[0].Transaction
		d := e.Reload(dispute.Dispute{ID: withheld})
		if d.TransactionID != ch.ID || ch.AmountWithdrawn != 4999 || !strings.Contains(r.Outcome, "the funds the provider withdrew for it recorded") {
			t.Fatalf("after the charge: dispute on %s, charge withdrawn %d (%s)", d.TransactionID, ch.AmountWithdrawn, r.Outcome)
		}
		if tl := timelineCounts(testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d.ID))(t)); tl["matched"] != 1 || tl["funds_withdrawn"] != 1 {
			t.Errorf("timeline: %v", tl)
		}

		testenv.Must(e.SendStripe(stripeCharge("evt_c2", "charge.succeeded", "ch_3QBack", 4999, nil, e.Clock.Now(), nil)))(t)
		ch = transactionsOf(t, e, "ch_3QBack")[0].Transaction
		if d := e.Reload(dispute.Dispute{ID: back}); d.TransactionID != ch.ID || ch.AmountWithdrawn != 0 {
			t.Errorf("funds given back before the charge: dispute on %s, charge withdrawn %d", d.TransactionID, ch.AmountWithdrawn)
		}
	})
}
