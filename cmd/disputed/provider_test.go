package main

import (
	"encoding/json"
	"net/http"
	"time"

	"disputed/internal/testenv"
)

const stripeSecret = testenv.StripeSecret

// stripeEvent is a Stripe dispute event (dp_1QStripe0001) as Stripe sends it (API version
// 2024-06-20).
func stripeEvent(id, typ, status, charge string, created time.Time) map[string]any {
	return testenv.StripeEvent(id, typ, status, "dp_1QStripe0001", charge, created)
}

func postStripeAt(s *testServer, at time.Time, event map[string]any, secret string) response {
	s.t.Helper()
	body, err := json.Marshal(event)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.call(http.MethodPost, "/v1/providers/stripe/webhook", body,
		"Stripe-Signature", testenv.StripeSignature(secret, at, body), "Authorization", "")
}
