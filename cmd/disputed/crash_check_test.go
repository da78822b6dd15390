//go:build crash

package main

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"disputed/internal/deadline"
	"disputed/internal/webhook/webhooktest"
)

// checkCrash reads the database a crash run left behind, with the server dead, and returns
// every broken promise: an acknowledged event not stored or stored with another dispute than
// its answer named, a case with no dispute or two, an event applied twice, a lost deadline or
// webhook delivery, a dead job, money that does not add up, a reference to nothing, or a
// database that fails its own integrity check.
func checkCrash(t *testing.T, kind, dsn string, plan crashPlan, answered map[string]string, rcv *webhooktest.Receiver) []string {
	driver := "sqlite"
	if kind == "postgres" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &crashCheck{t: t, db: db}

	c.events(plan, answered)
	c.timeline()
	c.deliveries(rcv)
	c.deadlines()
	for _, r := range c.rows("SELECT id, kind, last_error FROM jobs WHERE state = 'dead'") {
		c.bad("job %s (%s) is dead: %s", r[0], r[1], r[2])
	}
	for _, ref := range crashConsistency {
		for _, r := range c.rows(ref.query) {
			c.bad("%s: %s", ref.what, strings.Join(r, " "))
		}
	}
	if kind == "postgres" {
		c.postgresIndexes()
	} else {
		c.sqliteIntegrity()
	}
	count := func(q string) string { return c.rows(q)[0][0] }
	t.Logf("database: %s provider events, %s disputes (%s open), %s events, %s webhook deliveries (%s delivered), %s jobs scheduled or running",
		count("SELECT count(*) FROM provider_events"), count("SELECT count(*) FROM disputes"),
		count("SELECT count(*) FROM disputes WHERE is_open"), count("SELECT count(*) FROM events"),
		count("SELECT count(*) FROM webhook_deliveries"), count("SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'"),
		count("SELECT count(*) FROM jobs WHERE state IN ('scheduled', 'running')"))
	return c.problems
}

type crashCheck struct {
	t        *testing.T
	db       *sql.DB
	problems []string
}

func (c *crashCheck) bad(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// rows runs a query and returns its rows as text, NULL as "".
func (c *crashCheck) rows(query string) [][]string {
	c.t.Helper()
	rs, err := c.db.Query(query)
	if err != nil {
		c.t.Fatalf("%s: %v", query, err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		c.t.Fatal(err)
	}
	var out [][]string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			c.t.Fatalf("%s: %v", query, err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		c.t.Fatalf("%s: %v", query, err)
	}
	return out
}

// events checks that the stored provider events are exactly the acknowledged ones (no forged
// one, none lost), each under the id its answer named and applied, and that every case of an
// acknowledged event has exactly one dispute, the one its events name (or none yet, when every
// event about it was kept, not applied).
func (c *crashCheck) events(plan crashPlan, answered map[string]string) {
	stored := map[string]string{}
	for _, r := range c.rows("SELECT provider, event_id, dispute_id, id, state FROM provider_events") {
		key := r[0] + "/" + r[1]
		if _, twice := stored[key]; twice {
			c.bad("event %s is stored twice", key)
		}
		stored[key] = r[2]
		if named, ok := answered[key]; ok && named != r[3] {
			c.bad("event %s is stored as %s, but its answer named %q", key, r[3], named)
		}
		if r[4] != "applied" {
			c.bad("event %s is %s, not applied", key, r[4])
		}
	}
	for key := range answered {
		if _, ok := stored[key]; !ok {
			c.bad("acknowledged event %s is not stored", key)
		}
	}
	for key := range stored {
		if _, ok := answered[key]; !ok {
			c.bad("event %s is stored but was never acknowledged (a forged one?)", key)
		}
	}

	byCase := map[string][]string{}
	for _, r := range c.rows("SELECT provider, provider_dispute_id, id FROM disputes WHERE provider <> ''") {
		byCase[r[0]+"/"+r[1]] = append(byCase[r[0]+"/"+r[1]], r[2])
	}
	cases := map[string]bool{}
	for _, q := range plan.queues {
		for _, n := range q {
			key := n.provider + "/" + n.id
			if _, ok := answered[key]; !ok || n.caseID == "" {
				continue
			}
			kase := n.provider + "/" + n.caseID
			cases[kase] = true
			switch ds := byCase[kase]; {
			case stored[key] == "" && len(ds) > 1:
				c.bad("case %s has disputes %v; want one at most", kase, ds)
			case stored[key] != "" && (len(ds) != 1 || ds[0] != stored[key]):
				c.bad("case %s has disputes %v; want one, %q, which event %s names", kase, ds, stored[key], n.id)
			}
		}
	}
	for kase, ds := range byCase {
		if !cases[kase] {
			c.bad("disputes %v are about case %s, of which no event was acknowledged", ds, kase)
		}
	}
}

// timeline checks that every stored event was applied once: one provider_event entry on its
// dispute's timeline per event.
func (c *crashCheck) timeline() {
	for _, r := range c.rows(`SELECT p.dispute_id, p.n, coalesce(t.n, 0)
		FROM (SELECT dispute_id, count(*) AS n FROM provider_events WHERE dispute_id <> '' GROUP BY dispute_id) p
		LEFT JOIN (SELECT dispute_id, count(*) AS n FROM timeline WHERE action = 'provider_event' GROUP BY dispute_id) t
		ON t.dispute_id = p.dispute_id
		WHERE coalesce(t.n, 0) <> p.n`) {
		c.bad("dispute %s has %s provider events but %s provider_event timeline entries", r[0], r[1], r[2])
	}
}

// deliveries checks the outbox: every event has its delivery to the endpoint, which is either
// delivered (and the receiver got it, signed) or pending with a job that will send it.
func (c *crashCheck) deliveries(rcv *webhooktest.Receiver) {
	for _, r := range c.rows(`SELECT e.id, e.type, count(w.id) FROM events e LEFT JOIN webhook_deliveries w ON w.event_id = e.id
		GROUP BY e.id, e.type HAVING count(w.id) <> 1`) {
		c.bad("event %s (%s) has %s webhook deliveries, want 1", r[0], r[1], r[2])
	}
	received := map[string]bool{}
	for _, d := range rcv.Deliveries() {
		received[d.ID] = true
		if d.ValidSigs == 0 {
			c.bad("delivery %s reached the receiver without a valid signature", d.ID)
		}
	}
	live := map[string]bool{}
	for _, r := range c.rows("SELECT subject FROM jobs WHERE kind = 'webhook.deliver' AND state IN ('scheduled', 'running')") {
		live[r[0]] = true
	}
	for _, r := range c.rows("SELECT id, state, last_error FROM webhook_deliveries") {
		switch id, state := r[0], r[1]; {
		case state == "delivered" && !received[id]:
			c.bad("delivery %s is marked delivered but never reached the receiver", id)
		case state == "pending" && !live[id]:
			c.bad("delivery %s is pending with no job to send it", id)
		case state != "delivered" && state != "pending":
			c.bad("delivery %s is %s: %s", id, state, r[2])
		}
	}
}

// deadlines checks that every open dispute with a due date has its deadline job for that due
// date, still to run, or done after the due date passed for a dispute that no longer awaits a
// response.
func (c *crashCheck) deadlines() {
	type job struct {
		state string
		due   time.Time
	}
	jobs := map[string][]job{}
	for _, r := range c.rows("SELECT subject, state, args FROM jobs WHERE kind = '" + deadline.KindExpire + "' AND state <> 'cancelled'") {
		args, err := deadline.ParseArgs([]byte(r[2]))
		if err != nil {
			c.bad("deadline job of %s: %v", r[0], err)
			continue
		}
		jobs[r[0]] = append(jobs[r[0]], job{r[1], args.DueBy})
	}
	now := time.Now()
	for _, r := range c.rows("SELECT id, status, due_by FROM disputes WHERE is_open AND due_by IS NOT NULL") {
		ms, _ := strconv.ParseInt(r[2], 10, 64)
		due := time.UnixMilli(ms)
		ok := false
		for _, j := range jobs[r[0]] {
			awaits := strings.HasSuffix(r[1], "needs_response")
			if j.due.Equal(due) && (j.state == "scheduled" || j.state == "running" || (j.state == "done" && due.Before(now) && !awaits)) {
				ok = true
			}
		}
		if !ok {
			c.bad("open dispute %s (%s, due %s) has no deadline job for its due date: %v", r[0], r[1], due.UTC().Format(time.RFC3339), jobs[r[0]])
		}
	}
}

// crashConsistency are the queries that find what must not exist: each returns the offenders.
// They run on both stores; SQLite's own foreign keys cover only some of these references.
var crashConsistency = []struct{ what, query string }{
	{"dispute on a missing order", "SELECT id, order_id FROM disputes WHERE order_id <> '' AND order_id NOT IN (SELECT id FROM orders)"},
	{"dispute on a missing charge", "SELECT id, transaction_id FROM disputes WHERE transaction_id <> '' AND transaction_id NOT IN (SELECT id FROM transactions)"},
	{"dispute of a missing customer", "SELECT id, customer_id FROM disputes WHERE customer_id <> '' AND customer_id NOT IN (SELECT id FROM customers)"},
	{"order of a missing customer", "SELECT id, customer_id FROM orders WHERE customer_id NOT IN (SELECT id FROM customers)"},
	{"transaction of a missing order", "SELECT id, order_id FROM transactions WHERE order_id <> '' AND order_id NOT IN (SELECT id FROM orders)"},
	{"transaction of a missing parent", "SELECT id, parent_id FROM transactions WHERE parent_id <> '' AND parent_id NOT IN (SELECT id FROM transactions)"},
	{"transaction of a missing dispute", "SELECT id, dispute_id FROM transactions WHERE dispute_id <> '' AND dispute_id NOT IN (SELECT id FROM disputes)"},
	{"provider event about a missing dispute", "SELECT event_id, dispute_id FROM provider_events WHERE dispute_id <> '' AND dispute_id NOT IN (SELECT id FROM disputes)"},
	{"timeline entry of a missing dispute", "SELECT id, dispute_id FROM timeline WHERE dispute_id <> '' AND dispute_id NOT IN (SELECT id FROM disputes)"},
	{"timeline entry of a missing order", "SELECT id, order_id FROM timeline WHERE order_id <> '' AND order_id NOT IN (SELECT id FROM orders)"},
	{"event about a missing dispute", "SELECT id, dispute_id FROM events WHERE dispute_id <> '' AND dispute_id NOT IN (SELECT id FROM disputes)"},
	{"event about a missing order", "SELECT id, order_id FROM events WHERE order_id <> '' AND order_id NOT IN (SELECT id FROM orders)"},
	{"email about a missing dispute", "SELECT id, dispute_id FROM emails WHERE dispute_id <> '' AND dispute_id NOT IN (SELECT id FROM disputes)"},
	{"block list entry of a missing dispute", "SELECT id, dispute_id FROM blocklist WHERE dispute_id <> '' AND dispute_id NOT IN (SELECT id FROM disputes)"},
	{"delivery of a missing event", "SELECT id, event_id FROM webhook_deliveries WHERE event_id NOT IN (SELECT id FROM events)"},
	{"delivery to a missing endpoint", "SELECT id, endpoint_id FROM webhook_deliveries WHERE endpoint_id NOT IN (SELECT id FROM webhook_endpoints)"},
	{"attempt of a missing delivery", "SELECT id, delivery_id FROM webhook_attempts WHERE delivery_id NOT IN (SELECT id FROM webhook_deliveries)"},
	{"delivery job of a missing delivery", "SELECT id, subject FROM jobs WHERE kind = 'webhook.deliver' AND subject NOT IN (SELECT id FROM webhook_deliveries)"},
	{"deadline job of a missing dispute", "SELECT id, subject FROM jobs WHERE kind IN ('" + deadline.KindExpire + "', '" + deadline.KindRemind + "') AND subject NOT IN (SELECT id FROM disputes)"},
	{"order with two open disputes", "SELECT order_id, count(*) FROM disputes WHERE is_open AND order_id <> '' GROUP BY order_id HAVING count(*) > 1"},
	{"dispute whose funds were withdrawn twice", "SELECT dispute_id, count(*) FROM transactions WHERE kind = 'chargeback' GROUP BY dispute_id HAVING count(*) > 1"},
	{"charge refunded and withdrawn beyond its amount", "SELECT id, amount, amount_refunded, amount_withdrawn FROM transactions WHERE amount_refunded + amount_withdrawn > amount"},
	{"charge whose amount_refunded is not the sum of its refunds", `SELECT c.id, c.amount_refunded FROM transactions c
		WHERE c.kind IN ('charge', 'capture') AND c.amount_refunded <>
		(SELECT coalesce(sum(r.amount), 0) FROM transactions r WHERE r.parent_id = c.id AND r.kind = 'refund')`},
	{"charge whose amount_withdrawn is not its chargebacks less their reversals", `SELECT c.id, c.amount_withdrawn FROM transactions c
		WHERE c.kind IN ('charge', 'capture') AND c.amount_withdrawn <>
		(SELECT coalesce(sum(CASE WHEN r.kind = 'chargeback' THEN r.amount ELSE -r.amount END), 0) FROM transactions r
		 WHERE r.parent_id = c.id AND r.kind IN ('chargeback', 'chargeback_reversal'))`},
}

// sqliteIntegrity runs SQLite's own checks of the file: its b-trees, indexes and foreign keys.
func (c *crashCheck) sqliteIntegrity() {
	if r := c.rows("PRAGMA integrity_check"); len(r) != 1 || r[0][0] != "ok" {
		c.bad("PRAGMA integrity_check: %v", r)
	}
	for _, r := range c.rows("PRAGMA foreign_key_check") {
		c.bad("PRAGMA foreign_key_check: %v", r)
	}
}

// postgresIndexes checks every B-tree index of the schema against its table with amcheck
// (PostgreSQL's contrib): the index is well-formed and holds every row.
func (c *crashCheck) postgresIndexes() {
	if _, err := c.db.Exec("CREATE EXTENSION IF NOT EXISTS amcheck"); err != nil {
		c.t.Fatalf("amcheck: %v", err)
	}
	indexes := c.rows(`SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE a.amname = 'btree' AND n.nspname = 'public'`)
	if len(indexes) == 0 {
		c.bad("amcheck found no index to check")
	}
	for _, r := range indexes {
		if _, err := c.db.Exec("SELECT bt_index_check($1::regclass, true)", "public."+r[0]); err != nil {
			c.bad("index %s: %v", r[0], err)
		}
	}
}
