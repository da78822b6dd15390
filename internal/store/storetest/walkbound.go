package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// testWalkDisputesBound: a filter that no index narrows, matching the first and the last
// dispute of a walk more than twice its bound long, stops at the bound with a partial or empty
// page, and the pages that follow (Next) find every match once, in the list's order, as the
// unbounded list does: newest and oldest first along the created_at index, along a status's and
// a tag's index, by amount and by due date (the undated disputes last).
func testWalkDisputesBound(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n, readAtMost = 31, 10
	var first, last string
	write(t, s, func(tx store.Tx) error {
		for i := range n {
			d := openDispute(fmt.Sprintf("dsp_walk_%02d", i), "", at(int64(i)))
			d.Amount, d.Tags = int64(100+i), []string{"all"}
			if i%3 != 2 {
				d.DueBy = at(time.Hour.Milliseconds() + int64(i))
			}
			if i == 0 || i == n-1 {
				d.Provider, d.Type = "paypal", dispute.Manual
			}
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	first, last = "dsp_walk_00", fmt.Sprintf("dsp_walk_%02d", n-1)
	for _, c := range []struct {
		name string
		f    store.DisputeFilter
	}{
		{"newest first", store.DisputeFilter{Provider: "paypal"}},
		{"oldest first", store.DisputeFilter{Provider: "paypal", Sort: store.SortOldest}},
		{"along a status", store.DisputeFilter{Status: string(dispute.NeedsResponse), Type: string(dispute.Manual)}},
		{"along a tag", store.DisputeFilter{Tag: "all", Provider: "paypal"}},
		{"by amount", store.DisputeFilter{Provider: "paypal", Sort: store.SortAmount}},
		{"by due date", store.DisputeFilter{Provider: "paypal", Sort: store.SortDue}},
	} {
		t.Run(c.name, func(t *testing.T) {
			all, err := s.ListDisputes(ctx, c.f)
			noErr(t, "ListDisputes", err)
			want := disputeIDs(all)
			if !slices.Contains(want, first) || !slices.Contains(want, last) || len(want) != 2 {
				t.Fatalf("the unbounded list: %v, want %s and %s", want, first, last)
			}
			f := c.f
			f.Limit = 2
			var got []string
			stops := 0
			for page := 0; ; page++ {
				if page > n {
					t.Fatalf("more than %d pages: the walk does not move on (found %v)", n, got)
				}
				w, err := s.WalkDisputes(ctx, f, readAtMost)
				noErr(t, "WalkDisputes", err)
				if w.Stopped {
					stops++
					if len(w.Disputes) > f.Limit {
						t.Fatalf("page %d stopped with %d disputes, more than the page's %d", page, len(w.Disputes), f.Limit)
					}
				}
				ds, next, more := w.Next(f)
				got = append(got, disputeIDs(ds)...)
				if !more {
					break
				}
				f = next
			}
			same(t, "the matches, page after page", got, want)
			if stops < 2 {
				t.Errorf("the walk stopped %d times at its bound of %d among %d disputes, want at least 2", stops, readAtMost, n)
			}
		})
	}
}
