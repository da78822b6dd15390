package storetest

import (
	"errors"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testReadLookupsAhead: the lookups an inbox event makes (a transaction by its provider's
// reference, the disputes awaiting a charge, an order's open dispute), read ahead, answer as
// they would one by one, and the transaction's writes after the read ahead are seen: a dispute
// closed leaves its order none, a closing refused leaves it open.
func testReadLookupsAhead(t *testing.T, s store.Store) {
	ctx := t.Context()
	byReference := func(id, provider string, ms int64) order.Transaction {
		tr := charge(id, "", 1000, at(ms))
		tr.Provider, tr.ProviderReference = provider, "ch_look"
		return tr
	}
	waiting := func(id, orderID, charge string, ms int64) dispute.Dispute {
		d := openDispute(id, orderID, at(ms))
		d.Provider, d.ProviderDisputeID, d.ProviderCharge = "stripe", "dp_"+id, charge
		return d
	}
	write(t, s, func(tx store.Tx) error {
		return errors.Join(tx.InsertOrder(ctx, simpleOrder("ord_look", "", "", order.Completed, at(0))),
			tx.InsertOrder(ctx, simpleOrder("ord_look_quiet", "", "", order.Completed, at(0))),
			tx.InsertTransaction(ctx, byReference("txn_look_paypal", "paypal", 1)), tx.InsertTransaction(ctx, byReference("txn_look_stripe", "stripe", 0)),
			tx.InsertDispute(ctx, waiting("dsp_look_waiting", "", "ch_wait", 0)), tx.InsertDispute(ctx, waiting("dsp_look_open", "ord_look", "", 1)))
	})
	found := func(tr order.Transaction, err error) string {
		if errors.Is(err, store.ErrNotFound) {
			return "none"
		}
		noErr(t, "find transaction", err)
		return tr.ID
	}
	waitingFor := func(r store.Reader, provider string, refs ...string) []string {
		ds, err := r.DisputesAwaitingCharge(ctx, provider, refs...)
		noErr(t, "disputes awaiting a charge", err)
		return disputeIDs(ds)
	}
	openOf := func(r store.Reader, orderID string) string {
		d, err := r.OpenDisputeOfOrder(ctx, orderID)
		if errors.Is(err, store.ErrNotFound) {
			return "none"
		}
		noErr(t, "open dispute of order", err)
		return d.ID
	}
	readAll := func(r store.Reader) []any {
		return []any{
			found(r.FindTransaction(ctx, "stripe", "ch_look")), found(r.FindTransaction(ctx, "paypal", "ch_look")),
			found(r.FindTransaction(ctx, "", "ch_look")), found(r.FindTransaction(ctx, "adyen", "ch_look")),
			found(r.FindTransaction(ctx, "stripe", "ch_absent")),
			waitingFor(r, "stripe", "ch_wait", ""), waitingFor(r, "stripe", "ch_look", "pi_none"), waitingFor(r, "paypal", "ch_wait"),
			openOf(r, "ord_look"), openOf(r, "ord_look_quiet"),
		}
	}
	want := readAll(s)
	same(t, "the lookups, one by one", want, []any{"txn_look_stripe", "txn_look_paypal", "txn_look_stripe", "none", "none",
		[]string{"dsp_look_waiting"}, []string{}, []string{}, "dsp_look_open", "none"})
	write(t, s, func(tx store.Tx) error {
		noErr(t, "read ahead", tx.ReadRowsAhead(ctx, store.RowKeys{
			References: []string{"ch_look", "ch_absent", "", "ch_wait"},
			AwaitingCharges: []store.ProviderReference{{Provider: "stripe", Reference: "ch_wait"}, {Provider: "stripe", Reference: "ch_look"},
				{Provider: "stripe", Reference: "pi_none"}, {Provider: "paypal", Reference: "ch_wait"}, {Provider: "stripe"}},
			OpenDisputesOf: []string{"ord_look", "ord_look_quiet", ""},
		}))
		same(t, "the lookups read ahead", readAll(tx), want)

		absent := byReference("txn_look_new", "stripe", 2)
		absent.ProviderReference = "ch_absent"
		noErr(t, "insert a transaction with a reference read ahead", tx.InsertTransaction(ctx, absent))
		same(t, "a transaction inserted after the read ahead", found(tx.FindTransaction(ctx, "stripe", "ch_absent")), "txn_look_new")
		noErr(t, "adjust", tx.AdjustTransaction(ctx, "txn_look_stripe", store.Adjustment{Refunded: 100, At: at(3)}))
		adjusted, err := tx.FindTransaction(ctx, "stripe", "ch_look")
		noErr(t, "find the adjusted transaction", err)
		same(t, "a transaction adjusted after the read ahead", adjusted.AmountRefunded, int64(100))

		noErr(t, "insert a dispute awaiting a reference read ahead", tx.InsertDispute(ctx, waiting("dsp_look_new", "", "ch_look", 2)))
		same(t, "a dispute awaiting the charge, inserted after the read ahead", waitingFor(tx, "stripe", "ch_look", "pi_none"), []string{"dsp_look_new"})
		quiet := waiting("dsp_look_quiet", "", "", 3)
		noErr(t, "insert a dispute on no order", tx.InsertDispute(ctx, quiet))
		prev := quiet
		quiet.OrderID, quiet.Revision = "ord_look_quiet", 2
		noErr(t, "move the dispute onto an order read ahead", tx.UpdateDispute(ctx, quiet, prev))
		same(t, "an order's open dispute, written after the read ahead", openOf(tx, "ord_look_quiet"), "dsp_look_quiet")

		stale, closed := quiet, quiet
		stale.Revision, closed.Status, closed.Revision = 1, dispute.Lost, 2
		if err := tx.UpdateDispute(ctx, closed, stale); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("closing a dispute from a stale revision: %v, want ErrConflict", err)
		}
		same(t, "an order's open dispute, after its closing was refused", openOf(tx, "ord_look_quiet"), "dsp_look_quiet")
		closed.Revision = 3
		noErr(t, "close the dispute", tx.UpdateDispute(ctx, closed, quiet))
		same(t, "an order's open dispute, closed", openOf(tx, "ord_look_quiet"), "none")
		return nil
	})
}
