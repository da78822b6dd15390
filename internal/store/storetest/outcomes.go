package storetest

import (
	"cmp"
	"slices"
	"testing"

	"disputed/internal/dispute"
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
