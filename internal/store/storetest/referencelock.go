package storetest

import (
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
