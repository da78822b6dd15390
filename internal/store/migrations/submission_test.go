package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"go.uber.org/goleak"
	_ "modernc.org/sqlite"

	"disputed/internal/store/pgtest"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }

// TestSubmissionBackfill: 00013 records as accepted the answers given through a provider before
// it (a dispute under review or decided), and leaves not_sent those still waiting for one and
// those that have no provider.
func TestSubmissionBackfill(t *testing.T) {
	t.Parallel()
	onEachDatabase(t, func(t *testing.T, db *sql.DB, dialect string) {
		ctx := context.Background()
		p, err := goose.NewProvider(database.Dialect(dialect), db, files, goose.WithDisableGlobalRegistry(true))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.UpTo(ctx, 12); err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			id, typ, status, provider string
			submissions               int
		}{
			{"dsp_reviewed", "chargeback", "under_review", "stripe", 1},
			{"dsp_escalated", "chargeback", "needs_response", "stripe", 1},
			{"dsp_fresh", "chargeback", "needs_response", "stripe", 0},
			{"dsp_own", "chargeback", "won", "", 1},
		} {
			_, err := db.ExecContext(ctx, rebind(dialect, `INSERT INTO disputes (id, type, status, amount, currency, provider,
					provider_dispute_id, submission_count, revision, is_open, created_at, updated_at)
					VALUES (?, ?, ?, 100, 'USD', ?, ?, ?, 1, ?, 1780000000000, 1780000060000)`),
				r.id, r.typ, r.status, r.provider, "dp_"+r.id, r.submissions, r.status != "won")
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := Up(ctx, db, dialect); err != nil {
			t.Fatal(err)
		}
		want := map[string][2]string{
			"dsp_reviewed":  {"accepted", `{"kind":"evidence","at":1780000060000}`},
			"dsp_escalated": {"", "{}"},
			"dsp_fresh":     {"", "{}"},
			"dsp_own":       {"", "{}"},
		}
		for id, w := range want {
			var state, sub string
			if err := db.QueryRowContext(ctx, rebind(dialect, "SELECT submission_state, submission FROM disputes WHERE id = ?"), id).Scan(&state, &sub); err != nil {
				t.Fatal(err)
			}
			if state != w[0] || sub != w[1] {
				t.Errorf("%s: %q %s, want %q %s", id, state, sub, w[0], w[1])
			}
		}
	})
}

// rebind numbers the placeholders for PostgreSQL.
func rebind(dialect, q string) string {
	if dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// onEachDatabase runs test as two parallel subtests, with an empty SQLite database and an empty
// PostgreSQL one, each named by its goose dialect.
func onEachDatabase(t *testing.T, test func(t *testing.T, db *sql.DB, dialect string)) {
	for _, c := range []struct{ name, driver, dialect string }{{"sqlite", "sqlite", SQLite}, {"postgres", "pgx", Postgres}} {
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
			test(t, db, c.dialect)
		})
	}
}

// migrateTo brings db to version, the migrations in Go included, as an older binary left it.
func migrateTo(t *testing.T, db *sql.DB, dialect string, version int64) {
	t.Helper()
	p, err := goose.NewProvider(database.Dialect(dialect), db, files, goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(inGo(dialect)...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(t.Context(), version); err != nil {
		t.Fatal(err)
	}
}
