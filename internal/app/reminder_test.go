package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/deadline"
	"disputed/internal/jobs"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestAlertReminders: an open alert whose resolution is due gets its due_soon reminder like any
// dispute a party must act on (the dashboard already listed it as urgent), and none once resolved.
func TestAlertReminders(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		due := dueBy(e.Clock.Now().Add(100 * time.Hour))
		open := e.Dispute(e.Sale(testenv.SaleParams{Amount: 700}), "alert", due)
		done := e.Dispute(e.Sale(testenv.SaleParams{Amount: 700}), "alert", due)
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, done.ID, nil, app.ResolveParams{Resolution: "other"}))(t)
		e.Advance(29 * time.Hour) // 71 h left: the 72 h reminder
		if n := eventCount(e, open.ID, "dispute.due_soon"); n != 1 {
			t.Errorf("%d reminders for an open alert with 71 h left, want 1", n)
		}
		if n := eventCount(e, done.ID, "dispute.due_soon"); n != 0 {
			t.Errorf("%d reminders for a resolved alert", n)
		}
	})
}

// TestReminderAttempts: a reminder the app schedules carries its kind's attempts (5, not the
// expiry's 20), and one that keeps failing is parked as dead after the fifth.
func TestReminderAttempts(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.Dispute(e.Sale(testenv.SaleParams{Amount: 700}), "chargeback", dueBy(e.Clock.Now().Add(100*time.Hour)))
		scheduled := func(kind string) []store.Job {
			return jobsOf(t, e, store.JobFilter{Kind: kind, State: "scheduled"})
		}
		reminders := scheduled(deadline.KindRemind)
		if len(reminders) != 1 {
			t.Fatalf("%d scheduled reminders, want 1 (72 h before; it schedules the 24 h one when it runs)", len(reminders))
		}
		for _, r := range reminders {
			if r.MaxAttempts != app.RemindAttempts {
				t.Errorf("reminder %s: max attempts %d, want %d", r.ID, r.MaxAttempts, app.RemindAttempts)
			}
		}
		if ex := scheduled(deadline.KindExpire); len(ex) != 1 || ex[0].MaxAttempts != app.ExpireAttempts {
			t.Errorf("expiry jobs: %+v", ex)
		}

		// A runner of the app's kinds whose reminders always fail: the first reminder dies
		// after its kind's attempts, however long the runner keeps going.
		kinds := e.App.JobKinds()
		for i := range kinds {
			if kinds[i].Name == deadline.KindRemind {
				kinds[i].Handler = func(context.Context, store.Tx, store.Job) error { return errors.New("mail relay down") }
			}
		}
		r := jobs.New(e.Store, jobs.Config{Now: e.Clock.Now}, kinds...)
		e.Clock.Advance(29 * time.Hour) // 71 h left: the 72 h reminder is due
		for range 3 * app.ExpireAttempts {
			if _, err := r.RunOnce(e.Ctx); err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(20 * time.Minute) // past any backoff, short of the 24 h reminder and the due date
		}
		dead := jobsOf(t, e, store.JobFilter{Kind: deadline.KindRemind, State: "dead"})
		if len(dead) != 1 || dead[0].Attempts != app.RemindAttempts || dead[0].LastError != "mail relay down" {
			t.Fatalf("dead reminders: %+v", dead)
		}
	})
}
