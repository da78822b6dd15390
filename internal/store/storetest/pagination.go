package storetest

import (
	"context"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// listed is what pagination needs of a row.
type listed struct {
	ID        string
	CreatedAt time.Time
}

// paged is one newest-first list: how to add a row and how to read a page.
type paged struct {
	name   string
	insert func(ctx context.Context, tx store.Tx, id string, created time.Time) error
	list   func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error)
}

func pagedLists() []paged {
	return []paged{
		{
			"disputes",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				return tx.InsertDispute(ctx, openDispute(id, "", created))
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListDisputes(ctx, store.DisputeFilter{Page: p})
				return toListed(rows, func(d dispute.Dispute) listed { return listed{d.ID, d.CreatedAt} }), err
			},
		},
		{
			// Read through the tag's rows and sorted, rather than from the created_at index.
			"disputes with a tag",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				d := openDispute(id, "", created)
				d.Tags = []string{"paged"}
				return tx.InsertDispute(ctx, d)
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListDisputes(ctx, store.DisputeFilter{Page: p, Tag: "paged"})
				return toListed(rows, func(d dispute.Dispute) listed { return listed{d.ID, d.CreatedAt} }), err
			},
		},
		{
			// Read through the due date's index and sorted.
			"disputes due before",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				d := openDispute(id, "", created)
				d.DueBy = created.Add(time.Hour)
				return tx.InsertDispute(ctx, d)
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListDisputes(ctx, store.DisputeFilter{Page: p, DueBefore: at(1 << 40)})
				return toListed(rows, func(d dispute.Dispute) listed { return listed{d.ID, d.CreatedAt} }), err
			},
		},
		{
			"orders",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				return tx.InsertOrder(ctx, simpleOrder(id, "cus_1", "", order.Completed, created))
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListOrders(ctx, store.OrderFilter{Page: p})
				return toListed(rows, func(o order.Order) listed { return listed{o.ID, o.CreatedAt} }), err
			},
		},
		{
			"customers",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				return tx.InsertCustomer(ctx, fullCustomer(id, created))
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListCustomers(ctx, store.CustomerFilter{Page: p})
				return toListed(rows, func(c store.Customer) listed { return listed{c.ID, c.CreatedAt} }), err
			},
		},
		{
			"transactions of a customer and type",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				tr := charge(id, "ord_paged", 100, created)
				tr.CustomerID = "cus_paged"
				return tx.InsertTransaction(ctx, tr)
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListTransactions(ctx, store.TransactionFilter{Page: p, CustomerID: "cus_paged", Kind: string(order.Charge)})
				return toListed(rows, func(tr order.Transaction) listed { return listed{tr.ID, tr.CreatedAt} }), err
			},
		},
		{
			"events",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				return tx.InsertEvent(ctx, store.Event{ID: id, Type: "x", CreatedAt: created})
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListEvents(ctx, store.EventFilter{Page: p})
				return toListed(rows, func(e store.Event) listed { return listed{e.ID, e.CreatedAt} }), err
			},
		},
		{
			"blocks",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				return tx.InsertBlock(ctx, store.Block{ID: id, Kind: "email", Value: id, CreatedAt: created})
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListBlocks(ctx, store.BlockFilter{Page: p})
				return toListed(rows, func(b store.Block) listed { return listed{b.ID, b.CreatedAt} }), err
			},
		},
		{
			"api_keys",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				return tx.InsertAPIKey(ctx, store.APIKey{ID: id, Role: "agent", Hash: id, CreatedAt: created})
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListAPIKeys(ctx, p)
				return toListed(rows, func(k store.APIKey) listed { return listed{k.ID, k.CreatedAt} }), err
			},
		},
		{
			"jobs",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				_, err := tx.ScheduleJob(ctx, store.Job{ID: id, Kind: "x", RunAt: created, CreatedAt: created})
				return err
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListJobs(ctx, store.JobFilter{Page: p})
				return toListed(rows, func(j store.Job) listed { return listed{j.ID, j.CreatedAt} }), err
			},
		},
		{
			// Read through the dispute's index; the type is checked on its rows.
			"events of a dispute and type",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				return tx.InsertEvent(ctx, store.Event{ID: id, Type: "x", DisputeID: "dsp_paged", CreatedAt: created})
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListEvents(ctx, store.EventFilter{Page: p, DisputeID: "dsp_paged", Type: "x"})
				return toListed(rows, func(e store.Event) listed { return listed{e.ID, e.CreatedAt} }), err
			},
		},
		{
			"orders of a customer and status",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				return tx.InsertOrder(ctx, simpleOrder(id, "cus_paged", "", order.Completed, created))
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListOrders(ctx, store.OrderFilter{Page: p, CustomerID: "cus_paged", Status: string(order.Completed)})
				return toListed(rows, func(o order.Order) listed { return listed{o.ID, o.CreatedAt} }), err
			},
		},
		{
			// A state with few jobs: read through the state's index and sorted.
			"jobs of a state and kind",
			func(ctx context.Context, tx store.Tx, id string, created time.Time) error {
				_, err := tx.ScheduleJob(ctx, store.Job{ID: id, Kind: "paged", RunAt: created, CreatedAt: created})
				return err
			},
			func(ctx context.Context, s store.Reader, p store.Page) ([]listed, error) {
				rows, err := s.ListJobs(ctx, store.JobFilter{Page: p, State: store.JobScheduled, Kind: "paged"})
				return toListed(rows, func(j store.Job) listed { return listed{j.ID, j.CreatedAt} }), err
			},
		},
	}
}

func toListed[T any](rows []T, f func(T) listed) []listed {
	out := make([]listed, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}

// testPagination walks every newest-first list by keyset while rows are added between pages,
// and checks the page size (one extra row), ties on created_at broken by id, offsets, and a
// zero limit meaning no limit.
func testPagination(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, l := range pagedLists() {
		add := func(id string, ms int64) {
			t.Helper()
			write(t, s, func(tx store.Tx) error { return l.insert(ctx, tx, l.name+id, at(ms)) })
		}
		page := func(p store.Page) []string {
			t.Helper()
			rows, err := l.list(ctx, s, p)
			noErr(t, l.name, err)
			return ids(rows, func(r listed) string { return r.ID[len(l.name):] })
		}
		cursor := func(id string, ms int64) store.Page {
			return store.Page{Limit: 3, AfterID: l.name + id, AfterCreated: at(ms)}
		}
		// Three rows share a millisecond: the id orders them.
		for i, ms := range []int64{0, 1, 1, 1, 2, 3, 4} {
			add(seq("", 7)[i], ms)
		}
		same(t, l.name+" first page", page(store.Page{Limit: 3}), []string{"_06", "_05", "_04", "_03"})

		add("_07", 5) // newer than the cursor: must not shift the next page
		add("_99", 9) // a higher id, also newer
		same(t, l.name+" second page", page(cursor("_04", 2)), []string{"_03", "_02", "_01", "_00"})
		same(t, l.name+" page after a tie", page(cursor("_02", 1)), []string{"_01", "_00"})
		same(t, l.name+" last page", page(cursor("_00", 0)), []string{})
		same(t, l.name+" by offset", page(store.Page{Limit: 2, Offset: 3}), []string{"_05", "_04", "_03"})
		same(t, l.name+" without a limit", page(store.Page{}), []string{"_99", "_07", "_06", "_05", "_04", "_03", "_02", "_01", "_00"})
	}
}
