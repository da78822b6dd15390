package app_test

import (
	"testing"

	"disputed/internal/store"
	"disputed/internal/testenv"
)

// ptr is a pointer to v, for the optional amounts of the params.
func ptr[T any](v T) *T { return &v }

// timelineCounts counts the entries of a timeline by action.
func timelineCounts(es []store.TimelineEntry) map[string]int {
	seen := map[string]int{}
	for _, e := range es {
		seen[e.Action]++
	}
	return seen
}

// jobsOf lists the jobs f selects, newest first.
func jobsOf(t *testing.T, e *testenv.Env, f store.JobFilter) []store.Job {
	t.Helper()
	p, err := e.App.Jobs(e.Ctx, testenv.Admin, f)
	if err != nil {
		t.Fatalf("jobs: %v", err)
	}
	return p.Rows
}

// eventCount counts the events of a type about a dispute.
func eventCount(e *testenv.Env, disputeID, typ string) int {
	return testenv.Count(e.EventTypes(store.EventFilter{DisputeID: disputeID, Page: store.Page{Limit: 100}}), typ)
}
