package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testReadLookupsAhead: the lookups an inbox event makes (a transaction by its provider's
// reference, the disputes awaiting a charge, an order's open dispute), read ahead, answer as
// they would one by one, and the transaction's writes after the read ahead are seen: a dispute
// closed leaves its order none, a closing refused leaves it open. So do a dispute event's own:
// its dispute by the provider's id of the case, and the dispute's last event applied.
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
	// The applied events of dsp_look_open: the last happened at 20.
	write(t, s, func(tx store.Tx) error {
		var evs []store.ProviderEvent
		for i, happened := range []int64{20, 10} {
			evs = append(evs, store.ProviderEvent{ID: fmt.Sprint("pev_look_", i), Provider: "stripe", EventID: fmt.Sprint("evt_look_", i),
				Type: "charge.dispute.updated", Object: "dispute:dp_dsp_look_open", HappenedAt: at(happened), ReceivedAt: at(happened), Payload: []byte(`{}`)})
		}
		stored, err := tx.AppendProviderEvents(ctx, evs)
		for i := range stored {
			stored[i].State, stored[i].Applied, stored[i].DisputeID, stored[i].AppliedAt = store.EventApplied, true, "dsp_look_open", at(30)
		}
		return errors.Join(err, tx.SettleProviderEvents(ctx, stored))
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
	caseOf := func(r store.Reader, provider, id string) string {
		d, err := r.FindDisputeByProvider(ctx, provider, id)
		if errors.Is(err, store.ErrNotFound) {
			return "none"
		}
		noErr(t, "find dispute by provider", err)
		return fmt.Sprint(d.ID, " ", d.Status)
	}
	lastEvent := func(r store.Reader, disputeID string) time.Time {
		last, err := r.LastProviderEventAt(ctx, disputeID)
		noErr(t, "last provider event", err)
		return last
	}
	readAll := func(r store.Reader) []any {
		return []any{
			caseOf(r, "stripe", "dp_dsp_look_open"), caseOf(r, "paypal", "dp_dsp_look_open"), caseOf(r, "stripe", "dp_absent"),
			lastEvent(r, "dsp_look_open"), lastEvent(r, "dsp_look_waiting"),
			found(r.FindTransaction(ctx, "stripe", "ch_look")), found(r.FindTransaction(ctx, "paypal", "ch_look")),
			found(r.FindTransaction(ctx, "", "ch_look")), found(r.FindTransaction(ctx, "adyen", "ch_look")),
			found(r.FindTransaction(ctx, "stripe", "ch_absent")),
			waitingFor(r, "stripe", "ch_wait", ""), waitingFor(r, "stripe", "ch_look", "pi_none"), waitingFor(r, "paypal", "ch_wait"),
			openOf(r, "ord_look"), openOf(r, "ord_look_quiet"),
		}
	}
	want := readAll(s)
	same(t, "the lookups, one by one", want, []any{"dsp_look_open needs_response", "none", "none", at(20), time.Time{}, "txn_look_stripe", "txn_look_paypal", "txn_look_stripe", "none", "none",
		[]string{"dsp_look_waiting"}, []string{}, []string{}, "dsp_look_open", "none"})
	write(t, s, func(tx store.Tx) error {
		noErr(t, "read ahead", tx.ReadRowsAhead(ctx, store.RowKeys{
			References: []string{"ch_look", "ch_absent", "", "ch_wait"},
			AwaitingCharges: []store.ProviderReference{{Provider: "stripe", Reference: "ch_wait"}, {Provider: "stripe", Reference: "ch_look"},
				{Provider: "stripe", Reference: "pi_none"}, {Provider: "paypal", Reference: "ch_wait"}, {Provider: "stripe"}},
			OpenDisputesOf: []string{"ord_look", "ord_look_quiet", ""},
			ProviderCases: []store.ProviderReference{{Provider: "stripe", Reference: "dp_dsp_look_open"}, {Provider: "paypal", Reference: "dp_dsp_look_open"},
				{Provider: "stripe", Reference: "dp_absent"}, {Provider: "stripe", Reference: "dp_dsp_look_waiting"}, {Provider: "stripe"}},
		}))
		same(t, "the lookups read ahead", readAll(tx), want)

		waitingCase, err := tx.FindDisputeByProvider(ctx, "stripe", "dp_dsp_look_waiting")
		noErr(t, "find the waiting dispute", err)
		changed := waitingCase
		changed.Status, changed.Revision = dispute.UnderReview, 2
		noErr(t, "update a dispute whose case was read ahead", tx.UpdateDispute(ctx, changed, waitingCase))
		same(t, "a case updated after the read ahead", caseOf(tx, "stripe", "dp_dsp_look_waiting"), "dsp_look_waiting under_review")
		opened := waiting("dsp_look_absent", "", "", 4)
		opened.ProviderDisputeID = "dp_absent"
		noErr(t, "insert the dispute of a case read ahead with none", tx.InsertDispute(ctx, opened))
		same(t, "a case inserted after the read ahead", caseOf(tx, "stripe", "dp_absent"), "dsp_look_absent needs_response")
		later := store.ProviderEvent{ID: "pev_look_later", Provider: "stripe", EventID: "evt_look_later", Type: "charge.dispute.updated",
			Object: "dispute:dp_dsp_look_open", HappenedAt: at(40), ReceivedAt: at(40), Payload: []byte(`{}`)}
		stored, err := tx.AppendProviderEvents(ctx, []store.ProviderEvent{later})
		noErr(t, "append an event", err)
		stored[0].State, stored[0].Applied, stored[0].DisputeID, stored[0].AppliedAt = store.EventApplied, true, "dsp_look_open", at(41)
		noErr(t, "settle it", tx.SettleProviderEvents(ctx, stored))
		same(t, "the last event of a dispute, settled after the read ahead", lastEvent(tx, "dsp_look_open"), at(40))

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
		// The open dispute the transaction wrote, every field set, answers as a read of its row
		// does, each answer a copy of its own.
		full := fullDispute("dsp_look_full", "ord_look_full", at(5))
		full.Status, full.Resolution, full.ResolvedBy, full.ResolvedAt = dispute.UnderReview, "", "", time.Time{}
		noErr(t, "insert an open dispute with every field", tx.InsertDispute(ctx, full))
		written, err := tx.OpenDisputeOfOrder(ctx, "ord_look_full")
		noErr(t, "the open dispute written", err)
		read, err := tx.GetDispute(ctx, full.ID)
		noErr(t, "read the dispute", err)
		same(t, "the open dispute written, against its row read", written, read)
		written.Metadata["changed"], written.Tags[0], written.Fees[0].Amount = "by the caller", "changed", 1
		again, err := tx.OpenDisputeOfOrder(ctx, "ord_look_full")
		noErr(t, "the open dispute written, again", err)
		same(t, "the open dispute written, after its first answer was changed", again, read)

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
