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

// drainPoll is how often the inbox's depth is read while it drains: fine enough for drains of
// seconds (a drain ends at most this late, 2 % of a 5-second drain). Counting a backlog of
// thousands costs the server about 1.7 ms: polled every 20 ms, it took 8 % of the server's CPU
// from the appliers it measures.
const drainPoll = 100 * time.Millisecond

// drainTimeout bounds the wait: an inbox that has not drained by then never will.
const drainTimeout = 10 * time.Minute

// waitDrained waits until the inbox is empty (every event applied) and returns when it was, and
// how many events were pending when it started waiting. An event that failed ends the wait: it
// would be tried again only seconds later, and the benchmark's events must all apply.
func waitDrained(ctx context.Context, s *serverproc.Server) (time.Time, float64, error) {
	ctx, cancel := context.WithTimeout(ctx, drainTimeout)
	defer cancel()
	backlog := -1.0
	for {
		pending, failed, err := inboxDepth(ctx, s)
		if err != nil {
			return time.Time{}, 0, err
		}
		if backlog < 0 {
			backlog = pending
		}
		switch {
		case failed > 0:
			return time.Time{}, 0, fmt.Errorf("%.0f events failed to apply: GET /v1/provider_events?state=failed says why", failed)
		case pending == 0:
			return time.Now(), backlog, nil
		}
		select {
		case <-ctx.Done():
			return time.Time{}, 0, errors.Join(fmt.Errorf("the inbox still holds %.0f events", pending), ctx.Err())
		case <-time.After(drainPoll):
		}
	}
}
