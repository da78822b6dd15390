package storetest

import (
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"testing"

	"disputed/internal/order"
	"disputed/internal/store"
)

func testAdjustTransaction(t *testing.T, s store.Store) {
	ctx := t.Context()
	// running amounts after each step: refunded, withdrawn, captured, voided
	type amounts struct {
		Refunded, Withdrawn, Captured int64
		Voided                        bool
	}
	steps := []struct {
		name string
		adj  store.Adjustment
		ok   bool
		want amounts
	}{
		{"refund part", store.Adjustment{Refunded: 300}, true, amounts{300, 0, 0, false}},
		{"withdraw part", store.Adjustment{Withdrawn: 500}, true, amounts{300, 500, 0, false}},
		{"refund past the amount", store.Adjustment{Refunded: 201}, false, amounts{300, 500, 0, false}},
		{"refund the rest", store.Adjustment{Refunded: 200}, true, amounts{500, 500, 0, false}},
		{"withdraw past the amount", store.Adjustment{Withdrawn: 1}, false, amounts{500, 500, 0, false}},
		{"reverse more than withdrawn", store.Adjustment{Withdrawn: -501}, false, amounts{500, 500, 0, false}},
		{"reverse the withdrawal", store.Adjustment{Withdrawn: -500}, true, amounts{500, 0, 0, false}},
		{"negative refund total", store.Adjustment{Refunded: -501}, false, amounts{500, 0, 0, false}},
		{"capture all", store.Adjustment{Captured: 1000}, true, amounts{500, 0, 1000, false}},
		{"capture past the amount", store.Adjustment{Captured: 1}, false, amounts{500, 0, 1000, false}},
		{"negative capture total", store.Adjustment{Captured: -1001}, false, amounts{500, 0, 1000, false}},
		{"void", store.Adjustment{Void: true}, true, amounts{500, 0, 1000, true}},
		{"void again", store.Adjustment{Void: true}, false, amounts{500, 0, 1000, true}},
		{"refund that would overflow", store.Adjustment{Refunded: math.MaxInt64}, false, amounts{500, 0, 1000, true}},
		{"deltas whose sum overflows", store.Adjustment{Refunded: math.MaxInt64, Withdrawn: math.MaxInt64}, false, amounts{500, 0, 1000, true}},
		{"refund and withdraw together", store.Adjustment{Refunded: -500, Withdrawn: 1000}, true, amounts{0, 1000, 1000, true}},
	}
	tr := charge("txn_1", "", 1000, at(0))
	write(t, s, func(tx store.Tx) error { return tx.InsertTransaction(ctx, tr) })
	for _, st := range steps {
		err := s.Tx(ctx, func(tx store.Tx) error { return tx.AdjustTransaction(ctx, tr.ID, st.adj) })
		if st.ok && err != nil {
			t.Errorf("%s: %v", st.name, err)
		}
		if !st.ok {
			wantErr(t, st.name, err, store.ErrConflict)
		}
		got, err := s.GetTransaction(ctx, tr.ID)
		noErr(t, "GetTransaction", err)
		same(t, "amounts after "+st.name, amounts{got.AmountRefunded, got.AmountWithdrawn, got.AmountCaptured, got.Voided}, st.want)
	}
	wantErr(t, "adjusting a missing transaction", s.Tx(ctx, func(tx store.Tx) error {
		return tx.AdjustTransaction(ctx, "txn_x", store.Adjustment{Refunded: 1})
	}), store.ErrNotFound)
}

// testAdjustTransactionConcurrent refunds one charge from many writers at once: the database,
// not the callers' reads, must stop the refunds at the charge's amount.
func testAdjustTransactionConcurrent(t *testing.T, s store.Store) {
	const writers, refund, amount = 20, 100, 1000
	ctx := t.Context()
	tr := charge("txn_1", "", amount, at(0))
	write(t, s, func(tx store.Tx) error { return tx.InsertTransaction(ctx, tr) })

	var (
		wg        sync.WaitGroup
		succeeded atomic.Int64
		other     = make(chan error, writers)
	)
	for range writers {
		wg.Go(func() {
			err := s.Tx(ctx, func(tx store.Tx) error {
				return tx.AdjustTransaction(ctx, tr.ID, store.Adjustment{Refunded: refund})
			})
			switch {
			case err == nil:
				succeeded.Add(1)
			case !errors.Is(err, store.ErrConflict):
				other <- err
			}
		})
	}
	wg.Wait()
	close(other)
	for err := range other {
		t.Errorf("a refund failed with %v, want success or store.ErrConflict", err)
	}
	if got := succeeded.Load(); got != amount/refund {
		t.Errorf("%d refunds of %d on a charge of %d succeeded, want %d", got, refund, amount, amount/refund)
	}
	got, err := s.GetTransaction(ctx, tr.ID)
	noErr(t, "GetTransaction", err)
	if got.AmountRefunded != amount {
		t.Errorf("refunded %d, want %d", got.AmountRefunded, amount)
	}
}

func testFindTransaction(t *testing.T, s store.Store) {
	ctx := t.Context()
	stripe := charge("txn_1", "", 100, at(0))
	stripe.Provider, stripe.ProviderReference, stripe.ARN = "stripe", "ch_1", "arn-1"
	paypal := charge("txn_2", "", 100, at(1))
	paypal.Provider, paypal.ProviderReference = "paypal", "ch_1"
	capture := order.Transaction{ID: "txn_3", Kind: order.Capture, Amount: 50, Currency: "USD", ARN: "arn-2", CreatedAt: at(2)}
	auth := order.Transaction{ID: "txn_4", Kind: order.Authorization, Amount: 50, Currency: "USD", ARN: "arn-3", CreatedAt: at(3)}
	refund := order.Transaction{ID: "txn_5", Kind: order.Refund, Amount: 10, Currency: "USD", ParentID: stripe.ID, ARN: "arn-1", CreatedAt: at(4)}
	write(t, s, func(tx store.Tx) error {
		for _, tr := range []order.Transaction{stripe, paypal, capture, auth, refund} {
			if err := tx.InsertTransaction(ctx, tr); err != nil {
				return err
			}
		}
		return nil
	})
	find := func(provider, ref string) string {
		got, err := s.FindTransaction(ctx, provider, ref)
		if errors.Is(err, store.ErrNotFound) {
			return "not found"
		}
		noErr(t, "FindTransaction", err)
		return got.ID
	}
	same(t, "stripe ch_1", find("stripe", "ch_1"), "txn_1")
	same(t, "paypal ch_1", find("paypal", "ch_1"), "txn_2")
	same(t, "any provider ch_1 (the oldest)", find("", "ch_1"), "txn_1")
	same(t, "adyen ch_1", find("adyen", "ch_1"), "not found")
	same(t, "no reference", find("", ""), "not found")

	byARN := func(arn string) string {
		got, err := s.FindTransactionByARN(ctx, arn)
		if errors.Is(err, store.ErrNotFound) {
			return "not found"
		}
		noErr(t, "FindTransactionByARN", err)
		return got.ID
	}
	same(t, "charge by ARN (not its refund)", byARN("arn-1"), "txn_1")
	same(t, "capture by ARN", byARN("arn-2"), "txn_3")
	same(t, "authorization by ARN", byARN("arn-3"), "not found")
	same(t, "no ARN", byARN(""), "not found")
}

func testRelatedTransactions(t *testing.T, s store.Store) {
	ctx := t.Context()
	ch := charge("txn_00", "ord_1", 1000, at(0))
	other := charge("txn_01", "ord_2", 1000, at(0))
	children := []order.Transaction{
		{ID: "txn_04", Kind: order.Refund, Amount: 1, Currency: "USD", OrderID: "ord_1", ParentID: ch.ID, CreatedAt: at(5)},
		{ID: "txn_02", Kind: order.Chargeback, Amount: 2, Currency: "USD", OrderID: "ord_1", ParentID: ch.ID, CreatedAt: at(3)},
		{ID: "txn_03", Kind: order.Refund, Amount: 3, Currency: "USD", OrderID: "ord_1", ParentID: ch.ID, CreatedAt: at(3)},
	}
	write(t, s, func(tx store.Tx) error {
		for _, tr := range append([]order.Transaction{children[0], ch, other}, children[1:]...) {
			if err := tx.InsertTransaction(ctx, tr); err != nil {
				return err
			}
		}
		return nil
	})
	txnID := func(tr order.Transaction) string { return tr.ID }
	kids, err := s.ChildTransactions(ctx, ch.ID)
	noErr(t, "ChildTransactions", err)
	same(t, "children, oldest first", ids(kids, txnID), []string{"txn_02", "txn_03", "txn_04"})
	none, err := s.ChildTransactions(ctx, "")
	noErr(t, "ChildTransactions", err)
	same(t, "children of no parent", ids(none, txnID), []string{})
	ofOrder, err := s.TransactionsOfOrder(ctx, "ord_1")
	noErr(t, "TransactionsOfOrder", err)
	same(t, "order's transactions, oldest first", ids(ofOrder, txnID), []string{"txn_00", "txn_02", "txn_03", "txn_04"})
}
