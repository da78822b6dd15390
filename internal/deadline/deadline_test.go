package deadline

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"disputed/internal/dispute"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestPlan(t *testing.T) {
	t.Parallel()
	offsets := []time.Duration{24 * time.Hour, 72 * time.Hour}
	tests := []struct {
		name      string
		status    dispute.Status
		due       time.Time
		reminders []time.Time // when the reminders go out
	}{
		{"both reminders ahead: the first only", dispute.NeedsResponse, now.Add(100 * time.Hour), []time.Time{now.Add(28 * time.Hour)}},
		{"72 h passed, 24 h ahead", dispute.NeedsResponse, now.Add(48 * time.Hour), []time.Time{now.Add(24 * time.Hour)}},
		{"both passed: the nearest goes out now", dispute.NeedsResponse, now.Add(10 * time.Hour), []time.Time{now}},
		{"due date passed: the deadline only", dispute.NeedsResponse, now.Add(-time.Hour), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := dispute.Dispute{ID: "dsp_1", Type: dispute.Chargeback, Status: tt.status, DueBy: tt.due}
			jobs := Plan(d, offsets, now)
			if len(jobs) == 0 || jobs[0].Kind != KindExpire || !jobs[0].RunAt.Equal(tt.due.Add(time.Millisecond)) || jobs[0].Key != "dispute:dsp_1:deadline" || jobs[0].Subject != "dsp_1" {
				t.Fatalf("deadline job: %+v", jobs)
			}
			var at []time.Time
			for _, j := range jobs[1:] {
				if j.Kind != KindRemind {
					t.Fatalf("unexpected job %+v", j)
				}
				at = append(at, j.RunAt)
				a, err := ParseArgs(j.Args)
				if err != nil || a.DisputeID != "dsp_1" || !a.DueBy.Equal(tt.due) {
					t.Fatalf("reminder args %s: %v", j.Args, err)
				}
				// Every job of a dispute has it as its subject, which is what cancels them all.
				if key := fmt.Sprintf("dispute:dsp_1:reminder:%d:%d", tt.due.UnixMilli(), a.Offset); j.Key != key || j.Subject != "dsp_1" {
					t.Fatalf("reminder key %q, subject %q; want %q, dsp_1", j.Key, j.Subject, key)
				}
			}
			slices.SortFunc(at, time.Time.Compare)
			if !slices.EqualFunc(at, tt.reminders, time.Time.Equal) {
				t.Fatalf("reminders at %v, want %v", at, tt.reminders)
			}
		})
	}
	for _, d := range []dispute.Dispute{
		{ID: "dsp_2", Type: dispute.Chargeback, Status: dispute.Won, DueBy: now.Add(time.Hour)},
		{ID: "dsp_3", Type: dispute.Chargeback, Status: dispute.NeedsResponse},
	} {
		if jobs := Plan(d, offsets, now); jobs != nil {
			t.Errorf("%s (%s, due %v) plans %+v", d.ID, d.Status, d.DueBy, jobs)
		}
	}
	d := dispute.Dispute{ID: "dsp_4", Type: dispute.Chargeback, Status: dispute.NeedsResponse, DueBy: now.Add(100 * time.Hour)}
	if jobs := Plan(d, []time.Duration{}, now); len(jobs) != 1 {
		t.Errorf("reminders off still plans %d jobs", len(jobs))
	}
	a, b := Plan(d, offsets, now), Plan(d, offsets, now.Add(time.Minute))
	for i := range a {
		if a[i].Key != b[i].Key {
			t.Errorf("keys depend on when the plan is made: %q vs %q", a[i].Key, b[i].Key)
		}
	}
}

// TestNext: each reminder, when it runs, schedules the one after it; one whose time passed while
// no runner ran is skipped for the next, and the last schedules none.
func TestNext(t *testing.T) {
	t.Parallel()
	offsets := []time.Duration{72 * time.Hour, 24 * time.Hour, time.Hour}
	due := now.Add(100 * time.Hour)
	d := dispute.Dispute{ID: "dsp_1", Type: dispute.Chargeback, Status: dispute.NeedsResponse, DueBy: due}
	tests := []struct {
		name string
		sent time.Duration
		at   time.Time // when the next one runs; zero for none
		now  time.Time
	}{
		{"none sent: the first ahead", 0, due.Add(-72 * time.Hour), now},
		{"72 h sent on time: 24 h", 72 * time.Hour, due.Add(-24 * time.Hour), due.Add(-72 * time.Hour)},
		{"72 h sent 50 h late: 24 h has passed, 1 h", 72 * time.Hour, due.Add(-time.Hour), due.Add(-22 * time.Hour)},
		{"the last sent: none", time.Hour, time.Time{}, due.Add(-time.Hour)},
		{"72 h sent after every other time: none", 72 * time.Hour, time.Time{}, due.Add(-30 * time.Minute)},
	}
	for _, tt := range tests {
		j, ok := Next(d, offsets, tt.sent, tt.now)
		if ok != !tt.at.IsZero() || (ok && (!j.RunAt.Equal(tt.at) || j.Kind != KindRemind || j.Subject != "dsp_1")) {
			t.Errorf("%s: next %+v, %v; want one at %v", tt.name, j, ok, tt.at)
		}
	}
	if _, ok := Next(dispute.Dispute{ID: "dsp_2", Type: dispute.Chargeback, Status: dispute.Won, DueBy: due}, offsets, 0, now); ok {
		t.Error("an ended dispute gets a next reminder")
	}
}

func TestParseOffsets(t *testing.T) {
	t.Parallel()
	got, err := ParseOffsets([]string{"24h", "72h", "90m", "24h"})
	if err != nil || !slices.Equal(got, []time.Duration{72 * time.Hour, 24 * time.Hour, 90 * time.Minute}) {
		t.Fatalf("ParseOffsets = %v, %v", got, err)
	}
	for _, bad := range []string{"soon", "0s", "-1h", "500ms", "1.5s", "2161h"} {
		if _, err := ParseOffsets([]string{bad}); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	for d, want := range map[time.Duration]string{72 * time.Hour: "72h", 90 * time.Minute: "90m", 45 * time.Second: "45s"} {
		if got := FormatOffset(d); got != want {
			t.Errorf("FormatOffset(%v) = %q, want %q", d, got, want)
		}
		if back, err := ParseOffsets([]string{FormatOffset(d)}); err != nil || back[0] != d {
			t.Errorf("%q does not parse back to %v", FormatOffset(d), d)
		}
	}
}
