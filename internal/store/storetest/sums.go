package storetest

import (
	"math"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/store"
)

// testSecuritySumsOverflowSafe checks that the open disputes' amount is summed without failing
// when the sum lies beyond an int64 (two disputes of 2^62 written straight into the table made
// both databases fail the dashboard's SUM): it saturates and is marked over, and a sum within
// range is exact.
func testSecuritySumsOverflowSafe(t *testing.T, s store.Store) {
	ctx := t.Context()
	const big = int64(1) << 62
	ds := []dispute.Dispute{openDispute("dsp_big1", "", at(0)), openDispute("dsp_big2", "", at(1)), openDispute("dsp_small", "", at(2))}
	ds[0].Amount, ds[1].Amount, ds[2].Amount = big, big, 1295
	ds[2].Currency = "EUR"
	write(t, s, func(tx store.Tx) error {
		for _, d := range ds {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	stats, err := s.OpenDisputeStats(ctx, at(0))
	noErr(t, "OpenDisputeStats over two disputes of 2^62", err)
	got := map[string]money.Total{}
	for _, st := range stats {
		got[st.Currency] = got[st.Currency].Plus(st.Amount)
	}
	if want := (money.Total{Value: math.MaxInt64, Over: true}); got["USD"] != want {
		t.Errorf("USD at risk = %+v; want %+v", got["USD"], want)
	}
	if want := (money.Total{Value: 1295}); got["EUR"] != want {
		t.Errorf("EUR at risk = %+v; want %+v", got["EUR"], want)
	}
}
