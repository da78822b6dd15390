package sqlite

import (
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"

	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/sqlitetest"
	"disputed/internal/store/sqlstore"
	"disputed/internal/store/storetest"
)

// TestNoStatementReadsAWholeTable: see storetest.NoWholeTableReads. SQLite's plan says "SCAN t"
// for a table read through no index.
func TestNoStatementReadsAWholeTable(t *testing.T) {
	template := sqlitetest.NewTemplate(Migrate)
	db, err := sql.Open("sqlite", template.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	partial, err := storetest.PartialIndexes(t.Context(), db, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")
	if err != nil {
		t.Fatal(err)
	}
	storetest.NoWholeTableReads(t, func(t *testing.T, note func(string)) (store.Store, error) {
		d := dialect()
		d.Rebind = func(q string) string {
			q = rebind(q)
			note(q)
			return q
		}
		path := template.Database(t)
		write, err := OpenWriter(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		read, err := openPool(path, readParams, readers)
		if err != nil {
			t.Fatal(err)
		}
		return sqlstore.New(t.Context(), read, write, d, secretbox.Fresh())
	}, func(q string) ([]string, error) {
		steps, err := plan(db, q)
		return wholeScans(steps, partial, strings.Contains(q, "LIMIT")), err
	})
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
	indexWalk = regexp.MustCompile(`^SCAN (\S+) USING (?:COVERING )?INDEX (\S+)$`)
	subquery  = regexp.MustCompile(`^(?:CO-ROUTINE|MATERIALIZE) (\S+)$`)
)

// wholeScans are the tables (or their aliases) a plan reads whole (storetest.Explainer), where
// x is not a subquery of the statement (whose rows it made itself): "SCAN x" through no index,
// or, in a statement with no LIMIT (limited false), "SCAN x USING INDEX i" of an index i not
// among partial.
func wholeScans(steps []string, partial map[string]bool, limited bool) []string {
	made := map[string]bool{}
	for _, s := range steps {
		if m := subquery.FindStringSubmatch(s); m != nil {
			made[m[1]] = true
		}
	}
	var out []string
	for _, s := range steps {
		m := wholeScan.FindStringSubmatch(s)
		if w := indexWalk.FindStringSubmatch(s); w != nil && !limited && !partial[w[2]] {
			m = w
		}
		if m != nil && !made[m[1]] {
			out = append(out, m[1])
		}
	}
	return out
}

// TestDeliveriesInAStateReadTheirIndex: an endpoint's deliveries in one state (?state=) are read
// through webhook_deliveries_state (migration 00052), not through all the endpoint's deliveries
// with the state checked on each.
func TestDeliveriesInAStateReadTheirIndex(t *testing.T) {
	template := sqlitetest.NewTemplate(Migrate)
	path := template.Database(t)
	var listed []string
	d := dialect()
	d.Rebind = func(q string) string {
		q = rebind(q)
		if strings.HasPrefix(q, "SELECT * FROM webhook_deliveries WHERE") { // the list built at run time, not the statements prepared
			listed = append(listed, q)
		}
		return q
	}
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
	defer s.Close()
	f := store.DeliveryFilter{EndpointID: "we_1", State: store.DeliveryFailed, Page: store.Page{Limit: 10, Offset: 10}}
	if _, err := s.ListWebhookDeliveries(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 {
		t.Fatalf("the list ran %d statements on webhook_deliveries, want 1: %q", len(listed), listed)
	}
	steps, err := plan(read, listed[0])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(steps, func(s string) bool { return strings.Contains(s, "INDEX webhook_deliveries_state ") }) {
		t.Errorf("the deliveries in a state are read by the plan %q; want webhook_deliveries_state", steps)
	}
}
