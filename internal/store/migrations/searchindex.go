package migrations

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
)

// searchIndex is migration 00039: a trigram index over the disputes' search text, through which
// a q filter that matches few disputes reads them instead of passing over every dispute. It is in
// Go because each database has its own kind of index, in words the other cannot run.
//
// SQLite's is disputes_search, an FTS5 table with the trigram tokenizer over disputes.search
// ("external content": it keeps the index, not a copy of the text), whose rowids are the
// disputes' rowids, kept in step by triggers, in the transaction that writes the dispute. VACUUM
// keeps a table's rowids when it has indexes, as disputes has; a copy of the database that
// renumbered them would need "INSERT INTO disputes_search(disputes_search) VALUES ('rebuild')".
// PostgreSQL's is a GIN index of pg_trgm (in the contrib modules of PostgreSQL's packages; a
// trusted extension, which the database's owner may create), which serves LIKE itself.
func searchIndex(dialect string) *goose.Migration {
	up, down := map[string][]string{
		SQLite: {
			`CREATE VIRTUAL TABLE disputes_search USING fts5(search, content='disputes', tokenize='trigram')`,
			`CREATE TRIGGER disputes_search_insert AFTER INSERT ON disputes BEGIN
  INSERT INTO disputes_search (rowid, search) VALUES (new.rowid, new.search);
END`,
			`CREATE TRIGGER disputes_search_delete AFTER DELETE ON disputes BEGIN
  INSERT INTO disputes_search (disputes_search, rowid, search) VALUES ('delete', old.rowid, old.search);
END`,
			`CREATE TRIGGER disputes_search_update AFTER UPDATE OF search ON disputes BEGIN
  INSERT INTO disputes_search (disputes_search, rowid, search) VALUES ('delete', old.rowid, old.search);
  INSERT INTO disputes_search (rowid, search) VALUES (new.rowid, new.search);
END`,
			`INSERT INTO disputes_search (disputes_search) VALUES ('rebuild')`,
		},
		Postgres: {
			`CREATE EXTENSION IF NOT EXISTS pg_trgm`,
			`CREATE INDEX disputes_search_trigrams ON disputes USING gin (search gin_trgm_ops)`,
		},
	}, map[string][]string{
		SQLite: {
			`DROP TRIGGER disputes_search_update`, `DROP TRIGGER disputes_search_delete`,
			`DROP TRIGGER disputes_search_insert`, `DROP TABLE disputes_search`,
		},
		Postgres: {`DROP INDEX disputes_search_trigrams`},
	}
	return goose.NewGoMigration(39, &goose.GoFunc{RunTx: run(up[dialect])}, &goose.GoFunc{RunTx: run(down[dialect])})
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
