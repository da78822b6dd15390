package app_test

import (
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestCostlyListsInFlight: a caller with two costly dispute lists in flight (a text query, the
// order by amount, a due date over every dispute) is refused a third, 429 naming the filter,
// while its cheap lists, and the costly lists of other callers, are answered; once one of its
// lists has answered, it may send another.
func TestCostlyListsInFlight(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		e.Dispute(sale, "chargeback", func(p *app.DisputeParams) { p.DueBy = e.Clock.Now().AddDate(0, 0, 7) })
		other := actor.Key("key_other_admin", actor.Admin, "")
		first, second := e.App.HoldCostlyList(testenv.Admin), e.App.HoldCostlyList(testenv.Admin)
		defer second()

		for _, c := range []struct {
			param string
			f     store.DisputeFilter
		}{
			{"q", store.DisputeFilter{Query: "fraud"}},
			{"sort", store.DisputeFilter{Sort: store.SortAmount}},
			{"due_before", store.DisputeFilter{DueBefore: e.Clock.Now().Add(time.Hour)}},
		} {
			_, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, c.f, nil)
			f, ok := fault.As(err)
			if !ok || f.Kind != fault.RateLimited || f.Code != fault.CodeTooManyInFlight || f.Param != c.param {
				t.Errorf("a third list by %s: %v; want 429 too_many_in_flight naming %s", c.param, err, c.param)
			}
		}
		if _, err := e.App.SearchDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{Query: "fraud", QueryRelated: true}); err == nil {
			t.Error("the admin UI's search was answered beyond the caller's costly lists in flight")
		}
		cheap := []store.DisputeFilter{{}, {Status: "needs_response"}, {OrderID: sale.Order.ID},
			{DueBefore: e.Clock.Now().AddDate(0, 2, 0), OpenOnly: true}}
		for _, f := range cheap {
			if ds, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, f, nil); err != nil || len(ds) != 1 {
				t.Errorf("a cheap list %+v: %d disputes, %v", f, len(ds), err)
			}
		}
		if ds, _, err := e.App.ListDisputes(e.Ctx, other, store.DisputeFilter{Sort: store.SortAmount}, nil); err != nil || len(ds) != 1 {
			t.Errorf("another caller's costly list: %d disputes, %v", len(ds), err)
		}

		first()
		if ds, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{Sort: store.SortAmount}, nil); err != nil || len(ds) != 1 {
			t.Errorf("a costly list once one has answered: %d disputes, %v", len(ds), err)
		}
	})
}

// TestAnExportIsOneCostlyListThroughout: an export with a costly filter is one of its caller's
// costly lists in flight from its first page to its last, not only while a page is read, so that
// another list cannot take its place between two pages and cut the download off with a 429.
func TestAnExportIsOneCostlyListThroughout(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		const disputes = 2*testenv.ExportPage + 1 // three pages
		for range disputes {
			sale := e.Sale(testenv.SaleParams{Amount: 1000})
			e.Dispute(sale, "chargeback", func(p *app.DisputeParams) { p.Description = "friendly fraud" })
		}
		defer e.App.HoldCostlyList(testenv.Admin)()

		exported, pages := 0, 0
		err := e.App.ExportDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{Query: "friendly"}, nil, func(ds []dispute.Dispute) error {
			exported, pages = exported+len(ds), pages+1
			_, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{Sort: store.SortAmount}, nil)
			if f, ok := fault.As(err); !ok || f.Code != fault.CodeTooManyInFlight {
				t.Errorf("a costly list between the export's pages %d and %d: %v; want 429 too_many_in_flight", pages, pages+1, err)
			}
			return nil
		})
		if err != nil || exported != disputes || pages < 3 {
			t.Errorf("the export: %d disputes in %d pages, %v; want %d in 3 or more", exported, pages, err, disputes)
		}
		if _, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{Sort: store.SortAmount}, nil); err != nil {
			t.Errorf("a costly list once the export has ended: %v", err)
		}
	})
}
