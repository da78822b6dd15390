package app

import (
	"context"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// ExportDisputes calls each with every page of the disputes f matches, as ListDisputes finds and
// shows them to who, newest first, read by the (created_at, id) keyset so that rows added while
// it runs neither repeat nor shift a page; f.Page and f.Sort are its own. It calls each at least
// once (with no rows when none match) and only after the first page is read, so that an error
// before then is the caller's to answer whole; it stops at each's first error.
func (a *App) ExportDisputes(ctx context.Context, who actor.Actor, f store.DisputeFilter, extended map[string]string, each func([]dispute.Dispute) error) error {
	f.Sort = store.SortNewest
	return eachPage(&f.Page, a.exportPage, func() ([]dispute.Dispute, bool, error) { return a.ListDisputes(ctx, who, f, extended) },
		func(d dispute.Dispute) (time.Time, string) { return d.CreatedAt, d.ID }, each)
}

// ExportTransactions calls each with every page of the transactions f matches that who may see,
// newest first, as ExportDisputes does. The rows are the transactions alone: the refunds and open
// dispute a listed transaction shows would cost a query per row.
func (a *App) ExportTransactions(ctx context.Context, who actor.Actor, f store.TransactionFilter, each func([]order.Transaction) error) error {
	f.PartyCustomer, f.PartyVendor = partyLimit(who)
	return eachPage(&f.Page, a.exportPage, func() ([]order.Transaction, bool, error) {
		ts, err := a.store.ListTransactions(ctx, f)
		if err != nil {
			return nil, false, err
		}
		ts, more := store.Trim(ts, f.Limit)
		return ts, more, nil
	}, func(t order.Transaction) (time.Time, string) { return t.CreatedAt, t.ID }, each)
}

// eachPage reads a list newest first to its end, limit rows at a time (the only rows an export
// holds in memory): list reads the page *page says, which eachPage moves past the last row (key)
// before reading the next.
func eachPage[T any](page *store.Page, limit int, list func() ([]T, bool, error), key func(T) (time.Time, string), each func([]T) error) error {
	*page = store.Page{Limit: limit}
	for {
		rows, more, err := list()
		if err != nil {
			return err
		}
		if err := each(rows); err != nil {
			return err
		}
		if !more || len(rows) == 0 {
			return nil
		}
		page.AfterCreated, page.AfterID = key(rows[len(rows)-1])
	}
}
