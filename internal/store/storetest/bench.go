package storetest

import (
	"fmt"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// Benchmark measures the common operations of a store; open returns a fresh, empty store.
// Each write runs in a transaction of its own, as the app's use cases do.
func Benchmark(b *testing.B, open func(b *testing.B) store.Store) {
	b.Run("InsertDispute", func(b *testing.B) {
		s := open(b)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			d := benchDispute(i)
			if err := s.Tx(ctx, func(tx store.Tx) error { return tx.InsertDispute(ctx, d) }); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("UpdateDispute", func(b *testing.B) {
		s := open(b)
		ctx := b.Context()
		d := benchDispute(0)
		if err := s.Tx(ctx, func(tx store.Tx) error { return tx.InsertDispute(ctx, d) }); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			err := s.Tx(ctx, func(tx store.Tx) error {
				cur, err := tx.GetDispute(ctx, d.ID)
				if err != nil {
					return err
				}
				cur.Revision++
				cur.EvidenceItems++
				return tx.UpdateDispute(ctx, cur, cur.Revision-1)
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GetDispute", func(b *testing.B) {
		s := seeded(b, open, 1000)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			if _, err := s.GetDispute(ctx, benchDispute(i%1000).ID); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("GetDisputeParallel", func(b *testing.B) {
		s := seeded(b, open, 1000)
		ctx := b.Context()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := s.GetDispute(ctx, benchDispute(i%1000).ID); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
	b.Run("ListDisputesPage", func(b *testing.B) {
		s := seeded(b, open, 1000)
		ctx := b.Context()
		for b.Loop() {
			ds, err := s.ListDisputes(ctx, store.DisputeFilter{Page: store.Page{Limit: 50}, Tag: "even"})
			if err != nil || len(ds) != 51 {
				b.Fatalf("got %d disputes, %v; want 51", len(ds), err)
			}
		}
	})
}

// benchDispute is the i-th dispute of a benchmark: every other one tagged "even".
func benchDispute(i int) dispute.Dispute {
	d := fullDispute(fmt.Sprintf("dsp_%08d", i), fmt.Sprintf("ord_%08d", i), at(int64(i)))
	d.Status, d.Resolution = dispute.Open, ""
	if i%2 == 0 {
		d.Tags = append(d.Tags, "even")
	}
	return d
}

// seeded returns a store holding n benchmark disputes.
func seeded(b *testing.B, open func(b *testing.B) store.Store, n int) store.Store {
	b.Helper()
	s := open(b)
	ctx := b.Context()
	err := s.Tx(ctx, func(tx store.Tx) error {
		for i := range n {
			if err := tx.InsertDispute(ctx, benchDispute(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}
