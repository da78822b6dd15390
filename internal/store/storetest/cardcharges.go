package storetest

import (
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testCardCharges: a card's charges in a time window are those whose own fingerprint names the
// card, or whose order's does when they carry none; only charges and captures not refunded in
// full, newest first, up to the limit; each says whether a dispute or a fraud report names it.
func testCardCharges(t *testing.T, s store.Store) {
	ctx := t.Context()
	from, to := at(0), at(int64(100*time.Hour/time.Millisecond))
	on := func(id, orderID, fingerprint string, kind order.Kind, created time.Time) order.Transaction {
		tr := charge(id, orderID, 1000, created)
		tr.Kind, tr.Purchase.CardFingerprint, tr.UpdatedAt = kind, fingerprint, created
		return tr
	}
	card, cardOrder, plainOrder := "fp_card", simpleOrder("ord_card", "", "", order.Completed, at(0)), simpleOrder("ord_plain", "", "", order.Completed, at(0))
	cardOrder.Purchase.CardFingerprint = "fp_card"
	refunded := on("txn_refunded", "", card, order.Charge, at(9))
	refunded.AmountRefunded = refunded.Amount
	txns := []order.Transaction{
		on("txn_from", "", card, order.Charge, from),                    // the window's first instant: in
		on("txn_disputed", "ord_plain", card, order.Charge, at(2)),      // a chargeback names it
		on("txn_reported", "", card, order.Capture, at(3)),              // a TC40 names it
		on("txn_by_order", "ord_card", "", order.Charge, at(4)),         // its order names the card
		on("txn_own_wins", "ord_card", "fp_other", order.Charge, at(5)), // its own fingerprint says another card
		on("txn_other", "", "fp_other", order.Charge, at(6)),            // another card
		on("txn_auth", "", card, order.Authorization, at(7)),            // not a charge
		on("txn_refund", "", card, order.Refund, at(8)),                 // not a charge
		refunded, // refunded in full
		on("txn_before", "", card, order.Charge, from.Add(-time.Millisecond)),      // before the window
		on("txn_to", "", card, order.Charge, to),                                   // the window's end: out
		on("txn_disputed_order", "ord_order_disputed", card, order.Charge, at(10)), // a dispute on its order names no payment
	}
	chargeback := openDispute("dsp_chargeback", "", at(20))
	chargeback.TransactionID = "txn_disputed"
	tc40 := openDispute("dsp_tc40", "", at(21))
	tc40.Type, tc40.AlertType, tc40.Status, tc40.TransactionID = dispute.Alert, dispute.TC40, dispute.Open, "txn_reported"
	onOrder := openDispute("dsp_order", "ord_order_disputed", at(22))
	write(t, s, func(tx store.Tx) error {
		for _, o := range []order.Order{cardOrder, plainOrder} {
			if err := tx.InsertOrder(ctx, o); err != nil {
				return err
			}
		}
		for _, tr := range txns {
			if err := tx.InsertTransaction(ctx, tr); err != nil {
				return err
			}
		}
		for _, d := range []dispute.Dispute{chargeback, tc40, onOrder} {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})

	got, err := s.CardCharges(ctx, card, from, to, 100)
	noErr(t, "CardCharges", err)
	type row struct {
		ID                      string
		Disputed, FraudReported bool
	}
	var rows []row
	for _, c := range got {
		rows = append(rows, row{c.ID, c.Disputed, c.FraudReported})
	}
	same(t, "the card's charges, newest first", rows, []row{
		{"txn_disputed_order", true, false}, {"txn_by_order", false, false}, {"txn_reported", false, true},
		{"txn_disputed", true, false}, {"txn_from", false, false},
	})
	if len(got) > 0 {
		same(t, "a charge read whole", got[len(got)-1].Transaction, txns[0])
	}

	newest, err := s.CardCharges(ctx, card, from, to, 2)
	noErr(t, "CardCharges with a limit", err)
	same(t, "the newest two", ids(newest, func(c store.CardCharge) string { return c.ID }), []string{"txn_disputed_order", "txn_by_order"})
	none, err := s.CardCharges(ctx, "", from, to, 100)
	noErr(t, "CardCharges of no card", err)
	same(t, "no card, no charges", len(none), 0)
}
