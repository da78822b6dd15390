package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"disputed/internal/store"
)

// The lists of the API are read newest first, a page at a time, with the statement written for
// the filters given: one filter as a term an index serves, the others checked on the rows that
// index yields. A single statement with "$1 IS NULL OR column = $1" for every filter cannot use
// an index on SQLite, which then walks the whole table to find the few rows a filter matches.
// Each shape of statement is prepared once and kept.

// sortAtMost is the most rows a filter may match for a list to be read through the filter's
// index and sorted. Sorting costs about as much per row matched as the newest-first walk costs
// per row passed over, and that walk passes over about 50 rows for every one a filter matches:
// at a million disputes the two cost the same near 7,000.
const sortAtMost = 5000

// few tells whether the rows of probe, a query of one column with its args, number sortAtMost
// or fewer: few enough to be read through an index of the filter and sorted.
func (c *conn) few(ctx context.Context, probe string, args ...any) (bool, error) {
	return c.atMost(ctx, sortAtMost, probe, args...)
}

// atMost tells whether the rows of probe, a query of one column with its args, number n or
// fewer, counting no further than n+1.
func (c *conn) atMost(ctx context.Context, n int, probe string, args ...any) (bool, error) {
	rows, err := c.query(ctx, fmt.Sprintf("SELECT COUNT(*) FROM (%s LIMIT %d) AS probe", probe, n+1), args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var count int
	if rows.Next() {
		err = rows.Scan(&count)
	}
	if err == nil {
		err = rows.Err()
	}
	return err == nil && count <= n, err
}

// query runs a statement built at run time: prepared on the pool outside a transaction, and in
// one, prepared for next time after it.
func (c *conn) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if c.sqlTx == nil {
		stmt, err := c.own.lists.prepared(ctx, q)
		if err != nil {
			return nil, err
		}
		return stmt.QueryContext(ctx, args...)
	}
	if stmt := c.own.lists.get(q); stmt != nil {
		return c.sqlTx.StmtContext(ctx, stmt).QueryContext(ctx, args...)
	}
	return c.sqlTx.QueryContext(ctx, c.rebind(q), args...)
}

// conditions gathers the terms of a WHERE clause and their arguments.
type conditions struct {
	terms   []string
	args    []any
	indexed bool // a term was written for an index to serve; the others must not be
	// walked tells, for each term, whether the index read serves it (a filter's value, a page's
	// start): the rows those terms select are the rows read, on which the others are checked.
	walked []bool
}

func (w *conditions) arg(v any) string {
	w.args = append(w.args, v)
	return fmt.Sprintf("$%d", len(w.args))
}

// add adds a term checked on the rows the index read yields.
func (w *conditions) add(term string) {
	w.terms, w.walked = append(w.terms, term), append(w.walked, false)
}

// index adds a term written for the index read to serve.
func (w *conditions) index(term string) {
	w.walk(term)
	w.indexed = true
}

// walk adds a term that bounds the walk of whichever index is read: a range of the columns
// every walked index ends with.
func (w *conditions) walk(term string) {
	w.terms, w.walked = append(w.terms, term), append(w.walked, true)
}

// equal adds column = value, for a value that is not empty: the first such term for an index
// to serve, the others written as an expression that keeps their index out of the plan. The
// first also says that the column is not empty, which the value already means, so that an index
// that leaves out empty keys (migration 00047) serves it.
func (w *conditions) equal(column, value string) {
	if w.indexed {
		w.add(column + " || '' = " + w.arg(value))
		return
	}
	w.index(column + " = " + w.arg(value) + " AND " + column + " <> ''")
}

// created adds the bounds of a creation time range on column, which the newest-first walk of
// its index serves: a walk within a bound reads the range's rows alone.
func (w *conditions) created(column string, c store.Created) {
	if !c.After.IsZero() {
		w.walk(column + " >= " + w.arg(millis(c.After)))
	}
	if !c.Before.IsZero() {
		w.walk(column + " < " + w.arg(millis(c.Before)))
	}
}

// newestFirst ends a list statement q: the page's start, the order and the page's size, with
// created and id the columns (or expressions) of the index read. It returns the statement and
// its arguments.
func (w *conditions) newestFirst(q, created, id string, p store.Page) (string, []any) {
	return w.end(q, fmt.Sprintf("%s DESC, %s DESC", created, id), w.startAfter(created, id, p))
}

// startAfter adds the start of the page p, newest first, with created and id the columns (or
// expressions) of the index read, and returns the page.
func (w *conditions) startAfter(created, id string, p store.Page) page {
	pg := pageOf(p)
	if pg.afterID.Valid {
		// A row value, which both databases read as a range of the (…, created_at, id) indexes.
		w.index(fmt.Sprintf("(%s, %s) < (%s, %s)", created, id, w.arg(pg.afterCreated.Int64), w.arg(pg.afterID.String)))
	}
	return pg
}

// keyNewest is a row's place in the newest-first order: its created_at and id.
type keyNewest struct {
	created time.Time
	id      string
}

// scanKeyNewest reads a row's created_at and id.
func scanKeyNewest(rows *sql.Rows) (keyNewest, error) {
	var k keyNewest
	var created int64
	err := rows.Scan(&created, &k.id)
	k.created = fromMillis(created)
	return k, err
}

// end ends a list statement q with its terms, the order and the page's size and offset, and
// returns the statement and its arguments.
func (w *conditions) end(q, order string, pg page) (string, []any) {
	if len(w.terms) > 0 {
		q += " WHERE " + strings.Join(w.terms, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY %s LIMIT %s OFFSET %s", order, w.arg(pg.limit), w.arg(pg.offset))
	return q, w.args
}

// within ends a list statement q of table's rows as end does, but reads at most readAtMost rows
// along the walk: the rows the walked terms select, in order; the other terms are checked on
// those, which are named table as in q, and the page is taken from the rows that pass, as they
// come. An ORDER BY around them would sort them all on both databases when the walk's order is
// over another table's copy of the columns (a tag's created_at), where it need not.
func (w *conditions) within(q, table, order string, pg page, readAtMost int) (string, []any) {
	var walked, checked []string
	for i, term := range w.terms {
		if w.walked[i] {
			walked = append(walked, term)
		} else {
			checked = append(checked, term)
		}
	}
	if len(walked) > 0 {
		q += " WHERE " + strings.Join(walked, " AND ")
	}
	q = fmt.Sprintf("SELECT * FROM (%s ORDER BY %s LIMIT %s) AS %s", q, order, w.arg(readAtMost), table)
	if len(checked) > 0 {
		q += " WHERE " + strings.Join(checked, " AND ")
	}
	q += fmt.Sprintf(" LIMIT %s OFFSET %s", w.arg(pg.limit), w.arg(pg.offset))
	return q, w.args
}

// walkOf is how a list walks an index: selectFrom, the statement's start, reads the rows of
// table; walked is the index's table, which the walked terms are about, read in order; key is
// the select list of a row's place in that order, which the index holds.
type walkOf struct {
	selectFrom, table, walked, order, key string
}

// readWithin reads the page pg of the rows that w selects along the walk, in order, within the
// first readAtMost rows of the walk (within). When the page is not full, it reads where the walk
// ended: the key of the readAtMost-th row of the walk, read from the index's table alone, if
// there is one, is last, where the walk stopped; nil, it reached the end of its index.
// readAtMost 0 reads the page of every row. what names the list in an error.
func readWithin[T, K any](ctx context.Context, c *conn, what string, w conditions, walk walkOf, pg page, readAtMost int,
	scan func(*sql.Rows) (T, error), scanKey func(*sql.Rows) (K, error)) (rows []T, last *K, err error) {
	if readAtMost <= 0 {
		q, args := w.end(walk.selectFrom, walk.order, pg)
		rows, err := list(ctx, c, what, q, args, scan)
		return rows, nil, err
	}
	walkedOnly := w.walkedOnly()
	q, args := w.within(walk.selectFrom, walk.table, walk.order, pg, readAtMost)
	if rows, err = list(ctx, c, what, q, args, scan); err != nil || len(rows) >= int(pg.limit) {
		return rows, nil, err
	}
	q, args = walkedOnly.end("SELECT "+walk.key+" FROM "+walk.walked, walk.order, page{limit: 1, offset: int32(readAtMost - 1)})
	keys, err := list(ctx, c, what, q, args, scanKey)
	if err != nil || len(keys) == 0 {
		return rows, nil, err
	}
	return rows, &keys[0], nil
}

// walkNewest is readWithin of a list read newest first, with walk.key a row's created_at (a
// provider event's received_at) and id, as a store.Walk.
func walkNewest[T any](ctx context.Context, c *conn, what string, w conditions, walk walkOf, pg page, readAtMost int,
	scan func(*sql.Rows) (T, error)) (store.Walk[T], error) {
	rows, last, err := readWithin(ctx, c, what, w, walk, pg, readAtMost, scan, scanKeyNewest)
	if err != nil || last == nil {
		return store.Walk[T]{Rows: rows}, err
	}
	return store.Walk[T]{Rows: rows, Stopped: true, LastCreated: last.created, LastID: last.id}, nil
}

// walkedOnly is w's walked terms alone, with their arguments (numbered anew).
func (w *conditions) walkedOnly() conditions {
	var out conditions
	for i, term := range w.terms {
		if !w.walked[i] {
			continue
		}
		renumbered := map[string]string{}
		out.index(placeholder.ReplaceAllStringFunc(term, func(p string) string {
			if renumbered[p] == "" {
				n, _ := strconv.Atoi(p[1:]) // the pattern's digits, written by arg
				renumbered[p] = out.arg(w.args[n-1])
			}
			return renumbered[p]
		}))
	}
	return out
}

// placeholder is a $N parameter in a term.
var placeholder = regexp.MustCompile(`\$[0-9]+`)

// list runs a list statement built at run time and reads its rows with scan; what names the
// list in an error.
func list[T any](ctx context.Context, c *conn, what, q string, args []any, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, c.fail(err, "%s", what)
	}
	out, err := scanRows(rows, scan)
	if err != nil {
		return nil, c.fail(err, "%s", what)
	}
	return out, nil
}

// scanRows reads every row with scan and closes rows; no rows is an empty list, not nil.
func scanRows[T any](rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}
