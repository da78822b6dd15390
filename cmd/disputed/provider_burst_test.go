package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"disputed/internal/provider/generic"
)

// Events that arrive at the same moment are written together; each must still be applied once,
// and every delivery of it answered with the dispute it concerns.
func TestProviderEventsArrivingTogetherAreEachAppliedOnce(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		const secret = "generic-feed-secret"
		want(t, s.post("/v1/providers", map[string]any{"name": "alerts", "type": "generic", "webhook_secret": secret}), 201)
		// More at once than PostgreSQL's store writes side by side (its pool's 16 connections),
		// so that events queue there too.
		const cases, deliveries = 20, 3
		bodies := make([][]byte, cases)
		for k := range bodies {
			_, _, charge := s.sale(2500, "usd")
			ref := s.get("/v1/transactions/" + charge).str("provider_reference")
			bodies[k], _ = json.Marshal(map[string]any{"id": fmt.Sprintf("cb-%d", k), "type": "chargeback", "status": "needs_response",
				"amount": "25.00", "currency": "usd", "case_number": fmt.Sprintf("C-%d", k), "transaction_reference": ref,
				"happened_at": "2026-11-22T10:00:00Z", "due_by": "2026-12-01T00:00:00Z"})
		}

		answers := make([][]response, cases)
		errs := make(chan error, cases*deliveries)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for k := range cases {
			answers[k] = make([]response, deliveries)
			for d := range deliveries {
				wg.Go(func() {
					<-start
					r, err := s.send(http.MethodPost, "/v1/providers/alerts/webhook", bodies[k],
						"X-Signature", generic.Sign(secret, c.Now(), bodies[k]), "Authorization", "")
					answers[k][d] = r
					errs <- err
				})
			}
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}

		disputes := map[string]bool{}
		for k, rs := range answers {
			applied := 0
			for _, r := range rs {
				want(t, r, 200)
				if r.get("duplicate") != true {
					applied++
				}
				if r.str("dispute_id") == "" || r.str("dispute_id") != rs[0].str("dispute_id") {
					t.Fatalf("case %d: deliveries name different disputes: %s and %s", k, rs[0].raw, r.raw)
				}
			}
			if applied != 1 {
				t.Fatalf("case %d: applied %d times in %d deliveries", k, applied, deliveries)
			}
			disputes[rs[0].str("dispute_id")] = true
		}
		if len(disputes) != cases {
			t.Fatalf("%d disputes for %d cases", len(disputes), cases)
		}
		if n := len(s.get("/v1/disputes?limit=100").list()); n != cases {
			t.Fatalf("%d disputes listed, want %d", n, cases)
		}
		if n := len(s.get("/v1/events?type=dispute.created&limit=100").list()); n != cases {
			t.Fatalf("%d dispute.created events, want %d", n, cases)
		}
	})
}
