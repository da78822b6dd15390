package benchdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Loader writes rows straight into the schema, many rows per INSERT and many INSERTs per
// transaction: a million disputes load in minutes instead of the hours the API would take.
// Values are written as the store keeps them (unix milliseconds, JSON as text, the empty string for none).
type Loader struct {
	db       *sql.DB
	postgres bool
	tables   []*Table
	tx       *sql.Tx
	inTx     int // rows written in tx
}

// rowsPerTx is how many rows a transaction takes before it commits: large enough that the
// commit costs nothing per row, small enough that PostgreSQL's and SQLite's logs stay small.
const rowsPerTx = 50_000

// NewLoader returns a loader writing through db, a database of the given store opened with Open.
func NewLoader(ctx context.Context, db *sql.DB, store string) (*Loader, error) {
	if store == SQLite {
		// The index pages of a million rows do not fit SQLite's default 2 MB cache; the one
		// write connection keeps this setting.
		if _, err := db.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
			return nil, err
		}
	}
	return &Loader{db: db, postgres: store == Postgres}, nil
}

// Table is a table the loader writes, with the columns its rows give.
type Table struct {
	l       *Loader
	parent  *Table // the table a foreign key of this one points at, written first
	name    string
	columns []string
	values  []any     // the buffered rows, one after the other
	perStmt int       // rows per INSERT
	full    *sql.Stmt // the INSERT of perStmt rows, prepared in the current transaction
}

// Table declares a table and its columns.
func (l *Loader) Table(name string, columns ...string) *Table {
	// Both databases accept 32,766 parameters or more in one statement; 500 rows is past the
	// point where more rows per statement still pay.
	t := &Table{l: l, name: name, columns: columns, perStmt: min(500, 30_000/len(columns))}
	l.tables = append(l.tables, t)
	return t
}

// Child declares a table with a foreign key to parent: parent's buffered rows are written before
// each of its statements.
func (l *Loader) Child(parent *Table, name string, columns ...string) *Table {
	t := l.Table(name, columns...)
	t.parent = parent
	return t
}

// Add buffers a row, values in the order of the table's columns, and writes the buffered rows
// when there are enough for a statement.
func (t *Table) Add(ctx context.Context, values ...any) error {
	if len(values) != len(t.columns) {
		return fmt.Errorf("benchdb: %s: %d values for %d columns", t.name, len(values), len(t.columns))
	}
	t.values = append(t.values, values...)
	if len(t.values) < t.perStmt*len(t.columns) {
		return nil
	}
	if err := t.write(ctx); err != nil {
		return err
	}
	return t.l.commitIfFull(ctx)
}

// Flush writes every buffered row and commits.
func (l *Loader) Flush(ctx context.Context) error {
	for _, t := range l.tables {
		if err := t.write(ctx); err != nil {
			return err
		}
	}
	if l.tx == nil {
		return nil
	}
	err := l.tx.Commit() // closes the statements prepared in it
	l.tx, l.inTx = nil, 0
	for _, t := range l.tables {
		t.full = nil
	}
	return err
}

func (l *Loader) commitIfFull(ctx context.Context) error {
	if l.inTx < rowsPerTx {
		return nil
	}
	return l.Flush(ctx)
}

// write sends the buffered rows in one INSERT, after its parent's.
func (t *Table) write(ctx context.Context) error {
	if t.parent != nil {
		if err := t.parent.write(ctx); err != nil {
			return err
		}
	}
	rows := len(t.values) / len(t.columns)
	if rows == 0 {
		return nil
	}
	l := t.l
	if l.tx == nil {
		tx, err := l.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		l.tx = tx
	}
	var err error
	if rows == t.perStmt {
		// Compiling a statement of thousands of parameters costs as much as running it.
		if t.full == nil {
			t.full, err = l.tx.PrepareContext(ctx, t.insert(rows))
		}
		if err == nil {
			_, err = t.full.ExecContext(ctx, t.values...)
		}
	} else {
		_, err = l.tx.ExecContext(ctx, t.insert(rows), t.values...)
	}
	if err != nil {
		_ = l.tx.Rollback()
		l.tx = nil
		return fmt.Errorf("benchdb: insert %d rows into %s: %w", rows, t.name, err)
	}
	l.inTx += rows
	t.values = t.values[:0]
	return nil
}

// insert is the INSERT statement for rows rows, in the dialect's placeholders.
func (t *Table) insert(rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", t.name, strings.Join(t.columns, ", "))
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range t.columns {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			if t.l.postgres {
				fmt.Fprintf(&b, "$%d", n)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
