package main

import (
	"context"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/testenv/browsertest"
)

// The UI helpers the tests left in cmd/disputed still use; the UI tests themselves moved beside
// internal/web, on the shared harness (testenv.Forms, browsertest.NewSignedIn).

// wordsBrowser signs in an admin in a new browser on s.
func wordsBrowser(t *testing.T, s *testServer) context.Context {
	t.Helper()
	ctx := browsertest.New(t)
	s.signIn(ctx, "admin@example.com", s.user("admin@example.com", actor.Admin, ""))
	return ctx
}
