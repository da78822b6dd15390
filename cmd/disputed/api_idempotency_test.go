package main

import (
	"fmt"
	"testing"
)

// TestSecurityIdempotentSecretShownOnce: an answer that shows a secret once (a new API key, a new
// webhook endpoint, a rotated endpoint secret) is kept for its Idempotency-Key without the
// secret: the database holds none of them, and a repeat answers the same object without it. It
// stays here, beside the process, because it reads the whole database (noneStored), which the
// harness of internal/httpapi does not reach; the other idempotency tests are there.
func TestSecurityIdempotentSecretShownOnce(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ep := s.post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example/x", "events": []string{"*"}})
		want(t, ep, 201)
		for _, call := range []struct {
			path   string
			body   map[string]any
			status int
		}{
			{"/v1/api_keys", map[string]any{"role": "agent", "name": "ERP"}, 201},
			{"/v1/webhook_endpoints", map[string]any{"url": "https://erp.example/hooks", "events": []string{"*"}}, 201},
			{"/v1/webhook_endpoints/" + ep.str("id") + "/rotate_secret", map[string]any{}, 200},
		} {
			first := s.post(call.path, call.body, "Idempotency-Key", "secret-"+call.path)
			want(t, first, call.status)
			secret := first.str("secret")
			if len(secret) < 16 {
				t.Fatalf("%s: no secret in the first answer: %s", call.path, first.raw)
			}
			again := s.post(call.path, call.body, "Idempotency-Key", "secret-"+call.path)
			want(t, again, call.status)
			if again.header.Get("Idempotent-Replayed") != "true" || again.get("secret") != nil || again.str("id") != first.str("id") {
				t.Errorf("%s: the repeat answered %s %s, want the first object without its secret", call.path, again.header.Get("Idempotent-Replayed"), again.raw)
			}
			delete(first.body, "secret")
			if fmt.Sprint(first.body) != fmt.Sprint(again.body) {
				t.Errorf("%s: the repeat differs beyond the secret:\nfirst %v\nagain %v", call.path, first.body, again.body)
			}
			noneStored(t, s.main.Config.DB, secret)
		}
	})
}
