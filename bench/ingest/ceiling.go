package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"disputed/bench/internal/benchdb"
)

// writtenTables are the tables into which taking provider events inserts rows, each with the
// column that says when a row was written.
var writtenTables = []struct{ name, written string }{
	{"provider_events", "received_at"}, {"disputes", "created_at"}, {"timeline", "created_at"},
	{"events", "created_at"}, {"jobs", "created_at"}, {"emails", "created_at"}, {"blocklist", "created_at"},
	{"transactions", "created_at"}, {"webhook_deliveries", "created_at"},
}

// written holds the rows a run inserted, table by table, and the disputes its events updated.
type written struct {
	tables  []writtenTable
	updates []disputeUpdate // one per event that changed a dispute it did not open
}

type writtenTable struct {
	name    string
	columns []string
	rows    [][]any
}

type disputeUpdate struct {
	id, status string
}

// readWritten reads from db, a run's database, the rows written since since.
func readWritten(ctx context.Context, db *sql.DB, store string, since time.Time) (written, error) {
	var w written
	for _, t := range writtenTables {
		rows, err := db.QueryContext(ctx, placeholders(store, fmt.Sprintf("SELECT * FROM %s WHERE %s >= $1 ORDER BY %[2]s",
			t.name, t.written)), since.UnixMilli())
		if err != nil {
			return w, err
		}
		wt := writtenTable{name: t.name}
		wt.columns, err = rows.Columns()
		for err == nil && rows.Next() {
			row := make([]any, len(wt.columns))
			ptrs := make([]any, len(row))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err = rows.Scan(ptrs...); err == nil {
				wt.rows = append(wt.rows, row)
			}
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
		if err != nil {
			return w, fmt.Errorf("read %s: %w", t.name, err)
		}
		w.tables = append(w.tables, wt)
	}
	rows, err := db.QueryContext(ctx, placeholders(store, `SELECT e.dispute_id, d.status FROM provider_events e
		JOIN disputes d ON d.id = e.dispute_id
		WHERE e.received_at >= $1 AND e.outcome NOT LIKE 'opened%' ORDER BY e.received_at`), since.UnixMilli())
	if err != nil {
		return w, err
	}
	defer rows.Close()
	for rows.Next() {
		var u disputeUpdate
		if err := rows.Scan(&u.id, &u.status); err != nil {
			return w, err
		}
		w.updates = append(w.updates, u)
	}
	return w, rows.Err()
}

// count is how many rows the run wrote.
func (w written) count() int {
	n := len(w.updates)
	for _, t := range w.tables {
		n += len(t.rows)
	}
	return n
}

// ceiling writes the same rows into db, a database seeded as the run's was, in events
// transactions, each with its share of every table's rows and of the dispute updates, with
// statements prepared once: the database's own cost of what the server wrote, without HTTP,
// signatures, parsing, the reads that decide what to write, or the job runner. It returns how
// long that took.
func ceiling(ctx context.Context, db *sql.DB, store string, w written, events int) (time.Duration, error) {
	// Prepared on the pool, a statement is prepared once per connection and reused by every
	// transaction on it.
	inserts := make([]*sql.Stmt, len(w.tables))
	for i, t := range w.tables {
		var err error
		if inserts[i], err = db.PrepareContext(ctx, insertOne(t, store)); err != nil {
			return 0, err
		}
		defer inserts[i].Close()
	}
	update, err := db.PrepareContext(ctx, placeholders(store,
		"UPDATE disputes SET status = $1, revision = revision + 1, updated_at = $2 WHERE id = $3"))
	if err != nil {
		return 0, err
	}
	defer update.Close()

	start := time.Now()
	for e := range events {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		for i, t := range w.tables {
			stmt := tx.StmtContext(ctx, inserts[i])
			for _, row := range share(t.rows, e, events) {
				if _, err = stmt.ExecContext(ctx, row...); err != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		for _, u := range share(w.updates, e, events) {
			if err != nil {
				break
			}
			_, err = tx.StmtContext(ctx, update).ExecContext(ctx, u.status, time.Now().UnixMilli(), u.id)
		}
		if err != nil {
			_ = tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// share is the part of all that transaction e of n writes.
func share[T any](all []T, e, n int) []T {
	return all[len(all)*e/n : len(all)*(e+1)/n]
}

// insertOne is the INSERT of one row of t.
func insertOne(t writtenTable, store string) string {
	params := make([]string, len(t.columns))
	for i := range params {
		params[i] = fmt.Sprintf("$%d", i+1)
	}
	return placeholders(store, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", t.name, strings.Join(t.columns, ", "),
		strings.Join(params, ", ")))
}

// placeholders writes $N parameters as SQLite's ?N.
func placeholders(store, q string) string {
	if store == benchdb.Postgres {
		return q
	}
	return strings.ReplaceAll(q, "$", "?")
}
