package storetest

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testDecidedCounts: won and lost disputes counted by what classifies them; open ones and other
// endings not at all.
func testDecidedCounts(t *testing.T, s store.Store) {
	ctx := t.Context()
	mk := func(id string, st dispute.Status, network, code string, live bool) dispute.Dispute {
		d := openDispute(id, "", at(0))
		d.Status, d.Network, d.NetworkReasonCode, d.Reason, d.Livemode = st, network, code, "fraudulent", live
		return d
	}
	write(t, s, func(tx store.Tx) error {
		for _, d := range []dispute.Dispute{
			mk("dsp_1", dispute.Won, "visa", "10.4", true),
			mk("dsp_2", dispute.Won, "visa", "10.4", true),
			mk("dsp_3", dispute.Lost, "visa", "10.4", true),
			mk("dsp_4", dispute.Lost, "visa", "10.4", false),
			mk("dsp_5", dispute.Lost, "mastercard", "4837", true),
			mk("dsp_6", dispute.NeedsResponse, "visa", "10.4", true),
			mk("dsp_7", dispute.WarningClosed, "visa", "10.4", true),
		} {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := s.DecidedCounts(ctx)
	noErr(t, "DecidedCounts", err)
	slices.SortFunc(got, func(a, b store.DecidedCount) int {
		return cmp.Or(cmp.Compare(a.Network, b.Network), cmp.Compare(b.N, a.N), boolCmp(b.Livemode, a.Livemode))
	})
	visa := func(won, live bool, n int64) store.DecidedCount {
		return store.DecidedCount{Won: won, Livemode: live, Network: "visa", NetworkReasonCode: "10.4", Reason: "fraudulent", N: n}
	}
	same(t, "decided counts", got, []store.DecidedCount{
		{Livemode: true, Network: "mastercard", NetworkReasonCode: "4837", Reason: "fraudulent", N: 1},
		visa(true, true, 2), visa(false, true, 1), visa(false, false, 1),
	})
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// testEachOutcome: the disputes that happened in [from, to), each with the facts a report needs,
// and with the refunds recorded for it when it ended in a compromise (in its currency only).
func testEachOutcome(t *testing.T, s store.Store) {
	ctx := t.Context()
	mk := func(id string, happened time.Time) dispute.Dispute {
		d := openDispute(id, "", at(0))
		d.HappenedAt = happened
		return d
	}
	won := mk("dsp_won", at(1000))
	won.Status, won.Resolution, won.Stage, won.Provider, won.Network = dispute.Won, dispute.ResolutionWon, dispute.StageChargeback, "stripe", "visa"
	won.NetworkReasonCode, won.Reason, won.DefendedAt = "10.4", "fraudulent", at(5000)
	won.Fees = []dispute.Fee{{Amount: 1500, Currency: "USD", Description: "Dispute fee"}, {Amount: -1500, Currency: "USD", Description: "Dispute fee refund"}}
	accepted := mk("dsp_accepted", at(2000))
	accepted.Status, accepted.Resolution, accepted.AcceptedAt = dispute.Lost, dispute.ResolutionLost, at(3000)
	partial := mk("dsp_partial", at(3000))
	partial.Type, partial.Status, partial.Resolution, partial.Channel = dispute.Marketplace, dispute.Resolved, dispute.PartialRefund, dispute.ChannelMarketplace
	alert := mk("dsp_alert", at(4000))
	alert.Type, alert.AlertType, alert.Status = dispute.Alert, dispute.Ethoca, dispute.Open
	write(t, s, func(tx store.Tx) error {
		for _, d := range []dispute.Dispute{won, accepted, partial, alert, mk("dsp_before", at(999)), mk("dsp_at_end", at(10_000))} {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		for _, tr := range []order.Transaction{
			{ID: "txn_r1", Kind: order.Refund, Amount: 300, Currency: "USD", DisputeID: "dsp_partial", CreatedAt: at(0), UpdatedAt: at(0)},
			{ID: "txn_r2", Kind: order.Refund, Amount: 200, Currency: "USD", DisputeID: "dsp_partial", CreatedAt: at(0), UpdatedAt: at(0)},
			{ID: "txn_r3", Kind: order.Refund, Amount: 999, Currency: "EUR", DisputeID: "dsp_partial", CreatedAt: at(0), UpdatedAt: at(0)},
			{ID: "txn_r4", Kind: order.Refund, Amount: 400, Currency: "USD", DisputeID: "dsp_won", CreatedAt: at(0), UpdatedAt: at(0)},
		} {
			if err := tx.InsertTransaction(ctx, tr); err != nil {
				return err
			}
		}
		return nil
	})
	var got []store.OutcomeFacts
	noErr(t, "EachOutcome", s.EachOutcome(ctx, at(1000), at(10_000), func(f store.OutcomeFacts) error {
		got = append(got, f)
		return nil
	}))
	slices.SortFunc(got, func(a, b store.OutcomeFacts) int { return a.Dispute.HappenedAt.Compare(b.Dispute.HappenedAt) })
	facts := func(d dispute.Dispute, refunded int64) store.OutcomeFacts {
		return store.OutcomeFacts{Dispute: dispute.Dispute{Type: d.Type, AlertType: d.AlertType, Status: d.Status, Stage: d.Stage,
			Resolution: d.Resolution, Reason: d.Reason, NetworkReasonCode: d.NetworkReasonCode, Network: d.Network, Channel: d.Channel,
			Provider: d.Provider, Amount: d.Amount, Currency: d.Currency, Fees: d.Fees, HappenedAt: d.HappenedAt,
			AcceptedAt: d.AcceptedAt, DefendedAt: d.DefendedAt}, Refunded: refunded}
	}
	same(t, "outcome facts", got, []store.OutcomeFacts{facts(won, 0), facts(accepted, 0), facts(partial, 500), facts(alert, 0)})
}
