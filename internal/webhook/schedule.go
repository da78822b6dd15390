package webhook

import "time"

// schedule is Standard Webhooks' recommended retry schedule (the first attempt goes at once, then
// these waits): entry n-1 is the wait after failed attempt n. Its sum (27 h 35 min 5 s) gives a receiver more than a day to come back: an outage
// over a weekend night or a bad deploy fixed the next morning loses nothing.
var schedule = [...]time.Duration{
	5 * time.Second,
	5 * time.Minute,
	30 * time.Minute,
	2 * time.Hour,
	5 * time.Hour,
	10 * time.Hour,
	10 * time.Hour,
}

// MaxAttempts is the number of attempts of one delivery, the first included; after the last one
// fails the delivery is given up.
const MaxAttempts = len(schedule) + 1

// Schedule returns the wait between failed attempt n (1-based) and the next one. The caller stops
// after attempt MaxAttempts. For n beyond the schedule it keeps returning the longest wait, so
// that a caller's off-by-one never turns into a tight retry loop; for n < 1 it returns the first.
func Schedule(n int) time.Duration {
	n = max(1, min(n, len(schedule)))
	return schedule[n-1]
}
