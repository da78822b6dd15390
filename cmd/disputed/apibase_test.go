package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecurityStripeAPIBaseOverHTTPRefused: a Stripe api_base in clear text to another machine
// is refused (422 naming api_base, nothing saved), through the API and through
// DISPUTED_STRIPE_API_BASE, since the secret key would travel readable; http to loopback, where
// stripe-mock runs in the tests, is accepted.
func TestSecurityStripeAPIBaseOverHTTPRefused(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		stripe := func(base string) map[string]any {
			return map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret, "api_key": "sk_live_123", "api_base": base}
		}
		r := s.post("/v1/providers", stripe("http://api.stripe.com"))
		want(t, r, 422, "invalid_value")
		if r.str("error", "param") != "api_base" {
			t.Fatalf("refusal names %q, want api_base: %s", r.str("error", "param"), r.raw)
		}
		want(t, s.get("/v1/providers/stripe"), 404)
		want(t, s.post("/v1/providers", stripe("http://127.0.0.1:12111")), 201)
	})
	m := NewMain(envOf(map[string]string{"DISPUTED_DATABASE_URL": filepath.Join(t.TempDir(), "disputed.db"),
		"DISPUTED_STRIPE_WEBHOOK_SECRET": stripeSecret, "DISPUTED_STRIPE_API_KEY": "sk_live_123",
		"DISPUTED_STRIPE_API_BASE": "http://api.stripe.com"}), io.Discard)
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	err := m.Run(context.Background())
	if err == nil {
		_ = m.Close()
		t.Fatal("the server started with a clear-text DISPUTED_STRIPE_API_BASE")
	}
	if !strings.Contains(err.Error(), "DISPUTED_STRIPE_API_BASE") {
		t.Fatalf("start refused with %v, want the variable named", err)
	}
}
