package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"
)

// searchIndex is migration 00039: trigram indexes of the texts the q filters look for, through
// which a text that few rows hold is found without passing over every dispute: the disputes'
// search text and order id, the customers' email and name (the admin UI's search matches all
// of them; a charge it finds by its whole id, through the transactions' own indexes). It is in Go because each database has
// its own kind of index, in words the other cannot run.
//
// SQLite's are FTS5 tables with the trigram tokenizer, <table>_search, over the table's columns
// ("external content": they keep the index, not a copy of the text), whose rowids are the
// table's rowids, kept in step by triggers in the transaction that writes the row. VACUUM keeps
// the rowids of a table with indexes, as these two have; a copy of the database that
// renumbered them would need "INSERT INTO <table>_search(<table>_search) VALUES ('rebuild')".
// PostgreSQL's are GIN indexes of pg_trgm (in the contrib modules of PostgreSQL's packages; a
// trusted extension, which the database's owner may create) over the expressions the q filters'
// LIKE terms are written in, which they serve themselves.
func searchIndex(dialect string) *goose.Migration {
	indexed := []struct {
		table   string
		columns []string // SQLite's FTS5 columns
		pg      string   // PostgreSQL's indexed expressions
	}{
		{"disputes", []string{"search", "order_id"}, "search gin_trgm_ops, LOWER(order_id) gin_trgm_ops"},
		{"customers", []string{"email", "name"}, "LOWER(email) gin_trgm_ops, LOWER(name) gin_trgm_ops, name gin_trgm_ops"},
	}
	var up, down []string
	if dialect == Postgres {
		up = append(up, `CREATE EXTENSION IF NOT EXISTS pg_trgm`)
	}
	for _, x := range indexed {
		switch dialect {
		case SQLite:
			u, d := fts5(x.table, x.columns)
			up, down = append(up, u...), append(down, d...)
		case Postgres:
			up = append(up, fmt.Sprintf("CREATE INDEX %[1]s_trigrams ON %[1]s USING gin (%[2]s)", x.table, x.pg))
			down = append(down, fmt.Sprintf("DROP INDEX %s_trigrams", x.table))
		}
	}
	return goose.NewGoMigration(39, &goose.GoFunc{RunTx: run(up)}, &goose.GoFunc{RunTx: run(down)})
}

// fts5 returns the statements that make, fill and keep table_search, an FTS5 table with the
// trigram tokenizer over table's columns, and those that drop it.
func fts5(table string, columns []string) (up, down []string) {
	fts := table + "_search"
	cols := strings.Join(columns, ", ")
	values := func(row string) string { return row + ".rowid, " + row + "." + strings.Join(columns, ", "+row+".") }
	insert := fmt.Sprintf("INSERT INTO %s (rowid, %s) VALUES (%s);", fts, cols, values("new"))
	remove := fmt.Sprintf("INSERT INTO %[1]s (%[1]s, rowid, %[2]s) VALUES ('delete', %[3]s);", fts, cols, values("old"))
	up = []string{
		fmt.Sprintf("CREATE VIRTUAL TABLE %s USING fts5(%s, content='%s', tokenize='trigram')", fts, cols, table),
		fmt.Sprintf("CREATE TRIGGER %s_insert AFTER INSERT ON %s BEGIN %s END", fts, table, insert),
		fmt.Sprintf("CREATE TRIGGER %s_delete AFTER DELETE ON %s BEGIN %s END", fts, table, remove),
		fmt.Sprintf("CREATE TRIGGER %s_update AFTER UPDATE OF %s ON %s BEGIN %s %s END", fts, cols, table, remove, insert),
		fmt.Sprintf("INSERT INTO %[1]s (%[1]s) VALUES ('rebuild')", fts),
	}
	down = []string{
		fmt.Sprintf("DROP TRIGGER %s_update", fts), fmt.Sprintf("DROP TRIGGER %s_delete", fts),
		fmt.Sprintf("DROP TRIGGER %s_insert", fts), fmt.Sprintf("DROP TABLE %s", fts),
	}
	return up, down
}

// run is a migration's step that executes statements in order.
func run(statements []string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		for _, s := range statements {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	}
}
