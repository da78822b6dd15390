// Package deadline decides which background jobs a dispute's due date needs: the deadline
// itself, when the rule in states.md resolves the dispute against the party that did not act,
// and the reminders before it. It is pure: the use cases schedule what Plan returns, in the
// transaction that set the due date.
package deadline

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"disputed/internal/dispute"
)

// Job kinds.
const (
	KindExpire = "dispute.deadline"
	KindRemind = "dispute.reminder"
)

// DefaultReminders are the offsets before a due date at which reminders go out when the
// merchant has not chosen others.
var DefaultReminders = []time.Duration{72 * time.Hour, 24 * time.Hour}

// Args are a deadline or reminder job's arguments. DueBy is the due date the job was planned
// for: a job whose dispute has another due date by now does nothing.
type Args struct {
	DisputeID string    `json:"dispute_id"`
	DueBy     time.Time `json:"due_by"`
	Offset    int64     `json:"offset_seconds,omitempty"`
}

// Job is a job to schedule.
type Job struct {
	Kind    string
	Key     string
	Subject string // the dispute id: cancelling the subject's jobs cancels them all
	RunAt   time.Time
	Args    []byte
}

// Plan returns the jobs an open dispute with a due date needs, seen at now: the deadline at the
// due date, and the first reminder still ahead; each reminder, when it runs, schedules the one
// after it (Next), so a dispute keeps two jobs rather than one per offset, and a change of the
// offsets applies to the reminders still to come. When every offset has passed but the due date
// has not, the nearest reminder goes out at once, so that a dispute opened close to its deadline
// is still announced as due soon.
func Plan(d dispute.Dispute, offsets []time.Duration, now time.Time) []Job {
	if !d.IsOpen() || d.DueBy.IsZero() {
		return nil
	}
	jobs := []Job{Expiry(d)}
	if !d.DueBy.After(now) {
		return jobs
	}
	if r, ok := Next(d, offsets, 0, now); ok {
		return append(jobs, r)
	}
	var nearest time.Duration
	for _, o := range offsets {
		if o > 0 && (nearest == 0 || o < nearest) {
			nearest = o
		}
	}
	if nearest > 0 {
		jobs = append(jobs, reminder(d, nearest, now))
	}
	return jobs
}

// Next returns the reminder that follows the one sent sent before the due date (0: none sent
// yet): the one at the largest offset below sent whose time is still ahead of now. A reminder
// whose time passed while no runner ran is not sent late: the next one says the same, sooner.
func Next(d dispute.Dispute, offsets []time.Duration, sent time.Duration, now time.Time) (Job, bool) {
	if !d.IsOpen() || d.DueBy.IsZero() {
		return Job{}, false
	}
	var next time.Duration
	for _, o := range offsets {
		if o > next && (sent == 0 || o < sent) && d.DueBy.Add(-o).After(now) {
			next = o
		}
	}
	if next == 0 {
		return Job{}, false
	}
	return reminder(d, next, d.DueBy.Add(-next)), true
}

// Expiry is the deadline job of d: it runs at the first moment past the due date, because
// acting at the due date itself is still in time.
func Expiry(d dispute.Dispute) Job {
	return job(KindExpire, "dispute:"+d.ID+":deadline", d.DueBy.Add(time.Millisecond), Args{DisputeID: d.ID, DueBy: d.DueBy})
}

func reminder(d dispute.Dispute, o time.Duration, at time.Time) Job {
	key := fmt.Sprintf("dispute:%s:reminder:%d:%d", d.ID, d.DueBy.UnixMilli(), int64(o/time.Second))
	return job(KindRemind, key, at, Args{DisputeID: d.ID, DueBy: d.DueBy, Offset: int64(o / time.Second)})
}

// job is a job about a.DisputeID.
func job(kind, key string, at time.Time, a Args) Job {
	raw, _ := json.Marshal(a) // a struct of strings, times and integers always marshals
	return Job{Kind: kind, Key: key, Subject: a.DisputeID, RunAt: at, Args: raw}
}

// ParseArgs reads a job's arguments.
func ParseArgs(raw []byte) (Args, error) {
	var a Args
	if err := json.Unmarshal(raw, &a); err != nil {
		return Args{}, fmt.Errorf("deadline job arguments: %w", err)
	}
	if a.DisputeID == "" {
		return Args{}, fmt.Errorf("deadline job arguments: no dispute_id")
	}
	return a, nil
}

// ParseOffsets reads reminder offsets such as "72h" or "30m".
func ParseOffsets(ss []string) ([]time.Duration, error) {
	out := make([]time.Duration, 0, len(ss))
	for _, s := range ss {
		d, err := time.ParseDuration(s)
		if err != nil || d < time.Second || d > 90*24*time.Hour || d%time.Second != 0 {
			return nil, fmt.Errorf("%q is not a whole number of seconds between 1s and 2160h, such as \"72h\"", s)
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) > 10 {
		return nil, fmt.Errorf("at most 10 reminder offsets")
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

// FormatOffset prints an offset the way ParseOffsets reads it, in its largest whole unit: "72h",
// "90m", "45s".
func FormatOffset(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}
