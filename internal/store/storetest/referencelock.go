package storetest

import (
	"errors"
	"testing"
	"time"

	"disputed/internal/store"
)

// testLockReferences: a transaction that locks a payment's reference another one holds waits
// for it, and then reads what that one wrote (SQLite keeps the promise by its one writer).
func testLockReferences(t *testing.T, s store.Store) {
	ctx := t.Context()
	locked, first := make(chan struct{}), make(chan error, 1)
	go func() {
		first <- s.Tx(ctx, func(tx store.Tx) error {
			if err := tx.LockReferences(ctx, "ch_lock", "", "pi_lock"); err != nil {
				return err
			}
			close(locked)
			time.Sleep(100 * time.Millisecond) // long enough for the second to come to its lock
			return tx.InsertCustomer(ctx, fullCustomer("cus_lock", at(0)))
		})
	}()
	select {
	case <-locked:
	case err := <-first:
		t.Fatalf("the first transaction ended before its lock: %v", err)
	}
	var seen error
	write(t, s, func(tx store.Tx) error {
		if err := tx.LockReferences(ctx, "pi_lock"); err != nil {
			return err
		}
		_, seen = tx.GetCustomer(ctx, "cus_lock")
		return nil
	})
	noErr(t, "the first transaction", <-first)
	noErr(t, "what the first transaction wrote, read once the lock was had", seen)
}

// testLockedReferencesReadAgain: what a transaction read ahead about a payment's reference (its
// transactions, the refunds waiting for it) is read again once the reference is locked: another
// instance may have recorded the payment, or a refund of it, in between. A store with one writer
// has no other transaction writing in between.
func testLockedReferencesReadAgain(t *testing.T, s store.Store) {
	if s.Writers() == 1 {
		return
	}
	ctx := t.Context()
	write(t, s, func(tx store.Tx) error {
		noErr(t, "read ahead", tx.ReadRowsAhead(ctx, store.RowKeys{References: []string{"ch_lockahead"},
			AwaitingCharges: []store.ProviderReference{{Provider: "stripe", Reference: "ch_lockahead"}}}))
		write(t, s, func(other store.Tx) error {
			tr := charge("txn_lockahead", "", 1000, at(0))
			tr.Provider, tr.ProviderReference = "stripe", "ch_lockahead"
			_, err := other.AppendProviderEvents(ctx, []store.ProviderEvent{{ID: "pev_lockahead", Provider: "stripe", EventID: "evt_lockahead",
				Type: "refund.created", Object: "charge:ch_lockahead", ReceivedAt: at(0), Payload: []byte(`{}`)}})
			return errors.Join(err, other.InsertTransaction(ctx, tr), other.AwaitPayment(ctx, "stripe", "evt_lockahead", "ch_lockahead"))
		})
		noErr(t, "lock the reference", tx.LockReferences(ctx, "ch_lockahead"))
		tr, err := tx.FindTransaction(ctx, "stripe", "ch_lockahead")
		noErr(t, "the payment another transaction recorded, found once the reference is locked", err)
		waiting, err := tx.RefundsAwaitingPayment(ctx, "stripe", "ch_lockahead")
		noErr(t, "the refunds awaiting it", err)
		same(t, "what another transaction recorded, once the reference is locked", []any{tr.ID, len(waiting)}, []any{"txn_lockahead", 1})
		return nil
	})
}
