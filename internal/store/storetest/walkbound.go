package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
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

// testWalkTransactionsBound: a kind and a provider, which no index narrows, matching the first
// and the last transaction of a walk more than twice its bound long, stop at the bound with a
// partial or empty page, and the pages that follow (Next) find every match once, newest first,
// as the unbounded list does: along the created_at index, a customer's index, within a time
// range, and from an offset (the rows it skips counted in the bound).
func testWalkTransactionsBound(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n, readAtMost = 31, 10
	write(t, s, func(tx store.Tx) error {
		for i := range n {
			tr := charge(fmt.Sprintf("txn_walk_%02d", i), "ord_walk", 100, at(int64(i)))
			tr.CustomerID = "cus_walk"
			if i == 0 || i == n-1 {
				tr.Kind, tr.Provider = order.Refund, "paypal"
			}
			if err := tx.InsertTransaction(ctx, tr); err != nil {
				return err
			}
		}
		return nil
	})
	first, last := "txn_walk_00", fmt.Sprintf("txn_walk_%02d", n-1)
	for _, c := range []struct {
		name string
		f    store.TransactionFilter
		want []string
	}{
		{"newest first", store.TransactionFilter{Provider: "paypal"}, []string{last, first}},
		{"along a customer", store.TransactionFilter{CustomerID: "cus_walk", Kind: string(order.Refund)}, []string{last, first}},
		{"within a time range", store.TransactionFilter{Provider: "paypal", Created: store.Created{Before: at(n - 1)}}, []string{first}},
		{"from an offset", store.TransactionFilter{Provider: "paypal", Page: store.Page{Offset: 1}}, []string{first}},
	} {
		t.Run(c.name, func(t *testing.T) {
			all, err := s.ListTransactions(ctx, c.f)
			noErr(t, "ListTransactions", err)
			same(t, "the unbounded list", transactionIDs(all), c.want)
			followWalk(t, c.f.Page, n, readAtMost, c.want, func(p store.Page) (store.Walk[order.Transaction], error) {
				f := c.f
				f.Page = p
				return s.WalkTransactions(ctx, f, readAtMost)
			}, func(tr order.Transaction) (time.Time, string) { return tr.CreatedAt, tr.ID })
		})
	}
}

// testWalkJobsBound: a kind, which no index serves, matching the first and the last job of a
// walk more than twice its bound long, stops at the bound, and the pages that follow find every
// match once, newest first, as the unbounded list does: along the created_at index, along a
// state's index (its few jobs, sorted), and from an offset.
func testWalkJobsBound(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n, readAtMost = 31, 10
	write(t, s, func(tx store.Tx) error {
		for i := range n {
			j := job(fmt.Sprintf("job_walk_%02d", i), "common", int64(i))
			j.CreatedAt = at(int64(i))
			if i == 0 || i == n-1 {
				j.Kind = "rare"
			}
			if _, err := tx.ScheduleJob(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	first, last := "job_walk_00", fmt.Sprintf("job_walk_%02d", n-1)
	for _, c := range []struct {
		name string
		f    store.JobFilter
		want []string
	}{
		{"newest first", store.JobFilter{Kind: "rare"}, []string{last, first}},
		{"along a state", store.JobFilter{State: store.JobScheduled, Kind: "rare"}, []string{last, first}},
		{"from an offset", store.JobFilter{Kind: "rare", Page: store.Page{Offset: 1}}, []string{first}},
	} {
		t.Run(c.name, func(t *testing.T) {
			all, err := s.ListJobs(ctx, c.f)
			noErr(t, "ListJobs", err)
			same(t, "the unbounded list", jobIDs(all), c.want)
			followWalk(t, c.f.Page, n, readAtMost, c.want, func(p store.Page) (store.Walk[store.Job], error) {
				f := c.f
				f.Page = p
				return s.WalkJobs(ctx, f, readAtMost)
			}, func(j store.Job) (time.Time, string) { return j.CreatedAt, j.ID })
		})
	}
}

// testWalkProviderEventsBound: a state, and a provider with a state, matching the first and the
// last event of a walk more than twice its bound long, stop at the bound, and the pages that
// follow find every match once, newest first, as the unbounded list does: along the index of the
// events not applied, along the unique index on id, along a provider's few events (read through
// its index and sorted), from an offset, and after a cursor that names the id alone. A provider
// with few events comes whole in one page, where a walk of the inbox would stop at its bound.
func testWalkProviderEventsBound(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n, readAtMost = 31, 10
	id := func(i int) string { return fmt.Sprintf("pev_walk_%02d", i) }
	write(t, s, func(tx store.Tx) error {
		evs := make([]store.ProviderEvent, n)
		for i := range evs {
			evs[i] = store.ProviderEvent{ID: id(i), Provider: "paypal", EventID: fmt.Sprintf("evt_walk_%02d", i), Type: "charge.dispute.updated",
				ReceivedAt: at(int64(i)), Payload: []byte(`{}`)}
			if i == 1 || i == n-2 {
				evs[i].Provider = "stripe"
			}
		}
		stored, err := tx.AppendProviderEvents(ctx, evs)
		if err != nil {
			return err
		}
		var settled []store.ProviderEvent
		for i, e := range stored {
			switch i {
			case 0, n - 1:
				e.State, e.Attempts, e.Error, e.NextAttempt = store.EventFailed, 1, "no such provider", at(time.Hour.Milliseconds())
			case 1, n - 2:
				e.State, e.Applied, e.AppliedAt = store.EventApplied, true, at(n)
			default:
				continue
			}
			settled = append(settled, e)
		}
		return tx.SettleProviderEvents(ctx, settled)
	})
	first, last := id(0), id(n-1)
	for _, c := range []struct {
		name string
		f    store.ProviderEventFilter
		want []string
	}{
		{"along the events not applied", store.ProviderEventFilter{State: store.EventFailed}, []string{last, first}},
		{"the applied ones", store.ProviderEventFilter{State: store.EventApplied}, []string{id(n - 2), id(1)}},
		{"along a provider's few events", store.ProviderEventFilter{Provider: "paypal", State: store.EventFailed}, []string{last, first}},
		{"from an offset", store.ProviderEventFilter{State: store.EventFailed, Page: store.Page{Offset: 1}}, []string{first}},
		{"after an id", store.ProviderEventFilter{Provider: "paypal", State: store.EventFailed, Page: store.Page{AfterID: last}}, []string{first}},
	} {
		t.Run(c.name, func(t *testing.T) {
			all, err := s.ListProviderEvents(ctx, c.f)
			noErr(t, "ListProviderEvents", err)
			same(t, "the unbounded list", providerEventIDs(all), c.want)
			followWalk(t, c.f.Page, n, readAtMost, c.want, func(p store.Page) (store.Walk[store.ProviderEvent], error) {
				f := c.f
				f.Page = p
				return s.WalkProviderEvents(ctx, f, readAtMost)
			}, func(e store.ProviderEvent) (time.Time, string) { return e.ReceivedAt, e.ID })
		})
	}
	whole, err := s.WalkProviderEvents(ctx, store.ProviderEventFilter{Provider: "stripe", Page: store.Page{Limit: 50}}, readAtMost)
	noErr(t, "WalkProviderEvents", err)
	if whole.Stopped {
		t.Errorf("a provider's two events stopped at the bound of %d: the inbox was walked, not the provider's index", readAtMost)
	}
	same(t, "a provider's few events, in one page", providerEventIDs(whole.Rows), []string{id(n - 2), id(1)})
}

// providerEventIDs are the ids of evs, in order.
func providerEventIDs(evs []store.ProviderEvent) []string {
	return ids(evs, func(e store.ProviderEvent) string { return e.ID })
}

// followWalk reads the pages of 2 of a list from p on with walk (a bound of readAtMost among n
// rows), each after the one before (Walk.Next), and checks that they find want once, in order,
// and that at least two stopped at the bound, none with more rows than its page.
func followWalk[T any](t *testing.T, p store.Page, n, readAtMost int, want []string, walk func(store.Page) (store.Walk[T], error),
	key func(T) (time.Time, string)) {
	t.Helper()
	p.Limit = 2
	var got []string
	stops := 0
	for page := 0; ; page++ {
		if page > n {
			t.Fatalf("more than %d pages: the walk does not move on (found %v)", n, got)
		}
		w, err := walk(p)
		noErr(t, "the walk", err)
		if w.Stopped {
			stops++
			if len(w.Rows) > p.Limit {
				t.Fatalf("page %d stopped with %d rows, more than the page's %d", page, len(w.Rows), p.Limit)
			}
		}
		rows, next, more := w.Next(p, key)
		for _, r := range rows {
			_, id := key(r)
			got = append(got, id)
		}
		if !more {
			break
		}
		p = next
	}
	same(t, "the matches, page after page", got, want)
	if stops < 2 {
		t.Errorf("the walk stopped %d times at its bound of %d among %d rows, want at least 2", stops, readAtMost, n)
	}
}

// transactionIDs are the ids of ts, in order.
func transactionIDs(ts []order.Transaction) []string {
	ids := make([]string, 0, len(ts))
	for _, tr := range ts {
		ids = append(ids, tr.ID)
	}
	return ids
}
