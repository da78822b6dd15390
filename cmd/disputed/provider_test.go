package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"disputed/internal/provider/paypal"
	"disputed/internal/testenv"
)

const stripeSecret = testenv.StripeSecret

// providerServer starts a server with a fake clock whose job runner the test drives, with a
// Stripe provider configured (its API at apiBase, when given).
func providerServer(t *testing.T, db, apiBase string) (*testServer, *fakeClock) {
	t.Helper()
	c := newClock()
	s := startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop = c.Now, false }, map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"})
	p := map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": "whsec_old_one," + stripeSecret, "api_key": "sk_test_123"}
	if apiBase != "" {
		p["api_base"] = apiBase
	}
	want(t, s.post("/v1/providers", p), 201)
	want(t, s.post("/v1/settings", map[string]any{"block_on_dispute": true}), 200)
	return s, c
}

// stripeEvent is a Stripe dispute event (dp_1QStripe0001) as Stripe sends it (API version
// 2024-06-20).
func stripeEvent(id, typ, status, charge string, created time.Time) map[string]any {
	return testenv.StripeEvent(id, typ, status, "dp_1QStripe0001", charge, created)
}

// postStripe sends an event signed the way Stripe signs (computed here, not with the server's
// code) at the server's time.
func postStripe(s *testServer, c *fakeClock, event map[string]any, secret string) response {
	s.t.Helper()
	return postStripeAt(s, c.Now(), event, secret)
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

// payPalSigner signs notifications the way PayPal does (testenv.PayPalSigner).
type payPalSigner struct{ *testenv.PayPalSigner }

func (p payPalSigner) post(t *testing.T, s *testServer, at time.Time, webhookID string, body []byte) response {
	t.Helper()
	return s.call(http.MethodPost, "/v1/providers/paypal/webhook", body,
		append([]string{"Authorization", ""}, p.Headers(t, at, webhookID, body)...)...)
}

// payPalPayload is one of the adapter's sample notifications, about our charge.
func payPalPayload(t *testing.T, file, sellerTxn string) []byte {
	return testenv.PayPalPayload(t, file, sellerTxn)
}

// payPalServer starts a server with a fake clock and a PayPal provider (webhook id WH-1AB23456)
// whose certificate comes from the signer.
func payPalServer(t *testing.T, db string) (*testServer, *fakeClock, payPalSigner) {
	t.Helper()
	signer := payPalSigner{testenv.NewPayPalSigner(t)}
	c := newClock()
	s := startConfigured(t, db, func(m *Main) {
		m.Now, m.JobLoop = c.Now, false
		m.PayPal = []paypal.Option{signer.Option()}
	})
	want(t, s.post("/v1/providers", map[string]any{"name": "paypal", "type": "paypal", "webhook_id": testenv.PayPalWebhookID}), 201)
	return s, c, signer
}
