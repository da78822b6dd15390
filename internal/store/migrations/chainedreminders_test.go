package migrations

import (
	"context"
	"database/sql"
	"slices"
	"testing"
)

// TestChainedRemindersCarriedOver: 00043 keeps each dispute's first scheduled reminder, which
// schedules the others when it runs, and leaves every other job alone: the deadline, reminders
// already run or cancelled, and other kinds.
func TestChainedRemindersCarriedOver(t *testing.T) {
	t.Parallel()
	onEachDatabase(t, func(t *testing.T, db *sql.DB, dialect string) {
		ctx := context.Background()
		migrateTo(t, db, dialect, 42)
		jobs := []struct {
			id, kind, subject, state string
			runAt                    int64
		}{
			{"job_a1", "dispute.deadline", "dsp_a", "scheduled", 500},
			{"job_a2", "dispute.reminder", "dsp_a", "scheduled", 300}, // 24 h before
			{"job_a3", "dispute.reminder", "dsp_a", "scheduled", 100}, // 72 h before: the first
			{"job_b1", "dispute.reminder", "dsp_b", "done", 100},
			{"job_b2", "dispute.reminder", "dsp_b", "scheduled", 300}, // the first still to run
			{"job_b3", "dispute.reminder", "dsp_b", "cancelled", 400},
			{"job_c1", "dispute.reminder", "dsp_c", "scheduled", 200}, // two at one time: the lower id
			{"job_c2", "dispute.reminder", "dsp_c", "scheduled", 200},
			{"job_d1", "email.send", "eml_d", "scheduled", 100},
			{"job_d2", "email.send", "eml_d", "scheduled", 200},
		}
		for _, j := range jobs {
			if _, err := db.ExecContext(ctx, rebind(dialect, `INSERT INTO jobs (id, kind, key, subject, args, state, run_at,
				attempts, max_attempts, last_error, locked_by, created_at, updated_at) VALUES (?, ?, ?, ?, '{}', ?, ?, 0, 5, '', '', 1, 1)`),
				j.id, j.kind, j.id, j.subject, j.state, j.runAt); err != nil {
				t.Fatal(err)
			}
		}
		if err := Up(ctx, db, dialect); err != nil {
			t.Fatal(err)
		}
		got := column(t, db, "SELECT id FROM jobs ORDER BY id")
		want := []string{"job_a1", "job_a3", "job_b1", "job_b2", "job_b3", "job_c1", "job_d1", "job_d2"}
		if !slices.Equal(got, want) {
			t.Errorf("jobs after 00043: %q, want %q", got, want)
		}
	})
}
