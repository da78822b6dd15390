package app

import (
	"context"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// ExportDisputes calls each with every page of the disputes f matches, as ListDisputes finds and
// shows them to who, newest first, read by the (created_at, id) keyset so that rows added while
// it runs neither repeat nor shift a page; f.Page and f.Sort are its own. A page may be short, or
// empty, where the list stopped at its bound of disputes read (DisputePage): the next goes on
// from there. It calls each at least once (with no rows when none match) and only after the
// first page is read, so that an error before then is the caller's to answer whole; it stops at
// each's first error. A costly filter (costlyFilter) counts as one list in flight for the whole
// export.
func (a *App) ExportDisputes(ctx context.Context, who actor.Actor, f store.DisputeFilter, extended map[string]string, each func([]dispute.Dispute) error) error {
	f.Sort, f.Page = store.SortNewest, store.Page{Limit: a.exportPage}
	ctx, release, err := a.holdCostlyList(ctx, who, costlyFilter(f, extended))
	if err != nil {
		return err
	}
	defer release()
	return eachPage(func() ([]dispute.Dispute, bool, error) {
		p, err := a.DisputePage(ctx, who, f, extended)
		f = p.Next
		return p.Disputes, p.More, err
	}, each)
}

// ExportTransactions calls each with every page of the transactions f matches that who may see,
// newest first, as ExportDisputes does. The rows are the transactions alone: the refunds and open
// dispute a listed transaction shows would cost a query per row.
func (a *App) ExportTransactions(ctx context.Context, who actor.Actor, f store.TransactionFilter, each func([]order.Transaction) error) error {
	f.PartyCustomer, f.PartyVendor = partyLimit(who)
	f.Page = store.Page{Limit: a.exportPage}
	return eachPage(func() ([]order.Transaction, bool, error) {
		ts, err := a.store.ListTransactions(ctx, f)
		if err != nil {
			return nil, false, err
		}
		ts, more := store.Trim(ts, f.Limit)
		if more {
			f.AfterCreated, f.AfterID = ts[len(ts)-1].CreatedAt, ts[len(ts)-1].ID
		}
		return ts, more, nil
	}, each)
}

// eachPage reads a list to its end, a page at a time (the only rows an export holds in memory):
// next reads the page after the one it read before, and tells whether more follow.
func eachPage[T any](next func() ([]T, bool, error), each func([]T) error) error {
	for {
		rows, more, err := next()
		if err != nil {
			return err
		}
		if err := each(rows); err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}
