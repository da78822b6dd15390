package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"disputed/internal/store"
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
func clocked(t *testing.T, db string, c *fakeClock) *server {
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
func (s *server) runJobs() {
	s.t.Helper()
	for {
		n, err := s.main.Runner().RunOnce(context.Background())
		if err != nil {
			s.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func countEvents(s *server, disputeID, typ string) int {
	n := 0
	for _, e := range s.get("/v1/events?limit=100&dispute_id=" + disputeID).list() {
		if e["type"] == typ {
			n++
		}
	}
	return n
}

func TestDeadlines(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		due := rfc(c.Now().Add(10 * 24 * time.Hour))
		_, _, ch1 := s.sale(1500, "USD")
		_, _, ch2 := s.sale(1500, "USD")
		_, _, ch3 := s.sale(1500, "USD")
		missed := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch1, "due_by": due})
		met := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch2, "due_by": due})
		moved := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch3, "due_by": due})
		want(t, s.post("/v1/disputes/"+met.str("id"), map[string]any{"revision": met.num("revision"),
			"evidence": map[string]any{"uncategorized_text": "proof"}, "submit": true}), 200)
		later := rfc(c.Now().Add(12 * 24 * time.Hour))
		want(t, s.post("/v1/disputes/"+moved.str("id"), map[string]any{"revision": moved.num("revision"), "due_by": later}), 200)

		c.Advance(10*24*time.Hour - time.Minute)
		s.runJobs()
		if st := s.get("/v1/disputes/" + missed.str("id")).str("status"); st != "needs_response" {
			t.Fatalf("a deadline fired a minute early: %s", st)
		}
		c.Advance(2 * time.Minute)
		s.runJobs()
		lost := s.get("/v1/disputes/" + missed.str("id"))
		if lost.str("status") != "lost" || lost.str("resolved_by") != "system" {
			t.Fatalf("missed deadline: %s", lost.raw)
		}
		if tx := s.get("/v1/transactions/" + ch1); tx.num("amount_withdrawn") != 1500 {
			t.Fatalf("the lost chargeback's withdrawal is not recorded: %s", tx.raw)
		}
		if n := countEvents(s, missed.str("id"), "dispute.resolved"); n != 1 {
			t.Fatalf("%d dispute.resolved events", n)
		}
		if st := s.get("/v1/disputes/" + met.str("id")).str("status"); st != "under_review" {
			t.Fatalf("a dispute answered in time changed: %s", st)
		}
		if st := s.get("/v1/disputes/" + moved.str("id")).str("status"); st != "needs_response" {
			t.Fatalf("a moved deadline fired at its old time: %s", st)
		}
		c.Advance(2 * 24 * time.Hour)
		s.runJobs()
		if st := s.get("/v1/disputes/" + moved.str("id")).str("status"); st != "lost" {
			t.Fatalf("the moved deadline did not fire at its new time: %s", st)
		}
		s.runJobs()
		if n := countEvents(s, missed.str("id"), "dispute.resolved"); n != 1 {
			t.Fatalf("the deadline fired again: %d dispute.resolved events", n)
		}
	})
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

// TestOtherDeadlineRules: a manual dispute lost by default records the provider's refund, an
// inquiry closes, a marketplace dispute goes to review after its 48-hour window.
func TestOtherDeadlineRules(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		_, ord, ch := s.sale(4000, "USD")
		manual := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case", "external_reference": "PP-1",
			"evidence_due_by": rfc(c.Now().Add(24 * time.Hour))})
		want(t, manual, 201)
		_, _, ch2 := s.sale(4000, "USD")
		inq := s.post("/v1/disputes", map[string]any{"type": "inquiry", "transaction_id": ch2, "due_by": rfc(c.Now().Add(24 * time.Hour))})
		_, ord3, _ := s.sale(4000, "USD")
		mkt := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord3, "initiated_by": "buyer", "description": "broken"})
		want(t, mkt, 201)
		if got := mkt.str("due_by"); got != rfc(c.Now().Add(48*time.Hour)) {
			t.Fatalf("marketplace response window: due_by %q", got)
		}
		c.Advance(49 * time.Hour)
		s.runJobs()
		if m := s.get("/v1/disputes/" + manual.str("id")); m.str("status") != "lost" {
			t.Fatalf("manual: %s", m.raw)
		}
		charge := s.get("/v1/transactions/" + ch)
		refunds, _ := charge.get("refunds").([]any)
		if charge.num("amount_refunded") != 4000 || len(refunds) != 1 || refunds[0].(map[string]any)["is_external"] != true {
			t.Fatalf("the manual dispute's refund by the provider is not recorded: %s", charge.raw)
		}
		if st := s.get("/v1/disputes/" + inq.str("id")).str("status"); st != "warning_closed" {
			t.Fatalf("inquiry: %s", st)
		}
		if st := s.get("/v1/disputes/" + mkt.str("id")).str("status"); st != "pending_review" {
			t.Fatalf("marketplace: %s", st)
		}
	})
}

func TestReminders(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		_, _, ch := s.sale(700, "USD")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "due_by": rfc(c.Now().Add(100 * time.Hour))})
		id := d.str("id")
		s.runJobs()
		if n := countEvents(s, id, "dispute.due_soon"); n != 0 {
			t.Fatalf("%d reminders 100 h before the due date", n)
		}
		c.Advance(29 * time.Hour) // 71 h left: the 72 h reminder
		s.runJobs()
		s.runJobs()
		if n := countEvents(s, id, "dispute.due_soon"); n != 1 {
			t.Fatalf("%d reminders with 71 h left, want 1", n)
		}
		c.Advance(48 * time.Hour) // 23 h left: the 24 h reminder
		s.runJobs()
		if n := countEvents(s, id, "dispute.due_soon"); n != 2 {
			t.Fatalf("%d reminders with 23 h left, want 2", n)
		}
		// No reminder for a dispute that was answered, and none when they are switched off.
		want(t, s.post("/v1/settings", map[string]any{"reminder_offsets": []string{}}), 200)
		_, _, ch2 := s.sale(700, "USD")
		quiet := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch2, "due_by": rfc(c.Now().Add(10 * time.Hour))})
		c.Advance(9 * time.Hour)
		s.runJobs()
		if n := countEvents(s, quiet.str("id"), "dispute.due_soon"); n != 0 {
			t.Fatalf("%d reminders with reminders off", n)
		}
		set := s.post("/v1/settings", map[string]any{"reminder_offsets": []string{"2h", "90m"}})
		if got := set.get("reminder_offsets"); len(got.([]any)) != 2 || got.([]any)[1] != "90m" {
			t.Fatalf("settings: %s", set.raw)
		}
		want(t, s.post("/v1/settings", map[string]any{"reminder_offsets": []string{"soon"}}), 422, "invalid_value")
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
	for _, s := range []*server{a, b} {
		wg.Go(func() {
			for {
				n, err := s.main.Runner().RunOnce(context.Background())
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

// TestJobAPI: dead jobs are listed for admins and can be retried once.
func TestJobAPI(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		ctx := context.Background()
		err := s.main.store.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ScheduleJob(ctx, store.Job{ID: "job_broken", Kind: "dispute.deadline", Args: []byte(`{"dispute_id":""}`),
				RunAt: c.Now(), MaxAttempts: 1, CreatedAt: c.Now(), UpdatedAt: c.Now()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		s.runJobs()
		dead := s.get("/v1/jobs?state=dead")
		want(t, dead, 200)
		if l := dead.list(); len(l) != 1 || l[0]["id"] != "job_broken" || l[0]["last_error"] == nil {
			t.Fatalf("dead jobs: %s", dead.raw)
		}
		agent := s.as(s.newKey("agent", ""))
		want(t, agent.get("/v1/jobs?state=dead"), 403, "forbidden")
		want(t, agent.post("/v1/jobs/job_broken/retry", nil), 403, "forbidden")
		r := s.post("/v1/jobs/job_broken/retry", nil)
		want(t, r, 200)
		if r.str("state") != "scheduled" || r.num("attempts") != 0 {
			t.Fatalf("retried: %s", r.raw)
		}
		want(t, s.post("/v1/jobs/job_broken/retry", nil), 409, "invalid_state")
		want(t, s.post("/v1/jobs/job_nope/retry", nil), 404, "not_found")
		want(t, s.get("/v1/jobs?state=weird"), 422)
	})
}
