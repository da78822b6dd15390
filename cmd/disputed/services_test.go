package main

import (
	"net/http"
	"testing"

	"go.uber.org/goleak"
)

// TestCloseLeavesNothingRunning: Close returns only once the server's background work (the job
// runner, the history purge) and its requests have ended, on either store. It runs alone (not in
// parallel), so that the goroutines it finds after Close can only be the server's.
func TestCloseLeavesNothingRunning(t *testing.T) {
	before := goleak.IgnoreCurrent()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			s := startServer(t, kind, nil)
			if r := s.get("/v1/disputes"); r.status != http.StatusOK {
				t.Fatalf("GET /v1/disputes: %d %s", r.status, r.raw)
			}
		})
	}
	goleak.VerifyNone(t, before)
}
