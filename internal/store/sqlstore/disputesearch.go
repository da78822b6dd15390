package sqlstore

import (
	"context"
	"database/sql"

	"disputed/internal/store"
)

// The admin UI's list of disputes is ListDisputes too, with filters and orders of its own. It
// writes its statement for the filters and the order given, through the same terms as the API's:
// one generic statement with "$1 IS NULL OR …" for every filter and a CASE for every order could
// use no index, and sorted every dispute for each page (6.5 s for the first page of the admin UI
// at a million disputes). Newest first and oldest first read the created_at index (or a
// filter's) in its order. Soonest due first reads a due-date index in its order (the open
// disputes' when only open ones are asked for: the dashboard, the due-window filters), the
// disputes with a due date before those without, unless a filter's index holds few enough
// disputes to sort (walkSorted). Largest amount first reads disputes_amount in its order, on the
// same terms. Its search also matches the order's, customer's and charge's fields
// (relatedQuery): a text their trigram indexes hold in few rows is read through them, as the
// API's q is, and a charge by its whole id.

// walkSorted tells whether disputes sorted by due date or by amount are better read along the
// index of that order (a due-date index, disputes_amount) than through the index of a filter
// and sorted: when no filter has an index, or the one read (as in disputeTerms: a tag, a status,
// a type) matches more than sortAtMost. A status held by few disputes would otherwise be looked
// for along the whole index of the order.
func (c *conn) walkSorted(ctx context.Context, f store.DisputeFilter, by int) (bool, error) {
	var probe, arg string
	switch {
	case by == byDue || by == byQuery || narrow(f):
		return false, nil // the due bound's, the query's or the equality's disputes are few: read and sorted
	case f.Tag != "":
		probe, arg = "SELECT 1 FROM dispute_tags WHERE tag = $1", f.Tag
	case f.Status != "":
		probe, arg = "SELECT 1 FROM disputes WHERE status = $1", f.Status
	case f.Type != "":
		probe, arg = "SELECT 1 FROM disputes WHERE type = $1", f.Type
	default:
		return true, nil
	}
	few, err := c.few(ctx, probe, arg)
	return !few, err
}

// listByAmount reads the disputes largest amount first along disputes_amount, whose order is
// the list's, every filter checked on the rows it yields, until the page is full: the first
// page of a million disputes sorted by amount had been every dispute sorted (0.6 to 0.9 s).
func (c *conn) listByAmount(ctx context.Context, f store.DisputeFilter, readAtMost int) (store.DisputeWalk, error) {
	w := conditions{indexed: true} // the amount's index serves: no filter's is to be read
	disputeTerms(&w, f, byOrder, searchKeys{}, c.dialect)
	otherTerms(&w, f, byOrder, c.dialect)
	after(&w, f, "created_at", "id")
	order, key := disputeOrder(store.SortAmount, "created_at", "id"), walkKey(store.SortAmount, "created_at", "id")
	return c.walkWithin(ctx, w, "disputes", "disputes", order, key, pageOf(store.Page{Limit: f.Limit, Offset: f.Offset}), readAtMost)
}

// listByDue reads the disputes with a due date through a due-date index (the open disputes'
// when only open ones are asked for), soonest first, then those without one, newest first, for
// the rest of the page. The due dates asked for, and the cursor's, bound the range of the index
// read, so that a walk within readAtMost reads none outside them.
func (c *conn) listByDue(ctx context.Context, f store.DisputeFilter, readAtMost int) (store.DisputeWalk, error) {
	terms := func(w conditions) conditions {
		disputeTerms(&w, f, byOrder, searchKeys{}, c.dialect)
		otherTerms(&w, f, byOrder, c.dialect)
		after(&w, f, "created_at", "id")
		return w
	}
	dates := func() conditions {
		w := conditions{indexed: true} // a due-date index serves
		w.index("due_by IS NOT NULL")
		if f.OpenOnly {
			w.index("is_open") // the open disputes' own (otherTerms checks it again)
		}
		if f.AfterID != "" {
			w.index("due_by >= " + w.arg(millis(f.AfterDue)))
		}
		if !f.DueAfter.IsZero() {
			w.index("due_by >= " + w.arg(millis(f.DueAfter)))
		}
		if !f.DueBefore.IsZero() {
			w.index("due_by < " + w.arg(millis(f.DueBefore)))
		}
		return terms(w)
	}
	undated := func() conditions {
		w := conditions{indexed: true} // the created_at index serves
		w.add("due_by IS NULL")
		return terms(w)
	}
	const dueOrder, newest = "due_by, created_at DESC, id DESC", "created_at DESC, id DESC"
	pg := pageOf(store.Page{Limit: f.Limit, Offset: f.Offset})
	var dated store.DisputeWalk
	if f.AfterID == "" || !f.AfterDue.IsZero() { // else the cursor is past the dated disputes
		var err error
		dated, err = c.walkWithin(ctx, dates(), "disputes", "disputes", dueOrder, walkKey(store.SortDue, "created_at", "id"), pg, readAtMost)
		if err != nil || dated.Stopped || len(dated.Disputes) >= int(pg.limit) {
			return dated, err
		}
	}
	if !f.DueBefore.IsZero() || !f.DueAfter.IsZero() {
		return dated, nil // a dispute without a due date is due neither before nor after a date
	}
	// The page goes on past the dated disputes: the offset into the undated ones is what the
	// dated ones did not use, which takes counting them when the page starts past them all (as
	// many as the walk of the dated ones read, at most: it did not stop).
	rest := pg
	rest.limit, rest.offset = pg.limit-int32(len(dated.Disputes)), 0
	if len(dated.Disputes) == 0 && pg.offset > 0 {
		w := dates()
		q, args := w.end("SELECT COUNT(*) FROM disputes", "1", page{limit: 1})
		n, err := list(ctx, c, "list disputes", q, args, scanCount)
		if err != nil {
			return store.DisputeWalk{}, err
		}
		rest.offset = max(pg.offset-int32(n[0]), 0)
	}
	walk, err := c.walkWithin(ctx, undated(), "disputes", "disputes", newest, walkKey(store.SortNewest, "created_at", "id"), rest, readAtMost)
	walk.Disputes = append(dated.Disputes, walk.Disputes...)
	return walk, err
}

func scanCount(rows *sql.Rows) (int64, error) {
	var n int64
	err := rows.Scan(&n)
	return n, err
}
