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

func TestBrowserSignInAndOut(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ctx := browsertest.New(t)
	pw := s.user("ada@example.com", actor.Admin, "")
	var body string
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "ada@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "not the password"),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.error`)),
	)
	if got := browsertest.Text(t, ctx, "p.error"); !strings.Contains(got, "wrong") {
		t.Fatalf("after a wrong password: %q", got)
	}
	s.signIn(ctx, "ada@example.com", pw)
	body = browsertest.Text(t, ctx, "header")
	if !strings.Contains(body, "ada@example.com") {
		t.Fatalf("header after sign-in: %q", body)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
}

// TestBrowserContextsApart: the browser tests share one Chromium, so each must get its own
// cookies: a sign-in in one test's browser leaves another's signed out, on the same server.
func TestBrowserContextsApart(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	signedIn, other := browsertest.New(t), browsertest.New(t)
	s.signIn(signedIn, "ada@example.com", s.user("ada@example.com", actor.Admin, ""))
	browsertest.Do(t, other, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	browsertest.Do(t, signedIn, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`form.signout`)))
}
