package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"disputed/internal/store"
)

// A transaction keeps the rows it writes to the tables it only appends to (the timeline, the
// events, the customer emails) and inserts them when it commits, many to a statement; a read of
// one of these tables through the transaction, or an email's update, inserts them first, so
// that it sees them. A dispute's change writes a few of each (an expiry three timeline entries,
// three events and an email), and a row inserted alone pays a statement's cost on top of its
// own: 100,000 expiries' rows took 38 s inserted one by one and 26 s a hundred at a time, on
// SQLite (BENCHMARKS.md, "Deadlines").
//
// The rows are checked by nothing but their primary key, and their ids are drawn at random, so
// an insert deferred to the commit fails almost only where the commit would. When it does fail,
// the error says so (store.ErrHeldRows), and Savepoint inserts what its function held before it
// ends, so that a caller running units of work in savepoints learns whose rows failed.

// appends are a transaction's rows not yet inserted.
type appends struct {
	timeline []store.TimelineEntry
	events   []store.Event
	emails   []store.Email
}

func (t *tx) InsertTimeline(_ context.Context, e store.TimelineEntry) error {
	t.appends.timeline = append(t.appends.timeline, e)
	return nil
}

func (t *tx) InsertEvent(_ context.Context, e store.Event) error {
	t.appends.events = append(t.appends.events, e)
	return nil
}

func (t *tx) InsertEmail(_ context.Context, e store.Email) error {
	t.appends.emails = append(t.appends.emails, e)
	return nil
}

// The reads of the three tables through the transaction see its held rows: they are inserted
// first.

func (t *tx) ListTimeline(ctx context.Context, f store.TimelineFilter) ([]store.TimelineEntry, error) {
	return afterAppends(ctx, t, t.conn.ListTimeline, f)
}

func (t *tx) GetEvent(ctx context.Context, id string) (store.Event, error) {
	return afterAppends(ctx, t, t.conn.GetEvent, id)
}

func (t *tx) ListEvents(ctx context.Context, f store.EventFilter) ([]store.Event, error) {
	return afterAppends(ctx, t, t.conn.ListEvents, f)
}

func (t *tx) WalkEvents(ctx context.Context, f store.EventFilter, readAtMost int) (store.Walk[store.Event], error) {
	return afterAppends(ctx, t, func(ctx context.Context, f store.EventFilter) (store.Walk[store.Event], error) {
		return t.conn.WalkEvents(ctx, f, readAtMost)
	}, f)
}

func (t *tx) GetEmail(ctx context.Context, id string) (store.Email, error) {
	return afterAppends(ctx, t, t.conn.GetEmail, id)
}

func (t *tx) ListEmails(ctx context.Context, f store.EmailFilter) ([]store.Email, error) {
	return afterAppends(ctx, t, t.conn.ListEmails, f)
}

// afterAppends is read(ctx, key) once the rows the transaction holds are inserted.
func afterAppends[K, V any](ctx context.Context, t *tx, read func(context.Context, K) (V, error), key K) (V, error) {
	if err := t.insertAppends(ctx); err != nil {
		var none V
		return none, err
	}
	return read(ctx, key)
}

// insertAppends inserts the rows the transaction holds, and holds none after.
func (t *tx) insertAppends(ctx context.Context) error {
	err := insertRows(ctx, t, "timeline", "id, dispute_id, order_id, line_id, actor, action, from_state, to_state, note, payload, created_at",
		t.appends.timeline, func(e store.TimelineEntry) []any {
			return []any{e.ID, e.DisputeID, e.OrderID, e.LineID, e.Actor, e.Action, e.From, e.To, e.Note, string(e.Payload), millis(e.CreatedAt)}
		})
	if err == nil {
		err = insertRows(ctx, t, "events", "id, type, dispute_id, order_id, data, created_at", t.appends.events, func(e store.Event) []any {
			return []any{e.ID, e.Type, e.DisputeID, e.OrderID, string(e.Data), millis(e.CreatedAt)}
		})
	}
	if err == nil {
		err = insertRows(ctx, t, "emails", "id, template, template_version, data, dispute_id, order_id, customer_id, to_address, to_name, "+
			"from_address, subject, body, state, reason, attempts, created_at, updated_at, sent_at", t.appends.emails, func(e store.Email) []any {
			return []any{e.ID, e.Template, int64(e.TemplateVersion), e.Data, e.DisputeID, e.OrderID, e.CustomerID, e.To, e.ToName,
				e.From, e.Subject, e.Body, e.State, e.Reason, int64(e.Attempts), millis(e.CreatedAt), millis(e.UpdatedAt), nullMillis(e.SentAt)}
		})
	}
	t.appends = appends{}
	if err != nil {
		return fmt.Errorf("%w: %w", store.ErrHeldRows, err)
	}
	return nil
}

// rowsPerInsert are the sizes of the statements insertRows writes, largest first: rows are
// inserted as many of the largest as fit, then one each of the smaller ones their remainder
// needs. Each size is a statement of its own, prepared once (stmtCache); so a few sizes, and
// no statement of more parameters than a database takes.
var rowsPerInsert = []int{64, 32, 16, 8, 4, 2, 1}

// insertRows inserts rows into table's columns, values giving each row's, in statements of
// rowsPerInsert rows. A row whose id is taken is store.ErrConflict, as an insert of one is.
func insertRows[V any](ctx context.Context, t *tx, table, columns string, rows []V, values func(V) []any) error {
	width := strings.Count(columns, ",") + 1
	for len(rows) > 0 {
		n := rowsPerInsert[len(rowsPerInsert)-1]
		for _, size := range rowsPerInsert {
			if size <= len(rows) {
				n = size
				break
			}
		}
		args := make([]any, 0, n*width)
		for _, r := range rows[:n] {
			args = append(args, values(r)...)
		}
		q := insertStatement(table, columns, n, width)
		written, err := rowsAffected(t.execBuilt(ctx, q, args))
		if err == nil && written < int64(n) {
			err = store.ErrConflict
		}
		if err != nil {
			return t.fail(err, "insert %d rows into %s", n, table)
		}
		rows = rows[n:]
	}
	return nil
}

// insertStatements are the statements insertRows built, by table and rows: building one again
// for each commit cost a tenth of what inserting its rows did.
var insertStatements sync.Map // insertShape → string

type insertShape struct {
	table string
	rows  int
}

func insertStatement(table, columns string, rows, width int) string {
	shape := insertShape{table, rows}
	if q, ok := insertStatements.Load(shape); ok {
		return q.(string)
	}
	q := "INSERT INTO " + table + " (" + columns + ") VALUES " + rowsParams(rows, width) + " ON CONFLICT DO NOTHING"
	insertStatements.Store(shape, q)
	return q
}

// rowsParams is the parameters of n rows of width columns: "($1, $2), ($3, $4)".
func rowsParams(n, width int) string {
	var b strings.Builder
	for i := range n * width {
		switch {
		case i == 0:
			b.WriteString("(")
		case i%width == 0:
			b.WriteString("), (")
		default:
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+1))
	}
	b.WriteString(")")
	return b.String()
}
