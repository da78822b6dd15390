package storetest

import (
	"fmt"
	"testing"

	"disputed/internal/store"
)

// testListDisputesDueEarly: disputes due before a date that more disputes than the store sorts
// are due before, and none of the newest (the oldest disputes' early dates), are read newest
// first through the due dates' index: the same pages, by cursor and by offset, as the
// newest-first walk gives.
func testListDisputesDueEarly(t *testing.T, s store.Store) {
	ctx := t.Context()
	const early, late = 5100, 1100
	const hour = 3_600_000
	var ids []string // the early ones, newest first
	write(t, s, func(tx store.Tx) error {
		for i := range early + late {
			d := openDispute(fmt.Sprintf("dsp_%05d", i), "", at(int64(i/2))) // two a millisecond: ties broken by id
			d.DueBy = at(hour + int64(i))
			if i >= early {
				d.DueBy = at(1000 * hour)
			} else {
				ids = append([]string{d.ID}, ids...)
			}
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	due := at(2 * hour)
	page := func(p store.Page) []string {
		t.Helper()
		got, err := s.ListDisputes(ctx, store.DisputeFilter{DueBefore: due, Page: p})
		noErr(t, "ListDisputes", err)
		return disputeIDs(got)
	}
	same(t, "the first page and one more", page(store.Page{Limit: 3}), ids[:4])
	after, err := s.GetDispute(ctx, ids[2])
	noErr(t, "GetDispute", err)
	same(t, "after the first page's last (its cursor)", page(store.Page{Limit: 3, AfterCreated: after.CreatedAt, AfterID: after.ID}), ids[3:7])
	same(t, "by offset", page(store.Page{Limit: 2, Offset: 5000}), ids[5000:5003])
	same(t, "the last page", page(store.Page{Limit: 2, Offset: early - 1}), ids[early-1:])
	all, err := s.ListDisputes(ctx, store.DisputeFilter{DueBefore: due})
	noErr(t, "ListDisputes", err)
	same(t, "all of them", disputeIDs(all), ids)
}
