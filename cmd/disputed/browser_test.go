package main

import (
	"context"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/access"
	"disputed/internal/actor"
)

// user creates a web UI user the way `disputed user create` does and returns its password.
func (s *testServer) user(email string, role actor.Role, party string) string {
	s.t.Helper()
	pw := testenv.Password
	if _, err := s.main.server.Access.CreateUser(context.Background(), actor.System, access.UserParams{Email: email, Role: string(role),
		PartyID: party, Password: pw}); err != nil {
		s.t.Fatal(err)
	}
	return pw
}

// signIn signs in through the login form.
func (s *testServer) signIn(ctx context.Context, email, password string) {
	s.t.Helper()
	browsertest.SignIn(s.t, ctx, s.base, email, password)
}

// text is the visible text of the first element matching sel.
func text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}
