package migrations

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"disputed/internal/store/pgtest"
)

// TestSearchIndexFill: 00039 indexes the disputes stored before it, and the index follows the
// disputes written after it. On SQLite the FTS5 table is read as the store reads it (by rowid,
// for a phrase); on PostgreSQL, with sequential scans off, so that the GIN index answers.
func TestSearchIndexFill(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, driver, dialect, query string }{
		{"sqlite", "sqlite", SQLite, `SELECT d.id FROM disputes d WHERE d.rowid IN
			(SELECT rowid FROM disputes_search WHERE disputes_search MATCH '"needle"') ORDER BY d.id`},
		{"postgres", "pgx", Postgres, `SELECT id FROM disputes WHERE search LIKE '%needle%' ORDER BY id`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dsn := filepath.Join(t.TempDir(), "old.db")
			if c.driver == "pgx" {
				dsn = pgtest.Database(t)
			}
			db, err := sql.Open(c.driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			db.SetMaxOpenConns(1) // the session's settings below hold for every statement
			ctx := context.Background()
			p, err := goose.NewProvider(database.Dialect(c.dialect), db, files, goose.WithDisableGlobalRegistry(true),
				goose.WithGoMigrations(inboxIDs()))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 38); err != nil {
				t.Fatal(err)
			}
			insert := func(id, search string) {
				t.Helper()
				if _, err := db.ExecContext(ctx, rebind(c.dialect, `INSERT INTO disputes (id, type, status, amount, currency,
					revision, is_open, search, created_at, updated_at) VALUES (?, 'chargeback', 'won', 100, 'USD', 1, FALSE, ?, 1, 1)`),
					id, search); err != nil {
					t.Fatal(err)
				}
			}
			insert("dsp_before", "a needle in a haystack")
			insert("dsp_other", "hay only")
			if err := Up(ctx, db, c.dialect); err != nil {
				t.Fatal(err)
			}
			insert("dsp_after", "another needle")
			if _, err := db.ExecContext(ctx, "UPDATE disputes SET search = 'needles, now' WHERE id = 'dsp_other'"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "UPDATE disputes SET search = 'hay now' WHERE id = 'dsp_after'"); err != nil {
				t.Fatal(err)
			}
			if c.dialect == Postgres {
				if _, err := db.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
					t.Fatal(err)
				}
			}
			rows, err := db.QueryContext(ctx, c.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				got = append(got, id)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if want := []string{"dsp_before", "dsp_other"}; !slices.Equal(got, want) {
				t.Errorf("found %v, want %v", got, want)
			}
		})
	}
}
