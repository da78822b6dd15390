package storetest

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

func testUpdateDispute(t *testing.T, s store.Store) {
	ctx := t.Context()
	d := openDispute("dsp_1", "ord_1", at(0))
	d.Tags = []string{"old", "keep"}
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, d) })

	// An accepted change writes every field and the new revision.
	next := fullDispute(d.ID, "ord_1", at(0))
	next.Status, next.Resolution = dispute.NeedsResponse, ""
	next.Tags = []string{"keep", "new"}
	next.Revision = d.Revision + 1
	write(t, s, func(tx store.Tx) error { return tx.UpdateDispute(ctx, next, d) })
	got, err := s.GetDispute(ctx, d.ID)
	noErr(t, "GetDispute", err)
	same(t, "updated dispute", got, next)

	// A stale revision changes nothing.
	stale := next
	stale.Reason, stale.Revision = "stale", next.Revision+1
	wantErr(t, "update at a stale revision", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateDispute(ctx, stale, d) }), store.ErrConflict)
	got, err = s.GetDispute(ctx, d.ID)
	noErr(t, "GetDispute", err)
	same(t, "dispute after a stale update", got, next)

	// A missing dispute is not a conflict.
	missing := openDispute("dsp_x", "", at(0))
	missingNext := missing
	missingNext.Revision++
	wantErr(t, "update of a missing dispute", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateDispute(ctx, missingNext, missing) }), store.ErrNotFound)

	// The tag filter follows the tags.
	for tag, want := range map[string][]string{"old": {}, "keep": {d.ID}, "new": {d.ID}} {
		list, err := s.ListDisputes(ctx, store.DisputeFilter{Tag: tag})
		noErr(t, "ListDisputes", err)
		same(t, "disputes tagged "+tag, disputeIDs(list), want)
	}

	// Ending the dispute frees its order for another one.
	ended := next
	ended.Status, ended.Resolution, ended.Revision = dispute.Lost, dispute.ResolutionLost, next.Revision+1
	write(t, s, func(tx store.Tx) error { return tx.UpdateDispute(ctx, ended, next) })
	wantErr(t, "open dispute of the order", func() error { _, err := s.OpenDisputeOfOrder(ctx, "ord_1"); return err }(), store.ErrNotFound)
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, openDispute("dsp_2", "ord_1", at(1))) })
	open, err := s.OpenDisputeOfOrder(ctx, "ord_1")
	noErr(t, "OpenDisputeOfOrder", err)
	if open.ID != "dsp_2" {
		t.Errorf("open dispute of ord_1 is %s, want dsp_2", open.ID)
	}

	// Reopening the ended one while another is open would make two.
	reopened := ended
	reopened.Status, reopened.Revision = dispute.NeedsResponse, ended.Revision+1
	wantErr(t, "reopening a second dispute", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateDispute(ctx, reopened, ended) }), store.ErrConflict)
}

// testUpdateDisputeConcurrent runs many read-modify-write transactions on one dispute at once.
// Whatever the database serialises, every accepted change must add exactly one to the revision
// and every refused one must be a conflict.
func testUpdateDisputeConcurrent(t *testing.T, s store.Store) {
	const writers = 50
	ctx := t.Context()
	d := openDispute("dsp_1", "", at(0))
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, d) })

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		written []int64 // the revision each accepted change wrote
		errs    []error
	)
	for range writers {
		wg.Go(func() {
			var rev int64
			err := s.Tx(ctx, func(tx store.Tx) error {
				cur, err := tx.GetDispute(ctx, d.ID)
				if err != nil {
					return err
				}
				prev := cur
				cur.Revision++
				cur.EvidenceItems++
				rev = cur.Revision
				return tx.UpdateDispute(ctx, cur, prev)
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			written = append(written, rev)
		})
	}
	wg.Wait()

	for _, err := range errs {
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("a losing writer got %v, want store.ErrConflict", err)
		}
	}
	if len(written) == 0 {
		t.Fatal("no writer succeeded")
	}
	slices.Sort(written)
	for i, rev := range written {
		if want := int64(i + 2); rev != want {
			t.Fatalf("accepted revisions %v are not 2, 3, … in steps of one", written)
		}
	}
	got, err := s.GetDispute(ctx, d.ID)
	noErr(t, "GetDispute", err)
	if want := int64(1 + len(written)); got.Revision != want || got.EvidenceItems != len(written) {
		t.Errorf("after %d accepted changes: revision %d, evidence items %d; want %d and %d",
			len(written), got.Revision, got.EvidenceItems, want, len(written))
	}
	t.Logf("%d of %d writers succeeded", len(written), writers)
}

func testUpdateOrder(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := simpleOrder("ord_1", "cus_1", "", order.Pending, at(0))
	write(t, s, func(tx store.Tx) error { return tx.InsertOrder(ctx, o) })

	next := fullOrder(o.ID, at(0))
	next.Revision = o.Revision
	write(t, s, func(tx store.Tx) error { return tx.UpdateOrder(ctx, next) })
	got, err := s.GetOrder(ctx, o.ID)
	noErr(t, "GetOrder", err)
	want := next
	want.Revision = o.Revision + 1 // the store bumps it
	same(t, "updated order", got, want)

	stale := next // still at the old revision
	stale.Status = order.Refunded
	wantErr(t, "update at a stale revision", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateOrder(ctx, stale) }), store.ErrConflict)
	got, err = s.GetOrder(ctx, o.ID)
	noErr(t, "GetOrder", err)
	same(t, "order after a stale update", got, want)

	missing := simpleOrder("ord_x", "cus_1", "", order.Pending, at(0))
	wantErr(t, "update of a missing order", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateOrder(ctx, missing) }), store.ErrNotFound)
}

func testUpdateLine(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := simpleOrder("ord_1", "cus_1", "", order.Completed, at(0))
	l := order.Line{ID: "lin_1", OrderID: o.ID, Panel: "manual", ExternalID: "x", State: order.LineActive, Revision: 1,
		CreatedAt: at(0), UpdatedAt: at(0)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertOrder(ctx, o); err != nil {
			return err
		}
		return tx.InsertLine(ctx, l)
	})

	next := l
	next.State, next.PendingAction, next.Manual, next.PendingReason, next.UpdatedAt = order.LineSuspended, order.Terminate, true, "no terminate", at(5)
	write(t, s, func(tx store.Tx) error { return tx.UpdateLine(ctx, next) })
	got, err := s.GetLine(ctx, l.ID)
	noErr(t, "GetLine", err)
	want := next
	want.Revision = 2
	same(t, "updated line", got, want)

	wantErr(t, "update at a stale revision", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateLine(ctx, next) }), store.ErrConflict)
	got, err = s.GetLine(ctx, l.ID)
	noErr(t, "GetLine", err)
	same(t, "line after a stale update", got, want)

	missing := l
	missing.ID = "lin_x"
	wantErr(t, "update of a missing line", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateLine(ctx, missing) }), store.ErrNotFound)
}

func testOneOpenDisputePerOrder(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := openDispute("dsp_1", "ord_1", at(0))
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, first) })

	wantErr(t, "a second open dispute", s.Tx(ctx, func(tx store.Tx) error {
		return tx.InsertDispute(ctx, openDispute("dsp_2", "ord_1", at(1)))
	}), store.ErrConflict)
	wantErr(t, "the refused dispute", func() error { _, err := s.GetDispute(ctx, "dsp_2"); return err }(), store.ErrNotFound)

	// An ended dispute on the order does not count.
	ended := openDispute("dsp_3", "ord_2", at(2))
	ended.Status = dispute.Won
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertDispute(ctx, ended); err != nil {
			return err
		}
		return tx.InsertDispute(ctx, openDispute("dsp_4", "ord_2", at(3)))
	})

	// Disputes on no order never conflict.
	write(t, s, func(tx store.Tx) error {
		for _, id := range []string{"dsp_5", "dsp_6", "dsp_7"} {
			if err := tx.InsertDispute(ctx, openDispute(id, "", at(4))); err != nil {
				return err
			}
		}
		return nil
	})
	list, err := s.ListDisputes(ctx, store.DisputeFilter{})
	noErr(t, "ListDisputes", err)
	if len(list) != 6 {
		t.Errorf("listed %d disputes %v, want 6", len(list), disputeIDs(list))
	}
}

// testConflictKeepsTxUsable checks that a refused insert leaves the transaction usable: the app
// may carry on after one (a value already on the block list), and on PostgreSQL an error raised
// by the database would abort the whole transaction.
func testConflictKeepsTxUsable(t *testing.T, s store.Store) {
	ctx := t.Context()
	b := store.Block{ID: "blk_1", Kind: "email", Value: "a@example.com", CreatedAt: at(0)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertBlock(ctx, b); err != nil {
			return err
		}
		return tx.InsertDispute(ctx, openDispute("dsp_1", "ord_1", at(0)))
	})
	write(t, s, func(tx store.Tx) error {
		again := b
		again.ID = "blk_2"
		wantErr(t, "blocking a blocked value", tx.InsertBlock(ctx, again), store.ErrConflict)
		wantErr(t, "a second open dispute", tx.InsertDispute(ctx, openDispute("dsp_2", "ord_1", at(1))), store.ErrConflict)
		return tx.InsertBlock(ctx, store.Block{ID: "blk_3", Kind: "email", Value: "b@example.com", CreatedAt: at(1)})
	})
	if _, err := s.FindBlock(ctx, "email", "b@example.com"); err != nil {
		t.Errorf("the write after the conflicts was lost: %v", err)
	}
}
