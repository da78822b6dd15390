package main

import (
	"net/http"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/testenv"
)

// TestProvidersPageWebhookAddressUsesPublicURL: behind a proxy the page was not opened at the
// address the provider must call; DISPUTED_PUBLIC_URL is that address.
func TestProvidersPageWebhookAddressUsesPublicURL(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", map[string]string{"DISPUTED_PUBLIC_URL": "http://disputes.example.com:8080/"})
	want(t, s.post("/v1/providers", map[string]any{"name": "feed", "type": "generic", "webhook_secret": "feed-secret-0123456789"}), 201)
	f := testenv.SignInForms(t, s.base, "admin@example.com", s.user("admin@example.com", actor.Admin, ""))
	a := f.Get("/providers")
	if a.Status != http.StatusOK || !strings.Contains(a.Body, "<code class=\"webhook-url\">http://disputes.example.com:8080/v1/providers/feed/webhook</code>") {
		t.Errorf("the providers page: %d\n%s", a.Status, a.Body)
	}
}
