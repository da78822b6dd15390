package batch_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/batch"
	"disputed/internal/store/pgtest"
	"disputed/internal/testenv"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestWritesArrivingTogetherAreEachKeptOrUndoneAlone: many writes at the same moment, one of
// which fails after writing: every write answered without an error is stored, the failed one is
// answered with its own error and left nothing behind, on both stores (batched on SQLite, alone on
// PostgreSQL).
func TestWritesArrivingTogetherAreEachKeptOrUndoneAlone(t *testing.T) {
	t.Parallel()
	broken := errors.New("broken write")
	for _, name := range testenv.Kinds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := testenv.Store(t, name)
			alone := 0
			var mu sync.Mutex
			q := batch.New(st, func(ctx context.Context, w func(context.Context, store.Tx) error) error {
				mu.Lock()
				alone++
				mu.Unlock()
				return st.Tx(ctx, func(tx store.Tx) error { return w(ctx, tx) })
			})
			const writes = 40
			errs := make([]error, writes)
			var wg sync.WaitGroup
			for i := range writes {
				wg.Go(func() {
					errs[i] = q.Write(context.Background(), func(ctx context.Context, tx store.Tx) error {
						b := store.Block{ID: fmt.Sprintf("blk_%02d", i), Kind: "email", Value: fmt.Sprintf("w%02d@example.com", i),
							CreatedBy: "test", CreatedAt: time.Unix(1_700_000_000, 0).UTC()}
						if err := tx.InsertBlock(ctx, b); err != nil {
							return err
						}
						if i == 7 {
							return broken
						}
						return nil
					})
				})
			}
			wg.Wait()
			for i, err := range errs {
				var want error
				if i == 7 {
					want = broken
				}
				if !errors.Is(err, want) {
					t.Errorf("write %d: %v, want %v", i, err, want)
				}
			}
			blocks, err := st.ListBlocks(context.Background(), store.BlockFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(blocks) != writes-1 {
				t.Errorf("%d entries stored, want %d", len(blocks), writes-1)
			}
			for _, b := range blocks {
				if b.ID == "blk_07" {
					t.Errorf("the failed write's entry is stored: %+v", b)
				}
			}
			if st.Writers() > 1 && alone != writes {
				t.Errorf("%d of %d writes written alone on a store with %d writers", alone, writes, st.Writers())
			}
		})
	}
}
