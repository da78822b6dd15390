// Package ceiling measures what a benchmark's writes cost the database alone: the rows a run
// wrote (and the columns it updated), written again straight into a database seeded as the
// run's was, with the store's settings and statements prepared once, without the server, the
// rules, the reads that decide what to write, or the job runner. A run's figure divided by its
// ceiling says how much of the time goes to the database's own work.
package ceiling

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"

	"disputed/bench/internal/benchdb"
)

// Changes are the rows a run inserted, table by table, and the rows it updated.
type Changes struct {
	Inserts []Table
	Updates []Update
}

// Table holds rows of one table, each with a value per column.
type Table struct {
	Name    string
	Columns []string
	Rows    [][]any
}

// Update is one row's change: its key column and value, and the columns set with their values.
type Update struct {
	Table, Key string
	KeyValue   any
	Columns    []string
	Values     []any
}

// Count is how many rows the run wrote, inserted or updated.
func (c Changes) Count() int {
	n := len(c.Updates)
	for _, t := range c.Inserts {
		n += len(t.Rows)
	}
	return n
}

// ReadTable reads every row rows holds into a Table named name, and closes rows.
func ReadTable(name string, rows *sql.Rows) (Table, error) {
	defer rows.Close()
	t := Table{Name: name}
	var err error
	if t.Columns, err = rows.Columns(); err != nil {
		return t, err
	}
	for rows.Next() {
		row := make([]any, len(t.Columns))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return t, fmt.Errorf("read %s: %w", name, err)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, rows.Err()
}

// Write writes c into db in txs transactions, each with its share of every table's rows and
// of the updates, inserting up to perStatement rows with each INSERT (1: one statement per row,
// as the server writes; more: the multi-row statements a set-based writer would use). Updates
// go one statement per row. It returns the time spent in the transactions, from begin to
// commit: the statements are made and prepared before each begins.
func Write(ctx context.Context, db *sql.DB, store string, c Changes, txs, perStatement int) (time.Duration, error) {
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	var took time.Duration
	for i := range txs {
		var calls []call
		for _, t := range c.Inserts {
			calls = appendInserts(calls, t.Name, t.Columns, share(t.Rows, i, txs), perStatement)
		}
		for _, u := range share(c.Updates, i, txs) {
			calls = append(calls, updateOf(u))
		}
		for _, k := range calls {
			if _, ok := stmts[k.query]; !ok {
				// Prepared on the pool, outside any transaction (SQLite's pool has one connection,
				// which a transaction holds), and so once per connection for every transaction.
				s, err := db.PrepareContext(ctx, Placeholders(store, k.query))
				if err != nil {
					return 0, err
				}
				stmts[k.query] = s
			}
		}
		start := time.Now()
		if err := run(ctx, db, stmts, calls); err != nil {
			return 0, err
		}
		took += time.Since(start)
	}
	return took, nil
}

// call is one statement to run with its arguments.
type call struct {
	query string
	args  []any
}

func run(ctx context.Context, db *sql.DB, stmts map[string]*sql.Stmt, calls []call) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, k := range calls {
		if _, err := tx.StmtContext(ctx, stmts[k.query]).ExecContext(ctx, k.args...); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("%.40s…: %w", k.query, err)
		}
	}
	return tx.Commit()
}

// maxParams keeps a multi-row statement within both databases' limit on parameters.
const maxParams = 30000

// appendInserts adds the INSERTs of rows into table, up to perStatement rows each.
func appendInserts(calls []call, table string, columns []string, rows [][]any, perStatement int) []call {
	per := max(1, min(perStatement, maxParams/len(columns)))
	for len(rows) > 0 {
		part := rows[:min(per, len(rows))]
		rows = rows[len(part):]
		args := make([]any, 0, len(part)*len(columns))
		values := make([]string, len(part))
		for i, row := range part {
			params := make([]string, len(row))
			for k := range row {
				params[k] = fmt.Sprintf("$%d", len(args)+k+1)
			}
			values[i] = "(" + strings.Join(params, ", ") + ")"
			args = append(args, row...)
		}
		calls = append(calls, call{fmt.Sprintf("INSERT INTO %s (%s) VALUES %s", table, strings.Join(columns, ", "),
			strings.Join(values, ", ")), args})
	}
	return calls
}

func updateOf(u Update) call {
	sets := make([]string, len(u.Columns))
	for i, c := range u.Columns {
		sets[i] = fmt.Sprintf("%s = $%d", c, i+1)
	}
	return call{fmt.Sprintf("UPDATE %s SET %s WHERE %s = $%d", u.Table, strings.Join(sets, ", "), u.Key, len(u.Columns)+1),
		append(append([]any{}, u.Values...), u.KeyValue)}
}

// share is the part of all that transaction i of n writes.
func share[T any](all []T, i, n int) []T {
	return all[len(all)*i/n : len(all)*(i+1)/n]
}

// Placeholders writes q's $N parameters, which must appear in the order of their numbers, as
// SQLite's anonymous ?: the driver binds those by position, while it looks ?N up by name, which
// makes a statement with thousands of them slow to bind.
func Placeholders(store, q string) string {
	if store == benchdb.Postgres {
		return q
	}
	return numbered.ReplaceAllString(q, "?")
}

var numbered = regexp.MustCompile(`\$[0-9]+`)

// Of is the part of c that writes to table: its inserted rows and its updates.
func (c Changes) Of(table string) Changes {
	var out Changes
	for _, t := range c.Inserts {
		if t.Name == table {
			out.Inserts = append(out.Inserts, t)
		}
	}
	for _, u := range c.Updates {
		if u.Table == table {
			out.Updates = append(out.Updates, u)
		}
	}
	return out
}
