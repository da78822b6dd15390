package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSearchIndexFill: 00039 indexes the rows stored before it, and its indexes follow the rows
// written after it. On SQLite each FTS5 table is read as the store reads it (rowids for a
// phrase); on PostgreSQL each statement's plan reads the table's GIN index.
func TestSearchIndexFill(t *testing.T) {
	t.Parallel()
	onEachDatabase(t, func(t *testing.T, db *sql.DB, dialect string) {
		ctx := context.Background()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, rebind(dialect, q), args...); err != nil {
				t.Fatal(err)
			}
		}
		migrateTo(t, db, dialect, 38)
		dispute := func(id, search, orderID string) {
			exec(`INSERT INTO disputes (id, type, status, amount, currency, revision, is_open, search, order_id,
					created_at, updated_at) VALUES (?, 'chargeback', 'won', 100, 'USD', 1, FALSE, ?, ?, 1, 1)`, id, search, orderID)
		}
		customer := func(id, email, name string) {
			exec(`INSERT INTO customers (id, email, name, created_at, updated_at) VALUES (?, ?, ?, 1, 1)`, id, email, name)
		}
		dispute("dsp_before", "a needle in a haystack", "")
		dispute("dsp_other", "hay only", "")
		customer("cus_before", "needle@example.com", "")
		if err := Up(ctx, db, dialect); err != nil {
			t.Fatal(err)
		}
		dispute("dsp_after", "another needle", "")
		dispute("dsp_order", "hay", "ord_needle")
		exec("UPDATE disputes SET search = 'needles, now' WHERE id = 'dsp_other'")
		exec("UPDATE disputes SET search = 'hay now' WHERE id = 'dsp_after'")
		customer("cus_after", "someone@example.com", "Needle")

		for _, x := range []struct {
			table, pg string // pg: the expressions PostgreSQL's index holds, as a LIKE's left side
			want      []string
		}{
			{"disputes", "search LIKE '%needle%' OR LOWER(order_id) LIKE '%needle%'", []string{"dsp_before", "dsp_order", "dsp_other"}},
			{"customers", "LOWER(email) LIKE '%needle%' OR name LIKE '%Needle%'", []string{"cus_after", "cus_before"}},
		} {
			q := fmt.Sprintf(`SELECT x.id FROM %[1]s x WHERE x.rowid IN (SELECT rowid FROM %[1]s_search WHERE %[1]s_search MATCH '"needle"')`, x.table)
			if dialect == Postgres {
				q = fmt.Sprintf("SELECT id FROM %s WHERE %s", x.table, x.pg)
				if plan := explain(t, db, q); !strings.Contains(plan, x.table+"_trigrams") {
					t.Errorf("%s: the plan reads no trigram index:\n%s", x.table, plan)
				}
			}
			if got := slices.Sorted(slices.Values(column(t, db, q))); !slices.Equal(got, x.want) {
				t.Errorf("%s: found %v, want %v", x.table, got, x.want)
			}
		}
	})
}

// explain is PostgreSQL's plan of q with sequential and plain index scans off (a table this
// small is read whole otherwise): a bitmap of the indexes that serve q's terms, if they do.
func explain(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, off := range []string{"enable_seqscan", "enable_indexscan"} {
		if _, err := tx.ExecContext(t.Context(), "SET LOCAL "+off+" = off"); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := tx.QueryContext(t.Context(), "EXPLAIN "+q)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}

// column reads the one column of q's rows.
func column(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
