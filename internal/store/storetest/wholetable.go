package storetest

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"testing"

	"disputed/internal/store"
)

// wholeTableReads are the statements allowed to read a whole table, each named by a part of its
// text, with why.
var wholeTableReads = []struct{ part, why string }{
	{"FROM disputes ORDER BY created_at, id", "a backtest replays every dispute"},
}

// smallTables hold a merchant's configuration, a few rows each, which a statement may read whole
// (rule_acts: the rules' counters, a few rows per rule).
var smallTables = map[string]bool{"users": true, "apps": true, "providers": true, "panels": true, "rules": true,
	"rule_acts": true, "webhook_endpoints": true, "provider_imports": true, "setup_tokens": true, "settings": true}

// Explainer names the tables (or their aliases) that a statement, as the store ran it, reads
// whole: through no index, or every entry of an index that holds every row (not a partial
// one, whose rows are those asked for) in a statement with no LIMIT (a list walks an index in
// its order until its page is full).
type Explainer func(statement string) (tables []string, err error)

// NoWholeTableReads runs the suite on the fresh stores that open returns (closed when each test
// ends), which tell note every statement they run, then asks explain of each: none may read a
// whole table but a small one (smallTables), or in a statement of wholeTableReads.
//
// The suite writes a few rows, on which such a statement is as quick as any; at a merchant's
// million rows it is not. It guards most of all the indexes that leave out empty keys (migration
// 00047): one serves only a statement that says its key is not empty, and a statement that
// forgets falls back to reading every row, which no test of its results notices.
func NoWholeTableReads(t *testing.T, open func(t *testing.T, note func(statement string)) (store.Store, error), explain Explainer) {
	var mu sync.Mutex
	ran := map[string]bool{}
	note := func(q string) {
		mu.Lock()
		defer mu.Unlock()
		ran[q] = true
	}
	t.Run("suite", func(t *testing.T) {
		Run(t, func(t *testing.T) store.Store {
			s, err := open(t, note)
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
	if len(ran) < 300 {
		t.Fatalf("the suite ran %d statements: the store no longer tells of every statement it runs", len(ran))
	}
	for q := range ran {
		if slices.ContainsFunc(wholeTableReads, func(w struct{ part, why string }) bool { return strings.Contains(q, w.part) }) {
			continue
		}
		tables, err := explain(q)
		if err != nil {
			t.Errorf("explain %s: %v", q, err)
		}
		for _, table := range tables {
			if smallTables[table] {
				continue
			}
			t.Errorf("reads every row of %s: %s", table, strings.Join(strings.Fields(q), " "))
		}
	}
}

// PartialIndexes reads the names of the indexes that hold some rows of their table, for an
// Explainer: query is the database's own, a name a row.
func PartialIndexes(ctx context.Context, db *sql.DB, query string) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out[name] = true
	}
	return out, rows.Err()
}
