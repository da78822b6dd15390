package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/access"
	"disputed/internal/actor"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts a headless Chromium for one test and returns its context (30 s per test).
// Without Chromium the test is skipped, except in CI (CI=true), where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed at %s (apt-get install chromium)", chromiumPath)
		}
		t.Skipf("chromium is not installed at %s", chromiumPath)
	}
	// Chromium now and then exits before it listens (CI saw it once among 30 starts, with nothing
	// in its output but the usual dbus noise); a browser that never started says nothing about
	// the UI, so a start is tried three times, each with a fresh profile.
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		var ctx context.Context
		if ctx, err = startChromium(t); err == nil {
			return ctx
		}
		t.Logf("start chromium, attempt %d: %v", attempt, err)
	}
	t.Fatalf("start chromium: %v", err)
	return nil
}

// startChromium starts one headless Chromium with its own profile, stopped when the test ends.
func startChromium(t *testing.T) (context.Context, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		return nil, err
	}
	return ctx, nil
}

// user creates a web UI user the way `disputed user create` does and returns its password.
func (s *server) user(email string, role actor.Role, party string) string {
	s.t.Helper()
	const pw = "correct horse battery staple"
	if _, err := s.main.access.CreateUser(context.Background(), actor.System, access.UserParams{Email: email, Role: string(role),
		PartyID: party, Password: pw}); err != nil {
		s.t.Fatal(err)
	}
	return pw
}

// signIn signs in through the login form.
func (s *server) signIn(ctx context.Context, email, password string) {
	s.t.Helper()
	do(s.t, ctx,
		chromedp.Navigate(s.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.signout`)),
	)
}

// do runs browser actions and fails the test on the first error. Actions that met a document
// being replaced (its JavaScript context or nodes gone: a page that loaded after the previous
// step looked finished) are run again on the new one, twice at most.
func do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	err := chromedp.Do(ctx, actions...)
	for retry := 0; err != nil && retry < 2 && documentReplaced(err); retry++ {
		time.Sleep(200 * time.Millisecond)
		err = chromedp.Do(ctx, actions...)
	}
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// documentReplaced reports whether a browser error says the page's document changed under the
// action, rather than that the page lacks what the action looks for.
func documentReplaced(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") || strings.Contains(msg, "No node with given id")
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
	ctx := browser(t)
	pw := s.user("ada@example.com", actor.Admin, "")
	var body string
	do(t, ctx, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "ada@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "not the password"),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.error`)),
	)
	if got := text(t, ctx, "p.error"); !strings.Contains(got, "wrong") {
		t.Fatalf("after a wrong password: %q", got)
	}
	s.signIn(ctx, "ada@example.com", pw)
	body = text(t, ctx, "header")
	if !strings.Contains(body, "ada@example.com") {
		t.Fatalf("header after sign-in: %q", body)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	do(t, ctx, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
}
