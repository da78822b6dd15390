package storetest

import (
	"errors"
	"testing"

	"disputed/internal/store"
)

func testTxRollbackOnError(t *testing.T, s store.Store) {
	ctx := t.Context()
	boom := errors.New("boom")
	err := s.Tx(ctx, func(tx store.Tx) error {
		if err := tx.InsertCustomer(ctx, fullCustomer("cus_1", at(0))); err != nil {
			return err
		}
		if err := tx.InsertDispute(ctx, openDispute("dsp_1", "ord_1", at(0))); err != nil {
			return err
		}
		return boom
	})
	if err != boom { // returned as it is, not wrapped
		t.Errorf("Tx returned %v, want fn's error itself", err)
	}
	wantErr(t, "customer of a rolled back Tx", func() error { _, err := s.GetCustomer(ctx, "cus_1"); return err }(), store.ErrNotFound)
	wantErr(t, "dispute of a rolled back Tx", func() error { _, err := s.GetDispute(ctx, "dsp_1"); return err }(), store.ErrNotFound)
	// Nothing of it lingers: the same order may get an open dispute.
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, openDispute("dsp_2", "ord_1", at(1))) })
}

func testTxRollbackOnPanic(t *testing.T, s store.Store) {
	ctx := t.Context()
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the panic to go on with \"boom\"", r)
			}
		}()
		_ = s.Tx(ctx, func(tx store.Tx) error {
			if err := tx.InsertCustomer(ctx, fullCustomer("cus_1", at(0))); err != nil {
				t.Errorf("InsertCustomer: %v", err)
			}
			panic("boom")
		})
	}()
	wantErr(t, "customer of a panicked Tx", func() error { _, err := s.GetCustomer(ctx, "cus_1"); return err }(), store.ErrNotFound)
	// The write connection was given back: the next transaction runs.
	write(t, s, func(tx store.Tx) error { return tx.InsertCustomer(ctx, fullCustomer("cus_1", at(0))) })
}

func testTxReadsOwnWrites(t *testing.T, s store.Store) {
	ctx := t.Context()
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertDispute(ctx, openDispute("dsp_1", "ord_1", at(0))); err != nil {
			return err
		}
		if _, err := tx.GetDispute(ctx, "dsp_1"); err != nil {
			t.Errorf("reading a dispute written in the same Tx: %v", err)
		}
		if d, err := tx.OpenDisputeOfOrder(ctx, "ord_1"); err != nil || d.ID != "dsp_1" {
			t.Errorf("OpenDisputeOfOrder in the same Tx = %s, %v; want dsp_1", d.ID, err)
		}
		list, err := tx.ListDisputes(ctx, store.DisputeFilter{OrderID: "ord_1"})
		if err != nil || len(list) != 1 {
			t.Errorf("ListDisputes in the same Tx = %v, %v; want dsp_1", disputeIDs(list), err)
		}
		// Until the commit, other readers do not see it.
		if _, err := s.GetDispute(ctx, "dsp_1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a reader outside the Tx got %v before the commit, want store.ErrNotFound", err)
		}
		return nil
	})
	if _, err := s.GetDispute(ctx, "dsp_1"); err != nil {
		t.Errorf("after the commit: %v", err)
	}
}
