package storetest

import (
	"errors"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// testDisputesAwaitingCharge: the disputes a payment just recorded may match are the open ones
// of its provider, matched to nothing, that name it as their charge or payment intent.
func testDisputesAwaitingCharge(t *testing.T, s store.Store) {
	ctx := t.Context()
	waiting := func(id, provider, charge, intent string, ms int64) dispute.Dispute {
		d := openDispute(id, "", at(ms))
		d.Provider, d.ProviderDisputeID, d.ProviderCharge, d.ProviderPaymentIntent = provider, "dp_"+id, charge, intent
		return d
	}
	byCharge := waiting("dsp_charge", "stripe", "ch_1", "", 0)
	byIntent := waiting("dsp_intent", "stripe", "", "pi_1", 1)
	matched := waiting("dsp_matched", "stripe", "ch_1", "", 2)
	matched.TransactionID = "txn_1"
	ended := waiting("dsp_ended", "stripe", "ch_1", "", 3)
	ended.Status, ended.Resolution = dispute.Lost, dispute.ResolutionLost
	otherProvider := waiting("dsp_other", "paypal", "ch_1", "", 4)
	otherCharge := waiting("dsp_charge2", "stripe", "ch_2", "", 5)
	write(t, s, func(tx store.Tx) error {
		for _, d := range []dispute.Dispute{byCharge, byIntent, matched, ended, otherProvider, otherCharge} {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	for _, c := range []struct {
		name string
		refs []string
		want []string
	}{
		{"the charge and its payment intent", []string{"ch_1", "pi_1"}, []string{"dsp_charge", "dsp_intent"}},
		{"the charge alone", []string{"ch_1", ""}, []string{"dsp_charge"}},
		{"a payment intent named as the charge", []string{"pi_1"}, []string{"dsp_intent"}},
		{"no reference", []string{"", ""}, []string{}},
		{"a payment nobody disputes", []string{"ch_9"}, []string{}},
	} {
		got, err := s.DisputesAwaitingCharge(ctx, "stripe", c.refs...)
		noErr(t, "DisputesAwaitingCharge", err)
		same(t, "disputes awaiting "+c.name, disputeIDs(got), c.want)
	}
}

// testRefundsAwaitingPayment: a refund's event waits under each reference of its payment and is
// found, once, by any of them and only for its provider; a second wait changes nothing; ending
// the wait ends it under every reference. Read ahead in a transaction, the answer of none
// follows the transaction's own waits.
func testRefundsAwaitingPayment(t *testing.T, s store.Store) {
	ctx := t.Context()
	ev := func(id, provider string, ms int64) store.ProviderEvent {
		return store.ProviderEvent{ID: "pev_" + id, Provider: provider, EventID: "evt_" + id, Type: "refund.created",
			Object: "charge:ch_1", HappenedAt: at(ms), ReceivedAt: at(ms), Payload: []byte(`{}`)}
	}
	write(t, s, func(tx store.Tx) error {
		_, err := tx.AppendProviderEvents(ctx, []store.ProviderEvent{ev("r2", "stripe", 2), ev("r1", "stripe", 1), ev("rp", "paypal", 3), ev("r3", "stripe", 4)})
		return errors.Join(err,
			tx.AwaitPayment(ctx, "stripe", "evt_r2", "ch_1", "pi_1"),
			tx.AwaitPayment(ctx, "stripe", "evt_r1", "ch_1", ""),
			tx.AwaitPayment(ctx, "stripe", "evt_r1", "ch_1"),
			tx.AwaitPayment(ctx, "paypal", "evt_rp", "ch_1"),
			tx.AwaitPayment(ctx, "stripe", "evt_r3", "ch_3"))
	})
	waitingFor := func(r store.Reader, provider string, refs ...string) []string {
		evs, err := r.RefundsAwaitingPayment(ctx, provider, refs...)
		noErr(t, "RefundsAwaitingPayment", err)
		ids := []string{}
		for _, e := range evs {
			ids = append(ids, e.EventID)
		}
		return ids
	}
	for _, c := range []struct {
		name     string
		provider string
		refs     []string
		want     []string
	}{
		{"the charge and its payment", "stripe", []string{"ch_1", "pi_1"}, []string{"evt_r1", "evt_r2"}},
		{"the payment alone", "stripe", []string{"", "pi_1"}, []string{"evt_r2"}},
		{"another provider's", "paypal", []string{"ch_1", "pi_1"}, []string{"evt_rp"}},
		{"no reference", "stripe", []string{"", ""}, []string{}},
		{"a payment no refund waits for", "stripe", []string{"ch_9"}, []string{}},
	} {
		same(t, "refunds awaiting "+c.name, waitingFor(s, c.provider, c.refs...), c.want)
	}
	write(t, s, func(tx store.Tx) error {
		noErr(t, "read ahead", tx.ReadRowsAhead(ctx, store.RowKeys{AwaitingCharges: []store.ProviderReference{
			{Provider: "stripe", Reference: "ch_1"}, {Provider: "stripe", Reference: "ch_9"}, {Provider: "stripe"}}}))
		same(t, "read ahead: refunds awaiting the charge", waitingFor(tx, "stripe", "ch_1"), []string{"evt_r1", "evt_r2"})
		same(t, "read ahead: none awaiting", waitingFor(tx, "stripe", "ch_9", ""), []string{})
		noErr(t, "wait for a reference read ahead with none", tx.AwaitPayment(ctx, "stripe", "evt_r3", "ch_9"))
		same(t, "a wait after the read ahead", waitingFor(tx, "stripe", "ch_9"), []string{"evt_r3"})
		noErr(t, "end a wait", tx.StopAwaitingPayment(ctx, "stripe", "evt_r2"))
		same(t, "a wait ended", waitingFor(tx, "stripe", "ch_1", "pi_1"), []string{"evt_r1"})
		return nil
	})
	same(t, "the waits after the commit", [][]string{waitingFor(s, "stripe", "ch_1", "pi_1"), waitingFor(s, "stripe", "ch_3", "ch_9")},
		[][]string{{"evt_r1"}, {"evt_r3"}})
}
