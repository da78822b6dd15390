package storetest

import (
	"fmt"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
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
	// A charge is counted in its day's sales (sales_days); a refund, the same row otherwise, is
	// not: the difference between the two is what the counter costs a sale.
	for _, kind := range []order.Kind{order.Charge, order.Refund} {
		b.Run("InsertTransaction/"+string(kind), func(b *testing.B) {
			s := open(b)
			ctx := b.Context()
			i := 0
			for b.Loop() {
				t := charge(fmt.Sprintf("txn_%09d", i), "", 1000, at(int64(i)))
				t.Kind, t.Purchase.CardNetwork = kind, "visa"
				if err := s.Tx(ctx, func(tx store.Tx) error { return tx.InsertTransaction(ctx, t) }); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
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
				prev := cur
				cur.Revision++
				cur.EvidenceItems++
				return tx.UpdateDispute(ctx, cur, prev)
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
	b.Run("ClaimFinish", func(b *testing.B) { benchClaimFinish(b, open(b)) })
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

// benchClaimFinish is a job runner's work: each round schedules a batch of due jobs (not
// counted), claims them in one transaction and finishes each in a transaction of its own. It
// reports the time of the claim and the finishes per job; ns/op includes the scheduling.
func benchClaimFinish(b *testing.B, s store.Store) {
	const batch = 100
	ctx := b.Context()
	var claiming, finishing time.Duration
	n := 0
	for b.Loop() {
		err := s.Tx(ctx, func(tx store.Tx) error {
			for i := range batch {
				j := store.Job{ID: fmt.Sprintf("job_%09d", n+i), Kind: "bench", Args: []byte(`{"dispute_id":"dsp_1"}`),
					RunAt: at(int64(n + i)), MaxAttempts: 5, CreatedAt: at(int64(n + i))}
				if _, err := tx.ScheduleJob(ctx, j); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		now := at(int64(n + batch))
		start := time.Now()
		var claimed []store.Job
		err = s.Tx(ctx, func(tx store.Tx) error {
			var err error
			claimed, err = tx.ClaimJobs(ctx, store.ClaimParams{Runner: "bench", Kinds: []string{"bench"}, Now: now,
				Lease: time.Minute, Limit: batch})
			return err
		})
		if err != nil || len(claimed) != batch {
			b.Fatalf("claimed %d jobs, %v; want %d", len(claimed), err, batch)
		}
		claimedAt := time.Now()
		claiming += claimedAt.Sub(start)
		for _, j := range claimed {
			err := s.Tx(ctx, func(tx store.Tx) error {
				return tx.FinishJob(ctx, store.FinishParams{ID: j.ID, Runner: "bench", Attempt: j.Attempts, Now: now})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		finishing += time.Since(claimedAt)
		n += batch
	}
	perJob := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(n) }
	b.ReportMetric(perJob(claiming+finishing), "µs/job")
	b.ReportMetric(perJob(claiming), "claim-µs/job")
	b.ReportMetric(perJob(finishing), "finish-µs/job")
}
