package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/deadline"
	"disputed/internal/jobs"
	"disputed/internal/store"
)

// TestReminderAttempts: a reminder the server schedules carries its kind's attempts (5, not the
// expiry's 20), and one that keeps failing is parked as dead after the fifth.
func TestReminderAttempts(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		_, _, ch := s.sale(700, "USD")
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "due_by": rfc(c.Now().Add(100 * time.Hour))}), 201)
		reminders := s.get("/v1/jobs?kind=dispute.reminder&state=scheduled").list()
		if len(reminders) != 2 {
			t.Fatalf("%d scheduled reminders, want 2 (72 h and 24 h before)", len(reminders))
		}
		for _, r := range reminders {
			if r["max_attempts"] != float64(app.RemindAttempts) {
				t.Errorf("reminder %v: max_attempts %v, want %d", r["id"], r["max_attempts"], app.RemindAttempts)
			}
		}
		if e := s.get("/v1/jobs?kind=dispute.deadline&state=scheduled").list(); len(e) != 1 || e[0]["max_attempts"] != float64(app.ExpireAttempts) {
			t.Errorf("expiry jobs: %v", e)
		}

		// A runner of the server's kinds whose reminders always fail: the first reminder dies
		// after its kind's attempts, however long the runner keeps going.
		kinds := s.main.app.JobKinds()
		for i := range kinds {
			if kinds[i].Name == deadline.KindRemind {
				kinds[i].Handler = func(context.Context, store.Tx, store.Job) error { return errors.New("mail relay down") }
			}
		}
		r := jobs.New(s.main.store, jobs.Config{Now: c.Now}, kinds...)
		c.Advance(29 * time.Hour) // 71 h left: the 72 h reminder is due
		for range 3 * app.ExpireAttempts {
			if _, err := r.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			c.Advance(20 * time.Minute) // past any backoff, short of the 24 h reminder and the due date
		}
		dead := s.get("/v1/jobs?kind=dispute.reminder&state=dead").list()
		if len(dead) != 1 || dead[0]["attempts"] != float64(app.RemindAttempts) || dead[0]["last_error"] != "mail relay down" {
			t.Fatalf("dead reminders: %v", dead)
		}
	})
}
