package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"disputed/internal/store/pgtest"
)

// fakeClock is the servers' time in the deadline tests: hours pass without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)} }

// clocked starts a server on db whose clock is c and whose job runner the test drives.
func clocked(t *testing.T, db string, c *fakeClock) *testServer {
	t.Helper()
	return startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop = c.Now, false })
}

func eachStoreDB(t *testing.T, fn func(t *testing.T, db string)) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, dbFor(t, kind))
		})
	}
}

// runJobs runs every job due on s's clock.
func (s *testServer) runJobs() {
	s.t.Helper()
	for {
		n, err := s.main.server.Runner.RunOnce(context.Background())
		if err != nil {
			s.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func countEvents(s *testServer, disputeID, typ string) int {
	n := 0
	for _, e := range s.get("/v1/events?limit=100&dispute_id=" + disputeID).list() {
		if e["type"] == typ {
			n++
		}
	}
	return n
}

// TestDeadlinePassedDuringDowntime: the server is stopped when the due date passes; the deadline
// fires when it starts again, without anyone asking.
func TestDeadlinePassedDuringDowntime(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		_, _, ch := s.sale(900, "EUR")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "due_by": rfc(c.Now().Add(time.Hour))})
		want(t, d, 201)
		if err := s.main.Close(); err != nil {
			t.Fatal(err)
		}
		c.Advance(3 * time.Hour)
		again := startConfigured(t, db, func(m *Main) { m.Now, m.JobPoll = c.Now, 10*time.Millisecond })
		deadline := time.Now().Add(10 * time.Second)
		for again.get("/v1/disputes/"+d.str("id")).str("status") != "lost" {
			if time.Now().After(deadline) {
				t.Fatal("the deadline that passed during downtime did not fire after the restart")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// TestTwoServersOneDeadline: two servers on one PostgreSQL database run their job runners at the
// same moment over the same passed deadlines: each dispute is lost once, with one money record
// (a chargeback's withdrawal, a manual dispute's refund) and one event.
func TestTwoServersOneDeadline(t *testing.T) {
	t.Parallel()
	db := pgtest.Database(t)
	c := newClock()
	a, b := clocked(t, db, c), clocked(t, db, c)
	// Only the deadlines run here: the evidence compiler's jobs would race the expiries for the
	// same disputes, and a lost race waits for its retry.
	want(t, a.post("/v1/settings", map[string]any{"compile_on_open": false}), 200)
	var ids, charges []string
	due := rfc(c.Now().Add(time.Hour))
	for i := range 30 {
		_, ord, ch := a.sale(1000, "USD")
		var d response
		if i%2 == 0 {
			d = a.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "due_by": due})
		} else {
			d = a.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case", "evidence_due_by": due})
		}
		want(t, d, 201)
		ids, charges = append(ids, d.str("id")), append(charges, ch)
	}
	c.Advance(2 * time.Hour)
	var wg sync.WaitGroup
	for _, s := range []*testServer{a, b} {
		wg.Go(func() {
			for {
				n, err := s.main.server.Runner.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	for i, id := range ids {
		if st := a.get("/v1/disputes/" + id).str("status"); st != "lost" {
			t.Fatalf("dispute %s: %s", id, st)
		}
		if n := countEvents(a, id, "dispute.resolved"); n != 1 {
			t.Fatalf("dispute %s: %d dispute.resolved events", id, n)
		}
		charge := a.get("/v1/transactions/" + charges[i])
		refunds, _ := charge.get("refunds").([]any)
		if i%2 == 0 && (charge.num("amount_withdrawn") != 1000 || len(refunds) != 0) {
			t.Fatalf("chargeback %s: %s", id, charge.raw)
		}
		if i%2 == 1 && (charge.num("amount_refunded") != 1000 || len(refunds) != 1 || charge.num("amount_withdrawn") != 0) {
			t.Fatalf("manual dispute %s: %s", id, charge.raw)
		}
	}
}
