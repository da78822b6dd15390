package main

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"disputed/internal/provider/generic"
)

// TestSecurityUnknownProviderWebhookAnswersAlike: a notification to a provider name that is not
// configured answers exactly like a bad signature on a configured one (401, same body), so that
// names cannot be probed, and it counts against the sender's address like any failed
// authentication.
func TestSecurityUnknownProviderWebhookAnswersAlike(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s := startServerOn(t, db, map[string]string{"DISPUTED_IP_RATE_LIMIT": "0.1:4"}) // a token every 10 s
		want(t, s.post("/v1/providers", map[string]any{"name": "alerts", "type": "generic", "webhook_secret": "the-feed-secret"}), 201)
		body := []byte(`{"id":"1","type":"alert","alert_type":"tc40","amount":"49.99","currency":"USD","arn":"74000000000000000001"}`)
		send := func(name string) response {
			return s.call(http.MethodPost, "/v1/providers/"+name+"/webhook", body,
				"X-Signature", generic.Sign("not-the-secret", time.Now(), body), "Authorization", "")
		}
		forged := send("alerts")
		want(t, forged, 401, "invalid_signature")
		for _, name := range []string{"stripe", "no-such-provider", "a-name-far-too-long-to-be-configured-" + string(bytes.Repeat([]byte("x"), 64))} {
			r := send(name)
			if r.status != forged.status || !bytes.Equal(r.raw, forged.raw) {
				t.Fatalf("unknown provider %q answers %d %s; a forged signature on a known one %d %s", name, r.status, r.raw, forged.status, forged.raw)
			}
		}
		// Four refusals spent the address's allowance: the next is throttled before anything is checked.
		want(t, send("no-such-provider"), 429, "rate_limited")
		want(t, send("alerts"), 429, "rate_limited")
	})
}
