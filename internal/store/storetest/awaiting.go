package storetest

import (
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
