package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// ListDisputes writes its statement for the filters given, instead of one statement with
// "$1 IS NULL OR status = $1" for every filter: SQLite cannot use an index for such a condition,
// so it walked the whole table in created_at order to find an order's one dispute (1.4 s at a
// million disputes). Each shape of statement is prepared once and kept.
//
// One filter is written so that an index serves it; the others are written as expressions that
// no index serves (the column joined to an empty string, or plus zero), to be checked on the
// rows that index yields. SQLite keeps no statistics here, so it cannot tell which of two
// indexed conditions narrows more, and would as soon walk the hundreds of thousands of won
// disputes to find one customer's lost ones. The one is, in this order: an order, a charge, a
// customer or a party (a few disputes each); a query matched by few disputes in the index of
// words or the trigram index (a count, stopped at sortAtMost, tells), whose disputes are then
// sorted; a tag, whose index gives its disputes newest first; a due date matched by few disputes
// (counted the same way), whose disputes are then sorted; a status, a type; else none, and the
// disputes are read newest first until a page is full, which is soon when the filters match many
// (q=fraud matches a third of them: a page is among the newest 150).
func (c *conn) ListDisputes(ctx context.Context, f store.DisputeFilter) ([]dispute.Dispute, error) {
	w, err := c.WalkDisputes(ctx, f, 0)
	return w.Disputes, err
}

// WalkDisputes bounds the walks ListDisputes makes along an index, checking filters on the rows
// it yields (newest first, oldest first, along the amounts or the due dates): each reads the
// rows of its index (its filter's, and after the cursor) in a subquery limited to readAtMost,
// and checks the other filters on those. When the page is not full after them, the position of
// the last of them tells whether the walk stopped at its bound or at the end of its index. A
// list read through an index that yields few disputes (an order's, a query's in the trigram
// index, sorted: at most sortAtMost) reads those. readAtMost 0 does not bound the walk.
func (c *conn) WalkDisputes(ctx context.Context, f store.DisputeFilter, readAtMost int) (store.DisputeWalk, error) {
	w, err := c.walkDisputes(ctx, f, readAtMost)
	if err != nil {
		return store.DisputeWalk{}, c.fail(err, "list disputes")
	}
	return w, nil
}

func (c *conn) walkDisputes(ctx context.Context, f store.DisputeFilter, readAtMost int) (store.DisputeWalk, error) {
	customers, err := c.customerRuns(ctx, f)
	if err != nil {
		return store.DisputeWalk{}, err
	}
	by, keys, err := c.disputesBy(ctx, f, customers)
	if err != nil {
		return store.DisputeWalk{}, err
	}
	if f.Sort == store.SortDue || f.Sort == store.SortAmount {
		walk, err := c.walkSorted(ctx, f, by)
		if err != nil {
			return store.DisputeWalk{}, err
		}
		switch {
		case walk && f.Sort == store.SortDue:
			return c.listByDue(ctx, f, readAtMost)
		case walk:
			return c.listByAmount(ctx, f, readAtMost)
		}
	}
	if by == byOrder && onlyDueBefore(f) {
		sparse, err := c.sparseAmongNewest(ctx, f.DueBefore)
		if err != nil {
			return store.DisputeWalk{}, err
		}
		if sparse {
			ds, err := c.listDueNewest(ctx, f)
			return store.DisputeWalk{Disputes: ds}, err
		}
	}
	var w conditions
	from, walked, created, id := disputeTerms(&w, f, by, keys, c.dialect)
	otherTerms(&w, f, by, c.dialect)
	after(&w, f, created, id)
	if !walksIndex(f, by) {
		readAtMost = 0 // the disputes read are an index's few, sorted
	}
	pg := pageOf(store.Page{Limit: f.Limit, Offset: f.Offset})
	return c.walkWithin(ctx, w, from, walked, disputeOrder(f.Sort, created, id), walkKey(f.Sort, created, id), pg, readAtMost)
}

// walksIndex tells whether a list read the way by says, for f, walks an index in f's order,
// checking filters on the rows it yields: when no index of a filter yields a few disputes to
// sort.
func walksIndex(f store.DisputeFilter, by int) bool {
	return (by == byOrder || by == byTag) && !narrow(f) && (f.Sort == store.SortNewest || f.Sort == store.SortOldest)
}

// disputeOrder is the order sort says, with created and id the columns (or expressions) of
// the index read: those without a due date last in the order by due date, ties newest first.
func disputeOrder(sort, created, id string) string {
	newest := fmt.Sprintf("%s DESC, %s DESC", created, id)
	switch sort {
	case store.SortOldest:
		return fmt.Sprintf("%s ASC, %s ASC", created, id)
	case store.SortDue:
		return "CASE WHEN due_by IS NULL THEN 1 ELSE 0 END, due_by, " + newest
	case store.SortAmount:
		return "amount DESC, " + newest
	}
	return newest
}

// after adds to w the start of f's page, after its cursor in f's order: row values, which
// both databases read as a range of the (…, created_at, id) indexes; in the order by due date,
// later dates, the same date's older disputes, and those without a date, which come last.
func after(w *conditions, f store.DisputeFilter, created, id string) {
	if f.AfterID == "" {
		return
	}
	key := w.arg(millis(f.AfterCreated)) + ", " + w.arg(f.AfterID)
	switch {
	case f.Sort == store.SortOldest:
		w.index(fmt.Sprintf("(%s, %s) > (%s)", created, id, key))
	case f.Sort == store.SortAmount:
		w.index(fmt.Sprintf("(amount, %s, %s) < (%s, %s)", created, id, w.arg(f.AfterAmount), key))
	case f.Sort == store.SortDue && f.AfterDue.IsZero():
		w.add("due_by IS NULL") // the created_at index walked holds every dispute
		w.index(fmt.Sprintf("(%s, %s) < (%s)", created, id, key))
	case f.Sort == store.SortDue:
		due := w.arg(millis(f.AfterDue))
		w.index(fmt.Sprintf("(due_by > %s OR (due_by = %[1]s AND (%s, %s) < (%s)) OR due_by IS NULL)", due, created, id, key))
	default:
		w.index(fmt.Sprintf("(%s, %s) < (%s)", created, id, key))
	}
}

// walkKey is the select list of a dispute's place in sort's order (scanDisputeKey's columns)
// that the index walked holds, with created and id its columns: read from it alone, where the
// walk stopped costs no dispute read. The amount and the due date are in the orders by them.
func walkKey(sort, created, id string) string {
	switch sort {
	case store.SortAmount:
		return created + ", " + id + ", amount, NULL"
	case store.SortDue:
		return created + ", " + id + ", 0, due_by"
	}
	return created + ", " + id + ", 0, NULL"
}

// walkWithin reads the page pg of the disputes of from that w selects, in order, within the
// first readAtMost rows of the walk (readWithin), with key (walkKey) where it stopped, read from
// walked, the index's table alone, which the walked terms are about (a tag's rows, each of a
// dispute: PostgreSQL joined them to the disputes in 190 ms, in parallel).
func (c *conn) walkWithin(ctx context.Context, w conditions, from, walked, order, key string, pg page, readAtMost int) (store.DisputeWalk, error) {
	ds, last, err := readWithin(ctx, c, "list disputes", w, walkOf{selectFrom: "SELECT disputes.* FROM " + from, table: "disputes",
		walked: walked, order: order, key: key}, pg, readAtMost, scanDispute, scanDisputeKey)
	if err != nil || last == nil {
		return store.DisputeWalk{Disputes: ds}, err
	}
	return store.DisputeWalk{Disputes: ds, Stopped: true, Last: *last}, nil
}

// scanDisputeKey reads a dispute's created_at, id, amount and due_by.
func scanDisputeKey(rows *sql.Rows) (store.DisputeKey, error) {
	var k store.DisputeKey
	var created int64
	var due sql.NullInt64
	if err := rows.Scan(&created, &k.ID, &k.Amount, &due); err != nil {
		return k, err
	}
	k.CreatedAt = fromMillis(created)
	if due.Valid {
		k.DueBy = fromMillis(due.Int64)
	}
	return k, nil
}

// onlyDueBefore reports whether f's one filter is a due date, with the list newest first.
func onlyDueBefore(f store.DisputeFilter) bool {
	rest := f
	rest.Page, rest.DueBefore = store.Page{}, time.Time{}
	if len(rest.ExtendedFields) == 0 {
		rest.ExtendedFields = nil
	}
	return !f.DueBefore.IsZero() && reflect.DeepEqual(rest, store.DisputeFilter{})
}

// A due date that many disputes are due before, but few of the newest (disputes due early in
// the year: the newest-first walk passes every later one first, 1.1 s on SQLite at a million),
// is read through the due dates' index instead: the ids it holds before the date, newest first,
// from the index alone (it holds the creation time and the id), then those disputes. Whether the
// newest hold it is told by the newest sampleOfNewest disputes, as for q (searchsample.go).
const sampleOfNewest = 1000

// sparseAmongNewest reports whether fewer than one in a hundred of the newest disputes are due
// before due: a page of them is far down the newest-first walk.
func (c *conn) sparseAmongNewest(ctx context.Context, due time.Time) (bool, error) {
	rows, err := c.query(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT due_by FROM disputes ORDER BY created_at DESC, id DESC LIMIT %d) AS newest
 WHERE due_by < $1`, sampleOfNewest), millis(due))
	if err != nil {
		return false, err
	}
	counts, err := scanRows(rows, scanCount)
	return err == nil && len(counts) == 1 && counts[0] < sampleOfNewest/100, err
}

// listDueNewest reads a page of the disputes due before f.DueBefore, newest first, through the
// due dates' index (disputes_due_by: due_by, created_at, id), which yields the page's ids
// without reading a dispute; created_at + 0 keeps the created_at index out of the plan.
func (c *conn) listDueNewest(ctx context.Context, f store.DisputeFilter) ([]dispute.Dispute, error) {
	var w conditions
	w.add("due_by < " + w.arg(millis(f.DueBefore)))
	ids, args := w.newestFirst("SELECT id FROM disputes", "created_at + 0", "id", f.Page)
	q := "SELECT disputes.* FROM disputes WHERE disputes.id IN (" + ids + ") ORDER BY created_at DESC, id DESC"
	return list(ctx, c, "list disputes", q, args, scanDispute)
}

// disputesBy is the way to read the disputes f's filters match, and for byQuery what to ask
// the indexes for (fewSearched; the customers' index customers, for the admin UI's query).
func (c *conn) disputesBy(ctx context.Context, f store.DisputeFilter, customers []string) (int, searchKeys, error) {
	if narrow(f) {
		return byOrder, searchKeys{}, nil
	}
	if _, _, indexed := searchOf(f); indexed {
		keys, few, err := c.fewSearched(ctx, f, customers)
		if err == nil && few && f.QueryRelated {
			keys.customerIDs, err = c.customersNamed(ctx, f, keys)
		}
		if err != nil || few {
			return byQuery, keys, err
		}
	}
	switch {
	case f.Tag != "":
		return byTag, searchKeys{}, nil
	case !f.DueBefore.IsZero():
		few, err := c.few(ctx, "SELECT 1 FROM disputes WHERE due_by < $1", millis(f.DueBefore))
		if err != nil || !few {
			return byOrder, searchKeys{}, err
		}
		return byDue, searchKeys{}, nil
	}
	return byOrder, searchKeys{}, nil
}

// narrow reports whether one of f's filters has an index that yields a few disputes: an order,
// a charge, a customer or a party.
func narrow(f store.DisputeFilter) bool {
	return f.OrderID != "" || f.TransactionID != "" || f.Charge != "" || f.PaymentIntent != "" || f.CustomerID != "" ||
		f.PartyCustomer != "" || f.PartyVendor != ""
}

// A dispute list is read in one of these ways, besides through an equality's index.
const (
	byOrder = iota // newest first, from the created_at index
	byTag          // newest first, from the tag's index
	byDue          // through the due date's index, then sorted
	byQuery        // through the words' or the trigram index of the searched text, then sorted
)

// disputeList is the statement and arguments of a list of disputes whose terms w holds, read
// from from, whose index's created_at and id are created and id, in f.Sort's order (but
// soonest due first along a due-date index: listByDue), with $N parameters.
func disputeList(w *conditions, f store.DisputeFilter, from, created, id string) (string, []any) {
	q := "SELECT disputes.* FROM " + from
	newest := fmt.Sprintf("%s DESC, %s DESC", created, id)
	pg := pageOf(store.Page{Limit: f.Limit, Offset: f.Offset})
	switch f.Sort {
	case store.SortDue: // those without a due date last
		return w.end(q, "CASE WHEN due_by IS NULL THEN 1 ELSE 0 END, due_by, "+newest, pg)
	case store.SortAmount:
		return w.end(q, "amount DESC, "+newest, pg)
	}
	after(w, f, created, id)
	return w.end(q, disputeOrder(f.Sort, created, id), pg)
}

// otherTerms adds to w the terms of f's filters that no index serves: the extended fields, the
// admin UI's own filters and the query, but the admin UI's query when the disputes were read the
// way by says through the indexes that yield exactly its disputes (byQuery: searchedIndexed).
func otherTerms(w *conditions, f store.DisputeFilter, by int, dialect Dialect) {
	for _, name := range slices.Sorted(maps.Keys(f.ExtendedFields)) {
		w.add(fmt.Sprintf(dialect.ExtendedField, "extended_fields", w.arg(name)) + " = " + w.arg(f.ExtendedFields[name].Text))
	}
	if f.Provider != "" {
		w.add("provider || '' = " + w.arg(f.Provider))
	}
	if f.OpenOnly {
		w.add("is_open")
	}
	if !f.DueAfter.IsZero() {
		w.add("due_by + 0 >= " + w.arg(millis(f.DueAfter)))
	}
	searched, typed, _ := searchOf(f)
	switch {
	case f.Query == "":
	case f.QueryRelated && by == byQuery: // the indexes read yield exactly its disputes (searchedIndexed)
	case f.QueryRelated:
		relatedQuery(w, searched, typed)
	default:
		// The match itself, checked on the rows an index yields: the trigram index is read, when
		// it is, through disputeTerms' term, which on SQLite yields the disputes in which FTS5
		// finds the text by its own case folding. On PostgreSQL that term is this LIKE again, on
		// the few disputes it yields; here it is written so that its index is not read for a
		// query that matches many.
		w.add("search || '' LIKE " + w.arg(likeContains(searched)) + ` ESCAPE '\'`)
	}
}

// disputeTerms adds to w the terms of f's filters but its query, read the way by says, and
// returns the FROM clause, the table of the index read (the tag's, or the disputes) and that
// index's created_at and id: the order, and a page's start (the tag's copy of them, or none when
// the due date's or the query's disputes are sorted).
func disputeTerms(w *conditions, f store.DisputeFilter, by int, keys searchKeys, dialect Dialect) (from, walked, created, id string) {
	// A payment's disputes: each side of the OR has its index (the transactions' provider
	// reference, the disputes' transaction and provider ids), so the OR is read through them.
	if f.Charge != "" {
		w.index("(transaction_id = " + w.arg(f.Charge) + " OR provider_charge = " + w.arg(f.Charge) +
			" OR transaction_id IN (SELECT t.id FROM transactions t WHERE t.provider_reference = " + w.arg(f.Charge) + "))")
	}
	if f.PaymentIntent != "" {
		w.index("(provider_payment_intent = " + w.arg(f.PaymentIntent) +
			" OR transaction_id IN (SELECT t.id FROM transactions t WHERE t.provider_reference = " + w.arg(f.PaymentIntent) + "))")
	}
	if by == byQuery {
		w.index(searchedIndexed(w, dialect, f, keys))
	}
	for _, e := range []struct{ column, value string }{{"order_id", f.OrderID}, {"transaction_id", f.TransactionID},
		{"customer_id", f.CustomerID}, {"customer_id", f.PartyCustomer}, {"vendor_id", f.PartyVendor}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	if f.Tag != "" {
		tag := w.arg(f.Tag)
		if by == byTag {
			w.index("t.tag = " + tag)
		} else {
			// A scalar subquery rather than EXISTS, which PostgreSQL would turn into a join of every
			// row with the tag, sorted, where a few rows of the newest-first walk do.
			w.add("(SELECT 1 FROM dispute_tags t WHERE t.dispute_id = disputes.id AND t.tag = " + tag + " LIMIT 1) IS NOT NULL")
		}
	}
	if !f.DueBefore.IsZero() {
		due := w.arg(millis(f.DueBefore))
		if by == byDue {
			w.index("due_by < " + due)
		} else {
			w.add("due_by + 0 < " + due)
		}
	}
	for _, e := range []struct{ column, value string }{{"status", f.Status}, {"type", f.Type}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	from, walked, created, id = "disputes", "disputes", "created_at", "id"
	switch by {
	case byTag:
		walked, created, id = "dispute_tags t", "t.created_at", "t.dispute_id"
		from = walked + " JOIN disputes ON disputes.id = t.dispute_id"
	case byDue, byQuery:
		created = "created_at + 0"
	}
	return from, walked, created, id
}

// disputeRows reads the rows of SELECT * FROM disputes.
var disputeRows = newByName[query.Dispute]()

// scanDispute reads a row of SELECT * FROM disputes, by column name.
func scanDispute(rows *sql.Rows) (dispute.Dispute, error) {
	r, err := disputeRows.scan(rows)
	if err != nil {
		return dispute.Dispute{}, err
	}
	d, err := disputeFromRow(r)
	if err != nil {
		return dispute.Dispute{}, fmt.Errorf("dispute %s: %w", r.ID, err)
	}
	return d, nil
}

// DisputesAwaitingCharge reads, through the indexes of the provider's charge and payment
// intent, the few disputes a payment just recorded may match: it runs for every charge that
// arrives, where the list's Charge filter (which also looks the payment up among our
// transactions) cost two statements of twice the work.
func (c *conn) DisputesAwaitingCharge(ctx context.Context, provider string, refs ...string) ([]dispute.Dispute, error) {
	refs = slices.DeleteFunc(slices.Clone(refs), func(r string) bool { return r == "" })
	if len(refs) == 0 {
		return []dispute.Dispute{}, nil
	}
	var w conditions
	in := make([]string, len(refs))
	for i, r := range refs {
		in[i] = w.arg(r)
	}
	named := strings.Join(in, ", ")
	// The other terms are checked on the few rows the two indexes yield (provider's own index
	// would yield all of its disputes).
	q := "SELECT disputes.* FROM disputes WHERE (provider_charge IN (" + named + ") OR provider_payment_intent IN (" + named + "))" +
		" AND transaction_id || '' = '' AND is_open AND provider || '' = " + w.arg(provider) + " ORDER BY created_at, id"
	return list(ctx, c, "disputes awaiting a charge", q, w.args, scanDispute)
}
