package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"disputed/internal/order"
	"disputed/internal/store"
)

// testWalkOrdersBound: a vendor and a status, checked on the orders a customer's (or a
// vendor's) index yields, matching the first and the last order of a walk more than twice its
// bound long, stop at the bound with a partial or empty page, and the pages that follow (Next)
// find every match once, newest first, as the unbounded list does: along a customer's index,
// along a vendor's, along a portal party's, and from an offset; a page that starts past the
// bound reads no further than it (deepWalk).
func testWalkOrdersBound(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n, readAtMost = 31, 10
	write(t, s, func(tx store.Tx) error {
		for i := range n {
			o := simpleOrder(fmt.Sprintf("ord_walk_%02d", i), "cus_walk", "ven_walk", order.Completed, at(int64(i)))
			if i == 0 || i == n-1 {
				o.VendorID, o.Status = "ven_rare", order.Voided
			}
			if err := tx.InsertOrder(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	first, last := "ord_walk_00", fmt.Sprintf("ord_walk_%02d", n-1)
	for _, c := range []struct {
		name string
		f    store.OrderFilter
		want []string
	}{
		{"along a customer", store.OrderFilter{CustomerID: "cus_walk", VendorID: "ven_rare"}, []string{last, first}},
		{"along a customer, by status", store.OrderFilter{CustomerID: "cus_walk", Status: string(order.Voided)}, []string{last, first}},
		{"along a party", store.OrderFilter{PartyCustomer: "cus_walk", Status: string(order.Voided)}, []string{last, first}},
		{"from an offset", store.OrderFilter{CustomerID: "cus_walk", Status: string(order.Voided), Page: store.Page{Offset: 1}}, []string{first}},
	} {
		t.Run(c.name, func(t *testing.T) {
			all, err := s.ListOrders(ctx, c.f)
			noErr(t, "ListOrders", err)
			same(t, "the unbounded list", ids(all, func(o order.Order) string { return o.ID }), c.want)
			followWalk(t, c.f.Page, n, readAtMost, c.want, func(p store.Page) (store.Walk[order.Order], error) {
				f := c.f
				f.Page = p
				return s.WalkOrders(ctx, f, readAtMost)
			}, func(o order.Order) (time.Time, string) { return o.CreatedAt, o.ID })
		})
	}
	deepWalk(t, readAtMost, fmt.Sprintf("ord_walk_%02d", n-readAtMost), func(p store.Page) (store.Walk[order.Order], error) {
		return s.WalkOrders(ctx, store.OrderFilter{Page: p}, readAtMost)
	})
}

// testWalkCustomersBound: an external id, checked on the customers an email's index yields,
// matching the first and the last customer of a walk more than twice its bound long, stops at
// the bound, and the pages that follow find every match once, newest first, as the unbounded
// list does: along an email's index, within a time range, and from an offset; a page that
// starts past the bound reads no further than it.
func testWalkCustomersBound(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n, readAtMost = 31, 10
	write(t, s, func(tx store.Tx) error {
		for i := range n {
			c := fullCustomer(fmt.Sprintf("cus_walk_%02d", i), at(int64(i)))
			c.Email = "walk@example.com"
			if i == 0 || i == n-1 {
				c.ExternalID = "crm-rare"
			}
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	first, last := "cus_walk_00", fmt.Sprintf("cus_walk_%02d", n-1)
	for _, c := range []struct {
		name string
		f    store.CustomerFilter
		want []string
	}{
		{"along an email", store.CustomerFilter{Email: "walk@example.com", ExternalID: "crm-rare"}, []string{last, first}},
		{"within a time range", store.CustomerFilter{Email: "walk@example.com", ExternalID: "crm-rare", Created: store.Created{Before: at(n - 1)}}, []string{first}},
		{"from an offset", store.CustomerFilter{Email: "walk@example.com", ExternalID: "crm-rare", Page: store.Page{Offset: 1}}, []string{first}},
	} {
		t.Run(c.name, func(t *testing.T) {
			all, err := s.ListCustomers(ctx, c.f)
			noErr(t, "ListCustomers", err)
			same(t, "the unbounded list", ids(all, func(c store.Customer) string { return c.ID }), c.want)
			followWalk(t, c.f.Page, n, readAtMost, c.want, func(p store.Page) (store.Walk[store.Customer], error) {
				f := c.f
				f.Page = p
				return s.WalkCustomers(ctx, f, readAtMost)
			}, func(c store.Customer) (time.Time, string) { return c.CreatedAt, c.ID })
		})
	}
	deepWalk(t, readAtMost, fmt.Sprintf("cus_walk_%02d", n-readAtMost), func(p store.Page) (store.Walk[store.Customer], error) {
		return s.WalkCustomers(ctx, store.CustomerFilter{Page: p}, readAtMost)
	})
}

// testWalkEventsBound: a type, checked on the events an order's or a dispute's index yields,
// matching the first and the last event of a walk more than twice its bound long, stops at the
// bound, and the pages that follow find every match once, newest first, as the unbounded list
// does: along an order's index, a dispute's, from an offset, and through a transaction holding
// newer events of its own, which it inserts before it reads; a page that starts past the bound
// reads no further than it.
func testWalkEventsBound(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n, readAtMost = 31, 10
	event := func(i int, typ string) store.Event {
		return store.Event{ID: fmt.Sprintf("evt_walk_%02d", i), Type: typ, DisputeID: "dsp_walk", OrderID: "ord_walk",
			Data: []byte(`{}`), CreatedAt: at(int64(i))}
	}
	write(t, s, func(tx store.Tx) error {
		for i := range n {
			typ := "order.updated"
			if i == 0 || i == n-1 {
				typ = "order.voided"
			}
			if err := tx.InsertEvent(ctx, event(i, typ)); err != nil {
				return err
			}
		}
		return nil
	})
	first, last := "evt_walk_00", fmt.Sprintf("evt_walk_%02d", n-1)
	for _, c := range []struct {
		name string
		f    store.EventFilter
		want []string
	}{
		{"along an order", store.EventFilter{OrderID: "ord_walk", Type: "order.voided"}, []string{last, first}},
		{"along a dispute", store.EventFilter{DisputeID: "dsp_walk", Type: "order.voided"}, []string{last, first}},
		{"from an offset", store.EventFilter{OrderID: "ord_walk", Type: "order.voided", Page: store.Page{Offset: 1}}, []string{first}},
	} {
		t.Run(c.name, func(t *testing.T) {
			all, err := s.ListEvents(ctx, c.f)
			noErr(t, "ListEvents", err)
			same(t, "the unbounded list", ids(all, func(e store.Event) string { return e.ID }), c.want)
			followWalk(t, c.f.Page, n, readAtMost, c.want, func(p store.Page) (store.Walk[store.Event], error) {
				f := c.f
				f.Page = p
				return s.WalkEvents(ctx, f, readAtMost)
			}, func(e store.Event) (time.Time, string) { return e.CreatedAt, e.ID })
		})
	}
	deepWalk(t, readAtMost, fmt.Sprintf("evt_walk_%02d", n-readAtMost), func(p store.Page) (store.Walk[store.Event], error) {
		return s.WalkEvents(ctx, store.EventFilter{Page: p}, readAtMost)
	})
	t.Run("through a transaction", func(t *testing.T) {
		undone := errors.New("undone")
		err := s.Tx(ctx, func(tx store.Tx) error {
			for i := n; i < n+readAtMost; i++ {
				if err := tx.InsertEvent(ctx, event(i, "order.updated")); err != nil {
					return err
				}
			}
			held := fmt.Sprintf("evt_walk_%02d", n+readAtMost-1)
			w, err := tx.WalkEvents(ctx, store.EventFilter{OrderID: "ord_walk", Page: store.Page{Limit: 1}}, readAtMost)
			noErr(t, "WalkEvents", err)
			if w.Stopped || len(w.Rows) != 2 || w.Rows[0].ID != held {
				t.Errorf("the transaction's walk: stopped %v, %v; want its newest held event %s first, not stopped", w.Stopped, ids(w.Rows, func(e store.Event) string { return e.ID }), held)
			}
			followWalk(t, store.Page{}, n+readAtMost, readAtMost, []string{last, first}, func(p store.Page) (store.Walk[store.Event], error) {
				return tx.WalkEvents(ctx, store.EventFilter{OrderID: "ord_walk", Type: "order.voided", Page: p}, readAtMost)
			}, func(e store.Event) (time.Time, string) { return e.CreatedAt, e.ID })
			return undone
		})
		if !errors.Is(err, undone) {
			t.Fatalf("Tx: %v", err)
		}
	})
}

// deepWalk reads, with walk, a page of an unfiltered list that starts past the bound of
// readAtMost rows (the page style's offset), and checks that it stops at the bound with no row,
// where the walk read its last row, lastRead: the rows the offset skips count in the bound.
func deepWalk[T any](t *testing.T, readAtMost int, lastRead string, walk func(store.Page) (store.Walk[T], error)) {
	t.Helper()
	w, err := walk(store.Page{Limit: 2, Offset: 2 * readAtMost})
	noErr(t, "a page past the bound", err)
	if !w.Stopped || len(w.Rows) != 0 || w.LastID != lastRead {
		t.Errorf("a page starting at row %d with a bound of %d: stopped %v, %d rows, last read %q; want it stopped, empty, after %s",
			2*readAtMost+1, readAtMost, w.Stopped, len(w.Rows), w.LastID, lastRead)
	}
}
