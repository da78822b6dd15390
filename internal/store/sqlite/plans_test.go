package sqlite

import (
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/sqlitetest"
	"disputed/internal/store/sqlstore"
	"disputed/internal/store/storetest"
)

// wholeTableReads are the statements allowed to read a whole table, each named by a part of
// its text, with why.
var wholeTableReads = []struct{ part, why string }{
	{"FROM users WHERE role", "the users are a handful"},
	{"DELETE FROM webhook_endpoints WHERE app_id", "an app's endpoints are removed with the app, rarely; endpoints are few"},
}

// TestNoStatementReadsAWholeTable runs the store's conformance suite on a store that notes every
// statement it runs, then asks SQLite for the plan of each: none may read a whole table (a plan
// step "SCAN t" through no index) but those of wholeTableReads. The functional tests write a few
// rows, on which such a statement is as quick as any; at a merchant's million rows it is not. It
// guards the indexes that leave out empty keys (migration 00047) most of all: one serves only a
// statement that says its key is not empty, and one that forgets falls back to reading every row.
func TestNoStatementReadsAWholeTable(t *testing.T) {
	var mu sync.Mutex
	ran := map[string]bool{}
	d := dialect()
	d.Rebind = func(q string) string {
		q = rebind(q)
		mu.Lock()
		defer mu.Unlock()
		ran[q] = true
		return q
	}
	template := sqlitetest.NewTemplate(Migrate)
	t.Run("suite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			path := template.Database(t)
			write, err := OpenWriter(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			read, err := openPool(path, readParams, readers)
			if err != nil {
				t.Fatal(err)
			}
			s, err := sqlstore.New(t.Context(), read, write, d, secretbox.Fresh())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Error(err)
				}
			})
			return s
		})
	})
	db, err := sql.Open("sqlite", template.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if len(ran) < 300 {
		t.Fatalf("the suite ran %d statements: the store no longer rebinds every statement it runs", len(ran))
	}
	for q := range ran {
		if slices.ContainsFunc(wholeTableReads, func(w struct{ part, why string }) bool { return strings.Contains(q, w.part) }) {
			continue
		}
		steps, err := plan(db, q)
		if err != nil {
			t.Errorf("explain %s: %v", q, err)
			continue
		}
		for _, table := range wholeScans(steps) {
			t.Errorf("reads every row of %s: %s\nplan: %s", table, strings.Join(strings.Fields(q), " "), strings.Join(steps, "; "))
		}
	}
}

// plan is SQLite's plan of q, a step a line, its parameters unbound (NULL): which indexes a
// statement reads depends on its text, not on its values.
func plan(db *sql.DB, q string) ([]string, error) {
	// The driver wants an argument for each parameter, and numbered ones repeat: add NULLs
	// until it has enough.
	for n := strings.Count(q, "?"); ; n++ {
		rows, err := db.Query("EXPLAIN QUERY PLAN "+q, make([]any, n)...)
		if err != nil && strings.Contains(err.Error(), "missing argument") {
			continue
		}
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var steps []string
		for rows.Next() {
			var id, parent, unused int
			var step string
			if err := rows.Scan(&id, &parent, &unused, &step); err != nil {
				return nil, err
			}
			steps = append(steps, step)
		}
		return steps, rows.Err()
	}
}

var (
	wholeScan = regexp.MustCompile(`^SCAN (\S+)$`)
	subquery  = regexp.MustCompile(`^(?:CO-ROUTINE|MATERIALIZE) (\S+)$`)
)

// wholeScans are the tables (or their aliases) a plan reads whole: "SCAN x" through no index,
// where x is not a subquery of the statement (whose rows it made itself).
func wholeScans(steps []string) []string {
	made := map[string]bool{}
	for _, s := range steps {
		if m := subquery.FindStringSubmatch(s); m != nil {
			made[m[1]] = true
		}
	}
	var out []string
	for _, s := range steps {
		if m := wholeScan.FindStringSubmatch(s); m != nil && !made[m[1]] {
			out = append(out, m[1])
		}
	}
	return out
}
