package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/pgtest"
	"disputed/internal/store/sqlstore"
	"disputed/internal/store/storetest"
)

// TestNoStatementReadsAWholeTable: see storetest.NoWholeTableReads. With sequential scans
// priced out (enable_seqscan off), PostgreSQL still plans a "Seq Scan" of a table only when no
// index can serve the statement. The plan is the generic one, which holds for every value.
func TestNoStatementReadsAWholeTable(t *testing.T) {
	template := pgtest.NewTemplate(Migrate)
	db, err := Connect(t.Context(), template.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	partial, err := storetest.PartialIndexes(t.Context(), db, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexdef LIKE '% WHERE %'")
	if err != nil {
		t.Fatal(err)
	}
	storetest.NoWholeTableReads(t, func(t *testing.T, note func(string)) (store.Store, error) {
		d := dialect()
		d.Rebind = func(q string) string {
			note(q)
			return q
		}
		pool, err := Connect(t.Context(), template.Database(t))
		if err != nil {
			t.Fatal(err)
		}
		return sqlstore.New(t.Context(), pool, pool, d, secretbox.Fresh())
	}, func(q string) ([]string, error) { return wholeScans(t.Context(), db, q, partial) })
}

var parameter = regexp.MustCompile(`\$(\d+)`)

// explained counts the statements explained, to name each.
var explained int

// planned are the statements PostgreSQL plans, after sqlc's comment naming a query: not a
// savepoint's.
var planned = regexp.MustCompile(`^(?:--[^\n]*\n|\s)*(?i:SELECT|INSERT|UPDATE|DELETE|WITH)\b`)

// wholeScans are the tables PostgreSQL's generic plan of q reads whole (storetest.Explainer): a
// "Seq Scan", or, in a statement with no LIMIT, an index scan with no condition on the index
// of an index not among partial.
func wholeScans(ctx context.Context, db *sql.DB, q string, partial map[string]bool) ([]string, error) {
	if !planned.MatchString(q) {
		return nil, nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // only read
	params := 0
	for _, m := range parameter.FindAllStringSubmatch(q, -1) {
		n, _ := strconv.Atoi(m[1])
		params = max(params, n)
	}
	nulls := strings.TrimSuffix(strings.Repeat("NULL, ", params), ", ")
	// A prepared statement outlives the transaction: each has a name of its own, and goes when
	// explained.
	explained++
	name := fmt.Sprintf("explained_%d", explained)
	var plan string
	for _, s := range []string{"SET LOCAL enable_seqscan = off", "SET LOCAL plan_cache_mode = force_generic_plan",
		"PREPARE " + name + " AS " + q} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return nil, err
		}
	}
	explain := "EXPLAIN (FORMAT JSON) EXECUTE " + name
	if params > 0 {
		explain += "(" + nulls + ")"
	}
	if err := tx.QueryRowContext(ctx, explain).Scan(&plan); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "DEALLOCATE "+name); err != nil {
		return nil, err
	}
	var nodes []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(plan), &nodes); err != nil {
		return nil, fmt.Errorf("read the plan: %w", err)
	}
	var out []string
	walks := !strings.Contains(q, "LIMIT")
	for _, n := range nodes {
		out = n.Plan.wholeScans(out, func(n planNode) bool {
			indexWalk := (n.NodeType == "Index Scan" || n.NodeType == "Index Only Scan") && n.IndexCond == "" && !partial[n.Index]
			return n.NodeType == "Seq Scan" || walks && indexWalk
		})
	}
	return out, nil
}

// planNode is a node of EXPLAIN's JSON.
type planNode struct {
	NodeType  string     `json:"Node Type"`
	Relation  string     `json:"Relation Name"`
	Index     string     `json:"Index Name"`
	IndexCond string     `json:"Index Cond"`
	Plans     []planNode `json:"Plans"`
}

// wholeScans appends to out the tables of the nodes under n (n too) that whole says read whole.
func (n planNode) wholeScans(out []string, whole func(planNode) bool) []string {
	if whole(n) {
		out = append(out, n.Relation)
	}
	for _, c := range n.Plans {
		out = c.wholeScans(out, whole)
	}
	return out
}
