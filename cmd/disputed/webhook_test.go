package main

import "testing"

// The webhook tests are beside the code: the API in internal/httpapi, the deliveries in
// internal/webhook, with the receiver of internal/webhook/webhooktest. What is here is the server
// the UI tests of webhooks start.

// hookServer starts a server with a fake clock whose job runner the test drives, allowed to
// deliver to the receiver on loopback.
func hookServer(t *testing.T, db string) (*testServer, *fakeClock) {
	c := newClock()
	s := startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop = c.Now, false }, map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"})
	return s, c
}
