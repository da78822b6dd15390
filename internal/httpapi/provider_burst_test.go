package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/provider/generic"
	"disputed/internal/testenv"
)

// Events that arrive at the same moment are written together; each must still be applied once,
// and every delivery of it answered with the dispute it concerns.
func TestProviderEventsArrivingTogetherAreEachAppliedOnce(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		const secret = "generic-feed-secret"
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "alerts", Type: "generic", WebhookSecret: secret}))(t)
		// More at once than PostgreSQL's store writes side by side (its pool's 16 connections),
		// so that events queue there too.
		const cases, deliveries = 20, 3
		bodies := make([][]byte, cases)
		for k := range bodies {
			ref := e.Sale(testenv.SaleParams{Amount: 2500}).Charge.ProviderReference
			bodies[k], _ = json.Marshal(map[string]any{"id": fmt.Sprintf("cb-%d", k), "type": "chargeback", "status": "needs_response",
				"amount": "25.00", "currency": "usd", "case_number": fmt.Sprintf("C-%d", k), "transaction_reference": ref,
				"happened_at": "2026-11-22T10:00:00Z", "due_by": "2026-12-01T00:00:00Z"})
		}

		feed := c.As("")
		answers := make([][]testenv.Response, cases)
		errs := make(chan error, cases*deliveries)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for k := range cases {
			answers[k] = make([]testenv.Response, deliveries)
			for d := range deliveries {
				wg.Go(func() {
					<-start
					r, err := feed.Send(http.MethodPost, "/v1/providers/alerts/webhook", bodies[k],
						"X-Signature", generic.Sign(secret, e.Clock.Now(), bodies[k]))
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
			first := webhookAccepted(t, e, rs[0])
			for _, r := range rs {
				a := webhookAccepted(t, e, r)
				if !a.Duplicate {
					applied++
				}
				if a.dispute() == "" || a.dispute() != first.dispute() {
					t.Fatalf("case %d: deliveries name different disputes: %s and %s", k, rs[0], r)
				}
			}
			if applied != 1 {
				t.Fatalf("case %d: applied %d times in %d deliveries", k, applied, deliveries)
			}
			disputes[first.dispute()] = true
		}
		if len(disputes) != cases {
			t.Fatalf("%d disputes for %d cases", len(disputes), cases)
		}
		if n := len(webhookRead[httpapi.List[httpapi.Dispute]](c, "/v1/disputes?limit=100").Data); n != cases {
			t.Fatalf("%d disputes listed, want %d", n, cases)
		}
		if n := len(webhookRead[httpapi.List[httpapi.Event]](c, "/v1/events?type=dispute.created&limit=100").Data); n != cases {
			t.Fatalf("%d dispute.created events, want %d", n, cases)
		}
	})
}
