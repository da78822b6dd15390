package storetest

import (
	"fmt"
	"testing"

	"disputed/internal/order"
	"disputed/internal/store"
)

// activityOrder writes an order with two lines, lin_1 and lin_2.
func activityOrder(t *testing.T, s store.Store) {
	t.Helper()
	o := simpleOrder("ord_1", "cus_1", "", order.Completed, at(0))
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertOrder(t.Context(), o); err != nil {
			return err
		}
		for _, id := range []string{"lin_1", "lin_2"} {
			if err := tx.InsertLine(t.Context(), fullLine(id, o.ID, at(1))); err != nil {
				return err
			}
		}
		return nil
	})
}

func activity(id, lineID string, atMS int64) order.Activity {
	return order.Activity{ID: id, LineID: lineID, OrderID: "ord_1", Kind: "sign_in", IP: "2001:db8::1", At: at(atMS),
		Detail: "web, Zoë's laptop", Source: order.FromPanel, CreatedAt: at(100_000)}
}

// insertActivity keeps a and reports the entry kept and whether it was new.
func insertActivity(t *testing.T, s store.Store, a order.Activity) (order.Activity, bool) {
	t.Helper()
	var (
		kept order.Activity
		made bool
	)
	write(t, s, func(tx store.Tx) error {
		var err error
		kept, made, err = tx.InsertActivity(t.Context(), a)
		return err
	})
	return kept, made
}

func testActivityRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	activityOrder(t, s)
	a := activity("act_1", "lin_1", 10)
	allSet(t, a)
	kept, made := insertActivity(t, s, a)
	if !made {
		t.Fatal("a new entry was not kept")
	}
	same(t, "inserted", kept, a)
	got, err := s.ListActivity(ctx, store.ActivityFilter{LineID: "lin_1"})
	noErr(t, "ListActivity", err)
	same(t, "listed", got, []order.Activity{a})

	// The same use reported again, by another source and under another id, is the entry kept.
	again := a
	again.ID, again.Source, again.CreatedAt = "act_2", order.FromAPI, at(200_000)
	kept, made = insertActivity(t, s, again)
	if made {
		t.Fatal("a repeat was kept twice")
	}
	same(t, "repeat", kept, a)
	// On another line, or with another detail, it is another entry.
	other := again
	other.LineID = "lin_2"
	if _, made := insertActivity(t, s, other); !made {
		t.Fatal("the same use on another line was taken for a repeat")
	}
	other = again
	other.ID, other.Detail = "act_3", "app"
	if _, made := insertActivity(t, s, other); !made {
		t.Fatal("another detail was taken for a repeat")
	}
	n, err := s.CountActivity(ctx, "lin_1")
	noErr(t, "CountActivity", err)
	if n != 2 {
		t.Fatalf("lin_1 holds %d entries, want 2", n)
	}
	// A new id that is taken is a conflict, not a repeat.
	taken := activity("act_1", "lin_1", 99)
	err = s.Tx(ctx, func(tx store.Tx) error { _, _, err := tx.InsertActivity(ctx, taken); return err })
	wantErr(t, "InsertActivity with a taken id", err, store.ErrConflict)
}

func testActivityLists(t *testing.T, s store.Store) {
	ctx := t.Context()
	activityOrder(t, s)
	// lin_1: five entries at 10..50, two of them at the same moment; lin_2: three at 15..35.
	for i, ms := range []int64{10, 20, 30, 30, 50} {
		a := activity(fmt.Sprintf("act_1%d", i), "lin_1", ms)
		a.Detail = fmt.Sprint(i) // two entries at one moment differ by detail
		insertActivity(t, s, a)
	}
	for i, ms := range []int64{15, 25, 35} {
		insertActivity(t, s, activity(fmt.Sprintf("act_2%d", i), "lin_2", ms))
	}
	byID := func(a order.Activity) string { return a.ID }

	all, err := s.ListActivity(ctx, store.ActivityFilter{LineID: "lin_1"})
	noErr(t, "ListActivity", err)
	same(t, "newest first", ids(all, byID), []string{"act_14", "act_13", "act_12", "act_11", "act_10"})

	page, err := s.ListActivity(ctx, store.ActivityFilter{LineID: "lin_1", Page: store.Page{Limit: 2}})
	noErr(t, "ListActivity page 1", err)
	same(t, "page 1 (one extra row)", ids(page, byID), []string{"act_14", "act_13", "act_12"})
	page, err = s.ListActivity(ctx, store.ActivityFilter{LineID: "lin_1",
		Page: store.Page{Limit: 2, AfterCreated: page[1].At, AfterID: page[1].ID}})
	noErr(t, "ListActivity page 2", err)
	same(t, "page 2 after a tie", ids(page, byID), []string{"act_12", "act_11", "act_10"})

	window, err := s.ListActivity(ctx, store.ActivityFilter{LineID: "lin_1", Since: at(20), Until: at(50)})
	noErr(t, "ListActivity since/until", err)
	same(t, "since ≤ at < until", ids(window, byID), []string{"act_13", "act_12", "act_11"})

	newest, err := s.ActivityOfOrder(ctx, "ord_1", 4)
	noErr(t, "ActivityOfOrder", err)
	same(t, "the order's newest four", ids(newest, byID), []string{"act_14", "act_22", "act_13", "act_12"})

	recent, err := s.RecentActivity(ctx, "ord_1", 2)
	noErr(t, "RecentActivity", err)
	if len(recent) != 2 || recent["lin_1"].Total != 5 || recent["lin_2"].Total != 3 {
		t.Fatalf("recent activity by line: %+v", recent)
	}
	same(t, "lin_1's newest two", ids(recent["lin_1"].Entries, byID), []string{"act_14", "act_13"})
	same(t, "lin_2's newest two", ids(recent["lin_2"].Entries, byID), []string{"act_22", "act_21"})
	none, err := s.RecentActivity(ctx, "ord_2", 2)
	noErr(t, "RecentActivity of an order without any", err)
	if len(none) != 0 {
		t.Fatalf("an order without activity has %+v", none)
	}
}
