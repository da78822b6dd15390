package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"disputed/bench/internal/serverproc"
)

// metric reads one series' value from a /metrics text; series is its name with its labels, as
// the text writes them.
func metric(text []byte, series string) (float64, error) {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindSubmatch(text)
	if m == nil {
		return 0, fmt.Errorf("/metrics has no %s", series)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// groupCommits is how many group commits the servers made so far, and the events they wrote.
func groupCommits(ctx context.Context, servers []*serverproc.Server) (groups, events float64, err error) {
	for _, s := range servers {
		text, err := s.Get(ctx, "/metrics")
		if err != nil {
			return 0, 0, err
		}
		g, err := metric(text, "disputed_provider_events_append_group_size_count")
		if err != nil {
			return 0, 0, err
		}
		e, err := metric(text, "disputed_provider_events_append_group_size_sum")
		if err != nil {
			return 0, 0, err
		}
		groups, events = groups+g, events+e
	}
	return groups, events, nil
}

// inboxDepth is how many events wait in the inbox: pending, and failed (kept to be tried again).
func inboxDepth(ctx context.Context, s *serverproc.Server) (pending, failed float64, err error) {
	text, err := s.Get(ctx, "/metrics")
	if err == nil {
		pending, err = metric(text, `disputed_provider_events_inbox{state="pending"}`)
	}
	if err == nil {
		failed, err = metric(text, `disputed_provider_events_inbox{state="failed"}`)
	}
	return pending, failed, err
}

// A drain's end is found by reading the inbox's depth from /metrics, which costs the server a
// count of the backlog and the rendering of every metric: about 1.7 ms with thousands waiting,
// and read every 20 ms it took 8 % of the server's CPU from the appliers it measures. So the
// reads come at half the time the inbox would take to drain at the rate seen since the read
// before (a dozen reads for a drain of seconds instead of one every tenth of a second), never
// closer than drainPollFirst nor further apart than drainPollLast: while the rate holds, the
// drain's end is seen at most drainPollFirst late.
const (
	drainPollFirst = 10 * time.Millisecond
	drainPollLast  = time.Second
)

// nextDrainPoll is the wait before the next read of the depth: pending now, was before, read
// since apart. With no drop seen (the first read, was 0) it waits drainPollLast/10.
func nextDrainPoll(pending, was float64, since time.Duration) time.Duration {
	if was <= pending || since <= 0 {
		return drainPollLast / 10
	}
	left := time.Duration(float64(since) * pending / (was - pending))
	return min(max(left/2, drainPollFirst), drainPollLast)
}

// drainTimeout bounds the wait: an inbox that has not drained by then never will.
const drainTimeout = 10 * time.Minute

// waitDrained waits until the inbox is empty (every event applied) and returns when it was, and
// how many events were pending when it started waiting. An event that failed ends the wait: it
// would be tried again only seconds later, and the benchmark's events must all apply.
func waitDrained(ctx context.Context, s *serverproc.Server) (time.Time, float64, error) {
	ctx, cancel := context.WithTimeout(ctx, drainTimeout)
	defer cancel()
	backlog, was, read := -1.0, 0.0, time.Time{}
	for {
		pending, failed, err := inboxDepth(ctx, s)
		if err != nil {
			return time.Time{}, 0, err
		}
		if backlog < 0 {
			backlog = pending
		}
		wait := nextDrainPoll(pending, was, time.Since(read))
		was, read = pending, time.Now()
		switch {
		case failed > 0:
			return time.Time{}, 0, fmt.Errorf("%.0f events failed to apply: GET /v1/provider_events?state=failed says why", failed)
		case pending == 0:
			return time.Now(), backlog, nil
		}
		select {
		case <-ctx.Done():
			return time.Time{}, 0, errors.Join(fmt.Errorf("the inbox still holds %.0f events", pending), ctx.Err())
		case <-time.After(wait):
		}
	}
}
