package storetest

import (
	"errors"
	"testing"

	"disputed/internal/store"
)

// testSavepoint checks that a failed savepoint undoes only its own writes, a later one still
// works (on PostgreSQL too, where a failed statement would otherwise spoil the transaction),
// nested savepoints unwind innermost first, and the rest commits.
func testSavepoint(t *testing.T, s store.Store) {
	ctx := t.Context()
	boom := errors.New("boom")
	write(t, s, func(tx store.Tx) error {
		noErr(t, "insert before", tx.InsertCustomer(ctx, fullCustomer("cus_before", at(0))))
		err := tx.Savepoint(ctx, func() error {
			noErr(t, "insert undone", tx.InsertCustomer(ctx, fullCustomer("cus_undone", at(0))))
			// A duplicate id inside the savepoint: the store reports it, the savepoint undoes it.
			wantErr(t, "duplicate", tx.InsertCustomer(ctx, fullCustomer("cus_before", at(0))), store.ErrConflict)
			return boom
		})
		wantErr(t, "failed savepoint", err, boom)
		err = tx.Savepoint(ctx, func() error {
			noErr(t, "insert kept", tx.InsertCustomer(ctx, fullCustomer("cus_kept", at(0))))
			inner := tx.Savepoint(ctx, func() error {
				noErr(t, "insert inner", tx.InsertCustomer(ctx, fullCustomer("cus_inner", at(0))))
				return boom
			})
			wantErr(t, "inner savepoint", inner, boom)
			return nil
		})
		noErr(t, "second savepoint", err)
		return nil
	})
	for id, want := range map[string]bool{"cus_before": true, "cus_undone": false, "cus_kept": true, "cus_inner": false} {
		_, err := s.GetCustomer(ctx, id)
		if got := err == nil; got != want {
			t.Errorf("%s committed = %v, want %v (%v)", id, got, want, err)
		}
	}
}
